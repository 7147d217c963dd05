"""Opening the document a command names: one way for ``check``, ``render``, the exports and the preview."""

from __future__ import annotations

from pathlib import Path

from wbbrief.base.errors import UsageError
from wbbrief.document.model import Document
from wbbrief.document.parse import read_document


def document_file(path: Path) -> None:
    """A document a command names must be a file: one line (exit 2) if it is missing or a folder."""
    if not path.exists():
        raise UsageError(f"no such document: {path}")
    if not path.is_file():
        raise UsageError(f"not a document file: {path}")


def open_document(path: Path) -> Document:
    """The document a command names, read and parsed (``check``, ``render``, the exports, the preview);
    a missing or unreadable file is one line naming it."""
    document_file(path)
    try:
        return read_document(path, str(path))
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from err
