"""Keep the README's examples real: rerun every `$ wbbrief ...` query shown in a console block.

`python scripts/readme_examples.py` rewrites README.md with the current output;
`tests/test_readme.py` fails when the README and the tool disagree.
Runs at 100 columns with no colour, as the tests do. Export commands are shown, not rerun.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n\$ (wbbrief [^\n]+)\n(.*?)```", re.DOTALL)
RERUN = ("findings", "threats", "cooperation", "figures", "sources", "recommendations", "tabulate")


def run(command: str) -> str:
    """The output a user sees for a README command line (stdout and stderr, as a terminal shows)."""
    words = shlex.split(command)
    pipe_head = None
    if "|" in words:  # only `| head -N` is used in the README
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
        cwd=README.parent,  # example paths (docs/examples/...) are relative to the checkout
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
        if old.rstrip().endswith("..."):  # the README shows only the start of a long output
            shown = len(old.rstrip().splitlines()) - 1
            output = "\n".join(output.splitlines()[:shown]) + "\n..."
        return f"```console\n$ {command}\n{output}\n```"

    return BLOCK.sub(replace, text)


if __name__ == "__main__":
    README.write_text(refreshed(README.read_text(encoding="utf-8")), encoding="utf-8")
