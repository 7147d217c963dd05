"""Keep the examples of the README and the manual real: rerun every `$ wbbrief ...` query shown in a
```console block of README.md and of every page under docs/ (docs/examples/ holds input files, not pages).

    python scripts/doc_examples.py           # rewrite the pages with the current output (`make docs-examples`)
    python scripts/doc_examples.py --check   # exit 1 and name every page whose examples are stale

tests/test_docs.py fails when a page and the tool disagree. Runs at 100 columns with no colour, as the
tests do. Export commands are shown, not rerun.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```console\n\$ (wbbrief [^\n]+)\n(.*?)```", re.DOTALL)
RERUN = ("findings", "threats", "cooperation", "figures", "sources", "recommendations", "tabulate")


def run(command: str) -> str:
    """The output a user sees for a command line of the manual (stdout and stderr, as a terminal shows)."""
    words = shlex.split(command)
    pipe_head = None
    if "|" in words:  # only `| head -N` is used in the examples
        at = words.index("|")
        pipe_head = int(words[at + 2].lstrip("-"))
        words = words[:at]
    env = os.environ | {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-m", "wbbrief", *words[1:]],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,  # example paths (docs/examples/...) are relative to the checkout
    )
    lines = (result.stdout + result.stderr).splitlines()
    if pipe_head is not None:
        lines = lines[:pipe_head]
    return "\n".join(line.rstrip() for line in lines)


def refreshed(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        command, old = match.group(1), match.group(2)
        if command.split()[1] not in RERUN:
            return match.group(0)
        output = run(command)
        if old.rstrip().endswith("..."):  # the page shows only the start of a long output
            shown = len(old.rstrip().splitlines()) - 1
            output = "\n".join(output.splitlines()[:shown]) + "\n..."
        return f"```console\n$ {command}\n{output}\n```"

    return BLOCK.sub(replace, text)


def pages() -> list[Path]:
    """README.md, then every Markdown page of the manual."""
    docs = ROOT / "docs"
    manual = [p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] != "examples"]
    return [ROOT / "README.md", *sorted(manual)]


if __name__ == "__main__":
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        raise SystemExit(__doc__)
    stale = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        now = refreshed(text)
        if now != text:
            stale.append(str(page.relative_to(ROOT)))
            if not check:
                page.write_text(now, encoding="utf-8")
    if check and stale:
        raise SystemExit("stale examples (run `make docs-examples`): " + ", ".join(stale))
