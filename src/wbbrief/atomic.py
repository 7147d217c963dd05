"""Write files atomically: a temporary file beside the target, then a rename.

A failed or interrupted export never leaves a partial file and never clobbers an existing one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from wbbrief.errors import OutputError


def check_writable_dir(folder: Path) -> None:
    """Fail early, with one clear line, before any expensive rendering."""
    if not folder.exists():
        raise OutputError(f"cannot write to '{folder}': the folder does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write to '{folder}': it is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to '{folder}': permission denied")


def ensure_dir(folder: Path) -> None:
    """Create an output folder (and its parents) the user named, or fail with one clear line."""
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as err:
            raise OutputError(f"cannot create '{folder}': {err.strerror}") from err
    check_writable_dir(folder)


def write_atomic(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` via a temporary file in the same folder and os.replace."""
    folder = path.parent if str(path.parent) else Path(".")
    check_writable_dir(folder)
    if path.is_dir():
        raise OutputError(f"cannot write to '{path}': it is a folder")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write to '{folder}': {err.strerror}") from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as err:  # includes KeyboardInterrupt: never leave the .part file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write '{path}': {err.strerror}") from err
        raise
    return path
