"""The data files of a folder named with ``--data`` or ``data:``: its own files, nothing else.

A symbolic link in the folder that leads outside it is refused: ``data: .`` in a document's
front matter must not read, through a link planted beside the document, a file that naming the
link directly would be refused for. Only regular files are listed (a FIFO would never end).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wbbrief.base.errors import DataError

SUFFIXES = (".csv", ".txt", ".xlsx")


def folder_files(folder: Path) -> list[Path]:
    """The data files directly inside ``folder``, sorted; DataError for a link that leads outside it."""
    base = Path(os.path.realpath(folder))
    files = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() not in SUFFIXES:
            continue
        real = Path(os.path.realpath(entry))
        if not real.is_relative_to(base):
            raise DataError(f"{entry}: a link to a file outside the folder '{folder}'; name that file itself")
        try:
            mode = os.stat(real).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode):
            files.append(entry)
    return files
