#!/usr/bin/env python3
"""Independent oracle for onestop: SPEC.md §3–§5 and docs/figures.md in plain Python.

    python3 Fixtures/tools/oracle.py PIPELINE.yaml --out DIR [--dossiers]

Reads a pipeline file, its dialect files, the procedure catalogue and the XML exports
(plain or gzip), and writes into DIR what onestop must produce for the same inputs:

    progress.csv  procedures.csv  agencies.csv  monthly.csv  rejects.csv  figures.csv  figures.json
    dossiers.csv (with --dossiers, as `onestop run --dossiers`)

`figures.json` holds the accounting (without sha256 or parser messages), the warnings and the
scorecard with exact numerators and denominators, gaps, and the per-agency scorecard with the
dossiers each line rests on and its rank.

This file is written from SPEC.md and docs/figures.md alone (never from the Swift code): it is
the independent route our golden files come from. Comments cite the rules R1–R25. Where the
rules leave room, the choice made here is marked "CHOICE:".

Python 3.11 standard library + PyYAML. Personal data is never collected: the parser keeps only
the text of fields the dialect maps.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import glob
import gzip
import json
import os
import re
import sys
import unicodedata
import xml.parsers.expat
import zlib
from dataclasses import dataclass, field as dc_field
from fractions import Fraction
from typing import Optional
from zoneinfo import ZoneInfo

import yaml

EX_OK, EX_DATAERR, EX_NOINPUT, EX_CONFIG = 0, 65, 66, 78

LEVELS = ("province", "district", "commune")
STATUS_NAMES = {
    "submitted": 1, "accepted": 2, "refused": 3, "processing": 4, "supplement_requested": 5,
    "fee_requested": 6, "withdrawn": 7, "stopped": 8, "finished": 9, "returned": 10,
}
FIGURE_COLUMNS = [
    "received_online", "received_inperson_post", "carried_over", "total",
    "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
    "in_progress_within", "in_progress_overdue", "in_progress_total",
    "received", "online", "postal", "digitised", "on_time",
    "online_share", "postal_share", "digitisation_rate", "on_time_rate",
]
MEASURES = [
    "online_procedure_coverage", "online_dossier_share", "postal_procedure_coverage",
    "on_time_rate", "digitisation_rate",
]


class ConfigError(Exception):
    """Invalid pipeline, dialect or catalogue (exit 78)."""


# ---------------------------------------------------------------------------------------------
# Text normalisation (§3.1, R1)
# ---------------------------------------------------------------------------------------------

def clean_text(value: Optional[str]) -> Optional[str]:
    """Trimmed, NFC; empty or whitespace-only → missing (R1)."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def clean_code(value: Optional[str]) -> Optional[str]:
    """Codes (dossier id, procedure, agency, field): trimmed, NFC, upper-cased (R1)."""
    value = clean_text(value)
    return value.upper() if value is not None else None


# ---------------------------------------------------------------------------------------------
# Pipeline, dialect and catalogue files (§2.2, §2.3, R22)
# ---------------------------------------------------------------------------------------------

