"""The profile summary of `make bench`: where a run's CPU goes, by stage, from `perf record`.

One run is sampled (`perf record -g`, cpu-clock at 999 Hz per thread, frame-pointer call chains)
and each sample is given to the first frame, from the sampled one up, that names a stage:

  libxml2            the parse itself (any frame in libxml2: what a bare parse also pays)
  zlib               inflating gzip exports
  SHA-256            the files' audit hash (summary.json)
  reading            read(2), read-ahead threads, chunk hand-over, gzip framing
  SAX callbacks      collecting the mapped values (ParseSession)
  pack               the record rules: codes, value maps, dates, packing (RecordPacker, …)
  commit             deduplication (DossierStore)
  account, partial, assemble, render + sink   the stages after the read
  kernel, other      what no frame names (kernel work outside a read; libc or the Swift
                     runtime where the call chain is cut, e.g. below libxml2, built without
                     frame pointers)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

LIBXML2 = "libxml2 (the parse itself)"
ZLIB = "zlib (inflate)"
HASH = "SHA-256 of each file"
# Checked in this order on each frame, from the sampled one up; the first match names the sample.
STAGES = [
    ("reading (read(2), read-ahead threads)", ["ReadAhead", "ChunkSource", "FileInput", "GzipInflater",
                                               "SplitReading", "FileSplit", "parse_file"]),
    ("SAX callbacks (collect mapped values)", ["ParseSession", "FlatTrie", "RawRecordView", "RecordBatch"]),
    ("commit (deduplication store)", ["DossierStore", "SipHashKey"]),
    # DossierTable, StringTable and the text helpers serve several stages: their callers decide.
    ("pack (record rules, codes, dates)", ["RecordPacker", "RecordNormaliser", "DateParser", "FileVersions",
                                           "ByteKeyedCache", "PackingQueue", "FileProcessor"]),
    ("account", ["AccountStage"]),
    ("assemble", ["assembled", "AssembleStage", "PartialMerger", "RunReport"]),
    ("partial (aggregation)", ["Aggregator", "PartialStage", "CounterMap", "Classifier", "PartialAggregation",
                               "ScorecardTally", "DossierRowSource", "FigureTally"]),
    ("render + sink (output files)", ["OutputRenderers", "OutputPublisher", "FiguresTable", "CSVWriter",
                                      "OutputSet", "HTMLReport", "SummaryJSON", "OutputWriter", "DirectorySink",
                                      "BarChart", "Workbook", "DossierRows"]),
    ("read stage, other", ["ReadStage", "RunCollector", "ExportReader"]),
]
KERNEL = "kernel, elsewhere"
OTHER = "other (libc, Swift runtime: caller not known)"
ORDER = [LIBXML2, ZLIB, HASH] + [label for label, _ in STAGES] + [KERNEL, OTHER]


@dataclass
class Profile:
    label: str
    records: int
    total_ns: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)

    def seconds(self, stage: str) -> float:
        return self.by_stage.get(stage, 0) / 1e9


def available() -> str | None:
    """The perf binary when `perf record` works here (it needs perf_event access), else None."""
    perf = shutil.which("perf")
    if not perf:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([perf, "record", "-e", "cpu-clock", "-o", os.path.join(scratch, "p.data"), "--", "true"],
                              capture_output=True, text=True)
        return perf if done.returncode == 0 else None


def classify(frames: list[tuple[str, str]]) -> str:
    for symbol, dso in frames:
        if "libxml2" in dso:
            return LIBXML2
        if "libz.so" in dso:
            return ZLIB
        if "sha256" in symbol.lower():
            return HASH
        for label, patterns in STAGES:
            if any(pattern in symbol for pattern in patterns):
                return label
    if frames and "kernel" in frames[0][1]:
        return KERNEL
    return OTHER


def record(perf: str, command: list[str], label: str, records: int, scratch: str) -> Profile:
    """Runs `command` under `perf record -g` and sums its samples by stage."""
    data = os.path.join(scratch, "perf.data")
    subprocess.run([perf, "record", "-g", "-F", "999", "-e", "cpu-clock", "-o", data, "--", *command],
                   check=True, capture_output=True, text=True)
    script = subprocess.Popen([perf, "script", "-i", data, "-F", "tid,period,ip,sym,dso"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, errors="replace")
    profile = Profile(label, records)
    period = 0
    frames: list[tuple[str, str]] = []

    def close() -> None:
        if period:
            stage = classify(frames)
            profile.by_stage[stage] = profile.by_stage.get(stage, 0) + period
            profile.total_ns += period

    for line in script.stdout:
        if not line.strip():
            continue
        if not line.startswith("\t"):  # a sample: "tid period"; its frames follow, one per line
            close()
            frames = []
            try:
                period = int(line.split()[1])
            except (ValueError, IndexError):
                period = 0
            continue
        # "\t  addr symbol (dso)"
        text = line.strip()
        parts = text.split(" ", 1)
        rest = parts[1] if len(parts) > 1 else ""
        dso = rest[rest.rfind("(") + 1:-1] if rest.endswith(")") else ""
        symbol = rest[:rest.rfind("(")].strip() if rest.endswith(")") else rest
        frames.append((symbol, dso))
    close()
    script.wait()
    os.remove(data)
    return profile


def table(profiles: list[Profile], bare_cpu: dict[str, float]) -> list[str]:
    """A Markdown table: per stage, CPU seconds and ns per record of each profiled run."""
    head = "| where the CPU goes | " + " | ".join(f"{p.label} CPU s | ns/record" for p in profiles) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(profiles)]
    for stage in ORDER:
        if not any(p.by_stage.get(stage) for p in profiles):
            continue
        cells = []
        for p in profiles:
            seconds = p.seconds(stage)
            cells.append(f"{seconds:.2f} | {seconds * 1e9 / max(p.records, 1):,.0f}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    beyond = []
    for p in profiles:
        extra = (p.total_ns - p.by_stage.get(LIBXML2, 0)) / 1e9
        beyond.append(f"**{extra:.2f}** | **{extra * 1e9 / max(p.records, 1):,.0f}**")
    lines.append("| **beyond libxml2** | " + " | ".join(beyond) + " |")
    lines.append("| whole run (sampled) | " + " | ".join(
        f"{p.total_ns / 1e9:.2f} | {p.total_ns / max(p.records, 1):,.0f}" for p in profiles) + " |")
    if bare_cpu:
        lines.append("| bare parse of the same files (rawparse, median CPU s of the timed runs) | " + " | ".join(
            f"{bare_cpu[p.label]:.2f} | {bare_cpu[p.label] * 1e9 / max(p.records, 1):,.0f}" if p.label in bare_cpu
            else "– | –" for p in profiles) + " |")
    return lines
