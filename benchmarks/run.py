"""Start-up, query and export timings for wbbrief, against the floors they are held to.

Run: `make bench` (or `.venv/bin/python benchmarks/run.py [--runs N] [--only NAME]`).
Prints the median wall time of each command and its ratio to its baseline, and the peak
memory (max RSS) of the export. Nothing here asserts: figures are for people to read.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
PY = sys.executable


@dataclass
class Measure:
    median: float
    peak_mb: float


def measure(argv: Sequence[str], runs: int, cwd: str | None = None) -> Measure:
    """Median wall time over ``runs`` (after one warm-up) and the largest child RSS seen."""
    times = []
    peak = 0.0
    env = os.environ | {"COLUMNS": "100"}
    subprocess.run(argv, capture_output=True, check=True, cwd=cwd, env=env)
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True, cwd=cwd, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = max(peak, after / 1024, before / 1024)
    return Measure(statistics.median(times), peak)


def row(name: str, m: Measure, base: Measure | None = None, bound: float | None = None) -> None:
    ratio = f"{m.median / base.median:5.2f}x" if base else "     "
    target = f"(bound {bound:.2f}x)" if bound else ""
    verdict = ""
    if base and bound:
        verdict = "ok" if m.median / base.median <= bound else "OVER"
    print(f"  {name:<58} {m.median * 1000:8.1f} ms  {m.peak_mb:7.1f} MB  {ratio} {target} {verdict}")


def startup(runs: int) -> None:
    print("Start-up and queries (median wall time, peak RSS):")
    floor_help = measure([PY, "-c", "import typer, rich.console"], runs)
    row("python -c 'import typer, rich.console'", floor_help)
    row("wbbrief --help", measure([str(BIN / "wbbrief"), "--help"], runs), floor_help, 1.5)
    floor_query = measure([PY, "-c", "import typer, rich.console, rich.table, pandas"], runs)
    row("python -c 'import typer, rich.console, rich.table, pandas'", floor_query)
    findings = measure([str(BIN / "wbbrief"), "findings", "--country", "albania"], runs)
    row("wbbrief findings --country albania", findings, floor_query, 1.15)


def export(runs: int) -> None:
    wbbrief = BIN / "wbbrief"
    result = subprocess.run([str(wbbrief), "export-pdf", "--help"], capture_output=True)
    if result.returncode != 0:
        print("Export: wbbrief has no export-pdf command yet; skipped.")
        return
    print("Export (median wall time, peak RSS):")
    with tempfile.TemporaryDirectory() as tmp:
        env_date = ["--date", "2022-12-01"]
        subprocess.run([str(wbbrief), "export-html", "-o", "b.html", *env_date], cwd=tmp, check=True)
        weasy = measure([str(BIN / "weasyprint"), "b.html", "w.pdf"], runs, cwd=tmp)
        row("weasyprint b.html b.pdf (typesetting alone)", weasy)
        pdf = measure([str(wbbrief), "export-pdf", "-o", "b.pdf", *env_date], runs, cwd=tmp)
        row("wbbrief export-pdf (regional brief, end to end)", pdf, weasy, 1.3)
        one = measure([str(wbbrief), "export-pdf", "--country", "albania", "-o", "al.pdf", *env_date], runs, cwd=tmp)
        row("wbbrief export-pdf --country albania", one)
        every = measure(
            [str(wbbrief), "export-pdf", "--country", "all", "-o", "all", *env_date], max(1, runs // 3), cwd=tmp
        )
        row("wbbrief export-pdf --country all (7 briefs, parallel)", every)
        print(
            f"  seven sequential exports would take about {7 * one.median:.2f} s; "
            f"--country all took {every.median:.2f} s ({7 * one.median / every.median:.2f}x faster)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--only", choices=["startup", "export"], help="run one group only")
    args = parser.parse_args()
    print(f"wbbrief benchmarks: {args.runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if not shutil.which(str(BIN / "wbbrief")):
        sys.exit("wbbrief is not installed in this environment: run `make bench`")
    if args.only in (None, "startup"):
        startup(args.runs)
    if args.only in (None, "export"):
        export(max(3, args.runs // 3))


if __name__ == "__main__":
    main()
