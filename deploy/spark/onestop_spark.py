#!/usr/bin/env python3
"""Run an onestop pipeline on Apache Spark: one Spark task per shard, merged on the driver.

Each task runs, on an executor,

    onestop run PIPELINE --shard I/N --partial FILE --quiet --jobs K

and returns its partial figures; the driver then runs

    onestop merge PIPELINE PARTIAL… [--out DIR] [output options]

whose output directory is byte-identical to one `onestop run PIPELINE` over the same exports.
onestop assigns sources to shards itself (whole sources, balanced by bytes; every shard computes
the same assignment from the files' sizes, and the merge checks that they agree), so the tasks
need no coordination: the pipeline, its catalogue, dialects and exports must only be at the same
paths on every executor (shared storage), and so must the onestop binary (or ship it with
`spark-submit --files /path/to/onestop`).

How a partial reaches the driver (`--partials`):
  - by default, as bytes in the task's result: the task writes the partial into a temporary folder
    on the executor and returns its content, the driver writes it into a temporary folder of its
    own. No shared writable storage is needed. A partial without dossier rows is small (hundreds
    of kilobytes for a province's year), so N partials stay far below `spark.driver.maxResultSize`
    (1 GiB by default);
  - with `--partials DIR`, a folder on storage shared by the executors and the driver, each task
    writes `DIR/shard-I-of-N.partial` and returns only its path. Use it with `--dossiers`: the
    partials then carry one row per dossier (about 200 bytes each) and can be gigabytes.

A task whose onestop exits with 75 (temporary failure) or is killed (e.g. out of memory) raises,
so Spark runs it again (`spark.task.maxFailures`); any other failure is the same on every try, so
the task returns it, and the driver prints every failed shard's messages, writes nothing and exits
with the first failed shard's exit code. Otherwise the driver exits with `onestop merge`'s code
(65 when a file could not be read to its end, as a single run would).

Usage (README, "Running on a cluster"):

    spark-submit --master MASTER --conf spark.task.cpus=2 deploy/spark/onestop_spark.py \\
        /shared/pipelines/nation-2022.yaml --onestop /opt/onestop/bin/onestop --out /shared/out/nation-2022

Exit codes are onestop's (0, 64, 65, 66, 70, 73, 75, 78); 64 also for bad driver options.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

#: onestop's "temporary failure" (sysexits EX_TEMPFAIL): worth running the task again.
EXIT_TEMPORARY = 75
EXIT_USAGE = 64
EXIT_INTERNAL = 70


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="onestop_spark.py",
        description="Run an onestop pipeline on Spark: one task per shard (onestop run --shard), "
                    "then onestop merge on the driver.")
    parser.add_argument("pipeline", help="the pipeline file, at the same path on the driver and every executor")
    parser.add_argument("--onestop", default="onestop",
                        help="the onestop binary: an absolute path present on every node, or a name found on "
                             "the executors' PATH or shipped with spark-submit --files (default: onestop)")
    parser.add_argument("--shards", type=int,
                        help="number of shards (default: the number of sources, at most 2 × the cluster's task "
                             "slots)")
    parser.add_argument("--partials",
                        help="folder on storage shared by the driver and the executors where shards write their "
                             "partials; default: partials travel as task results")
    parser.add_argument("--jobs", type=int,
                        help="onestop run --jobs of each shard (default: spark.task.cpus)")
    # Options of onestop run that change what a shard computes.
    parser.add_argument("--from", dest="period_from", help="onestop run --from (first day of the period)")
    parser.add_argument("--to", dest="period_to", help="onestop run --to (last day of the period)")
    parser.add_argument("--strict", action="store_true", help="onestop run --strict")
    # Options of onestop merge.
    parser.add_argument("--out", help="output directory of the merge (default: the pipeline's output.directory)")
    parser.add_argument("--monthly", action="store_true", help="write monthly.csv")
    parser.add_argument("--xlsx", action="store_true", help="write onestop.xlsx")
    parser.add_argument("--excel", action="store_true", help="CSVs with byte-order mark and CRLF")
    parser.add_argument("--dossiers", action="store_true",
                        help="write dossiers.csv (shards carry their dossier rows: prefer --partials)")
    parser.add_argument("--language", choices=("vi", "en"), help="language of report.html and the workbook")
    parser.add_argument("--as-of", dest="as_of", help="when freshness is judged (onestop merge --as-of)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    options = parser.parse_args(argv)
    if options.shards is not None and options.shards < 1:
        parser.error("--shards must be at least 1")
    if options.jobs is not None and options.jobs < 1:
        parser.error("--jobs must be at least 1")
    return options


def say(options: argparse.Namespace, message: str) -> None:
    if not options.quiet:
        print(message, flush=True)


def complain(message: str) -> None:
    print(f"onestop_spark: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# On the driver, before Spark
# --------------------------------------------------------------------------------------------

def driver_binary(name: str) -> str | None:
    """The onestop the driver runs (validate, merge): an absolute path, or found on PATH."""
    if os.path.isabs(name):
        return name if os.access(name, os.X_OK) else None
    return shutil.which(name) or (os.path.abspath(name) if os.path.sep in name and os.access(name, os.X_OK) else None)


def count_sources(onestop: str, pipeline: str) -> int:
    """The pipeline's sources, as `onestop validate` lists them; exits with its code when it fails."""
    done = subprocess.run([onestop, "validate", pipeline], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        complain(f"{pipeline} does not validate (onestop validate exited {done.returncode})")
        sys.exit(done.returncode)
    count = sum(1 for line in done.stdout.splitlines() if re.match(r"source \S+ \(", line))
    if count == 0:
        complain(f"onestop validate listed no source for {pipeline}")
        sys.exit(EXIT_INTERNAL)
    return count


# --------------------------------------------------------------------------------------------
# In a Spark task, on an executor
# --------------------------------------------------------------------------------------------

def executor_binary(name: str) -> str:
    """The onestop a task runs: an absolute path; else a file shipped with --files; else PATH."""
    if os.path.isabs(name):
        return name
    try:
        from pyspark import SparkFiles
        shipped = os.path.join(SparkFiles.getRootDirectory(), os.path.basename(name))
    except Exception:  # not in a Spark task (or no files shipped)
        shipped = ""
    if shipped and os.path.isfile(shipped):
        # Files shipped with --files may lose their execute bit on the way.
        if not os.access(shipped, os.X_OK):
            os.chmod(shipped, os.stat(shipped).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return shipped
    return shutil.which(name) or name


def shard_command(onestop: str, settings: dict, index: int, count: int, partial: str) -> list[str]:
    command = [onestop, "run", settings["pipeline"], "--shard", f"{index}/{count}", "--partial", partial,
               "--jobs", str(settings["jobs"])]
    if settings["period_from"]:
        command += ["--from", settings["period_from"]]
    if settings["period_to"]:
        command += ["--to", settings["period_to"]]
    if settings["strict"]:
        command.append("--strict")
    if settings["dossiers"]:
        command.append("--dossiers")
    return command


def run_shard(index: int, count: int, settings: dict) -> dict:
    """Runs shard `index` of `count`; returns its exit code, messages and partial (bytes or path)."""
    onestop = executor_binary(settings["onestop"])
    shared = settings["partials"]
    scratch = None if shared else tempfile.mkdtemp(prefix=f"onestop-shard-{index}-")
    partial = os.path.join(shared or scratch, f"shard-{index:0{len(str(count))}d}-of-{count}.partial")
    try:
        try:
            done = subprocess.run(shard_command(onestop, settings, index, count, partial),
                                  capture_output=True, text=True)
        except OSError as error:
            return {"index": index, "code": EXIT_INTERNAL, "stdout": "",
                    "stderr": f"cannot run {onestop} on this executor: {error}\n", "partial": None, "path": None}
        if done.returncode == EXIT_TEMPORARY or done.returncode < 0:
            # Raising makes Spark run the task again, on this or another executor.
            raise RuntimeError(f"shard {index}/{count}: onestop exited {done.returncode}, trying again: "
                               f"{done.stderr.strip()[-2000:]}")
        result = {"index": index, "code": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
                  "partial": None, "path": None}
        if done.returncode == 0:
            if shared:
                result["path"] = partial
            else:
                with open(partial, "rb") as handle:
                    result["partial"] = handle.read()
        return result
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Main, on the driver
# --------------------------------------------------------------------------------------------

def merge_command(onestop: str, options: argparse.Namespace, pipeline: str, partials: list[str]) -> list[str]:
    command = [onestop, "merge", pipeline, *partials]
    if options.out:
        command += ["--out", options.out]
    for flag in ("monthly", "xlsx", "excel", "dossiers", "quiet"):
        if getattr(options, flag):
            command.append(f"--{flag}")
    if options.language:
        command += ["--language", options.language]
    if options.as_of:
        command += ["--as-of", options.as_of]
    return command


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    pipeline = os.path.abspath(options.pipeline)
    onestop = driver_binary(options.onestop)
    if onestop is None:
        complain(f"the onestop binary '{options.onestop}' is not on this driver (give --onestop PATH)")
        return EXIT_USAGE
    sources = count_sources(onestop, pipeline)
    partials_folder = os.path.abspath(options.partials) if options.partials else None
    if partials_folder:
        os.makedirs(partials_folder, exist_ok=True)
        stale = [name for name in os.listdir(partials_folder) if name.endswith(".partial")]
        if stale:
            complain(f"{partials_folder} already holds partials ({', '.join(sorted(stale)[:3])}…): "
                     "give an empty folder, so no shard of another run is merged")
            return EXIT_USAGE

    from pyspark.sql import SparkSession  # imported late: --help and bad options need no JVM
    spark = SparkSession.builder.appName(f"onestop {os.path.basename(pipeline)}").getOrCreate()
    context = spark.sparkContext
    context.setLogLevel("WARN")
    task_cpus = int(context.getConf().get("spark.task.cpus", "1"))
    slots = max(1, context.defaultParallelism // task_cpus)
    shards = options.shards or max(1, min(sources, 2 * slots))
    settings = {
        "pipeline": pipeline, "onestop": options.onestop if not os.path.isabs(options.onestop) else onestop,
        "partials": partials_folder, "jobs": options.jobs or task_cpus, "period_from": options.period_from,
        "period_to": options.period_to, "strict": options.strict, "dossiers": options.dossiers,
    }
    say(options, f"{sources} sources in {shards} shards on {slots} task slot(s), onestop run --jobs {settings['jobs']}")
    try:
        results = (context.parallelize(range(1, shards + 1), shards)
                   .map(lambda index: run_shard(index, shards, settings))
                   .collect())
    finally:
        spark.stop()

    results.sort(key=lambda result: result["index"])
    failed = [result for result in results if result["code"] != 0]
    for result in results:
        taken = next((line for line in result["stdout"].splitlines() if line.startswith("shard ")), None)
        if taken:
            say(options, taken)
        for line in result["stderr"].splitlines():
            print(f"[shard {result['index']}/{shards}] {line}", file=sys.stderr)
    if failed:
        for result in failed:
            complain(f"shard {result['index']}/{shards} failed (onestop exited {result['code']}): nothing merged")
        return failed[0]["code"]

    with tempfile.TemporaryDirectory(prefix="onestop-partials-") as received:
        paths = []
        for result in results:
            if result["path"]:
                paths.append(result["path"])
                continue
            path = os.path.join(received, f"shard-{result['index']}.partial")
            with open(path, "wb") as handle:
                handle.write(result["partial"])
            paths.append(path)
        sys.stdout.flush()
        merged = subprocess.run(merge_command(onestop, options, pipeline, paths))
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
