"""What every part of `make bench` shares: paths, running and timing a command, the machine."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
RECORD_PATH = "DanhSachHoSo/HoSo"  # the dvcqg record path, from Pipelines/dialects/dvcqg.yaml
SEED = 2022
MEMORY_BASE = 64 * 1024 * 1024  # docs/contract.md §7: 64 MB …
MEMORY_PER_DOSSIER = 150  # … plus about 150 bytes per distinct dossier


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, **kwargs)


def apt_install(package: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    log(f"installing {package} (apt)")
    subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def find_tool(path_or_name: str, package: str, install: bool) -> str | None:
    def found() -> str | None:
        if os.path.isabs(path_or_name):
            return path_or_name if os.access(path_or_name, os.X_OK) else None
        return shutil.which(path_or_name)
    if found() or not install:
        return found()
    apt_install(package)
    return found()


@dataclass
class Measure:
    """One run: wall seconds, peak RSS (KiB) and CPU seconds (user + system, all threads)."""
    seconds: float
    rss_kb: int
    cpu_seconds: float = 0.0


def measure(command: list[str], time_bin: str | None, ok_codes: tuple[int, ...] = (0,)) -> tuple[Measure, str]:
    """Runs `command` once; wall time and peak RSS from /usr/bin/time -f '%e %M %U %S' (os.wait4
    without it). %e has centiseconds only: below one second (smoke data) the script's own clock
    is used instead."""
    started = time.perf_counter()
    if time_bin:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            done = subprocess.run([time_bin, "-f", "%e %M %U %S", "-o", report.name, *command],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - started
            if done.returncode not in ok_codes:
                raise RuntimeError(f"{' '.join(command[:3])} … exited {done.returncode}: {done.stderr.strip()[-2000:]}")
            elapsed, rss, user, system = report.read().split()[-4:]
            seconds = float(elapsed) if float(elapsed) >= 1.0 else wall
            return Measure(seconds, int(rss), float(user) + float(system)), done.stdout
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(command[:3])} … exited {code}: {err.read().strip()[-2000:]}")
        return Measure(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime), out.read()


@dataclass
class Runs:
    """Every run of one command: medians for time and CPU, the highest peak RSS."""
    measures: list[Measure] = field(default_factory=list)

    def add(self, measure: Measure) -> None:
        self.measures.append(measure)

    @property
    def seconds(self) -> float:
        return statistics.median(m.seconds for m in self.measures)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(m.cpu_seconds for m in self.measures)

    @property
    def rss_kb(self) -> int:
        return max(m.rss_kb for m in self.measures)

    def __bool__(self) -> bool:
        return bool(self.measures)


def paired_median(top: Runs, bottom: Runs, value) -> float:
    """The median over runs i of value(top[i], bottom[i]): runs measured one after the other share
    the machine's load, so their ratio is steadier than the ratio of two medians."""
    pairs = list(zip(top.measures, bottom.measures))
    return statistics.median(value(a, b) for a, b in pairs)


def load_average() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as handle:
            return handle.read().split()[0]
    except OSError:
        return "?"


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


def megabytes(count: int) -> str:
    value = count / 1e6
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def same_outputs(expected: str, actual: str) -> bool:
    return subprocess.run(["diff", "-r", "-q", expected, actual], capture_output=True).returncode == 0