def load_yaml(path: str):
    """YAML with every scalar kept as a string (BaseLoader): targets such as 0.999 stay exact."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def parse_exact(text: str, where: str) -> Fraction:
    """An exact decimal (`0.999`, `1`, `55%`) or `n/d`."""
    t = str(text).strip()
    try:
        if t.endswith("%"):
            return Fraction(t[:-1]) / 100
        if re.fullmatch(r"[0-9]+/[0-9]+", t) or re.fullmatch(r"[0-9]*\.?[0-9]+", t) or re.fullmatch(r"[0-9]+\.", t):
            return Fraction(t)
    except (ValueError, ZeroDivisionError):
        pass
    raise ConfigError(f"{where}: not an exact decimal or fraction: {text!r}")


def parse_day(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise ConfigError(f"{where}: not a date YYYY-MM-DD: {text!r}") from exc


def parse_bool(text, where: str) -> bool:
    t = str(text).strip().lower()
    if t in ("true", "yes", "on"):
        return True
    if t in ("false", "no", "off"):
        return False
    raise ConfigError(f"{where}: not a boolean: {text!r}")


def check_keys(mapping, allowed, where):
    if not isinstance(mapping, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = sorted(set(mapping) - set(allowed))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s): {', '.join(unknown)}")


@dataclass
class FieldPath:
    """`A/B`, `A/B/@c` or `@c`: child elements, then optionally an attribute of the last one."""
    elements: tuple
    attribute: Optional[str]

    @staticmethod
    def parse(text: str, where: str) -> "FieldPath":
        steps = str(text).split("/")
        if not steps or any(not s or any(c.isspace() for c in s) for s in steps):
            raise ConfigError(f"{where}: bad path {text!r}")
        attribute = None
        if steps[-1].startswith("@"):
            attribute = steps[-1][1:]
            steps = steps[:-1]
            if not attribute:
                raise ConfigError(f"{where}: bad path {text!r}")
        if any(s.startswith("@") for s in steps):
            raise ConfigError(f"{where}: `@` only on the last step: {text!r}")
        return FieldPath(tuple(steps), attribute)

    @property
    def leaf(self) -> str:
        """The name a user sees in rejects: the attribute, else the last element."""
        return self.attribute if self.attribute is not None else self.elements[-1]


RECORD_FIELDS = ("dossierId", "procedureCode", "procedureName", "field", "agency", "channel",
                 "returnMethod", "status", "received", "due", "finished", "returned", "digitised")
SUPPLEMENT_FIELDS = ("requested", "answered", "newDue")
ATTACHMENT_FIELDS = ("digitised",)
DATE_FIELDS = ("received", "due", "finished", "returned")


@dataclass
class Group:
    each: tuple
    fields: dict  # name -> FieldPath relative to the repeated element


@dataclass
class Dialect:
    name: str
    record: tuple
    export_time: Optional[FieldPath]
    fields: dict
    supplements: Optional[Group]
    attachments: Optional[Group]
    codes: dict          # kind -> {UPPER source code: canonical value}
    defaults: dict       # canonical field -> raw text
    date_formats: list   # compiled formats

    def source_name(self, name: str) -> str:
        path = self.fields.get(name)
        return path.leaf if path else name

    def group_source_name(self, group: Optional[Group], name: str) -> str:
        path = group.fields.get(name) if group else None
        return path.leaf if path else name


def load_dialect(path: str) -> Dialect:
    doc = load_yaml(path)
    check_keys(doc, ["dialect", "record", "exportTime", "fields", "supplements", "attachments",
                     "codes", "defaults", "dateFormats", "personalData"], path)
    for key in ("dialect", "record", "fields", "codes", "dateFormats"):
        if key not in doc:
            raise ConfigError(f"{path}: missing key {key}")
    record = FieldPath.parse(doc["record"], f"{path}: record")
    if record.attribute is not None:
        raise ConfigError(f"{path}: record must name an element")
    export_time = FieldPath.parse(doc["exportTime"], f"{path}: exportTime") if doc.get("exportTime") else None
    check_keys(doc["fields"], RECORD_FIELDS, f"{path}: fields")
    fields = {k: FieldPath.parse(v, f"{path}: fields.{k}") for k, v in doc["fields"].items()}
    for needed in ("dossierId", "procedureCode", "status"):
        if needed not in fields:
            raise ConfigError(f"{path}: fields.{needed} is required")

    def group(key, allowed):
        g = doc.get(key)
        if not g:
            return None
        check_keys(g, ["each", "fields"], f"{path}: {key}")
        each = FieldPath.parse(g["each"], f"{path}: {key}.each")
        if each.attribute is not None:
            raise ConfigError(f"{path}: {key}.each must name an element")
        check_keys(g.get("fields", {}), allowed, f"{path}: {key}.fields")
        return Group(each.elements, {k: FieldPath.parse(v, f"{path}: {key}.fields.{k}")
                                     for k, v in g.get("fields", {}).items()})

    canon = {
        "channel": {"in_person", "online", "postal"},
        "returnMethod": {"in_person", "postal", "unknown"},
        "status": set(STATUS_NAMES) | {str(n) for n in range(1, 11)},
        "flag": {"true", "false"},
    }
    check_keys(doc["codes"], canon.keys(), f"{path}: codes")
    codes = {}
    for kind, allowed in canon.items():
        table = doc["codes"].get(kind, {"0": "false", "1": "true"} if kind == "flag" else None)
        if table is None:
            raise ConfigError(f"{path}: codes.{kind} is required")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: codes.{kind} must be a mapping")
        codes[kind] = {}
        for src, value in table.items():
            value = str(value).strip()
            if value not in allowed:
                raise ConfigError(f"{path}: codes.{kind}: {src!r} maps to unknown value {value!r}")
            if kind == "status":
                value = STATUS_NAMES.get(value) or int(value)
            elif kind == "flag":
                value = value == "true"
            codes[kind][clean_text(str(src)).upper()] = value
    defaults = doc.get("defaults") or {}
    check_keys(defaults, RECORD_FIELDS, f"{path}: defaults")
    formats = doc["dateFormats"]
    if not isinstance(formats, list) or not formats:
        raise ConfigError(f"{path}: dateFormats must be a non-empty list")
    return Dialect(
        name=str(doc["dialect"]), record=record.elements, export_time=export_time, fields=fields,
        supplements=group("supplements", SUPPLEMENT_FIELDS),
        attachments=group("attachments", ATTACHMENT_FIELDS),
        codes=codes, defaults={k: str(v) for k, v in defaults.items()},
        date_formats=[compile_date_format(f, path) for f in formats],
    )


@dataclass
class CatalogueEntry:
    code: str
    name: str
    field: str
    level: str
    online: str
    postal: bool


def load_catalogue(path: str) -> dict:
    """`code,name,field,level,online,postal`; a duplicate code or bad row → exit 78 (R22)."""
    entries = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if not rows or [c.strip() for c in rows[0]] != ["code", "name", "field", "level", "online", "postal"]:
        raise ConfigError(f"{path}: header must be code,name,field,level,online,postal")
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        where = f"{path}: row {number}"
        if len(row) != 6:
            raise ConfigError(f"{where}: expected 6 columns, found {len(row)}")
        code = clean_code(row[0])
        level, online, postal = (row[3].strip().lower(), row[4].strip().lower(), row[5].strip().lower())
        if code is None:
            raise ConfigError(f"{where}: empty code")
        if level not in LEVELS:
            raise ConfigError(f"{where}: level {row[3]!r} is not province, district or commune")
        if online not in ("none", "partial", "full"):
            raise ConfigError(f"{where}: online {row[4]!r} is not none, partial or full")
        if postal not in ("yes", "no"):
            raise ConfigError(f"{where}: postal {row[5]!r} is not yes or no")
        if code in entries:
            raise ConfigError(f"{where}: duplicate code {code}")
        entries[code] = CatalogueEntry(code, clean_text(row[1]) or "", clean_code(row[2]) or "",
                                       level, online, postal == "yes")
    return entries


@dataclass
class SourceConfig:
    name: str
    level: str
    dialect: Dialect
    patterns: list


@dataclass
class Pipeline:
    path: str
    name: str
    period_from: dt.date
    period_to: dt.date
    tz: ZoneInfo
    catalogue: dict
    sources: list
    targets: dict            # measure -> (Fraction, text as written)
    digitisation_effective: dict  # level -> date
    granularity: str
    multiple_late: bool
    max_reject_rate: Optional[Fraction]
    monthly: bool
    min_dossiers: int = 10   # report.minDossiers: below it an agency's line is not ranked
    agency_names: Optional[dict] = None   # the agency register's code -> name, when the pipeline names one


def load_pipeline(path: str) -> Pipeline:
    doc = load_yaml(path)
    base = os.path.dirname(os.path.abspath(path))
    check_keys(doc, ["pipeline", "description", "period", "timezone", "catalogue", "agencies", "dialects", "sources",
                     "targets", "digitisationEffective", "rules", "output", "report"], path)
    for key in ("pipeline", "period", "catalogue", "sources"):
        if key not in doc:
            raise ConfigError(f"{path}: missing key {key}")
    check_keys(doc["period"], ["from", "to"], f"{path}: period")
    p_from = parse_day(doc["period"].get("from"), f"{path}: period.from")
    p_to = parse_day(doc["period"].get("to"), f"{path}: period.to")
    if p_to < p_from:
        raise ConfigError(f"{path}: period.to before period.from")
    try:
        tz = ZoneInfo(str(doc.get("timezone", "Asia/Ho_Chi_Minh")))
    except Exception as exc:  # noqa: BLE001 - any lookup failure is a config error
        raise ConfigError(f"{path}: unknown timezone {doc.get('timezone')!r}") from exc
    catalogue = load_catalogue(os.path.join(base, str(doc["catalogue"])))
    dialect_dir = os.path.join(base, str(doc.get("dialects", "dialects")))
    dialects = {}
    sources = []
    if not isinstance(doc["sources"], list) or not doc["sources"]:
        raise ConfigError(f"{path}: sources must be a non-empty list")
    for i, s in enumerate(doc["sources"]):
        where = f"{path}: sources[{i}]"
        check_keys(s, ["name", "level", "dialect", "files", "optional"], where)
        if s.get("level") not in LEVELS:
            raise ConfigError(f"{where}: level {s.get('level')!r} is not province, district or commune")
        name = str(s.get("name", "")).strip()
        if not name or any(name == o.name for o in sources):
            raise ConfigError(f"{where}: missing or duplicate name")
        dname = str(s.get("dialect", ""))
        if dname not in dialects:
            dialects[dname] = load_dialect(os.path.join(dialect_dir, dname + ".yaml"))
        files = s.get("files")
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not files:
            raise ConfigError(f"{where}: files must list glob patterns")
        sources.append(SourceConfig(name, s["level"], dialects[dname],
                                    [os.path.normpath(os.path.join(base, f)) for f in files]))
    targets = {}
    check_keys(doc.get("targets") or {}, MEASURES, f"{path}: targets")
    for k, v in (doc.get("targets") or {}).items():
        targets[k] = (parse_exact(v, f"{path}: targets.{k}"), str(v))
    eff = {}
    check_keys(doc.get("digitisationEffective") or {}, LEVELS, f"{path}: digitisationEffective")
    for k, v in (doc.get("digitisationEffective") or {}).items():
        eff[k] = parse_day(v, f"{path}: digitisationEffective.{k}")
    rules = doc.get("rules") or {}
    check_keys(rules, ["onTimeGranularity", "multipleSupplementsAreLate", "maxRejectRate"], f"{path}: rules")
    granularity = str(rules.get("onTimeGranularity", "day"))
    if granularity not in ("day", "instant"):
        raise ConfigError(f"{path}: rules.onTimeGranularity must be day or instant")
    output = doc.get("output") or {}
    check_keys(output, ["directory", "monthly", "excel", "xlsx", "language", "dossiers"], f"{path}: output")
    agency_names = None
    if "agencies" in doc:
        agency_names = load_agency_names(os.path.join(base, str(doc["agencies"])))
    report = doc.get("report") or {}
    check_keys(report, ["minDossiers"], f"{path}: report")
    min_dossiers = str(report.get("minDossiers", "10")).strip()
    if not re.fullmatch(r"[0-9]+", min_dossiers) or int(min_dossiers) < 1:
        raise ConfigError(f"{path}: report.minDossiers must be a whole number, at least 1")
    return Pipeline(
        path=path, name=str(doc["pipeline"]), period_from=p_from, period_to=p_to, tz=tz,
        catalogue=catalogue, sources=sources, targets=targets, digitisation_effective=eff,
        granularity=granularity,
        multiple_late=parse_bool(rules.get("multipleSupplementsAreLate", "true"), f"{path}: rules"),
        max_reject_rate=parse_exact(rules["maxRejectRate"], f"{path}: rules.maxRejectRate")
        if "maxRejectRate" in rules else Fraction(5, 100),
        monthly=parse_bool(output.get("monthly", "false"), f"{path}: output.monthly"),
        min_dossiers=int(min_dossiers),
        agency_names=agency_names,
    )


def load_agency_names(path: str) -> dict:
    """The agency register (README "Agency register"): header code,name,level,parent; codes
    normalised like every code (R1), names trimmed and NFC. Only the names matter to figures."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or [c.strip().lower() for c in rows[0]] != ["code", "name", "level", "parent"]:
        raise ConfigError(f"{path}: header must be code,name,level,parent")
    names = {}
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        code = clean_code(row[0])
        if code is None or code in names:
            raise ConfigError(f"{path}: empty or duplicate agency code {row[0]!r}")
        names[code] = clean_text(row[1]) or ""
    return names


