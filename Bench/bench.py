#!/usr/bin/env python3
"""`make bench`: onestop's throughput, CPU and memory against libxml2's own limit (docs/contract.md §7, issue 14).

Generates (and caches under .build-bench-data/) the sets of Bench/bench_data.py — A (≥ 1 GB of
dvcqg XML, 32 files), A.gz, short and long records, B (4 × A's records, A's dossiers), S (one
file), P (a province-year: 2 M dossiers, ≈ 4 GB in 48 files) and a file of 200,000 distinct codes
— then runs, on each set, interleaved (every command once, then every command again, …), with
/usr/bin/time -f '%e %M %U %S' (wall s, peak RSS, user and system CPU):

  raw SAX2 ×N   Bench/rawparse.c --jobs N: N bare libxml2 SAX2 push parses at once, each over its
                share of the files (split by size), counting records and nothing else — the
                floor: the most N cores can do with this parser
  xmllint       xmllint --stream --noout (libxml2's reader), on A
  onestop ×N    onestop run <generated pipeline> --jobs N, N = 1, 2 … nproc (P: nproc only)
  --dossiers    on A, the same run also writing dossiers.csv
  shards        on A, onestop run --shard I/4 --partial FILE for each shard, then onestop merge;
                its output must be byte-identical to the single run's
  codes         onestop run over the distinct-codes file, and over the same records with shared codes

Times and CPU are medians of --reps runs (default 3), peak RSS the highest. Ratios are the median
of the ratios of runs measured one after the other (they share the machine's load). Then one run
of each profiled set under `perf record` gives the profile summary (Bench/bench_profile.py).

Prints Markdown tables and the checks as PASS/FAIL lines (paste-ready for README "Performance"):

  floor         onestop run --jobs N ≥ 0.8 × the throughput of N bare parses at once (every set
                of several files, N = 1 … nproc)
  CPU           user + system CPU of a run ≤ 1.25 × the CPU of one bare parse of the same files
  province-year P, --jobs nproc: under 10 s, peak RSS within docs/contract.md §7's bound
  memory        every run within 64 MB + 150 B per distinct dossier kept or held for a file being read

The checks are informational: the script exits 0 unless a command failed or counted wrong.

  python3 Bench/bench.py                      # the full run (≈ 10 GB of data cached, 4 GB more while it runs)
  python3 Bench/bench.py --smoke              # tiny data, debug build, one run each: seconds
  BENCH_REPS=5 python3 Bench/bench.py
  BENCH_ONLY=A,short python3 Bench/bench.py   # some sets only, for a quick look while optimising
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import bench_profile
import sinks  # Bench/sinks.py: the databases table (issue 13)
from bench_common import (MEMORY_BASE, MEMORY_PER_DOSSIER, RECORD_PATH, ROOT, Measure, Runs, describe_machine,
                          find_tool, load_average, log, measure, megabytes, paired_median, run, same_outputs)
from bench_data import CodesFiles, DataSet, bytes_per_record, prepare, prepare_codes
from bench_hostile import hostile_checks

FLOOR = 0.8
CPU_LIMIT = 1.25
PROVINCE_YEAR_SECONDS = 10.0
ALL_SETS = "A,A.gz,short,long,B,S,P,codes,DB"
# What one distinct agency or procedure code may cost beyond the contract's bound (docs/contract.md §7):
# its figures' rows, names and monthly counters; measured at 0.6–1.3 KB (make bench: 1,267 B).
BYTES_PER_DISTINCT_CODE = 2048


def build_onestop(config: str) -> str:
    log(f"building onestop ({config})")
    run(["swift", "build", "-c", config, "--product", "onestop"], cwd=ROOT, stdout=sys.stderr)
    bin_path = run(["swift", "build", "-c", config, "--show-bin-path"], cwd=ROOT, capture_output=True).stdout.strip()
    return os.path.join(bin_path, "onestop")


def build_rawparse(folder: str) -> str | None:
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("clang") or shutil.which("gcc")
    if compiler is None or shutil.which("pkg-config") is None:
        log("no C compiler or pkg-config: the raw SAX2 rows are left out")
        return None
    source = os.path.join(ROOT, "Bench", "rawparse.c")
    binary = os.path.join(folder, "rawparse")
    if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(source):
        return binary
    os.makedirs(folder, exist_ok=True)
    flags = run(["pkg-config", "--cflags", "--libs", "libxml-2.0", "zlib"], capture_output=True).stdout.split()
    run([compiler, "-O2", "-o", binary, source, *flags, "-lpthread"])
    return binary


# ------------------------------------------------------------------------------------------
# What runs
# ------------------------------------------------------------------------------------------

@dataclass
class Row:
    run: str
    data: DataSet
    command: list[str]
    kind: str  # raw, xmllint, onestop, dossiers, shards
    jobs: int = 0
    runs: Runs = field(default_factory=Runs)
    split: "Split | None" = None

    @property
    def out(self) -> str | None:
        return self.command[self.command.index("--out") + 1] if "--out" in self.command else None

    def mb_per_s(self, seconds: float | None = None) -> float:
        return self.data.xml_bytes / 1e6 / (seconds or self.runs.seconds)


@dataclass
class Split:
    """N shards (`onestop run --shard I/N`) and their merge, measured one command at a time."""
    shards: int
    jobs: int
    onestop: str
    pipeline: str
    folder: str  # partials and the merged output go here
    single_out: str  # the single run whose output the merge must equal
    shard_runs: list[Runs] = field(default_factory=list)
    merge_runs: Runs = field(default_factory=Runs)
    partial_bytes: list[int] = field(default_factory=list)

    def partial(self, index: int) -> str:
        return os.path.join(self.folder, f"shard-{index}.partial")

    @property
    def merged_out(self) -> str:
        return os.path.join(self.folder, "merged")

    def run_once(self, time_bin: str | None) -> Measure:
        """Every shard, then the merge; the sum of their times and CPU, the highest shard RSS."""
        shutil.rmtree(self.folder, ignore_errors=True)
        os.makedirs(self.folder)
        if not self.shard_runs:
            self.shard_runs = [Runs() for _ in range(self.shards)]
        shards: list[Measure] = []
        for index in range(1, self.shards + 1):
            result, _ = measure([self.onestop, "run", self.pipeline, "--shard", f"{index}/{self.shards}",
                                 "--partial", self.partial(index), "--jobs", str(self.jobs), "--quiet"], time_bin)
            self.shard_runs[index - 1].add(result)
            shards.append(result)
        merge, _ = measure([self.onestop, "merge", self.pipeline,
                            *[self.partial(i) for i in range(1, self.shards + 1)], "--quiet", "--history", "none",
                            "--out", self.merged_out],
                           time_bin)
        self.merge_runs.add(merge)
        self.partial_bytes = [os.path.getsize(self.partial(i)) for i in range(1, self.shards + 1)]
        return Measure(sum(m.seconds for m in shards) + merge.seconds, max(m.rss_kb for m in shards),
                       sum(m.cpu_seconds for m in shards) + merge.cpu_seconds)


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, debug build, one run each (seconds)")
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")),
                        help="runs per measurement; medians count (default 3, BENCH_REPS)")
    parser.add_argument("--size-mb", type=float, default=float(os.environ.get("BENCH_SIZE_MB", "1080")),
                        help="XML size of set A in MB (default 1080: ≥ 1 GiB; BENCH_SIZE_MB)")
    parser.add_argument("--data", default=os.environ.get("BENCH_DATA", os.path.join(ROOT, ".build-bench-data")),
                        help="cache folder for the generated data (default .build-bench-data/)")
    parser.add_argument("--keep-large", action="store_true", default=bool(os.environ.get("BENCH_KEEP_LARGE")),
                        help="keep the 4 GB set B afterwards (default: removed; the others are kept)")
    parser.add_argument("--onestop", help="use this onestop binary instead of building one")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install time or xmllint")
    parser.add_argument("--no-profile", action="store_true", help="leave out the perf profile summary")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ALL_SETS),
                        help=f"sets to generate and measure, comma-separated (default {ALL_SETS}; BENCH_ONLY)")
    options = parser.parse_args()

    reps = 1 if options.smoke else max(1, options.reps)
    install = not (options.smoke or options.no_install)
    data_root = os.path.join(options.data, "smoke") if options.smoke else options.data
    if options.smoke:
        shutil.rmtree(data_root, ignore_errors=True)
    os.makedirs(data_root, exist_ok=True)
    cores = os.cpu_count() or 1
    job_counts = list(range(1, max(2, cores) + 1))
    widest = job_counts[-1]

    onestop = options.onestop or build_onestop("debug" if options.smoke else "release")
    time_bin = find_tool("/usr/bin/time", "time", install)
    xmllint = find_tool("xmllint", "libxml2-utils", install)
    rawparse = build_rawparse(os.path.join(options.data, "bin"))
    perf = None if options.no_profile else bench_profile.available()
    if not time_bin:
        log("/usr/bin/time not found: measuring with os.wait4 (the same wall clock and ru_maxrss)")
    if not xmllint:
        log("xmllint not found (apt package libxml2-utils): its rows are left out")

    # The sets. A's record count comes from the bytes per record of a sample shaped like A.
    if options.smoke:
        records_a, province = 3_000, (6_600, 4_000)
    else:
        per_record = bytes_per_record(onestop, 4, 8, 2)
        records_a = int(math.ceil(options.size_mb * 1e6 / per_record / 1000) * 1000)
        province = (3_300_000, 2_000_000)
    half = records_a // 2000 * 1000
    sets = {
        "A": DataSet("A", "A: .xml, 32 files", sources=4, nights=8, records=records_a, dossiers=records_a // 2),
        "A.gz": DataSet("A.gz", "A.gz: .xml.gz, 32 files", sources=4, nights=8, records=records_a,
                        dossiers=records_a // 2, gzip=True),
        "short": DataSet("short", "short: A without personal data or indentation", sources=4, nights=8,
                         records=records_a, dossiers=records_a // 2, transform="short"),
        "long": DataSet("long", "long: half of A's records, + 8 attachments and 3 supplements each", sources=4,
                        nights=8, records=half, dossiers=half // 2, transform="long"),
        "B": DataSet("B", "B: .xml, 32 files, 4 × A, same dossiers", sources=1, nights=32, records=4 * records_a,
                     dossiers=records_a // 2),
        "S": DataSet("S", "S: one .xml file", sources=1, nights=1, records=records_a, dossiers=records_a),
        "P": DataSet("P", "P: a province-year, 48 files", sources=4, nights=12, records=province[0],
                     dossiers=province[1]),
        # For the databases (Bench/sinks.py): 240 000 dossiers, each in 2 exports.
        "DB": DataSet("DB", "DB: a province-year, 4 systems × 8 exports", sources=4, nights=8,
                      records=3_000 if options.smoke else 480_000, dossiers=1_500 if options.smoke else 240_000),
    }
    chosen = [key.strip() for key in options.only.split(",") if key.strip()]
    unknown = [key for key in chosen if key not in sets and key != "codes"]
    if unknown:
        parser.error(f"--only: unknown set(s) {', '.join(unknown)}; choose from {ALL_SETS}")
    sets = {key: data for key, data in sets.items() if key in chosen}
    for data in sets.values():
        prepare(onestop, data, data_root)
    codes = prepare_codes(2_000 if options.smoke else 200_000, data_root) if "codes" in chosen else None

    # What to run on each set.
    runs_folder = os.path.join(data_root, "runs")
    os.makedirs(runs_folder, exist_ok=True)
    plan: list[Row] = []
    for key, data in sets.items():
        if key == "DB":
            continue  # measured by Bench/sinks.py, below
        if rawparse:
            for jobs in ([1] if data.single_file else job_counts):
                plan.append(Row(f"raw SAX2 ×{jobs} (Bench/rawparse.c --jobs {jobs})", data,
                                [rawparse, "--jobs", str(jobs), RECORD_PATH, *data.files], "raw", jobs))
        if xmllint and key == "A":
            plan.append(Row("xmllint --stream --noout", data, [xmllint, "--stream", "--noout", *data.files], "xmllint"))
        for jobs in ([widest] if key == "P" else job_counts):
            plan.append(Row(f"onestop run --jobs {jobs}", data,
                            [onestop, "run", data.pipeline, "--jobs", str(jobs), "--quiet", "--history", "none",
                             "--out", os.path.join(runs_folder, f"{key}-j{jobs}")], "onestop", jobs))
        if key == "A":
            plan.append(Row(f"onestop run --jobs {widest} --dossiers", data,
                            [onestop, "run", data.pipeline, "--jobs", str(widest), "--dossiers", "--quiet", "--history", "none",
                             "--out", os.path.join(runs_folder, f"{key}-dossiers")], "dossiers", widest))
            split = Split(data.sources, widest, onestop, data.pipeline, os.path.join(runs_folder, f"{key}-shards"),
                          os.path.join(runs_folder, f"{key}-j{widest}"))
            plan.append(Row(f"onestop {data.sources} shards (--jobs {widest}) + merge", data, [onestop, "merge"],
                            "shards", widest, split=split))

    problems: list[str] = []
    load_before = load_average()
    for key in sets:
        rows = [row for row in plan if row.data.key == key]
        for rep in range(reps):
            for row in rows:
                log(f"run {rep + 1}/{reps}: {row.run} on {row.data.key}")
                if row.split:
                    row.runs.add(row.split.run_once(time_bin))
                    if not same_outputs(row.split.single_out, row.split.merged_out):
                        problems.append(f"{row.run} on {key}: the merged output differs from the single run's "
                                        f"(diff -r {row.split.single_out} {row.split.merged_out})")
                    continue
                result, stdout = measure(row.command, time_bin)
                row.runs.add(result)
                problems += counted_wrong(row, stdout)

    code_runs: dict[str, Runs] = {}
    if codes:
        for rep in range(reps):
            for kind, pipeline, extra in (("distinct", codes.distinct, []), ("distinct --xlsx", codes.distinct, ["--xlsx"]),
                                          ("shared", codes.shared, [])):
                log(f"run {rep + 1}/{reps}: onestop run --jobs {widest} {' '.join(extra)} on the {kind.split()[0]}-codes file")
                result, _ = measure([onestop, "run", pipeline, "--jobs", str(widest), *extra, "--quiet", "--history", "none",
                                     "--out", os.path.join(runs_folder, f"codes-{kind.replace(' --', '-')}")], time_bin)
                code_runs.setdefault(kind, Runs()).add(result)
    database_lines: list[str] = []
    if "DB" in sets:
        database_lines, database_problems = sinks.measure_sinks(
            onestop, sets["DB"], data_root, reps, install, measure, time_bin, log)
        problems += database_problems
    loads = (load_before, load_average())

    profiles: list[bench_profile.Profile] = []
    bare_cpu: dict[str, float] = {}
    if perf:
        with tempfile.TemporaryDirectory() as scratch:
            if "A" in sets and rawparse:
                log("profile: the bare parse of A under perf record")
                profiles.append(bench_profile.record(
                    perf, [rawparse, "--jobs", "1", RECORD_PATH, *sets["A"].files], "A, bare parse",
                    sets["A"].manifest["records"], scratch))
                bare_cpu["A, bare parse"] = find(plan, "A", "raw", 1).runs.cpu_seconds
            for key in ("A", "short", "long"):
                if key not in sets:
                    continue
                data = sets[key]
                log(f"profile: onestop run --jobs {widest} on {key} under perf record")
                profiles.append(bench_profile.record(
                    perf, [onestop, "run", data.pipeline, "--jobs", str(widest), "--quiet", "--history", "none",
                           "--out", os.path.join(runs_folder, f"{key}-profile")],
                    key, data.manifest["records"], scratch))
                raw = find(plan, key, "raw", 1)
                if raw:
                    bare_cpu[key] = raw.runs.cpu_seconds
            if codes and not options.smoke:
                log(f"profile: onestop run --jobs {widest} on the distinct-codes file under perf record")
                profiles.append(bench_profile.record(
                    perf, [onestop, "run", codes.distinct, "--jobs", str(widest), "--quiet", "--history", "none",
                           "--out", os.path.join(runs_folder, "codes-profile")], "codes", codes.records, scratch))

    text = report({key: data for key, data in sets.items() if key != "DB"}, plan, options, reps, onestop, loads, codes,
                  code_runs, widest)
    text += "\n\n" + profile_section(profiles, bare_cpu, perf, widest, options.no_profile)
    if database_lines:
        text += "\n" + "\n".join(database_lines)
    hostile, wrong = hostile_checks(onestop, os.path.join(data_root, "hostile"), os.path.join(options.data, "bin"),
                                    options.smoke, reps)
    problems += wrong
    marker = "```\n\n"
    cut = text.index(marker, text.index("```") + 3)
    text = text[:cut] + "\n".join(hostile) + "\n" + text[cut:]
    print(text, flush=True)
    saved = os.path.join(data_root, "last-bench.md")
    with open(saved, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    log(f"saved {saved}")

    if not options.keep_large and not options.smoke and "B" in sets:
        shutil.rmtree(sets["B"].folder, ignore_errors=True)
        log("removed set B (4 GB); --keep-large keeps it")
    if not options.smoke:
        for name in ("codes-distinct", "codes-distinct-xlsx", "codes-shared", "codes-profile"):
            shutil.rmtree(os.path.join(runs_folder, name), ignore_errors=True)  # 1.3 GB of figures.csv each
    if options.smoke:
        shutil.rmtree(data_root, ignore_errors=True)
    for problem in problems:
        log(f"error: {problem}")
    return 1 if problems else 0


def counted_wrong(row: Row, stdout: str) -> list[str]:
    """A run that did not read every generated record, or rejected other than the bad ones."""
    manifest = row.data.manifest
    if row.kind == "raw":
        counted = int(stdout.split()[1])
        if counted != manifest["records"]:
            return [f"rawparse counted {counted} records in {row.data.key}, generated {manifest['records']}"]
    if row.kind in ("onestop", "dossiers"):
        with open(os.path.join(row.out, "summary.json"), encoding="utf-8") as handle:
            accounting = json.load(handle)["accounting"]
        if accounting["records_read"] != manifest["records"] or accounting["rejected"] != manifest["badRecords"]:
            return [f"{row.run} on {row.data.key}: records_read {accounting['records_read']}, rejected "
                    f"{accounting['rejected']}; generated {manifest['records']} records, {manifest['badRecords']} bad"]
        if row.kind == "dossiers" and not os.path.exists(os.path.join(row.out, "dossiers.csv")):
            return [f"{row.run} on {row.data.key}: no dossiers.csv"]
    return []


def find(plan: list[Row], key: str, kind: str, jobs: int | None = None) -> Row | None:
    return next((r for r in plan if r.data.key == key and r.kind == kind and (jobs is None or r.jobs == jobs)), None)


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------

def report(sets: dict[str, DataSet], plan: list[Row], options, reps: int, onestop: str, loads: tuple[str, str],
           codes: CodesFiles | None, code_runs: dict[str, Runs], widest: int) -> str:
    title = "`make bench-smoke` (tiny data: the figures mean nothing)" if options.smoke else "`make bench`"
    lines = [f"{title} — {describe_machine(onestop)}; median of {reps} run{'s' if reps > 1 else ''}, interleaved, "
             f"warm cache; load average {loads[0]} before, {loads[1]} after (other processes share the cores when "
             f"it is above 0: compare CPU s with time s).", ""]
    lines += ["| input | files | XML MB | on disk MB | records | distinct dossiers | bytes per record |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for data in sets.values():
        m = data.manifest
        lines.append(f"| {data.label} | {len(m['files'])} | {megabytes(data.xml_bytes)} | {megabytes(data.disk_bytes)} "
                     f"| {m['records']:,} | {m['dossiers']:,} | {data.xml_bytes / m['records']:,.0f} |")
    lines += ["", "| command | input | time s | CPU s | MB/s | records/s | peak RSS MB | × raw SAX2 ×N |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in plan:
        raw = find(plan, row.data.key, "raw", row.jobs) or find(plan, row.data.key, "raw", 1)
        ratio = f"{paired_median(raw.runs, row.runs, lambda r, o: r.seconds / max(o.seconds, 0.001)):.2f}" \
            if raw and row.kind in ("onestop", "raw") else "–"
        lines.append(f"| {row.run} | {row.data.key} | {row.runs.seconds:.2f} | {row.runs.cpu_seconds:.2f} "
                     f"| {row.mb_per_s():,.0f} | {row.data.manifest['records'] / row.runs.seconds:,.0f} "
                     f"| {row.runs.rss_kb / 1024:,.1f} | {ratio} |")
    lines += ["", "MB/s are of uncompressed XML (for A.gz too); time and CPU are medians, peak RSS the highest of the "
                  "runs; × raw SAX2 ×N is the median ratio to the bare parses with as many threads (×1 for one file). "
                  "The shards row is every shard run one after another plus the merge (time and CPU summed, peak RSS "
                  "the largest shard's).", ""]
    lines += ["```"] + checks(sets, plan, codes, code_runs, widest) + ["```"]
    return "\n".join(lines)


def checks(sets: dict[str, DataSet], plan: list[Row], codes: CodesFiles | None, code_runs: dict[str, Runs],
           widest: int) -> list[str]:
    out: list[str] = []

    def line(ok: bool | None, text: str) -> None:
        out.append(f"{'PASS' if ok else ('info' if ok is None else 'FAIL')}  {text}")

    # docs/contract.md §7: 64 MB + 150 B per distinct dossier, "kept for deduplication, or held for a file
    # still being read": a file's versions are held until it is whole (R8), so up to `jobs` files
    # are held at once (all of a file read in pieces).
    def held(key: str, jobs: int) -> int:
        counts = sorted((f["records"] for f in sets[key].manifest["files"]), reverse=True)
        return sum(counts[:jobs])

    def limit(key: str, jobs: int) -> int:
        return MEMORY_BASE + MEMORY_PER_DOSSIER * (sets[key].manifest["dossiers"] + held(key, jobs))

    def within_bound(row: Row) -> tuple[bool, str]:
        key, jobs = row.data.key, row.jobs
        rss = row.runs.rss_kb * 1024
        return rss <= limit(key, jobs), (
            f"peak RSS {rss / 2**20:,.1f} MB ≤ 64 MB + 150 B × ({sets[key].manifest['dossiers']:,} dossiers + "
            f"{held(key, jobs):,} records held) = {limit(key, jobs) / 2**20:,.1f} MB")

    # 1. The parallel floor: N onestop workers against N bare parses at once.
    for key, data in sets.items():
        if data.single_file:
            continue
        for row in (r for r in plan if r.data.key == key and r.kind == "onestop"):
            raw = find(plan, key, "raw", row.jobs)
            if not raw:
                continue
            value = paired_median(raw.runs, row.runs, lambda r, o: r.seconds / max(o.seconds, 0.001))
            line(value >= FLOOR, f"floor, {key}, --jobs {row.jobs}: {row.mb_per_s():,.0f} MB/s vs "
                                 f"{raw.mb_per_s():,.0f} MB/s for {row.jobs} bare parse{'s' if row.jobs > 1 else ''} "
                                 f"at once = {value:.2f} (target ≥ {FLOOR})")
    # 2. CPU: everything onestop adds, against one bare parse.
    for key in sets:
        raw = find(plan, key, "raw", 1)
        for row in (r for r in plan if r.data.key == key and r.kind == "onestop"):
            if not raw:
                continue
            value = paired_median(row.runs, raw.runs, lambda o, r: o.cpu_seconds / max(r.cpu_seconds, 0.01))
            line(value <= CPU_LIMIT, f"CPU, {key}, --jobs {row.jobs}: {row.runs.cpu_seconds:.2f} CPU s vs "
                                     f"{raw.runs.cpu_seconds:.2f} for one bare parse = {value:.2f} "
                                     f"(target ≤ {CPU_LIMIT})")
    # 3. A province-year.
    if "P" in sets:
        row = find(plan, "P", "onestop", widest)
        ok, bound = within_bound(row)
        m = sets["P"].manifest
        line(row.runs.seconds < PROVINCE_YEAR_SECONDS and ok,
             f"province-year, P ({m['dossiers']:,} dossiers, {m['records']:,} records, "
             f"{sets['P'].xml_bytes / 1e9:.2f} GB in {len(m['files'])} files), --jobs {widest}: "
             f"{row.runs.seconds:.2f} s (target < {PROVINCE_YEAR_SECONDS:.0f} s; CPU {row.runs.cpu_seconds:.2f} s); "
             f"{bound}")
    # Gzip and one file: shown, not judged.
    top, bottom = find(plan, "A.gz", "onestop", 2), find(plan, "A.gz", "onestop", 1)
    if top and bottom:
        out.append(f"info  A.gz: --jobs 2 / --jobs 1 = {top.mb_per_s():,.0f} / {bottom.mb_per_s():,.0f} MB/s = "
                   f"{top.mb_per_s() / bottom.mb_per_s():.2f} (--jobs 1 inflates on the idle core; --jobs 2 has none)")
    top, bottom, raw = find(plan, "S", "onestop", 2), find(plan, "S", "onestop", 1), find(plan, "S", "raw", 1)
    if top and bottom and raw:
        out.append(f"info  S, one file: --jobs 2 {top.mb_per_s():,.0f} MB/s, --jobs 1 {bottom.mb_per_s():,.0f} MB/s, "
                   f"one bare parse {raw.mb_per_s():,.0f} MB/s (a bare parse cannot split a file; onestop reads it "
                   f"in pieces)")
    # 4. --dossiers: dossiers.csv written row by row, memory within the bound.
    row, plain = find(plan, "A", "dossiers"), find(plan, "A", "onestop", widest)
    if row and plain:
        ok, bound = within_bound(row)
        size = os.path.getsize(os.path.join(row.out, "dossiers.csv"))
        line(ok, f"A --dossiers, --jobs {widest}: {row.runs.seconds:.2f} s vs {plain.runs.seconds:.2f} s without "
                 f"(+{row.runs.cpu_seconds - plain.runs.cpu_seconds:.2f} CPU s), dossiers.csv {size / 1e6:,.0f} MB; "
                 f"{bound}")
    # 5. Distinct codes: what each costs.
    if codes and "distinct" in code_runs and "shared" in code_runs:
        distinct, shared = code_runs["distinct"], code_runs["shared"]
        extra = (distinct.rss_kb - shared.rss_kb) * 1024
        count = 2 * codes.records
        out.append(f"info  {codes.records:,} records with distinct agency and procedure codes, one file, --jobs {widest}: "
                   f"{distinct.seconds:.2f} s, {distinct.cpu_seconds:.2f} CPU s, peak RSS "
                   f"{distinct.rss_kb / 1024:,.1f} MB; the same records over 40 agencies and 48 procedures "
                   f"{shared.seconds:.2f} s, {shared.rss_kb / 1024:,.1f} MB: {extra / count:,.0f} B per distinct code "
                   f"({count:,} codes: as many agencies as procedures)")
        for kind in ("distinct", "distinct --xlsx"):
            if kind in code_runs:
                rss = code_runs[kind].rss_kb * 1024
                bound = MEMORY_BASE + MEMORY_PER_DOSSIER * codes.records + BYTES_PER_DISTINCT_CODE * count
                line(rss <= bound, f"codes{' --xlsx' if 'xlsx' in kind else ''}: peak RSS {rss / 2**20:,.1f} MB ≤ 64 MB + "
                                   f"150 B × {codes.records:,} dossiers + {BYTES_PER_DISTINCT_CODE:,} B × {count:,} codes "
                                   f"= {bound / 2**20:,.1f} MB")
    # 6. Shards: what a cluster of N machines would take (slowest shard + merge), memory per shard.
    for row in (r for r in plan if r.split):
        split = row.split
        single = find(plan, row.data.key, "onestop", split.jobs)
        slowest = max(r.seconds for r in split.shard_runs)
        rss = [r.rss_kb / 1024 for r in split.shard_runs]
        wall = slowest + split.merge_runs.seconds
        out.append(f"info  {row.data.key}: {split.shards} shards + merge: slowest shard {slowest:.2f} s + merge "
                   f"{split.merge_runs.seconds:.2f} s = {wall:.2f} s on {split.shards} machines"
                   + (f" vs {single.runs.seconds:.2f} s for one run --jobs {split.jobs} "
                      f"({single.runs.seconds / wall:.1f} ×)" if single else "")
                   + f"; all shards one after another {row.runs.seconds:.2f} s")
        out.append(f"info  {row.data.key}: peak RSS per shard {min(rss):,.1f}–{max(rss):,.1f} MB"
                   + (f" vs {single.runs.rss_kb / 1024:,.1f} MB for one run" if single else "")
                   + f"; merge {split.merge_runs.rss_kb / 1024:,.1f} MB; partials "
                     f"{min(split.partial_bytes) / 1e3:,.0f}–{max(split.partial_bytes) / 1e3:,.0f} KB; merged output "
                     f"byte-identical to the single run's: {'yes' if same_outputs(split.single_out, split.merged_out) else 'NO'}")
    # 7. Memory of every run.
    for row in (r for r in plan if r.kind == "onestop"):
        ok, bound = within_bound(row)
        line(ok, f"memory, {row.data.key}, --jobs {row.jobs}: {bound}")
    # Flat as files grow: B has A's dossiers in 4 × the XML. What may grow is only what the
    # larger files hold while they are read.
    for jobs in (1, 2):
        a, b = find(plan, "A", "onestop", jobs), find(plan, "B", "onestop", jobs)
        if a and b:
            growth = (b.runs.rss_kb - a.runs.rss_kb) * 1024
            allowed = MEMORY_PER_DOSSIER * max(held("B", jobs) - held("A", jobs), 0)
            line(growth <= allowed,
                 f"flat memory, --jobs {jobs}: B (4 × the XML, same dossiers) peak RSS {b.runs.rss_kb / 1024:,.1f} MB "
                 f"vs A's {a.runs.rss_kb / 1024:,.1f} MB: +{growth / 2**20:,.1f} MB ≤ 150 B × "
                 f"{max(held('B', jobs) - held('A', jobs), 0):,} more records held by B's larger files "
                 f"= {allowed / 2**20:,.1f} MB")
    return out


def profile_section(profiles: list[bench_profile.Profile], bare_cpu: dict[str, float], perf: str | None,
                    widest: int, skipped: bool) -> str:
    if not profiles:
        reason = "--no-profile" if skipped else "perf is not installed or may not record here"
        return f"Profile summary: not taken ({reason})."
    lines = [f"Profile summary: one `onestop run --jobs {widest}` per input under `perf record -g` (cpu-clock, "
             f"999 Hz; each sample to the first stage its call chain names, Bench/bench_profile.py):", ""]
    lines += bench_profile.table(profiles, bare_cpu)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
