"""Limits on what an untrusted file may make wbbrief do: sizes, entry counts, depths, pixels.

Every input is read through these guards before any parser sees it: only regular files (a FIFO
or /dev/zero never ends), no bigger than a limit the error names, and a zip archive (a Word
reference document, an .xlsx workbook) only after its directory says how much it unpacks to.
The manual's security model (docs/security.md) lists the same numbers.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from wbbrief.base.errors import DataError

if TYPE_CHECKING:
    import zipfile

MB = 1024 * 1024

DOCUMENT_BYTES = 1 * MB  # a Markdown document (a brief is 20 to 60 KB; Markdown costs ~500x its size at worst)
DATA_BYTES = 10 * MB  # one CSV or .xlsx data file (~30x its size in memory as rows)
IMAGE_BYTES = 20 * MB  # one image in a document
IMAGE_PIXELS = 40_000_000  # width x height of one PNG or JPEG (e.g. 8,000 x 5,000)
REFERENCE_BYTES = 20 * MB  # a Word reference document, as stored
REFERENCE_KEPT = 2 * MB  # the parts of it pandoc reads (styles, numbering, theme, fonts), unpacked
FRONT_MATTER_BYTES = 64 * 1024  # the YAML between the '---' lines
BIBLIOGRAPHY_BYTES = 5 * MB  # one .bib, CSL-JSON or CSL-YAML file (a large library is ~2 MB)
STYLE_BYTES = 1 * MB  # a CSL style (the bundled Chicago style is 243 KB)
BIBLIOGRAPHY_DEPTH = 32  # nesting of braces in a BibTeX entry, of arrays and objects in CSL-JSON, of XML in a style
YAML_DEPTH = 20  # nesting of mappings and sequences in the front matter
NESTING = 32  # nesting of Markdown blocks and emphasis, and of {only} directives
CELL_CHARS = 2_000  # one text cell of a data file (a question, an answer, a citation)
ZIP_UNPACKED = 200 * MB  # all entries of one zip archive, unpacked
XLSX_UNPACKED = 24 * MB  # all entries of one workbook, unpacked: openpyxl holds ~30x that as cells
ZIP_ENTRIES = 2_000  # entries in one zip archive
ZIP_RATIO = 200  # unpacked size / packed size of one entry (a zip bomb inflates ~1000x)


def size_text(limit: int) -> str:
    """'10 MB', '64 KB' or '500 bytes': how a limit is named in an error."""
    if limit >= MB and limit % MB == 0:
        return f"{limit // MB} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


def regular_file(path: Path, limit: int, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file no bigger than ``limit``; else a one-line DataError.

    A FIFO, a device (/dev/zero) or a folder is refused before it is opened: reading one may never end.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError as err:
        raise DataError(f"{path}: no such {what}") from err
    except OSError as err:
        raise DataError(f"{path}: cannot read the {what}: {err.strerror}") from err
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path}: not a regular file; only files are read as a {what}")
    if info.st_size > limit:
        raise DataError(f"{path}: the {what} is larger than the limit of {size_text(limit)}")
    return info.st_size


def read_limited(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (checked again while reading: it may grow)."""
    regular_file(path, limit, what)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as err:
        raise DataError(f"{path}: cannot read the {what}: {err.strerror}") from err
    if len(raw) > limit:
        raise DataError(f"{path}: the {what} is larger than the limit of {size_text(limit)}")
    return raw


def check_zip(archive: zipfile.ZipFile, name: str, unpacked: int = ZIP_UNPACKED, entries: int = ZIP_ENTRIES) -> None:
    """Refuse a zip archive whose directory promises too many entries or too many unpacked bytes.

    The directory can lie about sizes; ``open_member`` keeps reading honest.
    """
    infos = archive.infolist()
    if len(infos) > entries:
        raise DataError(f"{name}: the archive has {len(infos):,} entries; the limit is {entries:,}")
    total = 0
    for info in infos:
        total += info.file_size
        if total > unpacked:
            raise DataError(f"{name}: the archive unpacks to more than the limit of {size_text(unpacked)}")
        if info.compress_size and info.file_size > ZIP_RATIO * info.compress_size and info.file_size > MB:
            raise DataError(
                f"{name}: the entry '{info.filename}' unpacks {info.file_size // info.compress_size:,} times "
                f"its size (the limit is {ZIP_RATIO}); it looks like a zip bomb"
            )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One entry, read no further than the size its directory entry declares (checked by ``check_zip``)."""
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise DataError(f"{name}: the entry '{info.filename}' is larger than the archive says")
    return data


def check_zip_file(path: Path, unpacked: int = ZIP_UNPACKED) -> None:
    """``check_zip`` for a file on disk (a workbook openpyxl will read); a damaged zip is left to its reader."""
    import zipfile  # only for a workbook: the documents' and queries' paths never read a zip

    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, str(path), unpacked)
    except (zipfile.BadZipFile, OSError):
        return
