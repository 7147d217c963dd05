"""The YAML front matter of a document: known keys only, typed, with data paths kept in its folder."""

from __future__ import annotations

import datetime
import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, cast

from wbbrief.base import limits
from wbbrief.document import house, yamlfast
from wbbrief.document.model import Diagnostic, FrontMatter, Position

KEYS = ("title", "subtitle", "author", "date", "lang", "country", "variant", "data", "level", "bibliography", "csl",
        *house.KEYS)  # fmt: skip
BIBLIOGRAPHY_SUFFIXES = (".bib", ".json", ".yaml", ".yml")  # BibTeX, CSL-JSON, CSL-YAML (issue 18)
_LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def parse_front_matter(text: str, first_line: int, path: Path, file: str) -> tuple[FrontMatter, list[Diagnostic]]:
    """Validate the YAML between the ``---`` lines; ``first_line`` is the file line of its first line."""
    problems: list[Diagnostic] = []

    def at(mark: Any) -> Position:
        return Position(first_line + int(mark.line), int(mark.column) + 1)

    def problem(position: Position, message: str, code: str = "front-matter") -> None:
        problems.append(Diagnostic(file, position, "error", code, message))

    small = len(text.encode("utf-8")) <= limits.FRONT_MATTER_BYTES
    read, fast = yamlfast.compose(text) if small else (False, None)
    root: Any = fast  # a node of either reader: the same kind, value, style and marks
    if not read:  # outside the subset the fast reader takes (or too large): PyYAML reads it, and says why not
        import yaml

        from wbbrief.document.yamlguard import refusal

        try:
            refused = refusal(text)
            if refused is not None:
                problem(at(refused[0]) if refused[0] is not None else Position(first_line, 1), refused[1])
                return FrontMatter(), problems
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            where = at(mark) if mark is not None else Position(first_line, 1)
            problem(where, f"the front matter is not valid YAML: {err.problem or err.context}", "bad-yaml")
            return FrontMatter(), problems
        except yaml.YAMLError as err:
            problem(Position(first_line, 1), f"the front matter is not valid YAML: {err}", "bad-yaml")
            return FrontMatter(), problems
    if root is None:
        return FrontMatter(), problems
    if root.id != "mapping":
        problem(at(root.start_mark), "the front matter must be 'key: value' lines")
        return FrontMatter(), problems

    values: dict[str, Any] = {}
    located: dict[str, Position] = {}
    seen: set[str] = set()
    for key_node, value_node in root.value:
        key = key_node.value if key_node.id == "scalar" else None
        if not isinstance(key, str) or key not in KEYS:
            near = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f"; known keys: {', '.join(KEYS)}"
            problem(at(key_node.start_mark), f"unknown front matter key '{key}'{hint}", "unknown-key")
            continue
        if key in seen:
            problem(at(key_node.start_mark), f"'{key}' is given twice")
            continue
        seen.add(key)

        def report(position: Position, message: str, key: str = key) -> None:
            problem(position, f"{key}: {message}")

        result = _CHECKS[key](value_node, at, path, report)
        if result is not None:
            values[key] = result
            if value_node.id == "scalar" and value_node.start_mark.line == value_node.end_mark.line:
                quoted = 1 if value_node.style in ("'", '"') else 0
                start = at(value_node.start_mark)
                located[key] = Position(start.line, start.col + quoted)
    return FrontMatter(**values, where=located), problems


Report = Callable[[Position, str], None]
At = Callable[[Any], Position]


def _scalar(node: Any) -> Any:
    """A scalar node's value as PyYAML's safe loader constructs it; a node of any other kind as it is."""
    if node.id != "scalar":
        return node
    if isinstance(node, yamlfast.Node):
        try:
            return yamlfast.construct(node)
        except ValueError:  # as below
            return node.value
    import yaml

    try:
        return yaml.SafeLoader("").construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError):  # '2022-02-30' looks like a date but is none
        return node.value


def _text(node: Any, at: At, path: Path, report: Report) -> str | None:
    value = _scalar(node)
    if not isinstance(value, str):
        report(at(node.start_mark), "must be text (put it in quotes)")
        return None
    return value


