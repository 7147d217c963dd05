"""A small Table Schema (Frictionless) validator: types, required, unique, enum, bounds, pattern.

It is pure Python so that validating the bundle on every load costs microseconds, not the
import of a validation framework; it reports every problem with file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from wbbrief.base.errors import Problem

Value = str | int | float | None
Field = Mapping[str, Any]


def _convert(raw: str, type_: str) -> Value:
    if type_ == "integer":
        return int(raw)
    if type_ == "number":
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(raw)
        return number
    return raw


_TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "text"}


def check_header(file: str, header: Iterable[str], fields: Iterable[Field]) -> list[Problem]:
    """Problems with the header row: required columns that are missing, columns nobody reads."""
    present = list(header)
    problems = []
    known = {f["name"] for f in fields}
    for field in fields:
        if field.get("constraints", {}).get("required") and field["name"] not in present:
            problems.append(Problem(file, 1, field["name"], "required column is missing"))
    for name in present:
        if name not in known:
            expected = ", ".join(f["name"] for f in fields)
            problems.append(Problem(file, 1, name, f"unknown column (expected: {expected})"))
    return problems


def validate_rows(
    file: str,
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    fields: Iterable[Field],
) -> tuple[list[dict[str, Value]], list[Problem]]:
    """Convert and check ``(line number, raw row)`` pairs; returns typed rows and all problems."""
    fields = list(fields)
    typed_rows: list[dict[str, Value]] = []
    problems: list[Problem] = []
    seen: dict[str, dict[Value, int]] = {f["name"]: {} for f in fields}
    for line, raw in rows:
        typed: dict[str, Value] = {"_line": line}  # kept for later cross-table messages
        for field in fields:
            name, type_ = field["name"], field.get("type", "string")
            constraints = field.get("constraints", {})
            text = (raw.get(name) or "").strip()
            if not text:
                if constraints.get("required"):
                    problems.append(Problem(file, line, name, "a value is required"))
                typed[name] = None
                continue
            try:
                value = _convert(text, type_)
            except ValueError:
                want = _TYPE_WORDS.get(type_, type_)
                problems.append(Problem(file, line, name, f"'{text}' is not {want}"))
                typed[name] = None
                continue
            problems.extend(_check_constraints(file, line, name, value, constraints, seen[name]))
            typed[name] = value
        typed_rows.append(typed)
    return typed_rows, problems


def _check_constraints(
    file: str, line: int, name: str, value: Value, constraints: Mapping[str, Any], seen: dict[Value, int]
) -> list[Problem]:
    problems = []
    enum = constraints.get("enum")
    if enum is not None and value not in enum:
        problems.append(Problem(file, line, name, f"'{value}' is not one of: {', '.join(map(str, enum))}"))
    if isinstance(value, int | float):
        low, high = constraints.get("minimum"), constraints.get("maximum")
        if low is not None and value < low:
            problems.append(Problem(file, line, name, f"{value:g} is below the minimum {low}"))
        if high is not None and value > high:
            problems.append(Problem(file, line, name, f"{value:g} is above the maximum {high}"))
    pattern = constraints.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, str(value)):
        problems.append(Problem(file, line, name, f"'{value}' does not match the pattern {pattern}"))
    if constraints.get("unique"):
        if value in seen:
            problems.append(Problem(file, line, name, f"'{value}' repeats line {seen[value]}"))
        else:
            seen[value] = line
    return problems
