#!/usr/bin/env python3
"""`make bench`: onestop's throughput and memory against the parser's own limit (docs/contract.md §7, issue 3).

Generates (and caches under .build-bench-data/) dvcqg exports with `onestop generate`:

  A     ≥ 1 GB of XML in 32 files (4 systems × 8 nightly exports), each dossier in 2 exports
  A.gz  the same exports gzip-compressed
  B     4 × A's records with the same distinct dossiers (1 system × 32 exports, each dossier in
        8), so files grow 4× and the deduplication state does not
  S     one single file as large as A
  D     200,000 dossiers in one file, each with its own agency and procedure code (a broken or
        hostile export): measured with and without --xlsx, the workbook's memory must not grow
        with its rows (issue 12.6(c))
  DB    a province-year (240 000 dossiers), run with --dossiers, then kept in a SQLite history and sent
        to PostgreSQL with `onestop sink` (Bench/sinks.py)

then measures, best of --reps runs each (warm cache), with /usr/bin/time -f '%e %M':
  raw SAX2   Bench/rawparse.c: libxml2's push parser, 256 KiB chunks, XML_PARSE_NONET, counting
             records and nothing else — the floor
  xmllint    xmllint --stream --noout (libxml2's reader)
  onestop    onestop run <generated pipeline> --jobs 1 and --jobs 2
  shards     on A: onestop run --shard I/N --partial FILE --jobs 2 for each of N = 4 shards, one
             after another, then onestop merge; its output must be byte-identical to the single
             --jobs 2 run's (an error otherwise)

and prints Markdown tables (paste-ready) and the checks of issue 3 as PASS/FAIL lines. The checks
are informational: the script exits 0 unless a command failed or counted wrong.

  python3 Bench/bench.py                 # the full run (≈ 6.7 GB of data while it runs, 2.2 GB kept)
  python3 Bench/bench.py --smoke         # tiny data, debug build, one run each: seconds
  BENCH_REPS=5 BENCH_SIZE_MB=2000 python3 Bench/bench.py
  BENCH_ONLY=A,S python3 Bench/bench.py   # some sets only, for a quick look while optimising
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sinks  # noqa: E402  (Bench/sinks.py)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
RECORD_PATH = "DanhSachHoSo/HoSo"  # the dvcqg record path, from Pipelines/dialects/dvcqg.yaml
SEED = 2022
MEMORY_BASE = 64 * 1024 * 1024  # docs/contract.md §7: 64 MB …
MEMORY_PER_DOSSIER = 150  # … plus about 150 bytes per distinct dossier


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, **kwargs)


# ------------------------------------------------------------------------------------------
# Tools
# ------------------------------------------------------------------------------------------

def apt_install(package: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    log(f"installing {package} (apt)")
    subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def find_tool(path_or_name: str, package: str, install: bool) -> str | None:
    found = path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) else shutil.which(path_or_name)
    if found or not install:
        return found
    apt_install(package)
    return path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) else shutil.which(path_or_name)


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
    run([compiler, "-O2", "-o", binary, source, *flags])
    return binary


# ------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------

@dataclass
class DataSet:
    key: str  # also its folder name
    label: str
    sources: int
    nights: int
    records: int
    dossiers: int
    gzip: bool = False
    folder: str = ""
    manifest: dict = field(default_factory=dict)

    @property
    def files(self) -> list[str]:
        return [os.path.join(self.folder, f["path"]) for f in self.manifest["files"]]

    @property
    def xml_bytes(self) -> int:
        return self.manifest["xmlBytes"]

    @property
    def disk_bytes(self) -> int:
        return self.manifest["bytesOnDisk"]


def generate(onestop: str, data: DataSet, root: str) -> None:
    data.folder = os.path.join(root, data.key)
    manifest_path = os.path.join(data.folder, "generated.json")
    wanted = {"records": data.records, "dossiers": data.dossiers, "sources": data.sources,
              "nights": data.nights, "gzip": data.gzip, "seed": SEED, "dialect": "dvcqg"}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
        if all(manifest.get(k) == v for k, v in wanted.items()) and manifest.get("generator") == generator_version(onestop):
            data.manifest = manifest
            log(f"data {data.key}: cached ({manifest['xmlBytes'] / 1e6:,.0f} MB)")
            return
    shutil.rmtree(data.folder, ignore_errors=True)
    log(f"data {data.key}: generating {data.records:,} records of {data.dossiers:,} dossiers")
    started = time.perf_counter()
    command = [onestop, "generate", "--records", str(data.records), "--dossiers", str(data.dossiers),
               "--sources", str(data.sources), "--nights", str(data.nights), "--seed", str(SEED),
               "--dialect", "dvcqg", "--dialects", os.path.join(ROOT, "Pipelines", "dialects"),
               "--out", data.folder, "--quiet"]
    if data.gzip:
        command.append("--gzip")
    run(command)
    with open(manifest_path, encoding="utf-8") as handle:
        data.manifest = json.load(handle)
    seconds = time.perf_counter() - started
    log(f"data {data.key}: {data.xml_bytes / 1e6:,.0f} MB of XML in {seconds:.1f} s "
        f"({data.xml_bytes / 1e6 / seconds:,.0f} MB/s)")


DISTINCT_RECORDS = 200_000
DISTINCT_VERSION = 1  # bump when generate_distinct writes other records


def generate_distinct(data: DataSet, root: str) -> None:
    """Set D: one dvcqg file whose every dossier has its own agency (DonViXuLy) and procedure (MaTTHC),
    resolved on time, and a pipeline for it; with a manifest shaped like `onestop generate`'s."""
    data.folder = os.path.join(root, data.key)
    manifest_path = os.path.join(data.folder, "generated.json")
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
        if manifest.get("records") == data.records and manifest.get("distinctVersion") == DISTINCT_VERSION:
            data.manifest = manifest
            log(f"data {data.key}: cached ({manifest['xmlBytes'] / 1e6:,.0f} MB)")
            return
    shutil.rmtree(data.folder, ignore_errors=True)
    os.makedirs(data.folder)
    log(f"data {data.key}: generating {data.records:,} dossiers with distinct agency and procedure codes")
    path = os.path.join(data.folder, "distinct.xml")
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<DanhSachHoSo MaDonVi="000.00.01.H55" NgayXuat="20230110020000">\n')
        for i in range(data.records):
            day, month = 1 + i % 28, 1 + (i // 28) % 12
            out.write(f"<HoSo><MaHoSo>HS-{i:07d}</MaHoSo><MaTTHC>9.{i:07d}</MaTTHC><TenTTHC>Thủ tục thử số {i}</TenTTHC>"
                      f"<MaLinhVuc>LV{i % 50}</MaLinhVuc><DonViXuLy>DV.{i:07d}.H55</DonViXuLy>"
                      f"<KenhThucHien>{1 + i % 2}</KenhThucHien><HinhThuc>{i % 2}</HinhThuc>"
                      f"<NgayTiepNhan>2022{month:02d}{day:02d}080000</NgayTiepNhan>"
                      f"<NgayHenTra>2022{month:02d}{day:02d}170000</NgayHenTra>"
                      f"<NgayKetThucXuLy>2022{month:02d}{day:02d}{10 + i % 7:02d}0000</NgayKetThucXuLy>"
                      f"<TrangThaiHoSo>9</TrangThaiHoSo><HoSoCoThanhPhanSoHoa>{i % 2}</HoSoCoThanhPhanSoHoa></HoSo>\n")
        out.write("</DanhSachHoSo>\n")
    with open(os.path.join(data.folder, "pipeline.yaml"), "w", encoding="utf-8") as out:
        out.write(f"""pipeline: distinct
period: {{ from: 2022-01-01, to: 2022-12-31 }}
timezone: Asia/Ho_Chi_Minh
catalogue: {os.path.join(ROOT, "Fixtures", "demo", "catalogue.csv")}
dialects: {os.path.join(ROOT, "Pipelines", "dialects")}
sources:
  - {{ name: tinh, level: province, dialect: dvcqg, files: ["{path}"] }}
""")
    size = os.path.getsize(path)
    data.manifest = {"records": data.records, "dossiers": data.records, "badRecords": 0, "xmlBytes": size,
                     "bytesOnDisk": size, "files": [{"path": "distinct.xml", "records": data.records}],
                     "distinctVersion": DISTINCT_VERSION}
    with open(manifest_path, "w", encoding="utf-8") as out:
        json.dump(data.manifest, out)


_generator_version: dict[str, str] = {}


def generator_version(onestop: str) -> str:
    """The generator's version, read from a tiny generation (cached per binary)."""
    if onestop not in _generator_version:
        with tempfile.TemporaryDirectory() as scratch:
            out = os.path.join(scratch, "v")
            run([onestop, "generate", "--records", "2", "--sources", "1", "--out", out, "--quiet",
                 "--dialects", os.path.join(ROOT, "Pipelines", "dialects")])
            with open(os.path.join(out, "generated.json"), encoding="utf-8") as handle:
                _generator_version[onestop] = json.load(handle)["generator"]
    return _generator_version[onestop]


def bytes_per_record(onestop: str, sources: int, nights: int, per_dossier: int) -> float:
    """XML bytes per record of a set shaped like A, from a 20 000-record sample."""
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "sample")
        records = 20_000
        run([onestop, "generate", "--records", str(records), "--dossiers", str(records // per_dossier),
             "--sources", str(sources), "--nights", str(nights), "--seed", str(SEED), "--out", out, "--quiet",
             "--dialects", os.path.join(ROOT, "Pipelines", "dialects")])
        with open(os.path.join(out, "generated.json"), encoding="utf-8") as handle:
            return json.load(handle)["xmlBytes"] / records


# ------------------------------------------------------------------------------------------
# Measuring
# ------------------------------------------------------------------------------------------

@dataclass
class Measure:
    seconds: float
    rss_kb: int
    cpu_seconds: float = 0.0


def measure(command: list[str], time_bin: str | None) -> tuple[Measure, str]:
    """Runs `command` once; wall time and peak RSS from /usr/bin/time -f '%e %M' (os.wait4 without it),
    and the CPU time (user + system), which tells whether --jobs 2 got two cores.

    %e has centiseconds only: below one second (smoke data) the script's own clock is used instead."""
    started = time.perf_counter()
    if time_bin:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            done = subprocess.run([time_bin, "-f", "%e %M %U %S", "-o", report.name, *command],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - started
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command[:3])} … exited {done.returncode}: {done.stderr.strip()[-2000:]}")
            elapsed, rss, user, system = report.read().split()[-4:]
            seconds = float(elapsed) if float(elapsed) >= 1.0 else wall
            return Measure(seconds, int(rss), float(user) + float(system)), done.stdout
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:3])} … exited {process.returncode}: {err.read().strip()[-2000:]}")
        return Measure(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime), out.read()