def _lang(node: Any, at: At, path: Path, report: Report) -> str | None:
    value = _text(node, at, path, report)
    if value is not None and not _LANG.fullmatch(value):
        report(at(node.start_mark), f"'{value}' is not a language tag such as 'en' or 'sq-AL'")
        return None
    return value


def _date(node: Any, at: At, path: Path, report: Report) -> datetime.date | None:
    value = _scalar(node)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        report(at(node.start_mark), f"'{value}' is not a date (YYYY-MM-DD)")
        return None


def _country(node: Any, at: At, path: Path, report: Report) -> str | None:
    from wbbrief.base.errors import UsageError
    from wbbrief.dataset import countries

    value = _text(node, at, path, report)
    if value is None:
        return None
    try:
        return countries.resolve(value)
    except UsageError as err:
        report(at(node.start_mark), str(err))
        return None


def _variant(node: Any, at: At, path: Path, report: Report) -> Literal["ua", "a3"] | None:
    value = _text(node, at, path, report)
    if value not in (None, "ua", "a3"):
        report(at(node.start_mark), f"'{value}' is not a variant: ua (PDF/UA-1) or a3 (PDF/A-3u)")
        return None
    return cast(Literal["ua", "a3"] | None, value)


def _level(node: Any, at: At, path: Path, report: Report) -> float | None:
    """The confidence level of the document's tests (issue 17): a number such as 0.95 or 0.9."""
    value = _scalar(node)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.5 <= value < 1:
        report(at(node.start_mark), f"'{value}' is not a confidence level between 0.5 and 1, such as 0.95")
        return None
    return float(value)


def _data(node: Any, at: At, path: Path, report: Report) -> tuple[Path, ...] | None:
    items = node.value if node.id == "sequence" else [node]
    paths = []
    for item in items:
        text = _text(item, at, path, report)
        if text is None:
            continue
        resolved = inside_folder(path.parent, text)
        if isinstance(resolved, str):
            report(at(item.start_mark), resolved)
        else:
            paths.append(resolved)
    return tuple(paths)


def _bibliography(node: Any, at: At, path: Path, report: Report) -> tuple[Path, ...] | None:
    """Bibliography files in the document's folder: BibTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml)."""
    found = _data(node, at, path, report)
    kept = tuple(p for p in found or () if p.suffix.lower() in BIBLIOGRAPHY_SUFFIXES and p.is_file())
    if found is not None and len(kept) < len(found):
        report(at(node.start_mark), "each file must be a .bib (BibTeX), .json (CSL-JSON) or .yaml (CSL-YAML) file")
    return kept


def _csl(node: Any, at: At, path: Path, report: Report) -> Path | None:
    """A CSL style file (.csl) in the document's folder."""
    text = _text(node, at, path, report)
    found = inside_folder(path.parent, text) if text is not None else None
    if isinstance(found, str):
        report(at(node.start_mark), found)
    elif found is not None and (found.suffix.lower() != ".csl" or not found.is_file()):
        report(at(node.start_mark), f"'{text}' is not a CSL style file (.csl)")
    else:
        return found
    return None


def inside_folder(folder: Path, relative: str) -> Path | str:
    """The path ``relative`` names inside ``folder``, or why it is refused (a message)."""
    if not relative.strip():
        return "an empty path"
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("~", "\\")) or re.match(r"[A-Za-z]:", relative):
        return f"'{relative}' must be a path relative to the document's folder"
    base = folder.resolve()
    lexical = Path(os.path.normpath(base / candidate))
    if not lexical.is_relative_to(base):
        return f"'{relative}' leads outside the document's folder"
    real = lexical.resolve()
    if not real.is_relative_to(base):
        return f"'{relative}' is a link to a place outside the document's folder"
    if not real.exists():
        return f"'{relative}': no such file or folder"
    return real


_CHECKS: dict[str, Callable[[Any, At, Path, Report], Any]] = {
    "title": _text,
    "subtitle": _text,
    "author": _text,
    "date": _date,
    "lang": _lang,
    "country": _country,
    "variant": _variant,
    "data": _data,
    "level": _level,
    "bibliography": _bibliography,
    "csl": _csl,
    **house.front_matter_checks(),
}
