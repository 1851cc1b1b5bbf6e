"""The hostile-input lines of `make bench` (issue 12, item 6): each input that once made a step
quadratic, at two sizes; onestop's time must grow linearly (near × 2 for twice the size, × 4
would be quadratic) and its verdict (exit code, message) must stay the same."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import time

from bench_common import ROOT, log, run


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
                                                         f'dialect: dvcqg, files: ["{path}"] }}']), "--quiet",
                                                         "--history", "none"]
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
