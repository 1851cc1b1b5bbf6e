"""`make bench`, databases: a province-year's figures and its dossiers (240 000 of them) kept in the
SQLite run history and sent to PostgreSQL, in seconds (issue 13).

A generated province-year is run once with --dossiers and no history; then the published output set
is sent with `onestop sink` — into a new history.sqlite, and to a private PostgreSQL server started
by scripts/postgres-test-server.sh (initdb in a temporary folder, stopped afterwards; PostgreSQL is
installed from Debian's packages when missing, unless --no-install). Each send is a whole run: read
back from the published files, then written in one transaction (COPY for PostgreSQL).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "postgres-test-server.sh")


def count_rows(path: str) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def stand_in_dossiers(output: str, rows: int) -> None:
    """dossiers.csv as the run writes it, for a build whose run does not write it yet."""
    columns = ["source", "dossier_id", "agency", "level", "procedure", "field", "channel", "return_method", "status",
               "received", "due", "effective_due", "ended", "supplement_requests", "digitised", "postal", "scope",
               "class", "days_late"]
    with open(os.path.join(output, "dossiers.csv"), "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for index in range(rows):
            writer.writerow([f"src{index % 4 + 1:02d}", f"000.00.{index % 40:02d}.H55-220101-{index:06d}",
                             f"000.00.{index % 40:02d}.H55", "district", f"1.00{index % 900:04d}", "Đất đai", "online",
                             "postal", "resolved", "2022-03-01T08:30:00+07:00", "2022-03-10T17:00:00+07:00",
                             "2022-03-10T17:00:00+07:00", "2022-03-09T10:00:00+07:00", str(index % 3), "true", "false",
                             "in_period", "resolved_on_time", "" if index % 5 else "2"])


def measure_sinks(onestop, data, root: str, reps: int, install: bool, measure, time_bin, log) -> tuple[list[str], list[str]]:
    """The Markdown lines of the databases table, and problems (a command that failed)."""
    problems: list[str] = []
    runs = os.path.join(root, "runs")
    os.makedirs(runs, exist_ok=True)
    output = os.path.join(runs, "DB")
    pipeline = os.path.join(data.folder, "pipeline.yaml")
    log("databases: the province-year run, then onestop sink")
    run_measure, _ = measure([onestop, "run", pipeline, "--dossiers", "--history", "none", "--quiet", "--out", output],
                             time_bin)
    with open(os.path.join(output, "summary.json"), encoding="utf-8") as handle:
        kept = json.load(handle)["accounting"]["kept"]
    note = ""
    if not os.path.exists(os.path.join(output, "dossiers.csv")):
        stand_in_dossiers(output, kept)
        note = (f"This build's run writes no dossiers.csv yet: a stand-in with the run's {kept:,} kept dossiers, "
                "in the columns of dossiers.csv, is sent.")
    figures = count_rows(os.path.join(output, "figures.csv"))
    dossiers = count_rows(os.path.join(output, "dossiers.csv"))

    lines = ["", f"Databases (issue 13): {data.label}; {figures:,} figure rows, {dossiers:,} dossier rows. {note}".rstrip(),
             "", "| command | time s | CPU s | rows/s | peak RSS MB |", "|---|---:|---:|---:|---:|",
             f"| onestop run --dossiers (no database) | {run_measure.seconds:.2f} | {run_measure.cpu_seconds:.2f} | – "
             f"| {run_measure.rss_kb / 1024:,.1f} |"]

    def best_of(label: str, command: list[str], before=None) -> None:
        best = None
        for rep in range(reps):
            if before:
                before()
            log(f"run {rep + 1}/{reps}: {label}")
            try:
                result, _ = measure(command, time_bin)
            except RuntimeError as error:
                problems.append(f"{label}: {error}")
                return
            if best is None or result.seconds < best.seconds:
                best = result
        rows = figures + dossiers
        lines.append(f"| {label} | {best.seconds:.2f} | {best.cpu_seconds:.2f} | {rows / best.seconds:,.0f} "
                     f"| {best.rss_kb / 1024:,.1f} |")

    history = os.path.join(runs, "DB-history.sqlite")

    def fresh_history() -> None:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(history + suffix):
                os.remove(history + suffix)

    best_of("onestop sink --history (a new SQLite history)", [onestop, "sink", output, "--history", history, "--quiet"],
            fresh_history)

    have_postgres = subprocess.run(["sh", SCRIPT, "install"] if install else ["sh", "-c", "ls /usr/lib/postgresql/*/bin/initdb"],
                                   capture_output=True).returncode == 0
    if not have_postgres:
        lines.append("| onestop sink --sink postgres | skipped: PostgreSQL is not installed | | | |")
        return lines, problems
    folder = tempfile.mkdtemp(prefix="onestop-bench-pg.")
    try:
        subprocess.run(["sh", SCRIPT, "start", folder], check=True, capture_output=True)
        with open(os.path.join(folder, "port"), encoding="utf-8") as handle:
            port = handle.read().strip()
        with open(os.path.join(folder, "password"), encoding="utf-8") as handle:
            password = handle.read().strip()
        url = f"postgres://onestop:{password}@/postgres?host={folder}&port={port}"
        send = ["env", f"ONESTOP_DATABASE_URL={url}", onestop, "sink", output, "--sink", "postgres", "--quiet"]
        best_of("onestop sink --sink postgres (Unix socket; first: schema made, then the run replaced)", send)
        tcp = f"postgres://onestop:{password}@127.0.0.1:{port}/postgres?sslmode=require"
        best_of("onestop sink --sink postgres (TCP, TLS)", ["env", f"ONESTOP_DATABASE_URL={tcp}", *send[2:]])
    except subprocess.CalledProcessError as error:
        lines.append(f"| onestop sink --sink postgres | skipped: the private server did not start ({error.stderr!r:.200}) | | | |")
    finally:
        subprocess.run(["sh", SCRIPT, "stop", folder], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
    return lines, problems