# ---------------------------------------------------------------------------------------------
# Dates (§3.1, R4)
# ---------------------------------------------------------------------------------------------

@dataclass
class DateFormat:
    text: str
    regex: Optional[re.Pattern]  # None for iso8601


def compile_date_format(fmt: str, where: str) -> DateFormat:
    """`yyyy MM dd HH mm ss` are fields, anything else is literal; `iso8601` is ISO 8601."""
    fmt = str(fmt)
    if fmt == "iso8601":
        return DateFormat(fmt, None)
    out, i = "", 0
    tokens = {"yyyy": r"(?P<y>[0-9]{4})", "MM": r"(?P<mo>[0-9]{2})", "dd": r"(?P<d>[0-9]{2})",
              "HH": r"(?P<h>[0-9]{2})", "mm": r"(?P<mi>[0-9]{2})", "ss": r"(?P<s>[0-9]{2})"}
    seen = set()
    while i < len(fmt):
        for tok, rx in tokens.items():
            if fmt.startswith(tok, i):
                if tok in seen:
                    raise ConfigError(f"{where}: date format {fmt!r} repeats {tok}")
                seen.add(tok)
                out += rx
                i += len(tok)
                break
        else:
            if fmt[i].isalpha():
                raise ConfigError(f"{where}: date format {fmt!r}: unknown letter {fmt[i]!r}")
            out += re.escape(fmt[i])
            i += 1
    if not {"yyyy", "MM", "dd"} <= seen:
        raise ConfigError(f"{where}: date format {fmt!r} needs yyyy, MM and dd")
    return DateFormat(fmt, re.compile(out))


ISO_RE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?P<off>Z|[+-][0-9]{2}:?[0-9]{2})?)?")


def parse_date(raw: str, formats: list, tz: ZoneInfo, end_of_day: bool) -> Optional[int]:
    """Seconds since the epoch, or None when no format matches (→ `unparseable date`).

    No offset → the pipeline's timezone; a date-only value means 00:00 local, or 23:59:59
    local for a due / new due date (R4). Fractional seconds are truncated.
    """
    for f in formats:
        m = (ISO_RE if f.regex is None else f.regex).fullmatch(raw)
        if not m:
            continue
        g = m.groupdict()
        try:
            day = dt.date(int(g["y"]), int(g["mo"]), int(g["d"]))
        except ValueError:
            continue  # month 13, 29 February of a common year, …
        if g.get("h") is None:
            h, mi, s = (23, 59, 59) if end_of_day else (0, 0, 0)
        else:
            h, mi, s = int(g["h"]), int(g["mi"]), int(g["s"] or 0)
            if h > 23 or mi > 59 or s > 59:
                continue
        off = g.get("off")
        if off:
            if off == "Z":
                zone = dt.timezone.utc
            else:
                sign = -1 if off[0] == "-" else 1
                digits = off[1:].replace(":", "")
                oh, om = int(digits[:2]), int(digits[2:])
                if oh > 23 or om > 59:
                    continue
                zone = dt.timezone(sign * dt.timedelta(hours=oh, minutes=om))
        else:
            zone = tz
        return int(dt.datetime(day.year, day.month, day.day, h, mi, s, tzinfo=zone).timestamp())
    return None


class Clock:
    """Local days and instants in the pipeline's timezone."""

    def __init__(self, tz: ZoneInfo):
        self.tz = tz

    def day(self, ts: int) -> dt.date:
        return dt.datetime.fromtimestamp(ts, self.tz).date()

    def start_of(self, day: dt.date) -> int:
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=self.tz).timestamp())


# ---------------------------------------------------------------------------------------------
# Reading export files (§2.1, §6, R8)
# ---------------------------------------------------------------------------------------------

