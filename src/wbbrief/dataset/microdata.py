"""Respondent-level survey files: SPSS (.sav, .zsav, .por), Stata (.dta), CSV and Excel (.xlsx).

SPSS and Stata files are read with pyreadstat, keeping what SPSS users rely on: variable labels,
value labels and user-missing codes ("Don't know" = 98, "Refused" = 99), which are read as the
codes they are (``user_missing=True``) so that the tabulation can leave them out of the base and
still list them. CSV and Excel files are read with pandas; they have no labels.

Every problem is one line naming the file and the variable (DataError, exit 1). The file is only
ever opened for reading.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import DataError
from wbbrief.base.record import record

if TYPE_CHECKING:
    import pandas as pd

SUFFIXES = (".sav", ".zsav", ".dta", ".por", ".csv", ".xlsx")
MAX_MB = 100  # larger files need --max-size: the largest opinion surveys are far below it


@record(frozen=False)
class Variable:
    name: str
    label: str = ""
    value_labels: dict[Any, str] = field(default_factory=dict)
    missing: list[tuple[Any, Any]] = field(default_factory=list)  # user-missing codes: (low, high) ranges
    kind: str = "numeric"  # numeric, string or date

    def is_user_missing(self, value: Any) -> bool:
        for low, high in self.missing:
            try:
                if low <= value <= high:
                    return True
            except TypeError:
                continue
        return False

    def describe(self) -> str:
        return f"'{self.name}'" + (f" ({self.label})" if self.label else "")


@record(frozen=False)
class Microdata:
    path: Path
    sha256: str
    variables: dict[str, Variable]
    rows: int
    file_label: str = ""
    frame: pd.DataFrame | None = None  # only the columns asked for

    def column(self, name: str) -> pd.Series:
        assert self.frame is not None
        return self.frame[name]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_file(path: Path, max_mb: float) -> str:
    """The file's kind from its suffix, after checking that it exists, is not too large and starts
    as such a file does."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{path}: cannot read '{suffix or path.name}' files (use {', '.join(SUFFIXES)})")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_mb * 1e6:
        raise DataError(
            f"{path}: the file is {size / 1e6:,.0f} MB, over the {max_mb:g} MB limit; pass --max-size "
            f"{math.ceil(size / 1e6)} to read it anyway"
        )
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
    except OSError as err:
        raise DataError(f"{path}: cannot read the file ({err.strerror})") from err
    expected = {
        ".sav": (head[:4] in (b"$FL2", b"$FL3"), "an SPSS .sav file"),
        ".zsav": (head[:4] == b"$FL3", "a compressed SPSS .zsav file"),
        ".dta": (head[:11] == b"<stata_dta>" or (len(head) > 1 and 104 <= head[0] <= 119), "a Stata .dta file"),
        ".por": (b"SPSS" in head or b"ASCII" in head, "an SPSS portable .por file"),
        ".xlsx": (head[:4] == b"PK\x03\x04", "an Excel .xlsx workbook"),
        ".csv": (head.count(0) <= max(1, len(head) // 100) and head[:4] not in (b"$FL2", b"PK\x03\x04"), "text"),
    }
    if not head:
        raise DataError(f"{path}: the file is empty")
    ok, what = expected[suffix]
    if not ok:
        raise DataError(f"{path}: this is not {what}, as its name says (is the suffix right?)")
    return suffix


def _reader(suffix: str) -> Any:
    """pyreadstat's reader for the suffix, keeping user-missing codes as values where the format has them
    (a portable file's reader takes no such option)."""
    import functools

    import pyreadstat

    if suffix == ".por":
        return pyreadstat.read_por
    read = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    return functools.partial(read, user_missing=True)


def _variables(meta: Any) -> dict[str, Variable]:
    labels = dict(zip(meta.column_names, meta.column_labels or [], strict=False))
    types = getattr(meta, "readstat_variable_types", {}) or {}
    formats = getattr(meta, "original_variable_types", {}) or {}
    ranges = getattr(meta, "missing_ranges", {}) or {}
    stata_missing = getattr(meta, "missing_user_values", {}) or {}
    variables = {}
    for name in meta.column_names:
        kind = "string" if types.get(name) == "string" else "numeric"
        if _is_date_format(str(formats.get(name, ""))):
            kind = "date"
        missing = [(r["lo"], r["hi"]) for r in ranges.get(name, [])]
        missing += [(v, v) for v in stata_missing.get(name, [])]
        variables[name] = Variable(
            name, str(labels.get(name) or ""), dict(meta.variable_value_labels.get(name, {})), missing, kind
        )
    return variables


_DATE_FORMATS = (
    "DATE", "ADATE", "EDATE", "JDATE", "SDATE", "QYR", "MOYR", "WKYR", "DATETIME", "YMDHMS", "TIME", "DTIME",
)  # fmt: skip


def _is_date_format(fmt: str) -> bool:
    """SPSS date formats (DATE11, ADATE10, ...) and Stata's (%td, %tc, %d, ...)."""
    upper = fmt.upper()
    if upper.startswith("%"):
        return upper[1:].startswith(("TD", "TC", "D"))
    return upper.rstrip("0123456789.").startswith(_DATE_FORMATS) and upper.rstrip("0123456789.") in _DATE_FORMATS


def read_metadata(path: Path, max_mb: float = MAX_MB) -> Microdata:
    """Variables and their labels, without the data (for --list)."""
    suffix = _check_file(path, max_mb)
    if suffix in (".csv", ".xlsx"):
        frame = _read_table(path, suffix, None)
        return Microdata(path, sha256(path), _plain_variables(frame), len(frame))
    try:
        _, meta = _reader(suffix)(str(path), metadataonly=True)
    except Exception as err:  # pyreadstat raises its own types for damaged or foreign files
        raise DataError(f"{path}: cannot read the file ({_reason(err)})") from err
    return Microdata(path, sha256(path), _variables(meta), int(meta.number_rows or 0), str(meta.file_label or ""))


def read(path: Path, columns: list[str], max_mb: float = MAX_MB) -> Microdata:
    """The columns named (which must exist: see ``find``), with the file's metadata."""
    suffix = _check_file(path, max_mb)
    if suffix in (".csv", ".xlsx"):
        header = {str(c): Variable(str(c)) for c in _read_table(path, suffix, None, rows=0).columns}
        wanted = list(dict.fromkeys(find(header, c, path).name for c in columns))
        frame = _read_table(path, suffix, wanted)
        return Microdata(path, sha256(path), header | _plain_variables(frame), len(frame), frame=frame[wanted])
    meta = read_metadata(path, max_mb)
    wanted = list(dict.fromkeys(find(meta.variables, c, path).name for c in columns))
    try:
        frame, full = _reader(suffix)(str(path), usecols=wanted)
    except Exception as err:
        raise DataError(f"{path}: cannot read the file ({_reason(err)})") from err
    # Stata's missing codes (.a to .z) are known only once the data are read.
    for name, codes in (getattr(full, "missing_user_values", None) or {}).items():
        if name in meta.variables and not meta.variables[name].missing:
            meta.variables[name].missing = [(code, code) for code in codes]
    meta.frame = frame
    meta.rows = len(frame)
    return meta


def _reason(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:200]


def _read_table(path: Path, suffix: str, columns: list[str] | None, rows: int | None = None) -> pd.DataFrame:
    import pandas as pd

    try:
        if suffix == ".xlsx":
            return pd.read_excel(path, usecols=columns, nrows=rows)
        with path.open("rb") as stream:
            first = stream.readline()
        # Whichever separates the header most: ',' (on a tie), ';' (Excel in a comma-decimal locale) or a tab.
        sep = max((",", ";", "\t"), key=lambda d: first.count(d.encode()))
        try:
            return pd.read_csv(path, usecols=columns, sep=sep, encoding="utf-8-sig", nrows=rows)
        except UnicodeDecodeError:
            return pd.read_csv(path, usecols=columns, sep=sep, encoding="cp1250", nrows=rows)
    except Exception as err:  # pandas and openpyxl raise many types for a damaged file
        raise DataError(f"{path}: cannot read the file ({_reason(err)})") from err


def _plain_variables(frame: pd.DataFrame) -> dict[str, Variable]:
    import pandas as pd

    variables = {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            kind = "date"
        elif pd.api.types.is_numeric_dtype(series):
            kind = "numeric"
        else:
            kind = "string"
        variables[str(name)] = Variable(str(name), kind=kind)
    return variables


def find(variables: dict[str, Variable], name: str, path: Path) -> Variable:
    """The variable called ``name`` (any case), or a DataError suggesting names and labels close to it."""
    if name in variables:
        return variables[name]
    folded = {v.casefold(): v for v in variables}
    if name.casefold() in folded:
        return variables[folded[name.casefold()]]
    by_label = [v for v in variables.values() if v.label and name.casefold() in v.label.casefold()]
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
    labels = {v.label.casefold(): v for v in variables.values() if v.label}
    close_labels = difflib.get_close_matches(name.casefold(), list(labels), n=3, cutoff=0.6)
    suggestions = [variables[folded[c]] for c in close] + by_label + [labels[c] for c in close_labels]
    suggestions = list({id(v): v for v in suggestions}.values())
    hint = f"; did you mean {', '.join(v.describe() for v in suggestions[:4])}?" if suggestions else ""
    return _missing_variable(path, name, hint)


def _missing_variable(path: Path, name: str, hint: str) -> Variable:
    raise DataError(f"{path}: no variable '{name}'{hint} (`wbbrief tabulate {path.name} --list` lists them)")


def value_label(variable: Variable, value: Any) -> str:
    """The label of a code, or the code itself as text (3.0 as '3')."""
    for key in (value, _as_number(value)):
        if key is not None and key in variable.value_labels:
            return str(variable.value_labels[key])
    number = _as_number(value)
    if number is not None and float(number).is_integer():
        return str(int(number))
    return str(value)


def _as_number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def listing(data: Microdata) -> list[dict[str, Any]]:
    """One row per variable: name, label, kind, value labels and user-missing codes (for --list)."""
    rows = []
    plain = Variable("")
    for v in data.variables.values():
        labels = "; ".join(f"{value_label(plain, code)} = {text}" for code, text in v.value_labels.items())
        missing = "; ".join(
            value_label(plain, lo) if lo == hi else f"{value_label(plain, lo)}–{value_label(plain, hi)}"
            for lo, hi in v.missing
        )
        rows.append({"variable": v.name, "label": v.label, "type": v.kind, "values": labels, "missing": missing})
    return rows
