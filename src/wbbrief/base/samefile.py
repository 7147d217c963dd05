"""An output must never be one of the inputs: checked before anything is read or written.

``render notes.html -o notes.html`` (a Markdown file saved with another suffix), an output that
is a symbolic link to the document, or ``--reference-doc house.docx -o house.docx`` would replace
the user's only copy with what was made from it. Paths are compared by what they lead to (the
device and inode when both exist, else the resolved path), so a link or ``./`` changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wbbrief.base.errors import UsageError


def _same(output: Path, source: Path) -> bool:
    try:
        return os.path.samefile(output, source)
    except OSError:
        return os.path.realpath(output) == os.path.realpath(source)


def _files(paths: Iterable[Path | None]) -> list[Path]:
    """The paths given, with each folder's own files (a data folder, a template folder) added."""
    found: list[Path] = []
    for path in paths:
        if path is None:
            continue
        found.append(path)
        if os.path.isdir(path):
            try:
                found += [entry for entry in Path(path).iterdir() if not entry.is_dir()]
            except OSError:
                continue
    return found


def refuse_input_as_output(output: Path | None, inputs: Iterable[Path | None]) -> None:
    """A usage error (exit 2) if ``output`` is, or leads to, any of ``inputs`` or a file in an input folder."""
    if output is None or str(output) == "-":
        return
    if not os.path.lexists(output):
        return
    for source in _files(inputs):
        if _same(output, source):
            raise UsageError(
                f"{output}: the output is also an input ({source}); writing it would destroy it: name another output"
            )


# Every file this process has read as an input: ``write_atomic`` refuses to replace any of them,
# whichever command, folder or link leads there (a second guard behind the early checks).
READ: set[Path] = set()


def remember(path: Path) -> None:
    """Note ``path`` as an input of this run."""
    READ.add(Path(path))


def refuse_read(output: Path) -> None:
    """A usage error if ``output`` leads to a file read as an input in this run."""
    refuse_input_as_output(output, sorted(READ))