@dataclass
class Row:
    run: str
    data: DataSet
    command: list[str]
    best: Measure | None = None
    check: str = ""
    jobs: int = 0
    split: "Split | None" = None

    @property
    def mb_per_s(self) -> float:
        return self.data.xml_bytes / 1e6 / self.best.seconds

    @property
    def records_per_s(self) -> float:
        return self.data.manifest["records"] / self.best.seconds


@dataclass
class Split:
    """N shards (`onestop run --shard I/N`) and their merge, measured one command at a time."""
    shards: int
    onestop: str
    pipeline: str
    folder: str  # partials and the merged output go here
    single_out: str  # the single run whose output the merge must equal
    shard_best: list[Measure] = field(default_factory=list)  # per shard, the fastest run (RSS: highest)
    merge_best: Measure | None = None
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
        shards: list[Measure] = []
        for index in range(1, self.shards + 1):
            result, _ = measure([self.onestop, "run", self.pipeline, "--shard", f"{index}/{self.shards}",
                                 "--partial", self.partial(index), "--jobs", "2", "--quiet"], time_bin)
            shards.append(result)
        merge, _ = measure([self.onestop, "merge", self.pipeline,
                            *[self.partial(i) for i in range(1, self.shards + 1)], "--quiet", "--history", "none",
                            "--out", self.merged_out],
                           time_bin)
        self.partial_bytes = [os.path.getsize(self.partial(i)) for i in range(1, self.shards + 1)]
        if not self.shard_best:
            self.shard_best, self.merge_best = shards, merge
        else:
            self.shard_best = [keep_best(old, new) for old, new in zip(self.shard_best, shards)]
            self.merge_best = keep_best(self.merge_best, merge)
        return Measure(sum(m.seconds for m in shards) + merge.seconds, max(m.rss_kb for m in shards),
                       sum(m.cpu_seconds for m in shards) + merge.cpu_seconds)


