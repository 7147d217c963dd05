"""Start-up, query and export timings for wbbrief, against the floors they are held to.

Run: `make bench` (or `.venv/bin/python benchmarks/run.py [--runs N] [--only NAME]`).
Prints the median wall time of each command (baseline and command alternated, so that the
machine's load hits both alike), its ratio to its baseline against the bound issue 15 sets, and
the peak memory (max RSS). Nothing here asserts: figures are for people to read. Say the machine's
load (`uptime`) with any figure you quote.
"""

from __future__ import annotations

import argparse
import os
import re
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


def _once(argv: Sequence[str], cwd: str | None) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one run; RSS from wait4, so each run is measured alone."""
    env = os.environ | {"COLUMNS": "100"}
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        detail = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"failed ({process.returncode}): {' '.join(argv)}\n{detail}")
    return elapsed, usage.ru_maxrss / 1024


def measure_pair(
    base: Sequence[str], target: Sequence[str], runs: int, cwd: str | None = None
) -> tuple[Measure, Measure]:
    """Alternate baseline and target runs (after a warm-up of each), so machine noise hits both alike."""
    _once(base, cwd)
    _once(target, cwd)
    samples: dict[str, list[tuple[float, float]]] = {"base": [], "target": []}
    for _ in range(runs):
        samples["base"].append(_once(base, cwd))
        samples["target"].append(_once(target, cwd))

    def summary(values: list[tuple[float, float]]) -> Measure:
        return Measure(statistics.median(t for t, _ in values), max(m for _, m in values))

    return summary(samples["base"]), summary(samples["target"])


def measure(argv: Sequence[str], runs: int, cwd: str | None = None) -> Measure:
    _once(argv, cwd)
    values = [_once(argv, cwd) for _ in range(runs)]
    return Measure(statistics.median(t for t, _ in values), max(m for _, m in values))


def row(name: str, m: Measure, base: Measure | None = None, bound: float | None = None) -> None:
    ratio = f"{m.median / base.median:5.2f}x" if base else "     "
    target = f"(bound {bound:.2f}x)" if bound else ""
    verdict = ""
    if base and bound:
        verdict = "ok" if m.median / base.median <= bound else "OVER"
    print(f"  {name:<58} {m.median * 1000:8.1f} ms  {m.peak_mb:7.1f} MB  {ratio} {target} {verdict}")


# The bounds (issue 15): a query command costs at most 1.5x the bare import of what it
# needs to print a table; --help at most 1.2x the import of Typer and Rich's console.
QUERY_FLOOR = "import typer, rich.console, rich.table"
HELP_FLOOR = "import typer, rich.console"
QUERY_BOUND = 1.5
HELP_BOUND = 1.2
FINDINGS_PEAK_MIB = 40
QUERIES = (
    ["findings", "--country", "albania"],
    ["threats", "--country", "albania"],
    ["cooperation", "--country", "serbia"],
    ["figures", "--country", "kosovo"],
    ["sources"],
    ["recommendations"],
)


def startup(runs: int) -> None:
    print("Start-up and queries (median wall time of alternated runs, peak RSS):")
    wbbrief = str(BIN / "wbbrief")
    floor_help, help_ = measure_pair([PY, "-c", HELP_FLOOR], [wbbrief, "--help"], runs)
    row(f"python -c '{HELP_FLOOR}'", floor_help)
    row("wbbrief --help", help_, floor_help, HELP_BOUND)
    for argv in QUERIES:
        floor, query = measure_pair([PY, "-c", QUERY_FLOOR], [wbbrief, *argv], runs)
        if argv == QUERIES[0]:
            row(f"python -c '{QUERY_FLOOR}'", floor)
        row(f"wbbrief {' '.join(argv)}", query, floor, QUERY_BOUND)
        if argv == QUERIES[0]:
            verdict = "ok" if query.peak_mb <= FINDINGS_PEAK_MIB else "OVER"
            print(f"  peak memory of findings: {query.peak_mb:.1f} MiB (bound {FINDINGS_PEAK_MIB} MiB) {verdict}")


def brief_document(folder: str) -> str:
    """A document the size of the regional brief: every finding as prose citing its figures by role,
    a chart per question of the threats, the findings and recommendations tables."""
    import csv

    from wbbrief.dataset.bundle import bundled_dir

    rows = list(csv.DictReader((bundled_dir() / "findings.csv").read_text(encoding="utf-8").splitlines()))
    figures = list(csv.DictReader((bundled_dir() / "figures.csv").read_text(encoding="utf-8").splitlines()))
    lines = ["---", "title: Security in the Western Balkans", "author: wbbrief benchmarks", "lang: en", "---", ""]
    topic = None
    for row in rows:
        if row["topic"] != topic:
            topic = row["topic"]
            lines += [f"## {topic.replace('-', ' ').capitalize()}", ""]
        text = re.sub(r"\{([a-z0-9-]+)\}", r"{stat}`\1`", row["text"])
        lines += [text, ""]
    for question in dict.fromkeys(f["question"] for f in figures if f["topic"] == "threats"):
        lines += ["```{chart} " + question, f":question: {question}", "```", ""]
    lines += ["```{findings}", ":country: albania", "```", "", "```{recommendations}", "```", ""]
    path = os.path.join(folder, "brief.md")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    return path


def check(runs: int) -> None:
    """`wbbrief check` of a document the size of the regional brief, against the same floor as the
    query commands (it reads the same data, and parses the document besides)."""
    print("Checking a document (median wall time of alternated runs, peak RSS):")
    with tempfile.TemporaryDirectory() as tmp:
        path = brief_document(tmp)
        with open(path, encoding="utf-8") as file:
            size = sum(1 for _ in file)
        floor, checked = measure_pair([PY, "-c", QUERY_FLOOR], [str(BIN / "wbbrief"), "check", path], runs)
        row(f"python -c '{QUERY_FLOOR}'", floor)
        row(f"wbbrief check (a {size}-line brief)", checked, floor, QUERY_BOUND)


def export(runs: int) -> None:
    wbbrief = BIN / "wbbrief"
    result = subprocess.run([str(wbbrief), "export-pdf", "--help"], capture_output=True)
    if result.returncode != 0:
        print("Export: wbbrief has no export-pdf command yet; skipped.")
        return
    print("Export (median wall time, peak RSS):")
    with tempfile.TemporaryDirectory() as tmp:
        env_date = ["--date", "2022-12-01"]
        subprocess.run(
            [str(wbbrief), "export-html", "-o", "b.html", *env_date], cwd=tmp, check=True, capture_output=True
        )
        weasy, pdf = measure_pair(
            [str(BIN / "weasyprint"), "--quiet", "b.html", "w.pdf"],
            [str(wbbrief), "export-pdf", "-o", "b.pdf", *env_date],
            runs,
            cwd=tmp,
        )
        row("weasyprint b.html b.pdf (typesetting alone)", weasy)
        row("wbbrief export-pdf (regional brief, end to end)", pdf, weasy, 1.15)
        verdict = "ok" if pdf.median < 2.0 and pdf.peak_mb < 200 else "OVER"
        print(f"  target: regional brief under 2 s and 200 MB: {pdf.median:.2f} s, {pdf.peak_mb:.0f} MB {verdict}")
        one = measure([str(wbbrief), "export-pdf", "--country", "albania", "-o", "al.pdf", *env_date], runs, cwd=tmp)
        row("wbbrief export-pdf --country albania", one)
        os.mkdir(os.path.join(tmp, "all"))
        every = measure(
            [str(wbbrief), "export-pdf", "--country", "all", "-o", "all", *env_date], max(1, runs // 3), cwd=tmp
        )
        row("wbbrief export-pdf --country all (7 briefs, parallel)", every)
        print(
            f"  seven sequential exports would take about {7 * one.median:.2f} s; "
            f"--country all took {every.median:.2f} s ({7 * one.median / every.median:.2f}x faster)"
        )


def render(runs: int) -> None:
    """`wbbrief render` of the regional brief's own document against WeasyPrint on the same HTML."""
    wbbrief = str(BIN / "wbbrief")
    print("Rendering a document (median wall time, peak RSS):")
    with tempfile.TemporaryDirectory() as tmp:
        date = ["--date", "2022-12-01"]
        subprocess.run([wbbrief, "new", "d"], cwd=tmp, check=True, capture_output=True)
        subprocess.run([wbbrief, "render", "d/brief.md", "-o", "r.html", *date], cwd=tmp, check=True)
        weasy, rendered = measure_pair(
            [str(BIN / "weasyprint"), "--quiet", "r.html", "w.pdf"],
            [wbbrief, "render", "d/brief.md", "-o", "r.pdf", *date],
            runs,
            cwd=tmp,
        )
        row("weasyprint r.html w.pdf (typesetting alone)", weasy)
        row("wbbrief render d/brief.md -o r.pdf (regional document)", rendered, weasy, 1.15)
        watch(tmp, max(3, runs // 3))


def watch(tmp: str, runs: int) -> None:
    """--watch, in this process as a user's terminal runs it: from a save to the fresh file on disk
    (polling every 0.2 s, so on average 0.1 s of the figure is the wait for the next poll)."""
    import queue
    import threading

    from wbbrief.render import author

    document = Path(tmp) / "d" / "brief.md"
    original = document.read_text(encoding="utf-8")
    for suffix in (".html", ".pdf"):
        said: queue.Queue[str] = queue.Queue()
        request = author.RenderRequest(document, Path(tmp) / f"watch{suffix}", date="2022-12-01")
        stop = runs + 1
        thread = threading.Thread(target=author.watch, args=(request, said.put), kwargs={"rounds": 10**9}, daemon=True)
        thread.start()
        said.get(timeout=60)  # the first render, warm-up
        times = []
        for n in range(stop - 1):
            edited = original.replace("This\nbrief sets out", f"This\nbrief (draft {n}) sets out", 1)
            start = time.perf_counter()
            document.write_text(edited, encoding="utf-8")
            message = said.get(timeout=60)
            times.append(time.perf_counter() - start)
            assert message.startswith("rendered"), message
        document.write_text(original, encoding="utf-8")
        median = statistics.median(times)
        if suffix == ".html":
            verdict = "ok" if median <= 0.3 else "OVER"
            print(f"  --watch: save -> fresh HTML {median * 1000:8.1f} ms  (target <= 300 ms) {verdict}")
        else:
            # WeasyPrint's own work on the very page the watch typesets: layout and the tagged PDF/UA.
            import datetime as dt

            from wbbrief.dataset.loading import load_bundle
            from wbbrief.render import brief, pdf

            options = brief.BriefOptions(date=dt.date(2022, 12, 1))
            html = brief.render_html(load_bundle(), options, for_print=True)
            layouts = []
            for _ in range(runs):
                start = time.perf_counter()
                pdf.html_to_pdf(html, variant="ua", day=options.date)
                layouts.append(time.perf_counter() - start)
            layout = statistics.median(layouts)
            verdict = "ok" if median <= layout + 0.2 else "OVER"
            print(
                f"  --watch: save -> fresh PDF  {median * 1000:8.1f} ms  (WeasyPrint's own layout "
                f"{layout * 1000:.0f} ms + 200 ms = {(layout + 0.2) * 1000:.0f} ms) {verdict}"
            )


def preview(runs: int) -> None:
    """`wbbrief preview` of the regional brief's document (`wbbrief new`) in headless chromium: from a
    save to the updated page loaded in the browser (bound 0.5 s), and the preview process's peak RSS
    (bound 200 MB), read from wait4 after Ctrl-C."""
    import signal
    import threading

    chromium = "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Live preview: the Python package playwright is not installed; skipped.")
        return
    if not os.path.exists(chromium):
        print(f"Live preview: no {chromium}; skipped.")
        return
    print("Live preview (median, peak RSS):")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run"]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([str(BIN / "wbbrief"), "new", "d"], cwd=tmp, check=True, capture_output=True)
        document = Path(tmp) / "d" / "brief.md"
        original = document.read_text(encoding="utf-8")
        argv = [str(BIN / "wbbrief"), "preview", "d/brief.md", "--no-open"]
        process = subprocess.Popen(argv, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert process.stdout is not None
        lines: list[tuple[float, str]] = []  # when the preview said each line
        starts = []
        times = []
        try:
            found = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
            if not found:
                sys.exit("wbbrief preview printed no URL")
            threading.Thread(
                target=lambda: lines.extend((time.perf_counter(), line) for line in process.stdout or ()), daemon=True
            ).start()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=flags)
                page = browser.new_page()
                page.goto(found.group(0), wait_until="load")
                page.wait_for_timeout(500)
                for n in range(runs):
                    edited = original.replace("This\nbrief sets out", f"This\nbrief (draft {n}) sets out", 1)
                    with page.expect_event("load", timeout=10_000):
                        start = time.perf_counter()
                        document.write_text(edited, encoding="utf-8")
                    times.append(time.perf_counter() - start)
                    starts.append(start)
                    if f"(draft {n})" not in page.inner_text("body"):
                        sys.exit(f"the page loaded without the edit: {lines[-3:]}")
                    page.wait_for_timeout(300)
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl-C, also when a run failed
            _, _, usage = os.wait4(process.pid, 0)
        peak = usage.ru_maxrss / 1024
        said = [when for when, line in lines if line.startswith("rendered in")][-runs:]
    median = statistics.median(times)
    rendered = statistics.median(when - start for when, start in zip(said, starts, strict=True))
    print(f"  preview: save -> render done (the process says so) {rendered * 1000:8.1f} ms")
    verdict = "ok" if median <= 0.5 else "OVER"
    print(f"  preview: save -> updated page in chromium {median * 1000:8.1f} ms  (bound <= 500 ms) {verdict}")
    verdict = "ok" if peak < 200 else "OVER"
    print(f"  preview: the process's peak memory {peak:7.1f} MB  (bound < 200 MB) {verdict}")


def languages(runs: int) -> None:
    """Every brief in every language (issue 12): `export-pdf --country all --lang all` across the
    machine's cores, against one brief's time × the number of briefs / cores (bound 1.1x)."""
    from wbbrief.dataset import countries
    from wbbrief.i18n import languages as bundled_languages

    wbbrief = str(BIN / "wbbrief")
    tags = list(bundled_languages())
    briefs = (1 + len(countries.all_countries())) * len(tags)
    cores = os.cpu_count() or 1
    print(f"Every language ({len(tags)} languages × {briefs // len(tags)} briefs = {briefs} PDFs, {cores} cores):")
    with tempfile.TemporaryDirectory() as tmp:
        day = ["--date", "2022-12-01"]
        singles = [
            measure([wbbrief, "export-pdf", "--country", "albania", "--lang", tag, "-o", f"{tag}.pdf", *day], runs, tmp)
            for tag in tags
        ]
        one = Measure(statistics.median(m.median for m in singles), max(m.peak_mb for m in singles))
        row("wbbrief export-pdf --country albania --lang TAG (median over languages)", one)
        os.mkdir(os.path.join(tmp, "all"))
        every = measure([wbbrief, "export-pdf", "--country", "all", "--lang", "all", "-o", "all", *day], 1, tmp)
        written = len(os.listdir(os.path.join(tmp, "all")))
        bound = briefs * one.median / cores
        ratio = every.median / bound
        row(f"wbbrief export-pdf --country all --lang all ({written} PDFs)", every)
        print(
            f"  {briefs} × one brief / {cores} cores = {bound:.2f} s; the batch took {every.median:.2f} s "
            f"({ratio:.2f}x, bound 1.10x {'ok' if ratio <= 1.1 else 'OVER'}); "
            f"{every.median / briefs * 1000:.0f} ms per brief"
        )


def word(runs: int) -> None:
    """`wbbrief export-docx` of the regional brief, end to end, against pandoc's own conversion of
    the same input: the pandoc JSON AST wbbrief gives pandoc (benchmarks/docx_input.py), charts
    already drawn. Our overhead is start-up, loading the data, composing and drawing the charts."""
    print("Word output (median wall time, peak RSS):")
    here = Path(__file__).resolve().parent
    wbbrief = BIN / "wbbrief"
    with tempfile.TemporaryDirectory() as tmp:
        ast = os.path.join(tmp, "ast.json")
        built = subprocess.run([PY, str(here / "docx_input.py"), ast], capture_output=True, text=True, check=True)
        reference = built.stdout.strip()
        from wbbrief.render.docx import pandoc_path

        pandoc_argv = [pandoc_path(), "-f", "json", "-t", "docx", "--sandbox", f"--reference-doc={reference}"]
        pandoc, ours = measure_pair(
            [*pandoc_argv, "-o", "p.docx", ast],
            [str(wbbrief), "export-docx", "--date", "2022-12-01", "-o", "w.docx"],
            runs,
            cwd=tmp,
        )
        size = os.path.getsize(ast) // 1024
        row(f"pandoc -f json -t docx (the regional brief's AST, {size} KB)", pandoc)
        row("wbbrief export-docx (regional brief, end to end)", ours, pandoc, 3.0)
        verdict = "ok" if ours.median <= 1.0 else "OVER"
        print(f"  target: under 1 s: {ours.median:.2f} s {verdict}")


def survey_file(path: str, respondents: int, variables: int = 300, seed: int = 0) -> None:
    """A Balkan-Barometer-shaped SPSS file: six countries, 4 strata per country, 20 clusters, a weight,
    and questions with five labelled answers and two user-missing codes (98, 99)."""
    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(seed)
    columns = {"country": rng.integers(1, 7, respondents).astype("float64")}
    columns["stratum"] = columns["country"] * 10 + rng.integers(1, 5, respondents)
    columns["psu"] = rng.integers(1, 21, respondents).astype("float64")
    columns["w"] = rng.uniform(0.3, 3.0, respondents)
    answers = [1.0, 2.0, 3.0, 4.0, 5.0, 98.0, 99.0]
    for i in range(1, variables - 3):
        columns[f"q{i}"] = rng.choice(answers, respondents, p=[0.3, 0.25, 0.2, 0.1, 0.05, 0.06, 0.04])
    names = ["Albania", "Bosnia and Herzegovina", "Kosovo", "Montenegro", "North Macedonia", "Serbia"]
    scale = ["Very much", "Somewhat", "Neither", "Not much", "Not at all", "Don't know", "Refused"]
    labels = {"country": {float(i + 1): name for i, name in enumerate(names)}}
    labels |= {f"q{i}": dict(zip(answers, scale, strict=True)) for i in range(1, 21)}
    pyreadstat.write_sav(
        pd.DataFrame(columns), path, variable_value_labels=labels,
        missing_ranges={f"q{i}": [98.0, 99.0] for i in range(1, 21)},
        column_labels={f"q{i}": f"Question {i}" for i in range(1, variables - 3)},
    )  # fmt: skip


def cpu(argv: Sequence[str], runs: int) -> float:
    """Median CPU time (user + system) of a command: on a shared machine, what load does not inflate."""
    times = []
    for _ in range(runs):
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(process.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def tabulate(runs: int) -> None:
    """`wbbrief tabulate`: 20 questions by country, weights, strata and clusters, from an SPSS file of
    6,000 respondents × 300 variables (target: 2 s and 400 MB end to end), then 6k, 60k and 600k
    respondents (× 30 variables, to keep the generated files small) to show the cost grows linearly."""
    wbbrief = str(BIN / "wbbrief")
    questions = [word for i in range(1, 21) for word in ("-q", f"q{i}")]
    design = ["-w", "w", "--strata", "stratum", "--cluster", "psu", "--country-var", "country"]
    print("Tabulating microdata (median wall time, peak RSS):")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bb6k.sav")
        survey_file(path, 6000)
        size = os.path.getsize(path) / 1e6
        one = measure([wbbrief, "tabulate", path, *questions, *design, "--survey", "bench", "--edition", "2024",
                       "-o", os.path.join(tmp, "out")], runs)  # fmt: skip
        row(f"wbbrief tabulate (6,000 × 300 .sav, {size:.0f} MB; 20 questions by country) -o DIR", one)
        verdict = "ok" if one.median <= 2.0 and one.peak_mb <= 400 else "OVER"
        print(f"  target: under 2 s and 400 MB: {one.median:.2f} s, {one.peak_mb:.0f} MB {verdict}")
        imports = [PY, "-c", "import pandas, scipy.special, pyreadstat, typer, rich.console"]
        floor = measure(imports, runs)
        row("python -c 'import pandas, scipy.special, pyreadstat, typer, rich.console'", floor)
        argv = [wbbrief, "tabulate", path, *questions, *design, "-f", "csv"]
        spent, alone = cpu(argv, runs), cpu(imports, runs)
        print(f"  CPU time (user + system): tabulate {spent:.2f} s, the imports alone {alone:.2f} s")
        previous = None
        for respondents in (6_000, 60_000, 600_000):
            path = os.path.join(tmp, f"bb{respondents}.sav")
            survey_file(path, respondents, variables=30)
            size = os.path.getsize(path) / 1e6
            argv = [wbbrief, "tabulate", path, *questions, *design, "-f", "csv", "--max-size", "1000"]
            m = measure(argv, max(3, runs // 3))
            above = cpu(argv, max(3, runs // 3)) - cpu(imports, max(3, runs // 3))
            growth = f"; {above / previous:.1f}x the work of the size before" if previous else ""
            row(f"wbbrief tabulate, {respondents:,} respondents × 30 ({size:.0f} MB) -f csv", m)
            print(f"    CPU time beyond the imports: {above:.2f} s{growth}")
            previous = above
            os.remove(path)


def subsetter() -> str:
    """Which font subsetter WeasyPrint uses here: HarfBuzz's is several times faster than fontTools'."""
    import ctypes.util

    return (
        "HarfBuzz-Subset"
        if ctypes.util.find_library("harfbuzz-subset")
        else "fontTools (libharfbuzz-subset0 not installed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    groups = ["startup", "check", "render", "preview", "export", "docx", "languages", "tabulate"]
    parser.add_argument("--only", choices=groups, help="run one group only")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"wbbrief benchmarks: {args.runs} runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"load average (1, 5, 15 min) at the start: {load}")
    print(f"font subsetting: {subsetter()}")
    if not shutil.which(str(BIN / "wbbrief")):
        sys.exit("wbbrief is not installed in this environment: run `make bench`")
    # pip compiles an installed wheel's modules to bytecode; do the same for an editable install,
    # so that the figures are what users see (PYTHONDONTWRITEBYTECODE would otherwise hide it).
    import compileall

    import wbbrief

    compileall.compile_dir(os.path.dirname(wbbrief.__file__), quiet=1)
    if args.only in (None, "startup"):
        startup(args.runs)
    if args.only in (None, "check"):
        check(args.runs)
    if args.only in (None, "render"):
        render(max(3, args.runs // 3))
    if args.only in (None, "preview"):
        preview(max(5, args.runs // 2))
    if args.only in (None, "export"):
        export(max(3, args.runs // 3))
    if args.only in (None, "docx"):
        word(args.runs)
    if args.only in (None, "languages"):
        languages(max(3, args.runs // 5))
    if args.only in (None, "tabulate"):
        tabulate(max(3, args.runs // 3))


if __name__ == "__main__":
    main()
