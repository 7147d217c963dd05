"""The manual's command reference, docs/reference/cli.md, written from the CLI's own help.

    python scripts/cli_reference.py           # rewrite docs/reference/cli.md (`make docs-reference`)
    python scripts/cli_reference.py --check   # exit 1 when the stored page differs from the help now

Every command and subcommand that `wbbrief -h` lists, found by walking the Click command tree, with
its `-h` output exactly as a user's terminal gets it at 100 columns with no colour (each one a fresh
process: the help Click writes for the real program, not a test runner's). tests/test_docs.py fails
when the stored page and this script disagree, so the reference cannot drift from the CLI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "reference" / "cli.md"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
# The console script's name in the usage line, whichever way Python was started.
RUN = "import sys; sys.argv[0] = 'wbbrief'; from wbbrief.cli import main; main()"

HEADER = """\
# Command reference

<!-- Written by scripts/cli_reference.py from the CLI's own help; do not edit by hand.
     `make docs-reference` rewrites it; tests/test_docs.py fails when it differs from the help. -->

Every command's help, as `wbbrief COMMAND -h` prints it in a terminal 100 columns wide. The rest of
this manual explains what the options are for; this page is what the program itself says.
"""


def command_paths() -> list[tuple[str, ...]]:
    """Every command path, the root first, then each command and its subcommands in `-h` order."""
    import typer
    import typer.main

    from wbbrief.cli import app

    # Typer carries its own copy of Click: its groups are told by what they do, not by click.Group.
    def walk(command: Any, path: tuple[str, ...], parent: typer.Context | None) -> list[tuple[str, ...]]:
        found = [path]
        if hasattr(command, "list_commands"):
            context = typer.Context(command, info_name=path[-1] if path else "wbbrief", parent=parent)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    found += walk(sub, (*path, name), context)
        return found

    return walk(typer.main.get_command(app), (), None)


def help_text(path: tuple[str, ...]) -> str:
    """`wbbrief PATH -h` as the terminal shows it, trailing spaces removed."""
    result = subprocess.run(
        [sys.executable, "-c", RUN, *path, "-h"],
        capture_output=True,
        text=True,
        env=os.environ | ENV,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"wbbrief {' '.join(path)} -h failed: {result.stderr.strip()}")
    return "\n".join(line.rstrip() for line in result.stdout.rstrip().splitlines())


def page() -> str:
    paths = command_paths()
    with ThreadPoolExecutor(max_workers=4) as pool:
        helps = list(pool.map(help_text, paths))
    sections = []
    for path, text in zip(paths, helps, strict=True):
        command = " ".join(("wbbrief", *path))
        sections.append(f"## {command}\n\n```text\n$ {command} -h\n{text}\n```\n")
    return HEADER + "\n" + "\n".join(sections)


if __name__ == "__main__":
    now = page()
    if sys.argv[1:] == ["--check"]:
        if PAGE.read_text(encoding="utf-8") != now:
            raise SystemExit(f"{PAGE.relative_to(ROOT)} differs from the CLI's help: run `make docs-reference`")
    elif sys.argv[1:]:
        raise SystemExit(__doc__)
    else:
        PAGE.write_text(now, encoding="utf-8")
