"""The golden outputs: what every brief and every query command gives today, kept so that a change
of structure can prove it changed nothing a reader sees.

    python scripts/golden.py write   # (re)write tests/golden/ — only for a change made on purpose
    python scripts/golden.py check   # compare; exit 1 and list what differs

What is kept, for a fixed date (2026-11-30), in every bundled language:
- the HTML of every brief (regional and the six countries), byte for byte;
- the text of every PDF (poppler's ``pdftotext -layout``) and every Word file (pandoc's plain text,
  footnotes included);
- the JSON of every query command (findings, threats, cooperation, figures, sources,
  recommendations), for the region and each country in English, with the three-editions example
  data, and for the region in each language; and each command's table at 100 columns in English.

The commands run in this process through the CLI (typer's test runner), so the check is of what a
user gets, whatever the modules behind it are called.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
DATE = "2026-11-30"
COUNTRIES = ["albania", "bosnia", "kosovo", "montenegro", "north-macedonia", "serbia"]
QUERIES = ["findings", "threats", "cooperation", "figures", "sources", "recommendations"]
BY_COUNTRY = {"findings", "threats", "cooperation", "figures"}
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "SOURCE_DATE_EPOCH": "1764460800"}
ENV["XDG_CONFIG_HOME"] = "/nonexistent/wbbrief-golden"  # no wbbrief.toml of the user (document.house)


def languages() -> list[str]:
    from wbbrief.i18n.registry import languages as bundled

    return sorted(bundled())


def _invoke(*args: str) -> str:
    from typer.testing import CliRunner

    from wbbrief.cli import app

    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"wbbrief {' '.join(args)} failed ({result.exit_code}): {result.output}")
    # A path the user typed is echoed in notes: written relative to the checkout, so that the set
    # compares equal wherever the checkout lies.
    return result.stdout.replace(str(ROOT), "<checkout>")


def _pdf_text(pdf: Path) -> str:
    run = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    return run.stdout


def _docx_text(docx: Path) -> str:
    import pypandoc

    return str(pypandoc.convert_file(str(docx), "plain", format="docx", extra_args=["--wrap=none"]))


def outputs() -> Iterator[tuple[str, str]]:
    """(relative path, text) of every golden output, made now."""
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext (poppler-utils) is needed for the golden outputs")
    editions = str(ROOT / "docs" / "examples" / "three-editions")
    for command in QUERIES:
        yield f"json/en/{command}.json", _invoke(command, "-f", "json")
        yield f"table/en/{command}.txt", _invoke(command)
        yield f"json/en/{command}-three-editions.json", _invoke(command, "-f", "json", "--data", editions)
        if command in BY_COUNTRY:
            for country in COUNTRIES:
                yield f"json/en/{command}-{country}.json", _invoke(command, "-f", "json", "--country", country)
    for lang in languages():
        if lang != "en":
            for command in QUERIES:
                yield f"json/{lang}/{command}.json", _invoke(command, "-f", "json", "--lang", lang)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for country in [None, *COUNTRIES]:
                name = country or "regional"
                chosen = ["--country", country] if country else []
                html = folder / f"{name}.html"
                _invoke("export-html", "--date", DATE, "--lang", lang, *chosen, "-o", str(html))
                yield f"html/{lang}/{name}.html", html.read_text(encoding="utf-8")
            _invoke("export-pdf", "--country", "all", "--date", DATE, "--lang", lang, "-o", str(folder / "pdf"))
            _invoke("export-docx", "--country", "all", "--date", DATE, "--lang", lang, "-o", str(folder / "docx"))
            for kind, read in (("pdf", _pdf_text), ("docx", _docx_text)):
                for file in sorted((folder / kind).iterdir()):
                    stem = file.stem.removeprefix("wb-security-brief").removesuffix(DATE).strip("-") or "regional"
                    yield f"{kind}/{lang}/{stem}.txt", read(file)


def write() -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for name, text in outputs():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {sum(1 for p in GOLDEN.rglob('*') if p.is_file())} golden files to {GOLDEN}")


def differences() -> list[str]:
    """One entry per golden output that differs or is new or missing, with a short diff."""
    found: list[str] = []
    made: set[str] = set()
    for name, text in outputs():
        made.add(name)
        path = GOLDEN / name
        if not path.exists():
            found.append(f"{name}: new (no golden file)")
            continue
        kept = path.read_text(encoding="utf-8")
        if kept != text:
            diff = difflib.unified_diff(kept.splitlines(), text.splitlines(), "golden", "now", n=1, lineterm="")
            found.append(f"{name}:\n" + "\n".join(list(diff)[:40]))
    for path in sorted(GOLDEN.rglob("*")):
        if path.is_file() and path.relative_to(GOLDEN).as_posix() not in made:
            found.append(f"{path.relative_to(GOLDEN).as_posix()}: missing (no longer made)")
    return found


def main(argv: list[str]) -> int:
    if argv[1:] == ["write"]:
        write()
        return 0
    if argv[1:] == ["check"]:
        found = differences()
        print("\n\n".join(found) if found else "golden outputs unchanged")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
