#!/usr/bin/env python3
"""Check every planted demo dossier (Fixtures/demo/planted.json) against the oracle.

    python3 Fixtures/tools/check_planted.py [Pipelines/demo.yaml]

For each planted case, `expect` is `<class>/<scope>` (resolved_early/period, in_progress_overdue/carried…),
`not_accepted`, `out_of_scope` or `rejected:<reason>`. Exit 1 on any mismatch.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle  # noqa: E402

NAMES = {"early": "resolved_early", "on_time": "resolved_on_time", "late": "resolved_late",
         "within": "in_progress_within", "overdue": "in_progress_overdue"}


def main():
    pipeline_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../Pipelines/demo.yaml")
    planted = json.load(open(os.path.join(HERE, "../demo/planted.json"), encoding="utf-8"))
    p = oracle.load_pipeline(pipeline_path)
    run = oracle.ingest(p)
    classified = {(c.dossier.source, c.dossier.id): c for c in oracle.classify(run)}
    winners = {(d.source, d.id): d for d in run.winners}
    rejects = run.rejects
    bad = 0
    for case in planted:
        key = (case["source"], case["dossier_id"])
        exp = case["expect"]
        if exp.startswith("rejected:"):
            reason = exp[len("rejected:"):]
            hits = [r for r in rejects if r[2] == case["dossier_id"] and r[4] == reason
                    and r[0].split("/")[-1] in case["files"]]
            got = f"rejected:{reason}" if hits else "not rejected"
        elif exp == "not_accepted":
            d = winners.get(key)
            got = "not_accepted" if d is not None and d.status in (1, 3) else f"winner status {d and d.status}"
        else:
            c = classified.get(key)
            if c is None:
                got = "out_of_scope" if key in winners else "missing"
            else:
                got = f"{NAMES[c.outcome]}/{c.scope}"
            if "rejected" in case["case"] and not any(r[2] == case["dossier_id"] for r in rejects):
                got += " (but no reject row for its newest version)"
        if got != exp:
            bad += 1
            print(f"MISMATCH {case['case']} {key}: expected {exp}, oracle {got}")
    print(f"{len(planted)} planted cases checked, {bad} mismatch(es)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
