#!/usr/bin/env python3
"""`make test-spark`: the Spark driver (deploy/spark/onestop_spark.py) on `local[2]` against a single run.

Installs what is missing — a Java runtime of version 17 or later (Debian's openjdk-17-jre-headless)
and pyspark from PyPI — then, on a generated set of 8 sources:

  1. one `onestop run` (with --monthly --xlsx): the reference output directory;
  2. the driver with 3 shards, partials returned to the driver as bytes: its output directory must
     be byte-identical to the reference (diff -r) and its exit code the same;
  3. the driver with its default shard count and --partials on a (here local) shared folder: the
     same checks, and one partial per shard left in the folder;
  4. the driver with --strict over a set with one broken export: the shard that reads it fails, so
     the driver must exit 65 as the single run does and write no output directory.

Any difference fails loudly: the diff is printed and the script exits 1.

    python3 deploy/spark/run_spark_test.py --onestop .build/debug/onestop
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DRIVER = os.path.join(HERE, "onestop_spark.py")
PYSPARK_REQUIREMENT = "pyspark>=3.5,<5"
JAVA_PACKAGE = "openjdk-17-jre-headless"


def log(message: str) -> None:
    print(f"test-spark: {message}", flush=True)


def fail(message: str) -> None:
    print(f"test-spark: FAIL: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# What Spark needs
# --------------------------------------------------------------------------------------------

def java_major() -> int | None:
    java = shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True)
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8" is Java 8


def ensure_java() -> None:
    major = java_major()
    if major is not None and major >= 17:
        return
    log(f"Java {major or 'not found'}; pyspark 4 needs 17 or later: installing {JAVA_PACKAGE}")
    apt = shutil.which("apt-get")
    if apt is None:
        fail(f"no Java 17 and no apt-get to install {JAVA_PACKAGE}: install a Java runtime ≥ 17")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, apt, "update", "-qq"], check=False)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run([*sudo, apt, "install", "-y", "-qq", JAVA_PACKAGE], env=env).returncode != 0:
        fail(f"apt-get install {JAVA_PACKAGE} failed")
    major = java_major()
    if major is None or major < 17:
        fail(f"installed {JAVA_PACKAGE} but `java -version` says {major}: put Java 17 first on PATH (or set JAVA_HOME)")


def ensure_pyspark(python: str) -> str:
    """Installs pyspark when missing; returns its spark-submit."""
    probe = [python, "-c", "import pyspark, os; print(pyspark.__version__); print(os.path.dirname(pyspark.__file__))"]
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        log(f"installing {PYSPARK_REQUIREMENT} from PyPI (about 450 MB, once)")
        pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", PYSPARK_REQUIREMENT]
        if subprocess.run(pip).returncode != 0 and subprocess.run([*pip, "--break-system-packages"]).returncode != 0:
            fail(f"pip could not install {PYSPARK_REQUIREMENT}")
        done = subprocess.run(probe, capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"pyspark installed but does not import: {done.stderr.strip()}")
    version, folder = done.stdout.split()
    log(f"pyspark {version}, Java {java_major()}")
    submit = os.path.join(folder, "bin", "spark-submit")
    if not os.access(submit, os.X_OK):
        fail(f"pyspark has no executable bin/spark-submit at {submit}")
    return submit


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------

def run(command: list[str], what: str, env: dict | None = None) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    log(f"{what}: exit {done.returncode} in {time.perf_counter() - started:.1f} s")
    return done


def show(done: subprocess.CompletedProcess) -> str:
    return f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-6000:]}"


def same_tree(expected: str, actual: str, what: str) -> None:
    if not os.path.isdir(actual):
        fail(f"{what}: no output directory {actual}")
    diff = subprocess.run(["diff", "-r", expected, actual], capture_output=True, text=True)
    if diff.returncode != 0:
        print(diff.stdout[-8000:], diff.stderr[-2000:], file=sys.stderr)
        fail(f"{what}: {actual} differs from the single run's {expected} (diff -r above)")
    files = sorted(os.listdir(actual))
    log(f"{what}: byte-identical to the single run ({len(files)} files: {', '.join(files)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onestop", required=True, help="the onestop binary to test")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs pyspark (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    options = parser.parse_args()
    onestop = os.path.abspath(options.onestop)
    if not os.access(onestop, os.X_OK):
        fail(f"{onestop} is not an executable (make build)")

    ensure_java()
    submit = ensure_pyspark(options.python)
    # Spark stays on the loopback interface: the test talks to nothing else.
    env = dict(os.environ, PYSPARK_PYTHON=options.python, PYSPARK_DRIVER_PYTHON=options.python,
               SPARK_LOCAL_IP="127.0.0.1")
    spark = [submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
             "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=127.0.0.1",
             "--conf", "spark.ui.showConsoleProgress=false", DRIVER]

    scratch = tempfile.mkdtemp(prefix="onestop-test-spark-")
    try:
        data = os.path.join(scratch, "set")
        generated = run([onestop, "generate", "--records", "12000", "--sources", "8", "--nights", "6", "--seed", "5",
                         "--dialects", os.path.join(ROOT, "Pipelines", "dialects"), "--out", data, "--quiet"],
                        "onestop generate --sources 8")
        if generated.returncode != 0:
            fail(f"onestop generate failed\n{show(generated)}")
        pipeline = os.path.join(data, "pipeline.yaml")
        outputs = ["--monthly", "--xlsx", "--dossiers"]

        single = run([onestop, "run", pipeline, "--out", os.path.join(scratch, "single"), "--quiet", *outputs],
                     "single onestop run")
        if single.returncode not in (0, 65):
            fail(f"the single run failed\n{show(single)}")

        by_bytes = run([*spark, pipeline, "--onestop", onestop, "--shards", "3",
                        "--out", os.path.join(scratch, "spark-bytes"), *outputs],
                       "Spark local[2], 3 shards, partials as task results", env)
        if by_bytes.returncode != single.returncode:
            fail(f"the driver exited {by_bytes.returncode}, the single run {single.returncode}\n{show(by_bytes)}")
        if len(re.findall(r"^shard \d+/3: ", by_bytes.stdout, re.MULTILINE)) != 3:
            fail(f"the driver did not report which sources each of the 3 shards took\n{show(by_bytes)}")
        same_tree(os.path.join(scratch, "single"), os.path.join(scratch, "spark-bytes"), "3 shards, bytes")

        shared = os.path.join(scratch, "shared-partials")
        by_path = run([*spark, pipeline, "--onestop", onestop, "--partials", shared,
                       "--out", os.path.join(scratch, "spark-shared"), *outputs],
                      "Spark local[2], default shards, partials on a shared folder", env)
        if by_path.returncode != single.returncode:
            fail(f"the driver exited {by_path.returncode}, the single run {single.returncode}\n{show(by_path)}")
        announced = re.search(r"(\d+) sources in (\d+) shards", by_path.stdout)
        if not announced or announced.group(1) != "8":
            fail(f"the driver did not announce 8 sources\n{show(by_path)}")
        written = sorted(name for name in os.listdir(shared) if name.endswith(".partial"))
        if len(written) != int(announced.group(2)):
            fail(f"{shared} holds {written}, expected one partial per shard ({announced.group(2)})")
        same_tree(os.path.join(scratch, "single"), os.path.join(scratch, "spark-shared"),
                  f"{announced.group(2)} shards, shared folder")

        # A broken export in one source, with --strict: no output anywhere, exit 65 from both.
        with open(os.path.join(data, "src03", "src03_20220301_0.xml"), "w", encoding="utf-8") as broken:
            broken.write("<DanhSachHoSo><HoSo><MaHoSo>cut off")
        strict_single = run([onestop, "run", pipeline, "--out", os.path.join(scratch, "strict-single"), "--quiet",
                             "--strict"], "single onestop run --strict, one broken export")
        strict_spark = run([*spark, pipeline, "--onestop", onestop, "--shards", "4", "--strict",
                            "--out", os.path.join(scratch, "strict-spark")],
                           "Spark local[2] --strict, one broken export", env)
        if strict_single.returncode != 65 or strict_spark.returncode != 65:
            fail(f"with a broken export and --strict the single run exited {strict_single.returncode} and the driver "
                 f"{strict_spark.returncode}; both must exit 65\n{show(strict_spark)}")
        # spark-submit sends the Python driver's standard error to its standard output.
        said = strict_spark.stdout + strict_spark.stderr
        if "src03_20220301_0.xml" not in said or "nothing merged" not in said:
            fail(f"the driver did not name the broken file and say nothing was merged\n{show(strict_spark)}")
        for folder in ("strict-single", "strict-spark"):
            if os.path.exists(os.path.join(scratch, folder)):
                fail(f"{folder} was written although a shard failed")
        log("--strict with a broken export: the driver exits 65, names the file, writes nothing")
        print("spark: 4 passed, 0 failed", flush=True)
        return 0
    finally:
        if options.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