class FailedFile(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class RawRecord:
    line: int
    values: dict = dc_field(default_factory=dict)       # canonical field -> raw text
    supplements: list = dc_field(default_factory=list)  # [{field: raw text}]
    attachments: list = dc_field(default_factory=list)


def read_export(path: str, dialect: Dialect):
    """Stream one export file; returns (export time raw text or None, [RawRecord]).

    Raises FailedFile for anything that makes the file unreadable to its end (R8): not
    well-formed, cut-off gzip, 0 bytes, wrong root element, a DOCTYPE declaring entities or
    naming an external DTD. Only the text of mapped fields is collected.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list = []
    records: list = []
    state = {"record": None, "group": None, "group_kind": None, "export": None, "text": None}
    rec_path = list(dialect.record)
    rec_depth = len(rec_path)

    def refuse(message):
        raise FailedFile(message, parser.CurrentLineNumber)

    def on_doctype(name, sysid, pubid, has_internal_subset):
        if sysid or pubid:
            refuse("DOCTYPE names an external DTD (refused)")

    def on_entity_decl(*_args):
        refuse("entity declaration in DTD (XXE / entity expansion refused)")

    def on_external_ref(*_args):
        refuse("external entity reference (refused)")
        return 0

    def on_start(name, attrs):
        stack.append(name)
        depth = len(stack)
        if depth == 1 and name != rec_path[0]:
            refuse(f"root element <{name}> is not <{rec_path[0]}>")
        # Export timestamp, relative to the document root.
        et = dialect.export_time
        if et is not None and state["export"] is None and tuple(stack) == et.elements:
            if et.attribute is not None:
                if et.attribute in attrs:
                    state["export"] = attrs[et.attribute]
            else:
                state["text"] = ("export", None, [])
        if depth == rec_depth and stack == rec_path:
            state["record"] = RawRecord(parser.CurrentLineNumber)
        rec = state["record"]
        if rec is None or depth < rec_depth:
            return
        rel = tuple(stack[rec_depth:])
        for fname, fp in dialect.fields.items():
            if fp.elements == rel and fname not in rec.values:
                if fp.attribute is not None:
                    if fp.attribute in attrs:
                        rec.values[fname] = attrs[fp.attribute]
                else:
                    state["text"] = ("field", fname, [])
        for kind, group in (("supplements", dialect.supplements), ("attachments", dialect.attachments)):
            if group is None:
                continue
            n = len(group.each)
            if rel == group.each:
                getattr(rec, kind).append({})
                state["group"], state["group_kind"] = group, kind
            if state["group_kind"] == kind and len(rel) >= n and rel[:n] == group.each:
                item = getattr(rec, kind)[-1]
                grel = rel[n:]
                for gname, gp in group.fields.items():
                    if gp.elements == grel and gname not in item:
                        if gp.attribute is not None:
                            if gp.attribute in attrs:
                                item[gname] = attrs[gp.attribute]
                        else:
                            state["text"] = ("group", gname, [])

    def on_chars(data):
        if state["text"] is not None:
            state["text"][2].append(data)

    def on_end(name):
        depth = len(stack)
        t = state["text"]
        if t is not None:
            kind, fname, parts = t
            text = "".join(parts)
            if kind == "export":
                state["export"] = text
            elif kind == "field":
                state["record"].values.setdefault(fname, text)
            else:
                item = getattr(state["record"], state["group_kind"])[-1]
                item.setdefault(fname, text)
            state["text"] = None
        rec = state["record"]
        if rec is not None:
            rel = tuple(stack[rec_depth:])
            for kind, group in (("supplements", dialect.supplements), ("attachments", dialect.attachments)):
                if group is not None and rel == group.each:
                    state["group"], state["group_kind"] = None, None
            if depth == rec_depth and stack == rec_path:
                records.append(rec)
                state["record"] = None
        stack.pop()

    parser.StartDoctypeDeclHandler = on_doctype
    parser.EntityDeclHandler = on_entity_decl
    parser.ExternalEntityRefHandler = on_external_ref
    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_chars

    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            while True:
                chunk = fh.read(1 << 16)
                if not chunk:
                    break
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise FailedFile(f"XML error: {xml.parsers.expat.ErrorString(exc.code)}", exc.lineno) from None
    except (EOFError, OSError, zlib.error) as exc:
        raise FailedFile(f"read error: {exc}", parser.CurrentLineNumber) from None
    return state["export"], records


# ---------------------------------------------------------------------------------------------
# Normalisation and rejects (§3.1, R1–R4)
# ---------------------------------------------------------------------------------------------

@dataclass
class Dossier:
    source: str
    level: str
    id: str
    procedure: str
    procedure_name: Optional[str]
    field: Optional[str]
    agency: Optional[str]
    channel: str            # in_person | online | postal
    return_method: str      # in_person | postal | unknown
    status: int
    received: Optional[int]
    due: Optional[int]
    finished: Optional[int]
    returned: Optional[int]
    supplements: list       # [(requested, answered|None, newDue|None)] in document order
    digitised: bool
    # ordering key for deduplication (R6)
    order: tuple = ()

    @property
    def end(self) -> Optional[int]:
        """Finished instant, else returned instant (§4)."""
        return self.finished if self.finished is not None else self.returned


class Reject(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def normalise(raw: RawRecord, src: SourceConfig, clock: Clock) -> Dossier:
    """RawRecord → Dossier, or raise Reject (field as the source names it, reason).

    CHOICE: checks run in this fixed order and the first failing one is reported:
    dossier id, procedure code, status (missing, unmapped), channel, return method,
    digitised flags (record, then attachments), dates (received, due, finished, returned,
    then each supplement request's requested/answered/newDue), received date of an accepted
    dossier, due before received, resolved without end instant.
    """
    d = src.dialect
    v = {k: clean_text(x) for k, x in raw.values.items()}
    for k, default in d.defaults.items():  # defaults stand for missing or empty values
        if v.get(k) is None:
            v[k] = clean_text(default)

    def code(kind, fname):
        value = v.get(fname)
        if value is None:
            return None
        mapped = d.codes[kind].get(value.upper())
        if mapped is None:
            raise Reject(d.source_name(fname), f"code not in dialect map: '{value}'")
        return mapped

    dossier_id = clean_code(v.get("dossierId"))
    if dossier_id is None:
        raise Reject(d.source_name("dossierId"), "missing dossier id")
    procedure = clean_code(v.get("procedureCode"))
    if procedure is None:
        raise Reject(d.source_name("procedureCode"), "missing procedure code")
    if v.get("status") is None:
        raise Reject(d.source_name("status"), "missing status")  # R2
    status = code("status", "status")
    channel = code("channel", "channel") or "in_person"          # R2: missing → in person
    return_method = code("returnMethod", "returnMethod") or "unknown"  # R2: missing → unknown
    digitised = bool(code("flag", "digitised"))
    att_name = d.group_source_name(d.attachments, "digitised")
    for att in raw.attachments:
        value = clean_text(att.get("digitised"))
        if value is None:
            continue
        flag = d.codes["flag"].get(value.upper())
        if flag is None:
            raise Reject(att_name, f"code not in dialect map: '{value}'")  # R2: flags too
        digitised = digitised or flag

    def date(fname, end_of_day=False):
        value = v.get(fname)
        if value is None:
            return None
        ts = parse_date(value, d.date_formats, clock.tz, end_of_day)
        if ts is None:
            raise Reject(d.source_name(fname), f"unparseable date: '{value}'")  # R3: any status
        return ts

    received = date("received")
    due = date("due", end_of_day=True)  # R4
    finished = date("finished")
    returned = date("returned")
    supplements = []
    for item in raw.supplements:
        parsed = {}
        for gname in SUPPLEMENT_FIELDS:
            value = clean_text(item.get(gname))
            if value is None:
                parsed[gname] = None
                continue
            ts = parse_date(value, d.date_formats, clock.tz, end_of_day=(gname == "newDue"))
            if ts is None:  # R3: a bad date inside a supplement request rejects the record
                raise Reject(d.group_source_name(d.supplements, gname), f"unparseable date: '{value}'")
            parsed[gname] = ts
        # CHOICE: a request element without a request instant is not a request (ignored).
        if parsed["requested"] is not None:
            supplements.append((parsed["requested"], parsed["answered"], parsed["newDue"]))

    accepted = status not in (1, 3)
    if accepted and received is None:  # R3: applies to accepted statuses only
        raise Reject(d.source_name("received"), "accepted dossier without received date")
    if due is not None and received is not None and clock.day(due) < clock.day(received):
        raise Reject(d.source_name("due"), "due date before received date")  # R3: local days
    if status >= 7 and finished is None and returned is None:
        raise Reject(d.source_name("finished"), "resolved status without end instant")  # R3

    return Dossier(
        source=src.name, level=src.level, id=dossier_id, procedure=procedure,
        procedure_name=v.get("procedureName"), field=clean_code(v.get("field")),
        agency=clean_code(v.get("agency")), channel=channel, return_method=return_method,
        status=status, received=received, due=due, finished=finished, returned=returned,
        supplements=supplements, digitised=digitised,
    )


# ---------------------------------------------------------------------------------------------
# Ingest, dedupe and accounting (§3.1, R5–R8)
# ---------------------------------------------------------------------------------------------

@dataclass
class Run:
    pipeline: Pipeline
    clock: Clock
    files: list = dc_field(default_factory=list)       # (display path, source, status)
    failed: list = dc_field(default_factory=list)      # (display path, message, line)
    rejects: list = dc_field(default_factory=list)     # (file, line, id, field, reason)
    records_read: int = 0
    superseded: int = 0
    winners: list = dc_field(default_factory=list)
    warnings: list = dc_field(default_factory=list)    # (kind, subject)


def expand_inputs(pipeline: Pipeline):
    """[(absolute path, source)] in a stable order; a file matched twice is read once."""
    seen, out = set(), []
    for src in pipeline.sources:
        for pattern in src.patterns:
            for p in sorted(glob.glob(pattern)):
                if os.path.isfile(p) and p not in seen:
                    seen.add(p)
                    out.append((p, src))
    return out


def ingest(pipeline: Pipeline) -> Run:
    clock = Clock(pipeline.tz)
    run = Run(pipeline, clock)
    inputs = expand_inputs(pipeline)
    if not inputs:
        return run
    # `file` in rejects: relative to the common parent folder of all input files.
    root = os.path.commonpath([os.path.dirname(p) for p, _ in inputs])
    versions = {}  # (source, id) -> [Dossier] valid versions
    for path, src in inputs:
        shown = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            export_raw, raws = read_export(path, src.dialect)
        except FailedFile as failed:  # R8: contributes nothing, its records are not read (R7)
            run.failed.append((shown, str(failed), failed.line))
            run.files.append((shown, src.name, "failed"))
            continue
        run.files.append((shown, src.name, "ok"))
        export = None
        if clean_text(export_raw) is not None:
            export = parse_date(clean_text(export_raw), src.dialect.date_formats, pipeline.tz, False)
        if export is None:  # R6: fall back to the modification time, with a warning
            export = int(os.stat(path).st_mtime)
            run.warnings.append(("export_time_from_mtime", shown))
        for position, raw in enumerate(raws):
            run.records_read += 1
            try:
                dossier = normalise(raw, src, clock)
            except Reject as rej:
                did = clean_code(raw.values.get("dossierId"))
                run.rejects.append((shown, raw.line, did or "", rej.field, rej.reason))
                continue
            # R6: export timestamp, then file path, then position in the file.
            dossier.order = (export, shown, position)
            versions.setdefault((src.name, dossier.id), []).append(dossier)
    # R5: rejects are out before deduplication; the newest valid version wins.
    for key in sorted(versions):
        vs = sorted(versions[key], key=lambda x: x.order)
        run.superseded += len(vs) - 1
        run.winners.append(vs[-1])
    return run


# ---------------------------------------------------------------------------------------------
# Classification (§4, R9–R13)
# ---------------------------------------------------------------------------------------------

@dataclass
class Classified:
    dossier: Dossier
    scope: str           # "period" (received in the period) | "carried"
    outcome: str         # early | on_time | late | within | overdue
    agency: str
    field: str
    month: str


def effective_due(d: Dossier) -> Optional[int]:
    """R11: the new due date of the latest request (by request instant) that carries one; else
    the due date plus every answered request's (answer − request); an answer dated before its
    request adds nothing (it cannot shorten the due date)."""
    with_new = [(req, i, new) for i, (req, _ans, new) in enumerate(d.supplements) if new is not None]
    if with_new:
        # CHOICE: ties on the request instant go to the later one in document order.
        return max(with_new)[2]
    if d.due is None:
        return None
    return d.due + sum(max(0, ans - req) for req, ans, _new in d.supplements if ans is not None)


def classify(run: Run) -> list:
    p, clock = run.pipeline, run.clock
    start = clock.start_of(p.period_from)                           # R9
    end = clock.start_of(p.period_to + dt.timedelta(days=1))        # exclusive
    last_day = p.period_to
    out = []
    for d in run.winners:
        if d.status in (1, 3):
            continue  # not accepted: in no figure (R7)
        resolved = d.status >= 7
        if start <= d.received < end:
            scope = "period"
        elif d.received < start and not (resolved and d.end < start):
            scope = "carried"                                       # R9
        else:
            continue  # received after the period, or resolved before it
        finished_in_period = resolved and d.end < end               # R10
        eff = effective_due(d)
        multi = len(d.supplements) > 1 and p.multiple_late
        no_due = False
        if finished_in_period:
            if d.status == 7:
                outcome = "on_time"                                 # R12: withdrawn first
            elif multi:
                outcome = "late"
            elif eff is None:
                outcome, no_due = "on_time", True
            elif p.granularity == "day":
                e, u = clock.day(d.end), clock.day(eff)
                outcome = "early" if e < u else "on_time" if e == u else "late"
            else:
                outcome = "early" if d.end < eff else "on_time" if d.end == eff else "late"
        else:
            if d.status == 7:
                outcome = "within"                                  # R12 (CHOICE: withdrawn, in progress)
            elif multi:
                outcome = "overdue"
            elif eff is None:
                outcome, no_due = "within", True
            else:
                # R13: waiting on the applicant → the latest open request's instant.
                waiting = [req for req, ans, _ in d.supplements
                           if req < end and (ans is None or ans >= end)]
                ref = max(waiting) if waiting else end - 1          # end of `to`
                if p.granularity == "day":
                    outcome = "within" if clock.day(ref) <= clock.day(eff) else "overdue"
                else:
                    outcome = "within" if ref <= eff else "overdue"
        if no_due:
            run.warnings.append(("no_due_date", f"{d.source}:{d.id}"))
        agency = d.agency if d.agency is not None else d.source      # R16 (CHOICE: name as written)
        cat = p.catalogue.get(d.procedure)
        field = d.field if d.field is not None else (cat.field if cat else "")  # R16
        rday = clock.day(d.received)
        out.append(Classified(d, scope, outcome, agency, field, f"{rday.year:04d}-{rday.month:02d}"))
    return out


# ---------------------------------------------------------------------------------------------
# Figures (§4.1, §4.2, §4.3)
# ---------------------------------------------------------------------------------------------

def new_counts():
    return {c: 0 for c in FIGURE_COLUMNS[:16]}


def add(counts, c: Classified):
    d = c.dossier
    if c.scope == "period":
        if d.channel == "online":
            counts["received_online"] += 1
        else:
            counts["received_inperson_post"] += 1                   # R14: postal goes here
        counts["received"] += 1
        counts["online"] += d.channel == "online"
        counts["postal"] += d.channel == "postal" or d.return_method == "postal"
        counts["digitised"] += d.digitised
    else:
        counts["carried_over"] += 1
    counts["total"] += 1
    key = {"early": "resolved_early", "on_time": "resolved_on_time", "late": "resolved_late",
           "within": "in_progress_within", "overdue": "in_progress_overdue"}[c.outcome]
    counts[key] += 1
    if c.outcome in ("early", "on_time", "late"):
        counts["resolved_total"] += 1
    else:
        counts["in_progress_total"] += 1
    if c.outcome in ("early", "on_time", "within"):
        counts["on_time"] += 1


def fmt_ratio(num: int, den: int) -> str:
    """Half-up to 4 decimals from the exact fraction; empty when den = 0 (R18)."""
    if den == 0:
        return ""
    scaled = (2 * num * 10000 + den) // (2 * den)
    return f"{scaled // 10000}.{scaled % 10000:04d}"


def figure_cells(counts) -> list:
    cells = [str(counts[c]) for c in FIGURE_COLUMNS[:16]]
    cells += [fmt_ratio(counts["online"], counts["received"]),
              fmt_ratio(counts["postal"], counts["received"]),
              fmt_ratio(counts["digitised"], counts["received"]),
              fmt_ratio(counts["on_time"], counts["total"])]
    return cells


def check_identity(counts, where):
    """total = online + in person/post + carried over = resolved + in progress (§4.1)."""
    a = counts["received_online"] + counts["received_inperson_post"] + counts["carried_over"]
    b = counts["resolved_total"] + counts["in_progress_total"]
    if not (counts["total"] == a == b):
        raise AssertionError(f"progress identity fails for {where}: {counts}")


def group_by(items, keyfn):
    groups = {}
    for c in items:
        add(groups.setdefault(keyfn(c), new_counts()), c)
    for k, counts in groups.items():
        check_identity(counts, k)
    return groups  # R15: only groups with an in-scope dossier exist


def procedure_names(run: Run) -> dict:
    """R23: catalogue name; else the name on the winning dossier with the smallest
    (source, dossier id) that has one. CHOICE: any winner (any status, in scope or not)."""
    names = {}
    for d in sorted(run.winners, key=lambda x: (x.source, x.id)):
        if d.procedure not in run.pipeline.catalogue and d.procedure_name and d.procedure not in names:
            names[d.procedure] = d.procedure_name
    for code, entry in run.pipeline.catalogue.items():
        names[code] = entry.name
    return names


# ---------------------------------------------------------------------------------------------
# Scorecard (§4.4, R19–R21)
# ---------------------------------------------------------------------------------------------

def scorecard_lines(run: Run, classified: list, level: Optional[str]) -> list:
    p, clock = run.pipeline, run.clock
    cat = p.catalogue
    procs = [e for e in cat.values() if level is None or e.level == level]       # R19
    offered_online = {e.code for e in procs if e.online != "none"}
    offered_postal = {e.code for e in procs if e.postal}
    mine = [c for c in classified if level is None or c.dossier.level == level]
    received = [c for c in mine if c.scope == "period"]
    online_procs = {c.dossier.procedure for c in received if c.dossier.channel == "online"}
    postal_procs = {c.dossier.procedure for c in received
                    if c.dossier.channel == "postal" or c.dossier.return_method == "postal"}
    # CHOICE (R19, as the acceptance figures have it): the online dossier share counts the
    # level's dossiers of every procedure the catalogue offers online, whatever the procedure's
    # catalogue level; "denominators are catalogue procedures of that level" is read as being
    # about the coverage lines, whose denominators are procedures.
    offered_online_any = {e.code for e in cat.values() if e.online != "none"}
    share = [c for c in received if c.dossier.procedure in offered_online_any]
    on_time = sum(c.outcome in ("early", "on_time", "within") for c in mine)
    digi = []                                                                     # R20
    for c in received:
        eff = p.digitisation_effective.get(c.dossier.level)
        if eff is not None and clock.day(c.dossier.received) >= eff:
            digi.append(c)
    values = {
        "online_procedure_coverage": (len(online_procs & offered_online), len(offered_online)),
        "online_dossier_share": (sum(c.dossier.channel == "online" for c in share), len(share)),
        "postal_procedure_coverage": (len(postal_procs & offered_postal), len(offered_postal)),
        "on_time_rate": (on_time, len(mine)),
        "digitisation_rate": (sum(c.dossier.digitised for c in digi), len(digi)),
    }
    return [scorecard_line(p, name, *values[name]) for name in MEASURES]


def target_text(target: Fraction) -> str:
    """A target as the reduced fraction `n/d` (`n` when whole), as figures.json has always shown it."""
    return str(target.numerator) + (f"/{target.denominator}" if target.denominator != 1 else "")


def gap(num: int, den: int, target: Optional[Fraction]) -> Optional[int]:
    """The smallest number of extra numerator units that meets the target over the same
    denominator: ⌈target × den⌉ − num, at least 0, exact; None when the value is empty or there
    is no target."""
    if den == 0 or target is None:
        return None
    needed = -((-target.numerator * den) // target.denominator)  # ceiling, in integers
    return max(0, needed - num)


def scorecard_line(p: Pipeline, name: str, num: int, den: int) -> dict:
    """One line: value (4-decimal text or None), exact num/den, target, met (R21) and gap."""
    target = p.targets[name][0] if name in p.targets else None
    met = None
    if den != 0 and target is not None:
        met = Fraction(num, den) >= target                                        # R21
    return {
        "name": name, "value": fmt_ratio(num, den) or None, "numerator": num, "denominator": den,
        "target": target_text(target) if target is not None else None,
        "met": met, "gap": gap(num, den, target),
    }


def agency_scorecards(run: Run, classified: list) -> dict:
    """Per-agency scorecard (docs/figures.md, "Per-agency scorecard"): the province's lines over
    each agency's dossiers, on the province's basis, except that the coverage denominators are the
    catalogue procedures of the kind the agency received at least one dossier for in the period.

    Each line carries `dossiers` (what it rests on: the denominator of a dossier ratio; for
    coverage, the dossiers received for the procedures in the denominator) and `rank`, 1 for the
    best value among agencies whose line rests on at least `report.minDossiers` dossiers, equal
    values sharing a rank (CHOICE: competition ranking, 1, 1, 3); the others have rank None and
    `too_few_dossiers` true.

    Returns {agency: {"dossiers": in-scope dossiers, "lines": [line…]}} for every agency with an
    in-scope dossier (R15), in agency order.
    """
    p, clock, cat = run.pipeline, run.clock, run.pipeline.catalogue
    offered_online = {e.code for e in cat.values() if e.online != "none"}
    offered_postal = {e.code for e in cat.values() if e.postal}
    by_agency = {}
    for c in classified:
        by_agency.setdefault(c.agency, []).append(c)
    cards = {}
    for agency in sorted(by_agency):
        mine = by_agency[agency]
        received = [c for c in mine if c.scope == "period"]
        received_procs = {c.dossier.procedure for c in received}
        online_den = received_procs & offered_online
        postal_den = received_procs & offered_postal
        online_num = {c.dossier.procedure for c in received if c.dossier.channel == "online"} & online_den
        postal_num = {c.dossier.procedure for c in received
                      if c.dossier.channel == "postal" or c.dossier.return_method == "postal"} & postal_den
        online_dossiers = [c for c in received if c.dossier.procedure in online_den]
        postal_dossiers = [c for c in received if c.dossier.procedure in postal_den]
        digi = [c for c in received
                if p.digitisation_effective.get(c.dossier.level) is not None
                and clock.day(c.dossier.received) >= p.digitisation_effective[c.dossier.level]]
        on_time = sum(c.outcome in ("early", "on_time", "within") for c in mine)
        values = {  # name -> (numerator, denominator, dossiers the line rests on)
            "online_procedure_coverage": (len(online_num), len(online_den), len(online_dossiers)),
            "online_dossier_share": (sum(c.dossier.channel == "online" for c in online_dossiers),
                                     len(online_dossiers), len(online_dossiers)),
            "postal_procedure_coverage": (len(postal_num), len(postal_den), len(postal_dossiers)),
            "on_time_rate": (on_time, len(mine), len(mine)),
            "digitisation_rate": (sum(c.dossier.digitised for c in digi), len(digi), len(digi)),
        }
        lines = []
        for name in MEASURES:
            num, den, n = values[name]
            line = scorecard_line(p, name, num, den)
            line["dossiers"] = n
            lines.append(line)
        cards[agency] = {"dossiers": len(mine), "lines": lines}
    for i, _name in enumerate(MEASURES):
        ranked = {a: Fraction(card["lines"][i]["numerator"], card["lines"][i]["denominator"])
                  for a, card in cards.items()
                  if card["lines"][i]["denominator"] > 0 and card["lines"][i]["dossiers"] >= p.min_dossiers}
        for a, card in cards.items():
            line = card["lines"][i]
            if a in ranked:
                line["rank"] = 1 + sum(v > ranked[a] for v in ranked.values())
                line["too_few_dossiers"] = False
            else:
                line["rank"] = None
                line["too_few_dossiers"] = True
    return cards


# ---------------------------------------------------------------------------------------------
# Outputs (§5)
# ---------------------------------------------------------------------------------------------

def csv_line(cells) -> str:
    """RFC 4180: quote only fields containing , \" CR or LF."""
    out = []
    for cell in cells:
        cell = "" if cell is None else str(cell)
        if any(ch in cell for ch in ',"\r\n'):
            cell = '"' + cell.replace('"', '""') + '"'
        out.append(cell)
    return ",".join(out) + "\n"


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_line(header))
        for row in rows:
            fh.write(csv_line(row))


def write_outputs(run: Run, classified: list, out_dir: str):
    os.makedirs(out_dir, exist_ok=True)
    p = run.pipeline

    # progress.csv: province, level, field, agency, procedure; each by key (str order).
    rows = []
    prov = group_by(classified, lambda c: "ALL")
    for k, counts in prov.items():
        rows.append(["province", k] + figure_cells(counts))
    for dim, keyfn in (("level", lambda c: c.dossier.level), ("field", lambda c: c.field),
                       ("agency", lambda c: c.agency), ("procedure", lambda c: c.dossier.procedure)):
        groups = group_by(classified, keyfn)
        for k in sorted(groups):
            rows.append([dim, k] + figure_cells(groups[k]))
    write_csv(os.path.join(out_dir, "progress.csv"), ["dimension", "key"] + FIGURE_COLUMNS, rows)

    names = procedure_names(run)
    groups = group_by(classified, lambda c: (c.agency, c.dossier.procedure))
    # With an agency register, the agency's name follows its code (empty when the register lacks it).
    register = p.agency_names
    # It is the last key column, so the contract's columns keep their places.
    name_of = (lambda a: [register.get(a, "")]) if register is not None else (lambda a: [])
    name_column = ["agency_name"] if register is not None else []
    write_csv(os.path.join(out_dir, "procedures.csv"),
              ["agency", "procedure", "procedure_name"] + name_column + FIGURE_COLUMNS,
              [[a, pr, names.get(pr, "")] + name_of(a) + figure_cells(groups[(a, pr)]) for a, pr in sorted(groups)])

    groups = group_by(classified, lambda c: (c.agency, c.dossier.level))
    write_csv(os.path.join(out_dir, "agencies.csv"), ["agency", "level"] + name_column + FIGURE_COLUMNS,
              [[a, lv] + name_of(a) + figure_cells(groups[(a, lv)]) for a, lv in sorted(groups)])

    if p.monthly:
        groups = group_by(classified, lambda c: c.month)                         # R17
        write_csv(os.path.join(out_dir, "monthly.csv"), ["month"] + FIGURE_COLUMNS,
                  [[m] + figure_cells(groups[m]) for m in sorted(groups)])

    write_csv(os.path.join(out_dir, "rejects.csv"), ["file", "line", "dossier_id", "field", "reason"],
              sorted(run.rejects, key=lambda r: (r[0], r[1])))

    by_reason = {}
    for r in run.rejects:
        by_reason[r[4]] = by_reason.get(r[4], 0) + 1
    not_accepted = sum(d.status in (1, 3) for d in run.winners)
    kept = len(run.winners) - not_accepted
    assert run.records_read == len(run.rejects) + run.superseded + not_accepted + kept  # R7
    # CHOICE (as the acceptance figures have it): the unknown-procedure and missing-agency
    # warnings are about every kept dossier (accepted winner, R7), in scope or not; the
    # no-due-date warning only about in-scope dossiers that reach the R12 "no due date" branch.
    unknown, missing_agency = {}, []
    for d in run.winners:
        if d.status in (1, 3):
            continue
        if d.procedure not in p.catalogue:
            unknown[d.procedure] = unknown.get(d.procedure, 0) + 1
        if d.agency is None:
            missing_agency.append(f"{d.source}:{d.id}")
    warn = {k: sorted(s for kk, s in run.warnings if kk == k)
            for k in ("no_due_date", "export_time_from_mtime")}
    figures = {
        "pipeline": p.name,
        "period": {"from": p.period_from.isoformat(), "to": p.period_to.isoformat()},
        "accounting": {
            "records_read": run.records_read,
            "rejected": len(run.rejects),
            "rejected_by_reason": dict(sorted(by_reason.items())),
            "superseded": run.superseded,
            "not_accepted": not_accepted,
            "kept": kept,
            "files": [{"path": f, "source": s, "status": st} for f, s, st in sorted(run.files)],
            "failed_files": sorted(f for f, _m, _l in run.failed),
        },
        "warnings": {
            "no_due_date": warn["no_due_date"],
            "unknown_procedure": dict(sorted(unknown.items())),
            "missing_agency": sorted(missing_agency),
            "export_time_from_mtime": warn["export_time_from_mtime"],
        },
        "scorecard": {
            "province": scorecard_lines(run, classified, None),
            "by_level": {lv: scorecard_lines(run, classified, lv) for lv in LEVELS},
            "by_agency": agency_scorecards(run, classified),
        },
    }
    with open(os.path.join(out_dir, "figures.json"), "w", encoding="utf-8", newline="\n") as fh:
        json.dump(figures, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return figures


DOSSIER_COLUMNS = [
    "source", "dossier_id", "agency", "level", "procedure", "field", "channel", "return_method", "status",
    "received", "due", "effective_due", "ended", "supplement_requests", "digitised", "postal", "scope", "class",
    "days_late",
]
CLASS_NAMES = {"early": "resolved_early", "on_time": "resolved_on_time", "late": "resolved_late",
               "within": "in_progress_within", "overdue": "in_progress_overdue"}
STATUS_BY_NUMBER = {n: name for name, n in STATUS_NAMES.items()}


def iso_instant(clock: Clock, ts: Optional[int]) -> str:
    """ISO 8601 in the pipeline's timezone with its offset (`2022-03-04T08:30:00+07:00`); empty for none."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, clock.tz).isoformat(timespec="seconds")


def days_late(clock: Clock, p: Pipeline, c: Optional[Classified], eff: Optional[int]) -> str:
    """Local calendar days from the effective due day to the end's day (resolved late) or to `to`
    (in progress overdue), at least 0; empty for every other class and when there is no
    effective due date (late only by the more-than-one-supplement rule, R12)."""
    if c is None or c.outcome not in ("late", "overdue") or eff is None:
        return ""
    last = clock.day(c.dossier.end) if c.outcome == "late" else p.period_to
    return str(max(0, (last - clock.day(eff)).days))


def dossier_rows(run: Run, classified: list) -> list:
    """`dossiers.csv` rows: every kept dossier (accepted winner, R7), in scope or not, sorted by
    (source, dossier id), with the columns of DOSSIER_COLUMNS (docs/figures.md, "Drill-down")."""
    p, clock = run.pipeline, run.clock
    by_key = {(c.dossier.source, c.dossier.id): c for c in classified}
    rows = []
    for d in sorted(run.winners, key=lambda x: (x.source, x.id)):
        if d.status in (1, 3):
            continue
        c = by_key.get((d.source, d.id))
        cat = p.catalogue.get(d.procedure)
        eff = effective_due(d)
        rows.append([
            d.source, d.id,
            d.agency if d.agency is not None else d.source,                      # R16, as the figures
            d.level, d.procedure,
            d.field if d.field is not None else (cat.field if cat else ""),       # R16
            d.channel, d.return_method, STATUS_BY_NUMBER[d.status],
            iso_instant(clock, d.received), iso_instant(clock, d.due), iso_instant(clock, eff),
            iso_instant(clock, d.end), str(len(d.supplements)),
            "1" if d.digitised else "0",
            "1" if d.channel == "postal" or d.return_method == "postal" else "0",  # R14: either way
            c.scope if c else "", CLASS_NAMES[c.outcome] if c else "out_of_scope",
            days_late(clock, p, c, eff),
        ])
    return rows


def write_dossiers(run: Run, classified: list, path: str):
    write_csv(path, DOSSIER_COLUMNS, dossier_rows(run, classified))


def decimal_text(f: Fraction) -> str:
    """A non-negative fraction as decimal text: exact when it terminates (every target written as
    a decimal or a percentage does), else Python's shortest float text."""
    den = f.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den != 1:
        return repr(f.numerator / f.denominator)
    whole, rest = divmod(f.numerator, f.denominator)
    digits = ""
    while rest:
        rest *= 10
        digits += str(rest // f.denominator)
        rest %= f.denominator
    return f"{whole}.{digits}" if digits else str(whole)


FIGURES_COLUMNS = ["period_from", "period_to", "scope", "dimension", "key", "measure", "numerator",
                   "denominator", "value", "target", "met"]
RATIO_PARTS = {"online_share": ("online", "received"), "postal_share": ("postal", "received"),
               "digitisation_rate": ("digitised", "received"), "on_time_rate": ("on_time", "total")}


def figures_rows(run: Run, classified: list, figures: dict) -> list:
    """`figures.csv` rows (docs/figures.md, "figures.csv"): scope `progress` — the groups of
    progress.csv in its order, then procedures.csv (`agency_procedure`, `AGENCY|PROCEDURE`),
    agencies.csv (`agency_level`, `AGENCY|level`) and every month, each times every figure column
    in column order — then scope `scorecard`: province (`ALL`), each level (province, district,
    commune), each agency in code order, each in measure order.

    CHOICE where the rules are silent: that row order; months are listed whether or not
    monthly.csv is written; a target is its exact decimal (`0.999`), met `true`/`false`, empty
    when None."""
    p = run.pipeline
    head = [p.period_from.isoformat(), p.period_to.isoformat()]
    rows = []

    def progress(dimension, key, counts):
        for column in FIGURE_COLUMNS[:16]:
            rows.append(head + ["progress", dimension, key, column, counts[column], "", counts[column], "", ""])
        for column, (num, den) in RATIO_PARTS.items():
            rows.append(head + ["progress", dimension, key, column, counts[num], counts[den],
                                fmt_ratio(counts[num], counts[den]), "", ""])

    for k, counts in group_by(classified, lambda c: "ALL").items():
        progress("province", k, counts)
    for dim, keyfn in (("level", lambda c: c.dossier.level), ("field", lambda c: c.field),
                       ("agency", lambda c: c.agency), ("procedure", lambda c: c.dossier.procedure)):
        groups = group_by(classified, keyfn)
        for k in sorted(groups):
            progress(dim, k, groups[k])
    groups = group_by(classified, lambda c: (c.agency, c.dossier.procedure))
    for a, pr in sorted(groups):
        progress("agency_procedure", f"{a}|{pr}", groups[(a, pr)])
    groups = group_by(classified, lambda c: (c.agency, c.dossier.level))
    for a, lv in sorted(groups):
        progress("agency_level", f"{a}|{lv}", groups[(a, lv)])
    groups = group_by(classified, lambda c: c.month)                              # R17
    for m in sorted(groups):
        progress("month", m, groups[m])

    def scorecard(dimension, key, lines):
        for line in lines:
            target = p.targets.get(line["name"])
            met = line["met"]
            rows.append(head + ["scorecard", dimension, key, line["name"], line["numerator"], line["denominator"],
                                line["value"] or "", decimal_text(target[0]) if target else "",
                                "" if met is None else "true" if met else "false"])

    card = figures["scorecard"]
    scorecard("province", "ALL", card["province"])
    for lv in LEVELS:
        scorecard("level", lv, card["by_level"][lv])
    for agency, entry in card["by_agency"].items():
        scorecard("agency", agency, entry["lines"])
    return rows


def write_figures_csv(run: Run, classified: list, figures: dict, path: str):
    write_csv(path, FIGURES_COLUMNS, figures_rows(run, classified, figures))


def exit_code(run: Run) -> int:
    """§6: 65 when a file failed or the reject rate passed maxRejectRate."""
    if run.failed:
        return EX_DATAERR
    rate = run.pipeline.max_reject_rate
    if rate is not None and run.records_read and Fraction(len(run.rejects), run.records_read) > rate:
        return EX_DATAERR
    return EX_OK


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Independent oracle for onestop (SPEC §3–§5).")
    ap.add_argument("pipeline", help="pipeline YAML file")
    ap.add_argument("--out", required=True, help="directory to write the expected outputs into")
    ap.add_argument("--dossiers", action="store_true",
                    help="also write dossiers.csv: one row per kept dossier, as `onestop run --dossiers`")
    args = ap.parse_args(argv)
    try:
        pipeline = load_pipeline(args.pipeline)
    except ConfigError as exc:
        print(f"oracle: {exc}", file=sys.stderr)
        return EX_CONFIG
    run = ingest(pipeline)
    if not run.files:
        print("oracle: no input files", file=sys.stderr)
        return EX_NOINPUT
    classified = classify(run)
    figures = write_outputs(run, classified, args.out)
    write_figures_csv(run, classified, figures, os.path.join(args.out, "figures.csv"))
    if args.dossiers:
        write_dossiers(run, classified, os.path.join(args.out, "dossiers.csv"))
    code = exit_code(run)
    a = figures["accounting"]
    print(f"oracle: {a['records_read']} read, {a['rejected']} rejected, {a['superseded']} superseded, "
          f"{a['not_accepted']} not accepted, {a['kept']} kept, {len(a['failed_files'])} failed file(s); "
          f"exit {code}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