def keep_best(old: Measure, new: Measure) -> Measure:
    """The faster run's time and CPU, the higher peak RSS."""
    best = new if new.seconds < old.seconds else old
    return Measure(best.seconds, max(old.rss_kb, new.rss_kb), best.cpu_seconds)


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, debug build, one run each (seconds)")
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "3")),
                        help="runs per measurement; the best counts (default 3, BENCH_REPS)")
    parser.add_argument("--size-mb", type=float, default=float(os.environ.get("BENCH_SIZE_MB", "1080")),
                        help="XML size of set A in MB (default 1080: ≥ 1 GiB; BENCH_SIZE_MB)")
    parser.add_argument("--data", default=os.environ.get("BENCH_DATA", os.path.join(ROOT, ".build-bench-data")),
                        help="cache folder for the generated data (default .build-bench-data/)")
    parser.add_argument("--keep-large", action="store_true", default=bool(os.environ.get("BENCH_KEEP_LARGE")),
                        help="keep the 4 GB set B afterwards (default: removed, A, A.gz and S are kept)")
    parser.add_argument("--onestop", help="use this onestop binary instead of building one")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install time or xmllint")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", "A,A.gz,B,S,D,DB"),
                        help="sets to generate and measure, comma-separated (default A,A.gz,B,S,D,DB; BENCH_ONLY)")
    options = parser.parse_args()

    reps = 1 if options.smoke else max(1, options.reps)
    install = not (options.smoke or options.no_install)
    data_root = os.path.join(options.data, "smoke") if options.smoke else options.data
    if options.smoke:
        shutil.rmtree(data_root, ignore_errors=True)
    os.makedirs(data_root, exist_ok=True)

    onestop = options.onestop or build_onestop("debug" if options.smoke else "release")
    time_bin = find_tool("/usr/bin/time", "time", install)
    xmllint = find_tool("xmllint", "libxml2-utils", install)
    rawparse = build_rawparse(os.path.join(options.data, "bin"))
    if not time_bin:
        log("/usr/bin/time not found: measuring with os.wait4 (the same wall clock and ru_maxrss)")
    if not xmllint:
        log("xmllint not found (apt package libxml2-utils): its rows are left out")

    # The sets. A's record count comes from the bytes per record of a sample shaped like A.
    if options.smoke:
        records_a = 3_000
    else:
        per_record = bytes_per_record(onestop, 4, 8, 2)
        records_a = int(math.ceil(options.size_mb * 1e6 / per_record / 1000) * 1000)
    dossiers_a = records_a // 2
    sets = {
        "A": DataSet("A", "A: .xml, 32 files", sources=4, nights=8, records=records_a, dossiers=dossiers_a),
        "A.gz": DataSet("A.gz", "A.gz: .xml.gz, 32 files", sources=4, nights=8, records=records_a, dossiers=dossiers_a,
                       gzip=True),
        "B": DataSet("B", "B: .xml, 32 files, 4 × A, same dossiers", sources=1, nights=32, records=4 * records_a,
                     dossiers=dossiers_a),
        "S": DataSet("S", "S: one .xml file", sources=1, nights=1, records=records_a, dossiers=records_a),
        "D": DataSet("D", "D: one .xml file, every dossier its own agency and procedure", sources=1, nights=1,
                     records=2_000 if options.smoke else DISTINCT_RECORDS, dossiers=0),
        # A province-year for the databases (Bench/sinks.py): 240 000 dossiers, each in 2 exports.
        "DB": DataSet("DB", "DB: a province-year, 4 systems × 8 exports", sources=4, nights=8,
                      records=3_000 if options.smoke else 480_000, dossiers=1_500 if options.smoke else 240_000),
    }
    chosen = [key.strip() for key in options.only.split(",") if key.strip()]
    unknown = [key for key in chosen if key not in sets]
    if unknown:
        parser.error(f"--only: unknown set(s) {', '.join(unknown)}; choose from {', '.join(sets)}")
    sets = {key: data for key, data in sets.items() if key in chosen}
    for data in sets.values():
        if data.key == "D":
            generate_distinct(data, data_root)
        else:
            generate(onestop, data, data_root)

    # What to run on each set.
    runs_folder = os.path.join(data_root, "runs")
    os.makedirs(runs_folder, exist_ok=True)
    plan: list[Row] = []
    for key in sets:
        data = sets[key]
        if key == "DB":
            continue  # measured by Bench/sinks.py, below
        if rawparse:
            plan.append(Row("raw SAX2 (Bench/rawparse.c)", data, [rawparse, RECORD_PATH, *data.files]))
        if xmllint and key in ("A", "A.gz"):
            plan.append(Row("xmllint --stream --noout", data, [xmllint, "--stream", "--noout", *data.files]))
        if key == "D":
            for extra in ([], ["--xlsx"]):
                out = os.path.join(runs_folder, f"{key}-j2{''.join(extra)}")
                plan.append(Row(" ".join(["onestop run --jobs 2", *extra]), data,
                                [onestop, "run", os.path.join(data.folder, "pipeline.yaml"), "--jobs", "2", *extra,
                                 "--quiet", "--history", "none", "--out", out], jobs=2))
            continue
        for jobs in (1, 2):
            out = os.path.join(runs_folder, f"{key}-j{jobs}")
            # No run history: these rows measure reading and counting; the databases have their own table.
            plan.append(Row(f"onestop run --jobs {jobs}", data,
                            [onestop, "run", os.path.join(data.folder, "pipeline.yaml"), "--jobs", str(jobs),
                             "--quiet", "--history", "none", "--out", out], jobs=jobs))
        if key == "A":
            shards = data.sources
            split = Split(shards, onestop, os.path.join(data.folder, "pipeline.yaml"),
                          os.path.join(runs_folder, f"{key}-shards"), os.path.join(runs_folder, f"{key}-j2"))
            plan.append(Row(f"onestop {shards} shards (--jobs 2) + merge", data, [onestop, "merge"], split=split))

    problems: list[str] = []
    load_before = load_average()
    for key in sets:
        rows = [row for row in plan if row.data.key == key]
        for rep in range(reps):
            for row in rows:
                log(f"run {rep + 1}/{reps}: {row.run} on {row.data.key}")
                if row.split:
                    result, stdout = row.split.run_once(time_bin), ""
                    if not same_outputs(row.split.single_out, row.split.merged_out):
                        problems.append(f"{row.run} on {key}: the merged output differs from the single run's "
                                        f"(diff -r {row.split.single_out} {row.split.merged_out})")
                else:
                    result, stdout = measure(row.command, time_bin)
                if row.best is None or result.seconds < row.best.seconds:
                    row.best = Measure(result.seconds, row.best.rss_kb if row.best else result.rss_kb,
                                       result.cpu_seconds)
                if row.best.rss_kb < result.rss_kb:
                    row.best.rss_kb = result.rss_kb  # peak RSS: the highest seen, not the best
                if row.command[0] == rawparse:
                    counted = int(stdout.split()[1])
                    if counted != row.data.manifest["records"]:
                        problems.append(f"rawparse counted {counted} records in {key}, generated {row.data.manifest['records']}")
                if row.jobs:
                    summary = os.path.join(row.command[row.command.index("--out") + 1], "summary.json")
                    with open(summary, encoding="utf-8") as handle:
                        accounting = json.load(handle)["accounting"]
                    if accounting["records_read"] != row.data.manifest["records"] or \
                            accounting["rejected"] != row.data.manifest["badRecords"]:
                        problems.append(f"{row.run} on {key}: records_read {accounting['records_read']}, rejected "
                                        f"{accounting['rejected']}; generated {row.data.manifest['records']} records, "
                                        f"{row.data.manifest['badRecords']} bad")

    database_lines: list[str] = []
    if "DB" in sets:
        database_lines, database_problems = sinks.measure_sinks(
            onestop, sets["DB"], data_root, reps, install, measure, time_bin, log)
        problems += database_problems
    loads = (load_before, load_average())
    text = report({key: data for key, data in sets.items() if key != "DB"}, plan, options, reps, onestop, loads)
    hostile, wrong = hostile_checks(onestop, os.path.join(data_root, "hostile"), os.path.join(options.data, "bin"),
                                    options.smoke, reps)
    problems += wrong
    text = text[:text.rindex("```")] + "\n".join(hostile) + "\n```"
    text += "\n" + "\n".join(database_lines) if database_lines else ""
    print(text, flush=True)
    saved = os.path.join(data_root, "last-bench.md")
    with open(saved, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    log(f"saved {saved}")

    if not options.keep_large and not options.smoke and "B" in sets:
        shutil.rmtree(sets["B"].folder, ignore_errors=True)
        log("removed set B (4 GB); --keep-large keeps it")
    if options.smoke:
        shutil.rmtree(data_root, ignore_errors=True)
    for problem in problems:
        log(f"error: {problem}")
    return 1 if problems else 0


def same_outputs(expected: str, actual: str) -> bool:
    return subprocess.run(["diff", "-r", "-q", expected, actual], capture_output=True).returncode == 0


def load_average() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as handle:
            return handle.read().split()[0]
    except OSError:
        return "?"


def report(sets: dict[str, DataSet], plan: list[Row], options, reps: int, onestop: str,
           loads: tuple[str, str]) -> str:
    title = "`make bench-smoke` (tiny data: the figures mean nothing)" if options.smoke else "`make bench`"
    lines = [f"{title} — {describe_machine(onestop)}; best of {reps} run{'s' if reps > 1 else ''}, warm cache; "
             f"load average {loads[0]} before, {loads[1]} after (other processes share the cores when it is "
             f"above 0: compare CPU s with time s).", ""]
    lines += ["| input | files | XML MB | on disk MB | records | distinct dossiers | records per dossier |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for data in sets.values():
        m = data.manifest
        lines.append(f"| {data.label} | {len(m['files'])} | {megabytes(data.xml_bytes)} | {megabytes(data.disk_bytes)} "
                     f"| {m['records']:,} | {m['dossiers']:,} | {m['records'] / m['dossiers']:.1f} |")
    lines += ["", "| command | input | time s | CPU s | MB/s | records/s | peak RSS MB | × raw SAX2 |",
              "|---|---|---:|---:|---:|---:|---:|---:|"]
    raw = {row.data.key: row for row in plan if row.run.startswith("raw")}
    for row in plan:
        ratio = f"{row.mb_per_s / raw[row.data.key].mb_per_s:.2f}" if row.data.key in raw else "–"
        lines.append(f"| {row.run} | {row.data.key} | {row.best.seconds:.2f} | {row.best.cpu_seconds:.2f} | {row.mb_per_s:,.0f} "
                     f"| {row.records_per_s:,.0f} | {row.best.rss_kb / 1024:,.1f} | {ratio} |")
    lines += ["", "MB/s are of uncompressed XML (for A.gz too); peak RSS is the highest of the runs. The shards row "
                  "is every shard run one after another plus the merge (time and CPU summed, peak RSS the largest "
                  "shard's).", ""]
    lines += ["```"] + checks(sets, plan) + ["```"]
    return "\n".join(lines)


def megabytes(count: int) -> str:
    value = count / 1e6
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def checks(sets: dict[str, DataSet], plan: list[Row]) -> list[str]:
    def find(key: str, prefix: str) -> Row | None:
        return next((r for r in plan if r.data.key == key and r.run.startswith(prefix)), None)

    out: list[str] = []

    def line(ok: bool | None, text: str) -> None:
        out.append(f"{'PASS' if ok else ('n/a ' if ok is None else 'FAIL')}  {text}")

    def ratio(key: str, a: str, b: str, target: float, text: str) -> None:
        top, bottom = find(key, a), find(key, b)
        if top is None or bottom is None:
            line(None, f"{text}: not measured")
            return
        value = top.mb_per_s / bottom.mb_per_s
        line(value >= target, f"{text}: {top.mb_per_s:,.0f} / {bottom.mb_per_s:,.0f} MB/s = {value:.2f} (target ≥ {target})")

    ratio("A", "onestop run --jobs 1", "raw", 0.8, "A .xml: --jobs 1 ≥ 0.8 × raw SAX2")
    ratio("A", "onestop run --jobs 2", "onestop run --jobs 1", 1.6, "A .xml: --jobs 2 ≥ 1.6 × --jobs 1")
    ratio("A.gz", "onestop run --jobs 1", "raw", 0.8, "A.gz: --jobs 1 ≥ 0.8 × raw SAX2 of the same .gz")
    ratio("S", "onestop run --jobs 2", "onestop run --jobs 1", 1.5, "S one file: --jobs 2 ≥ 1.5 × --jobs 1")
    # Not a target: with one worker a gzip file is inflated on the idle core, with two there is
    # none, so two workers gain less over one on gzip than on plain files. Shown, not judged.
    top, bottom = find("A.gz", "onestop run --jobs 2"), find("A.gz", "onestop run --jobs 1")
    if top and bottom:
        out.append(f"info  A.gz: --jobs 2 / --jobs 1 = {top.mb_per_s:,.0f} / {bottom.mb_per_s:,.0f} MB/s = "
                   f"{top.mb_per_s / bottom.mb_per_s:.2f} (--jobs 1 inflates on the idle core; --jobs 2 has none)")
    # docs/contract.md §7 / issue 3: 64 MB + 150 B per distinct dossier, "kept for deduplication, or held for
    # a file still being read": a file's versions are held until it is whole (R8), so up to
    # `jobs` files are held at once (all of a file read in pieces).
    def held(key: str, jobs: int) -> int:
        counts = sorted((f["records"] for f in sets[key].manifest["files"]), reverse=True)
        return sum(counts[:jobs])

    def limit(key: str, jobs: int) -> int:
        return MEMORY_BASE + MEMORY_PER_DOSSIER * (sets[key].manifest["dossiers"] + held(key, jobs))

    # Shards: what a cluster of N machines would take (slowest shard + merge), and memory per shard.
    for row in (r for r in plan if r.split):
        split, single = row.split, find(row.data.key, "onestop run --jobs 2")
        slowest = max(split.shard_best, key=lambda m: m.seconds)
        rss = [m.rss_kb / 1024 for m in split.shard_best]
        wall = slowest.seconds + split.merge_best.seconds
        out.append(f"info  {row.data.key}: {split.shards} shards + merge: slowest shard {slowest.seconds:.2f} s + merge "
                   f"{split.merge_best.seconds:.2f} s = {wall:.2f} s on {split.shards} machines"
                   + (f" vs {single.best.seconds:.2f} s for one run --jobs 2 ({single.best.seconds / wall:.1f} ×)"
                      if single else "")
                   + f"; all shards one after another {row.best.seconds:.2f} s")
        out.append(f"info  {row.data.key}: peak RSS per shard {min(rss):,.1f}–{max(rss):,.1f} MB"
                   + (f" vs {single.best.rss_kb / 1024:,.1f} MB for one run --jobs 2" if single else "")
                   + f"; merge {split.merge_best.rss_kb / 1024:,.1f} MB; partials {min(split.partial_bytes) / 1e3:,.0f}–"
                     f"{max(split.partial_bytes) / 1e3:,.0f} KB; merged output byte-identical to the single run's: "
                     f"{'yes' if same_outputs(split.single_out, split.merged_out) else 'NO'}")
    for key in sets:
        if key == "D":
            continue  # distinct codes cost memory of their own: checked below
        dossiers = sets[key].manifest["dossiers"]
        for jobs in (1, 2):
            row = find(key, f"onestop run --jobs {jobs}")
            if row:
                rss = row.best.rss_kb * 1024
                line(rss <= limit(key, jobs),
                     f"{key} --jobs {jobs}: peak RSS {rss / 2**20:,.1f} MB ≤ 64 MB + 150 B × ({dossiers:,} dossiers + "
                     f"{held(key, jobs):,} records held) = {limit(key, jobs) / 2**20:,.1f} MB")
    # Flat as files grow: B has A's dossiers in 4 × the XML. What may grow is only what the
    # larger files hold while they are read.
    for jobs in (1, 2):
        a, b = find("A", f"onestop run --jobs {jobs}"), find("B", f"onestop run --jobs {jobs}")
        if a and b:
            growth = (b.best.rss_kb - a.best.rss_kb) * 1024
            allowed = MEMORY_PER_DOSSIER * max(held("B", jobs) - held("A", jobs), 0)
            line(growth <= allowed,
                 f"flat memory, --jobs {jobs}: B (4 × the XML, same dossiers) peak RSS {b.best.rss_kb / 1024:,.1f} MB "
                 f"vs A's {a.best.rss_kb / 1024:,.1f} MB: +{growth / 2**20:,.1f} MB ≤ 150 B × "
                 f"{max(held('B', jobs) - held('A', jobs), 0):,} more records held by B's larger files "
                 f"= {allowed / 2**20:,.1f} MB")
    # The workbook is streamed: with 200,000 agency and procedure codes, --xlsx may add the
    # workbook writer's buffers, not memory that grows with the sheets' rows.
    plain, xlsx = find("D", "onestop run --jobs 2"), next((r for r in plan if r.run.endswith("--xlsx")), None)
    if plain and xlsx:
        extra = (xlsx.best.rss_kb - plain.best.rss_kb) * 1024
        line(extra <= XLSX_EXTRA_MEMORY,
             f"D: --xlsx peak RSS {xlsx.best.rss_kb / 1024:,.1f} MB vs {plain.best.rss_kb / 1024:,.1f} MB without: "
             f"{extra / 2**20:+,.1f} MB ≤ {XLSX_EXTRA_MEMORY / 2**20:,.0f} MB (the workbook does not grow with its rows)")
    return out


XLSX_EXTRA_MEMORY = 64 * 1024 * 1024


def describe_machine(onestop: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for text in handle:
                if text.startswith("model name"):
                    cpu = text.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            memory = f", {int(handle.readline().split()[1]) / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    libxml = subprocess.run(["pkg-config", "--modversion", "libxml-2.0"], capture_output=True, text=True).stdout.strip()
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    swift = swift.split("(")[0].replace("Swift version", "Swift").strip() if swift else "Swift ?"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    build = "debug" if "/debug/" in onestop else "release"
    return (f"commit {commit or '?'}{' (with local changes)' if dirty else ''}, {build} build; {cpu}, "
            f"{os.cpu_count()} cores{memory}; libxml2 {libxml or '?'}; {swift}; {time.strftime('%Y-%m-%d')}")


# ------------------------------------------------------------------------------------------
# Hostile inputs (issue 12, item 6): what made a step quadratic must now cost time linear in it
# ------------------------------------------------------------------------------------------

# The dossier store's hash before it was keyed, and a search for ids whose hashes share their
# top 8 bits: in its linear-probing index they formed one run that every commit walked.
CRAFT_IDS_C = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static uint64_t unkeyed(const unsigned char *b, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n, w;
    size_t i = 0;
    while (i + 8 < n) { memcpy(&w, b + i, 8); h = (h ^ w) * 0xBF58476D1CE4E5B9ull; h ^= h >> 31; i += 8; }
    memcpy(&w, b + n - 8, 8); h ^= w;
    h = (h ^ (h >> 29)) * 0x94D049BB133111EBull;
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ull;
    return (h ^ (h >> 32)) | 1;
}
int main(int argc, char **argv) {
    long n = atol(argv[1]), found = 0;
    int crafted = argv[2][0] == 'c';
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char id[13] = {0};
    uint64_t s = 88172645463325252ull;
    while (found < n) {
        for (int i = 0; i < 12; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; id[i] = alphabet[s % 36]; }
        if (!crafted || unkeyed(id, 12) >> 56 == 0xA5) { puts((char *)id); found++; }
    }
    return 0;
}
"""


def hostile_names(count: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    names = []
    for index in range(count):
        value, name = index, ""
        while True:
            name += letters[value % len(letters)]
            value = value // len(letters) - 1
            if value < 0:
                break
        names.append(name)
    return names


HOSTILE_RECORD = ("<HoSo><MaHoSo>{id}</MaHoSo><MaTTHC>1.004227</MaTTHC><DonViXuLy>X</DonViXuLy>"
                  "<NgayTiepNhan>20221115083000</NgayTiepNhan><NgayHenTra>20221125170000</NgayHenTra>"
                  "<TrangThaiHoSo>4</TrangThaiHoSo></HoSo>\n")


def hostile_export(body: str, prolog: str = "") -> str:
    return ('<?xml version="1.0"?>\n' + prolog + '<DanhSachHoSo NgayXuat="20221201020000">\n' + body
            + HOSTILE_RECORD.format(id="H-1") + "</DanhSachHoSo>\n")


def repeated(unit: str, size_mb: float) -> str:
    return unit * max(1, int(size_mb * 1e6 / len(unit)))


def hostile_checks(onestop: str, folder: str, bin_folder: str, smoke: bool, reps: int) -> tuple[list[str], list[str]]:
    """One line per case: onestop's time at size n and 2n (the ratio near 2, or near 1 when the
    file fails at once, is linear; a quadratic step gives near 4), and its verdict checked."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    scale = 0.02 if smoke else 1.0  # ids and sources
    lines: list[str] = []
    problems: list[str] = []
    catalogue = os.path.join(ROOT, "Fixtures", "demo", "catalogue.csv")
    dialects = os.path.join(ROOT, "Pipelines", "dialects")

    def pipeline(name: str, sources: list[str]) -> str:
        path = os.path.join(folder, name + ".yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"pipeline: {name}\nperiod: {{ from: 2022-01-01, to: 2022-12-31 }}\ntimezone: Asia/Ho_Chi_Minh\n"
                         f"catalogue: {catalogue}\ndialects: {dialects}\nsources:\n"
                         + "".join(f"  - {source}\n" for source in sources)
                         + f"rules: {{ maxRejectRate: none }}\noutput: {{ directory: {folder}/out-{name} }}\n")
        return path

    def timed(command: list[str]) -> tuple[float, int, str]:
        best, status, errors = math.inf, 0, ""
        for _ in range(reps):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            best = min(best, time.perf_counter() - started)
            status, errors = done.returncode, done.stderr
        return best, status, errors

    def case(label: str, sizes: tuple[float, float], unit: str, write, exit_code: int, phrase: str = "",
             command=None) -> None:
        times = []
        for size in sizes:
            path = os.path.join(folder, "in.xml")
            text = write(size)
            if text is not None:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
            run_command = command(size) if command else [onestop, "run", pipeline("hostile", ['{ name: h, level: province, '
                                                         f'dialect: dvcqg, files: ["{path}"] }}']), "--quiet"]
            seconds, status, errors = timed(run_command)
            times.append(seconds)
            if status != exit_code or phrase not in errors:
                problems.append(f"{label} at {size:,} {unit}: exit {status} (expected {exit_code}), {errors.strip()[-300:]}")
        ratio = times[1] / times[0]
        verdict = f"exit {exit_code}" + (f' "{phrase}"' if phrase else "")
        lines.append(f"{'PASS' if ratio <= 3.0 else 'FAIL'}  linear, {label}: {sizes[0]:,} {unit} {times[0]:.2f} s, "
                     f"{sizes[1]:,} {unit} {times[1]:.2f} s (× {ratio:.2f}; × 4 would be quadratic); {verdict}")

    def scaled(n: int) -> int:
        return max(1, int(n * scale))

    sizes_mb = (16, 32) if not smoke else (0.25, 0.5)

    log("hostile inputs (issue 12): each at two sizes")
    # Inputs that fail at once are as large as in the issue, also with --smoke; the others scale.
    names = hostile_names(400_000)
    case("6a one element with n attributes", (200_000, 400_000), "attributes",
         lambda n: hostile_export("<y " + " ".join(f'{a}=""' for a in names[:n]) + "/>\n"),
         65, "more than 1000 attributes")
    at_limit = "<y " + " ".join(f'{a}="v"' for a in names[:1000]) + "/>\n"
    case("6a n MB of elements with 1 000 attributes each", sizes_mb, "MB",
         lambda n: hostile_export(repeated(at_limit, n)), 0)
    scope = "".join(f'xmlns:p{i}="urn:{i}" ' for i in range(255))
    case("6a n MB of elements under 256 namespaces", sizes_mb, "MB",
         lambda n: hostile_export(f"<z {scope}>" + repeated("<y/>", n) + "</z>\n"), 0)
    defaults = "<!DOCTYPE DanhSachHoSo [<!ATTLIST y " + " ".join(f'{a} CDATA "v"' for a in names[:16]) + ">]>\n"
    case("6a n MB of elements with 16 DOCTYPE defaults each", sizes_mb, "MB",
         lambda n: hostile_export(repeated("<y/>", n), prolog=defaults), 0)
    case("6a an enumeration of n values", (40_000, 80_000), "values",
         lambda n: hostile_export("", prolog="<!DOCTYPE DanhSachHoSo [<!ATTLIST y a (" + "|".join(names[:n])
                                  + ") #IMPLIED>]>\n"),
         65, "alternatives ('|')")
    case("6a a CDATA section and an attribute of n MB full of '>'", (sizes_mb[0] / 4, sizes_mb[1] / 4), "MB",
         lambda n: hostile_export(f'<y a="{repeated("a > b ", n)}"><![CDATA[{repeated("a > b ", n)}]]></y>\n'), 0)

    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
    if compiler:
        os.makedirs(bin_folder, exist_ok=True)
        source = os.path.join(bin_folder, "craft_ids.c")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(CRAFT_IDS_C)
        craft = os.path.join(bin_folder, "craft_ids")
        run([compiler, "-O2", "-o", craft, source])
        for kind, label in (("c", "crafted to collide in the old index"), ("o", "ordinary")):
            def ids(n: int, kind: str = kind) -> str:
                listed = subprocess.run([craft, str(n), kind], capture_output=True, text=True, check=True).stdout.split()
                return hostile_export("".join(HOSTILE_RECORD.format(id=i) for i in listed))
            case(f"6b n dossier ids {label}", (scaled(200_000), scaled(400_000)), "ids", ids, 0)
    else:
        lines.append("n/a   6b dossier ids crafted to collide: no C compiler")

    def sources(n: int) -> None:
        pipeline("many", [f'{{ name: s{i}, level: district, dialect: dvcqg, files: ["{folder}/s{i}/*.xml"] }}'
                          for i in range(n)])
        return None
    case("6d onestop validate, n sources", (scaled(32_000), scaled(64_000)), "sources", sources, 0,
         command=lambda n: [onestop, "validate", os.path.join(folder, "many.yaml")])
    shutil.rmtree(folder, ignore_errors=True)
    return lines, problems


if __name__ == "__main__":
    sys.exit(main())
