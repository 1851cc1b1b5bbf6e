#!/usr/bin/env python3
"""`make bench-scale`: the numbers behind README's "Sharding: measured, and a nation-year on paper".

Generates with `onestop generate` (in --data, default .build-bench-data/scale/, removed afterwards
unless --keep) and measures with /usr/bin/time -f '%e %M %U %S' (wall s, peak RSS, CPU):

  province   one province-year: 4 sources (a provincial centre, three district desks) holding
             --province-dossiers distinct dossiers (default 2.4 M: a nation's 150 M over 63
             provinces), each in 3 nightly exports on average — its shard's time, peak RSS and
             partial size (the single run over it is that one shard)
  region     --provinces provinces (default 8) × 4 sources, a twentieth of a province's dossiers each:
             one run against one shard per province (peak RSS per shard, slowest shard) and merge
  k          --partials sources (default 1,000) of a few records each, one shard per source: the
             merge of that many partials (time, peak RSS), checked byte for byte against one run

Every merge is compared with its single run (diff -r); a difference is an error (exit 1).

  python3 Bench/scale.py                              # ≈ 9 GB of data at most at once
  python3 Bench/scale.py --only k --partials 1000     # the 1,000-partial merge alone
  python3 Bench/scale.py --province-dossiers 500000   # a smaller province
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SEED = 2022


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Measure:
    seconds: float
    rss_mb: float
    cpu_seconds: float


def measure(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> Measure:
    report = f"/tmp/onestop-scale-time-{os.getpid()}-{time.monotonic_ns()}"
    try:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", report, *command],
                              capture_output=True, text=True)
        if done.returncode not in ok_codes:
            raise RuntimeError(f"{' '.join(command[:4])} … exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        with open(report, encoding="utf-8") as handle:
            elapsed, rss, user, system = handle.read().split()[-4:]
        return Measure(float(elapsed), int(rss) / 1024, float(user) + float(system))
    finally:
        if os.path.exists(report):
            os.unlink(report)


def generate(onestop: str, folder: str, **options) -> dict:
    if os.path.exists(os.path.join(folder, "generated.json")):
        with open(os.path.join(folder, "generated.json"), encoding="utf-8") as handle:
            manifest = json.load(handle)
        if all(manifest.get(key) == value for key, value in options.items() if key in manifest):
            log(f"{folder}: cached")
            return manifest
    shutil.rmtree(folder, ignore_errors=True)
    command = [onestop, "generate", "--seed", str(SEED), "--dialects", os.path.join(ROOT, "Pipelines", "dialects"),
               "--out", folder, "--quiet"]
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    with open(os.path.join(folder, "generated.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    log(f"{folder}: {manifest['xmlBytes'] / 1e9:.2f} GB of XML, {manifest['records']:,} records, "
        f"{manifest['dossiers']:,} dossiers, {len(manifest['files']):,} files in {time.perf_counter() - started:.0f} s")
    return manifest


def same_outputs(expected: str, actual: str) -> bool:
    return subprocess.run(["diff", "-r", "-q", expected, actual], capture_output=True).returncode == 0


def shard_command(onestop: str, pipeline: str, index: int, count: int, partial: str, jobs: int) -> list[str]:
    return [onestop, "run", pipeline, "--shard", f"{index}/{count}", "--partial", partial, "--jobs", str(jobs),
            "--quiet"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onestop", help="the onestop binary (default: a release build, built now)")
    parser.add_argument("--data", default=os.path.join(ROOT, ".build-bench-data", "scale"))
    parser.add_argument("--only", default="province,region,k", help="province, region, k (comma-separated)")
    parser.add_argument("--province-dossiers", type=int, default=2_400_000)
    parser.add_argument("--provinces", type=int, default=8)
    parser.add_argument("--partials", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    options = parser.parse_args()
    chosen = {name.strip() for name in options.only.split(",")}

    onestop = options.onestop
    if not onestop:
        subprocess.run(["swift", "build", "-c", "release", "--product", "onestop"], cwd=ROOT, check=True,
                       stdout=sys.stderr)
        bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        onestop = os.path.join(bin_path, "onestop")
    onestop = os.path.abspath(onestop)
    os.makedirs(options.data, exist_ok=True)
    with open("/proc/loadavg", encoding="utf-8") as handle:
        load_before = handle.read().split()[0]
    lines: list[str] = []
    problems: list[str] = []

    if "province" in chosen:
        folder = os.path.join(options.data, "province")
        dossiers = options.province_dossiers
        manifest = generate(onestop, folder, records=3 * dossiers, dossiers=dossiers, sources=4, nights=24)
        pipeline = os.path.join(folder, "pipeline.yaml")
        partial = os.path.join(options.data, "province.partial")
        # One shard of one: the work of a single run, and the partial it would send.
        shard = measure(shard_command(onestop, pipeline, 1, 1, partial, 2))
        size = os.path.getsize(partial)
        lines.append(
            f"province-year: {manifest['dossiers']:,} dossiers, {manifest['records']:,} records, "
            f"{manifest['xmlBytes'] / 1e9:.2f} GB of XML in {len(manifest['files'])} files of 4 sources | "
            f"one shard --jobs 2: {shard.seconds:.1f} s (CPU {shard.cpu_seconds:.1f} s), peak RSS "
            f"{shard.rss_mb:,.0f} MB | partial {size / 1e3:,.0f} KB ({size / manifest['dossiers']:.3f} B per dossier)")
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)

    if "region" in chosen:
        folder = os.path.join(options.data, "region")
        provinces = options.provinces
        dossiers = provinces * options.province_dossiers // 20
        manifest = generate(onestop, folder, records=3 * dossiers, dossiers=dossiers, sources=4 * provinces, nights=24)
        pipeline = os.path.join(folder, "pipeline.yaml")
        single_out = os.path.join(options.data, "region-single")
        single = measure([onestop, "run", pipeline, "--jobs", "2", "--quiet", "--out", single_out], (0, 65))
        partials = [os.path.join(options.data, f"region-{i}.partial") for i in range(1, provinces + 1)]
        shards = [measure(shard_command(onestop, pipeline, i, provinces, partials[i - 1], 2))
                  for i in range(1, provinces + 1)]
        merged_out = os.path.join(options.data, "region-merged")
        merge = measure([onestop, "merge", pipeline, *partials, "--quiet", "--out", merged_out], (0, 65))
        identical = same_outputs(single_out, merged_out)
        if not identical:
            problems.append(f"region: merged output differs from the single run (diff -r {single_out} {merged_out})")
        sizes = [os.path.getsize(path) for path in partials]
        slowest = max(shard.seconds for shard in shards)
        lines.append(
            f"region: {provinces} provinces × 4 sources, {manifest['dossiers']:,} dossiers, "
            f"{manifest['xmlBytes'] / 1e9:.2f} GB | single run --jobs 2: {single.seconds:.1f} s, peak RSS "
            f"{single.rss_mb:,.0f} MB | {provinces} shards --jobs 2: {min(s.seconds for s in shards):.1f}–{slowest:.1f} s, "
            f"peak RSS {min(s.rss_mb for s in shards):,.0f}–{max(s.rss_mb for s in shards):,.0f} MB, "
            f"one after another {sum(s.seconds for s in shards):.1f} s | merge {merge.seconds:.2f} s, "
            f"{merge.rss_mb:,.0f} MB | slowest shard + merge {slowest + merge.seconds:.1f} s | partials "
            f"{min(sizes) / 1e3:,.0f}–{max(sizes) / 1e3:,.0f} KB | identical: {'yes' if identical else 'NO'}")
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)

    if "k" in chosen:
        count = options.partials
        folder = os.path.join(options.data, f"k{count}")
        manifest = generate(onestop, folder, records=20 * count, dossiers=10 * count, sources=count, nights=4)
        pipeline = os.path.join(folder, "pipeline.yaml")
        single_out = os.path.join(options.data, f"k{count}-single")
        single = measure([onestop, "run", pipeline, "--jobs", "2", "--quiet", "--out", single_out], (0, 65))
        partials_folder = os.path.join(options.data, f"k{count}-partials")
        shutil.rmtree(partials_folder, ignore_errors=True)
        os.makedirs(partials_folder)
        partials = [os.path.join(partials_folder, f"shard-{i}.partial") for i in range(1, count + 1)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            shard_measures = list(pool.map(
                lambda i: measure(shard_command(onestop, pipeline, i, count, partials[i - 1], 1)), range(1, count + 1)))
        shards_wall = time.perf_counter() - started
        merged_out = os.path.join(options.data, f"k{count}-merged")
        merge = measure([onestop, "merge", pipeline, *partials, "--quiet", "--out", merged_out], (0, 65))
        identical = same_outputs(single_out, merged_out)
        if not identical:
            problems.append(f"k: merged output differs from the single run (diff -r {single_out} {merged_out})")
        total = sum(os.path.getsize(path) for path in partials)
        lines.append(
            f"{count:,} partials ({count:,} sources of {manifest['records'] // count} records): shards "
            f"{sum(m.seconds for m in shard_measures) / count * 1000:.0f} ms each ({shards_wall:.0f} s for all, "
            f"{os.cpu_count()} at a time), partials {total / 1e6:.1f} MB in all | merge {merge.seconds:.2f} s "
            f"(CPU {merge.cpu_seconds:.2f} s), peak RSS {merge.rss_mb:,.0f} MB | single run {single.seconds:.2f} s, "
            f"{single.rss_mb:,.0f} MB | identical: {'yes' if identical else 'NO'}")
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(partials_folder, ignore_errors=True)

    with open("/proc/loadavg", encoding="utf-8") as handle:
        load_after = handle.read().split()[0]
    print(f"`make bench-scale` — {os.cpu_count()} cores, load average {load_before} before, {load_after} after")
    for line in lines:
        print(f"- {line}")
    for problem in problems:
        log(f"error: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
