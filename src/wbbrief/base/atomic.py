"""Write files atomically: a temporary file beside the target, then a rename.

A failed or interrupted export never leaves a partial file and never clobbers an existing one.
Only a regular file (or a new path) is ever replaced: a character device such as /dev/null or a
FIFO is written through, and a symbolic link keeps pointing where it did while its target is
replaced. ``-`` is standard output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from wbbrief.base.errors import OutputError
from wbbrief.base.samefile import refuse_read

STDOUT = "-"

# Temporary files being written by this process: a signal handler removes them before exiting
# (see workers.py), since it cannot wait for the `finally` that would.
PENDING: set[str] = set()


def is_stdout(path: Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def check_writable_dir(folder: Path) -> None:
    """Fail early, with one clear line, before any expensive rendering."""
    if not folder.exists():
        raise OutputError(f"cannot write to '{folder}': the folder does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write to '{folder}': it is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to '{folder}': permission denied")


def _mode(path: Path) -> int | None:
    """The file type and mode of what ``path`` leads to (through symbolic links), or None if nothing."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(f"cannot write to '{path}': {err.strerror}") from err


def _passes_through(mode: int | None) -> bool:
    return mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode))


def check_target(path: Path) -> None:
    """Everything that can be checked before rendering: the folder, and what the path is now."""
    if is_stdout(path):
        return
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"cannot write to '{path}': it is a folder")
    if mode is not None and not (stat.S_ISREG(mode) or _passes_through(mode)):
        raise OutputError(f"cannot write to '{path}': it is not a regular file, a FIFO or a character device")
    if not _passes_through(mode):
        check_writable_dir(Path(os.path.realpath(path)).parent)


def ensure_dir(folder: Path) -> None:
    """Create an output folder (and its parents) the user named, or fail with one clear line."""
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as err:
            raise OutputError(f"cannot create '{folder}': {err.strerror}") from err
    check_writable_dir(folder)


def write_stdout(content: bytes) -> None:
    """Bytes to standard output; a closed pipe is left to the CLI, which exits quietly."""
    stream = sys.stdout.buffer
    try:
        stream.write(content)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output: {err.strerror}") from err


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path``: via a temporary file in the same folder and os.replace for a
    regular file or a new path, straight through for a FIFO or a character device."""
    if is_stdout(path):
        write_stdout(content)
        return path
    check_target(path)
    refuse_read(path)  # never replace a file this run read as an input
    current = _mode(path)
    if _passes_through(current):  # opened by its own name: /dev/fd/63 from `>(...)` has no real path
        return _write_through(path, content)
    real = Path(os.path.realpath(path))  # for a symlink, its target: the link itself stays
    folder = real.parent
    # An existing file keeps its permissions (a brief kept at 600 stays 600); a new one gets the umask's.
    mode = stat.S_IMODE(current) if current is not None else 0o666 & ~_umask()
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write to '{folder}': {err.strerror}") from err
    PENDING.add(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException as err:  # includes KeyboardInterrupt: never leave the .part file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write '{path}': {err.strerror}") from err
        raise
    finally:
        PENDING.discard(temporary)
    return path


def _write_through(path: Path, content: bytes) -> Path:
    """A device or FIFO is not ours to replace: write into it, as the shell's `>` would."""
    try:
        with open(path, "wb") as stream:
            stream.write(content)
    except OSError as err:
        raise OutputError(f"cannot write '{path}': {err.strerror}") from err
    return path
