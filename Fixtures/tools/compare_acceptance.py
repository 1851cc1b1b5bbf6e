#!/usr/bin/env python3
"""Compare the oracle's outputs with the shared acceptance figures.

    python3 Fixtures/tools/oracle.py Pipelines/acceptance-2022.yaml --out /tmp/acc --dossiers
    python3 Fixtures/tools/compare_acceptance.py /tmp/acc [ACCEPTANCE_DIR]

Checks every progress row of every dimension of expected.json (province, level, field, agency,
agency_procedure, procedure, month: counts, numerators, denominators), the scorecard lines,
the accounting, expected-rejects.csv and expected-dossiers.csv. Prints every difference;
exit 1 when there is one.
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.normpath(os.path.join(HERE, "../../../shared/acceptance/dvcqg-2022-small"))


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def main():
    out = sys.argv[1]
    acc = sys.argv[2] if len(sys.argv) > 2 else DEFAULT
    exp = json.load(open(os.path.join(acc, "expected.json"), encoding="utf-8"))
    figures = json.load(open(os.path.join(out, "figures.json"), encoding="utf-8"))
    diffs = []

    # Progress rows.
    progress = read_csv(os.path.join(out, "progress.csv"))
    mine = {}
    for r in progress:
        dim = {"province": "province"}.get(r["dimension"], r["dimension"])
        key = "all" if r["dimension"] == "province" else r["key"]
        mine[(dim, key)] = r
    for r in read_csv(os.path.join(out, "procedures.csv")):
        mine[("agency_procedure", r["agency"] + "|" + r["procedure"])] = r
    if os.path.exists(os.path.join(out, "monthly.csv")):
        for r in read_csv(os.path.join(out, "monthly.csv")):
            mine[("month", r["month"])] = r
    checked = 0
    for dim, rows in exp["progress"].items():
        mine_keys = {k for (d, k) in mine if d == dim}
        for key in sorted(set(rows) ^ mine_keys):
            diffs.append(f"progress {dim}/{key}: only in {'expected' if key in rows else 'oracle'}")
        for key, e in rows.items():
            m = mine.get((dim, key))
            if m is None:
                continue
            checked += 1
            want = {c: e[c] for c in e if type(e[c]) is int and c != "on_time_num"}
            want["on_time"] = e["on_time_num"]
            for ratio, v in e["ratios"].items():
                if m[ratio] != v["value_4dp"]:
                    diffs.append(f"progress {dim}/{key} {ratio}: expected {v['value_4dp']!r}, oracle {m[ratio]!r}")
            for c, v in want.items():
                if str(v) != m[c]:
                    diffs.append(f"progress {dim}/{key} {c}: expected {v}, oracle {m[c]}")

    # Scorecard.
    def lines(x):
        return {ln["name"]: ln for ln in x}
    pairs = [("province", exp["scorecard"]["province"], figures["scorecard"]["province"])]
    for lv, ls in exp["scorecard"]["by_level"].items():
        pairs.append((lv, ls, figures["scorecard"]["by_level"][lv]))
    for where, e_lines, m_lines in pairs:
        ml = lines(m_lines)
        for e in e_lines:
            m = ml[e["name"]]
            if (e["num"], e["den"], e["met"]) != (m["numerator"], m["denominator"], m["met"]):
                diffs.append(f"scorecard {where}/{e['name']}: expected {e['num']}/{e['den']} met={e['met']}, "
                             f"oracle {m['numerator']}/{m['denominator']} met={m['met']}")

    # Accounting.
    ea, ma = exp["accounting"], figures["accounting"]
    for k in ("records_read", "rejected", "rejected_by_reason", "superseded", "not_accepted", "kept"):
        if ea[k] != ma[k]:
            diffs.append(f"accounting {k}: expected {ea[k]}, oracle {ma[k]}")
    if sorted(f["path"] for f in ea["failed_files"]) != ma["failed_files"]:
        diffs.append(f"failed files: expected {ea['failed_files']}, oracle {ma['failed_files']}")

    # Warnings.
    ew, mw = exp["warnings"], figures["warnings"]
    if sorted(ew["no_due_date_ids"]) != mw["no_due_date"]:
        diffs.append(f"no_due_date warnings: expected {ew['no_due_date_ids']}, oracle {mw['no_due_date']}")
    if ew["unknown_procedures"] != mw["unknown_procedure"]:
        diffs.append(f"unknown procedures: expected {ew['unknown_procedures']}, oracle {mw['unknown_procedure']}")
    if ew["missing_agency"] != len(mw["missing_agency"]):
        diffs.append(f"missing agency: expected {ew['missing_agency']}, oracle {len(mw['missing_agency'])}")

    # Rejects, byte for byte.
    e_rej = open(os.path.join(acc, "expected-rejects.csv"), encoding="utf-8").read()
    m_rej = open(os.path.join(out, "rejects.csv"), encoding="utf-8").read()
    if e_rej != m_rej:
        diffs.append("rejects.csv differs from expected-rejects.csv")

    # Per-dossier classes.
    dpath = os.path.join(out, "dossiers.csv")
    if os.path.exists(dpath):
        e_d = {(r["source"], r["id"]): (r["class"], r["scope"]) for r in read_csv(os.path.join(acc, "expected-dossiers.csv"))}
        m_d = {(r["source"], r["dossier_id"]): (r["class"], r["scope"]) for r in read_csv(dpath)}
        for k in sorted(set(e_d) | set(m_d)):
            if e_d.get(k) != m_d.get(k):
                diffs.append(f"dossier {k[0]}:{k[1]}: expected {e_d.get(k)}, oracle {m_d.get(k)}")

    for d in diffs:
        print(d)
    print(f"{checked} progress rows compared; {len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
