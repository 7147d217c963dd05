"""Weighted shares with their intervals from a respondent-level file (``wbbrief tabulate``).

For each question (and each group of ``--country-var`` and ``--by``): every answer's weighted
share, the unweighted base, the weighted base, the standard error, the interval, the design
effect, the method and the level, estimated by ``wbbrief.stats`` with groups and ``--filter`` as
domains of the whole design. The result is shown as a View (any ``--format``) and written as a
``figures.csv`` + ``sources.csv`` pair that ``--data`` reads as it is, each figure carrying its
provenance: file and SHA-256, variable, weight, design, filter, missing rule and method (both
writers are in ``wbbrief.query.tabulated``).
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import DataError, UsageError
from wbbrief.base.record import record
from wbbrief.dataset import microdata
from wbbrief.dataset.microdata import Microdata, Variable, value_label

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


# What a multiple-response column holds when the option is chosen, or not (case-insensitive).
CHOSEN = {"1", "checked", "yes", "selected", "mentioned", "true", "po", "da", "да"}
NOT_CHOSEN = {"0", "2", "unchecked", "no", "not selected", "not mentioned", "false", "jo", "ne", "не"}
MAX_ANSWERS = 60  # more distinct values than this is not a question with answers (an age, an id)


@record(frozen=False)
class Request:
    path: Path
    questions: list[str] = field(default_factory=list)
    multi: list[str] = field(default_factory=list)  # NAME=VAR1,VAR2,...
    by: str | None = None
    weight: str | None = None
    strata: str | None = None
    cluster: str | None = None
    filter: str | None = None
    survey: str | None = None
    edition: int | None = None
    country: str | None = None
    country_var: str | None = None
    topic: str = "microdata"
    ci: str = "logit"
    level: float = 0.95
    missing: str = "exclude"
    exclude_bad_weights: bool = False
    max_mb: float = microdata.MAX_MB


@record(frozen=False)
class Result:
    request: Request
    data: Microdata
    shares: list[dict[str, Any]]  # one row per question, group and answer
    left_out: list[dict[str, Any]]  # answers left out of the base (user-missing, no answer)
    warnings: list[str]
    design: str  # how the design was described, for the notes


# --- the filter: "VAR == CODE", parsed, never evaluated ----------------------------------------

_COMPARISON = re.compile(r"""^\s*([A-Za-z_@$#][\w.@$#]*)\s*(==|!=|<=|>=|<|>|=)\s*("[^"]*"|'[^']*'|[^\s"']+)\s*$""")


@record
class Condition:
    variable: str
    operator: str
    value: str | float


def parse_filter(text: str) -> list[Condition]:
    """``VAR == CODE`` comparisons (==, !=, <, <=, >, >=) joined by 'and'; CODE is a number, or a
    value label in quotes. Raises UsageError for anything else."""
    conditions = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _COMPARISON.match(part)
        if not match:
            raise UsageError(
                f"--filter '{text}': write comparisons such as \"q1 == 2\" or \"gender == 'Female'\", joined by 'and'"
            )
        name, operator, raw = match.groups()
        value: str | float
        if raw[0] in "\"'":
            value = raw[1:-1]
        else:
            try:
                value = float(raw)
            except ValueError:
                value = raw
        conditions.append(Condition(name, "==" if operator == "=" else operator, value))
    return conditions


def _filter_mask(data: Microdata, conditions: list[Condition]) -> npt.NDArray[np.bool_]:
    import numpy as np
    import pandas as pd

    mask = np.ones(data.rows, dtype=bool)
    for c in conditions:
        variable = microdata.find(data.variables, c.variable, data.path)
        column = data.column(variable.name)
        value: Any = c.value
        if isinstance(value, str) and variable.value_labels:
            codes = [k for k, v in variable.value_labels.items() if str(v).casefold() == value.casefold()]
            if not codes:
                known = ", ".join(f"'{v}'" for v in list(variable.value_labels.values())[:8])
                raise DataError(f"{data.path}, variable {variable.describe()}: no value labelled '{value}' ({known})")
            value = codes[0]
        if isinstance(value, str) and variable.kind == "numeric":
            raise DataError(f"{data.path}, variable {variable.describe()}: '{value}' is not a number")
        if c.operator not in ("==", "!=") and isinstance(value, str):
            raise UsageError(f"--filter: {c.operator} compares numbers, not '{value}'")
        present = column.notna().to_numpy()
        series = column.astype(str) if isinstance(value, str) else pd.to_numeric(column, errors="coerce")
        compared = {
            "==": series == value, "!=": series != value, "<": series < value, "<=": series <= value,
            ">": series > value, ">=": series >= value,
        }[c.operator]  # fmt: skip
        mask &= present & compared.fillna(False).to_numpy(dtype=bool)
    return mask


# --- answers as codes ------------------------------------------------------------------------------


@record(frozen=False)
class Coded:
    codes: npt.NDArray[np.int64]  # 0..k-1 for an answer in the base, -1 otherwise
    answers: list[str]  # label of each code
    values: list[Any]  # the file's value of each code
    left_out: dict[str, npt.NDArray[np.bool_]]  # label -> respondents whose answer is out of the base


def code_answers(data: Microdata, variable: Variable, missing: str) -> Coded:
    """A single-choice question's answers as codes, ordered as the value labels are (then by value).
    User-missing codes are out of the base (``exclude``) or answers (``show``); no answer is out."""
    import numpy as np
    import pandas as pd

    column = data.column(variable.name)
    if variable.kind == "date" or pd.api.types.is_datetime64_any_dtype(column):
        raise DataError(f"{data.path}, variable {variable.describe()}: a date is not a question with answers")
    present = column.notna().to_numpy()
    if not pd.api.types.is_numeric_dtype(column):  # an empty text cell is no answer
        present = present & (column.astype(str).str.strip() != "").to_numpy()
    found = pd.unique(column[present])
    labelled = [v for v in variable.value_labels if v in set(found) or not variable.is_user_missing(v)]
    values = labelled + sorted((v for v in found if v not in variable.value_labels), key=_order)
    if len(values) > MAX_ANSWERS:
        raise DataError(
            f"{data.path}, variable {variable.describe()}: {len(values)} different values; a question has at most "
            f"{MAX_ANSWERS} answers (is it a number, such as an age?)"
        )
    left_out: dict[str, Any] = {}
    answers, kept = [], []
    for value in values:
        if missing == "exclude" and variable.is_user_missing(value):
            left_out[value_label(variable, value)] = (column == value).to_numpy() & present
        else:
            kept.append(value)
            answers.append(value_label(variable, value))
    index = {v: i for i, v in enumerate(kept)}
    codes = column.map(index).to_numpy(dtype="float64", na_value=np.nan)
    codes = np.where(present & ~np.isnan(codes), codes, -1).astype("int64")
    if (~present).any():
        left_out["(no answer)"] = ~present
    return Coded(codes, answers, kept, left_out)


def _order(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def code_option(data: Microdata, variable: Variable) -> npt.NDArray[np.int64]:
    """One column of a multiple-response set: 1 chosen, 0 not chosen, -1 no answer (or user-missing)."""
    import numpy as np

    column = data.column(variable.name)
    out = np.full(len(column), -1, dtype="int64")
    for i, value in enumerate(column.tolist()):
        if value is None or value != value or variable.is_user_missing(value):
            continue
        text = value_label(variable, value).strip().casefold()
        raw = microdata.value_label(Variable(""), value).strip().casefold()
        if raw in CHOSEN or text in CHOSEN:
            out[i] = 1
        elif raw in NOT_CHOSEN or text in NOT_CHOSEN or raw == "":
            out[i] = 0
        else:
            raise DataError(
                f"{data.path}, variable {variable.describe()}: '{value}' is neither chosen (1, checked, yes) nor not "
                "chosen (0, unchecked, no), as a multiple-response column must be"
            )
    return out


# --- the tabulation --------------------------------------------------------------------------------


def _multi_sets(request: Request) -> list[tuple[str, list[str]]]:
    sets = []
    for text in request.multi:
        name, sep, columns = text.partition("=")
        options = [c.strip() for c in columns.split(",") if c.strip()]
        if not sep or not name.strip() or len(options) < 2:
            raise UsageError(f"--multi '{text}': write NAME=VAR1,VAR2,... with two or more variables")
        sets.append((name.strip(), options))
    return sets


def _columns(request: Request, sets: list[tuple[str, list[str]]]) -> list[str]:
    named = [*request.questions, *(v for _, options in sets for v in options)]
    named += [v for v in (request.by, request.weight, request.strata, request.cluster, request.country_var) if v]
    named += [c.variable for c in parse_filter(request.filter)] if request.filter else []
    return named


def _design(request: Request, data: Microdata, warnings: list[str]) -> tuple[Any, npt.NDArray[np.bool_], str]:
    """The design over every respondent (those with a bad weight left out only when asked)."""
    import numpy as np
    import pandas as pd

    from wbbrief.stats import Design

    keep = np.ones(data.rows, dtype=bool)
    if request.weight:
        weight = microdata.find(data.variables, request.weight, data.path)
        w = pd.to_numeric(data.column(weight.name), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isfinite(w) | (w <= 0)
        if bad.any():
            count = f"{int(bad.sum()):,} of {data.rows:,} respondents have a missing, zero or negative weight"
            if not request.exclude_bad_weights:
                raise DataError(
                    f"{data.path}, variable {weight.describe()}: {count}; fix the weights, or pass "
                    "--exclude-bad-weights to leave those respondents out"
                )
            warnings.append(f"{data.path}, variable {weight.describe()}: {count}; they are left out")
            keep = ~bad
    else:
        w = np.ones(data.rows)
    design_vars = {}
    for option, name in (("strata", request.strata), ("cluster", request.cluster)):
        if name:
            variable = microdata.find(data.variables, name, data.path)
            column = data.column(variable.name)
            absent = column.isna().to_numpy() & keep
            if absent.any():
                gone = int(absent.sum())
                raise DataError(f"{data.path}, variable {variable.describe()}: {gone:,} respondents have no {option}")
            numeric = pd.api.types.is_numeric_dtype(column)
            design_vars[option] = (column.to_numpy() if numeric else column.astype(str).to_numpy())[keep]
    try:
        design = Design.build(w[keep], design_vars.get("strata"), design_vars.get("cluster"))
    except DataError as err:
        which = request.strata if "stratum" in str(err) else request.weight
        raise DataError(f"{data.path}, variable '{which}': {err}") from None
    described = (
        (f"weighted by {request.weight}" if request.weight else "unweighted")
        + (f", strata {request.strata}" if request.strata else "")
        + (f", clusters {request.cluster}" if request.cluster else "")
    )
    return design, keep, described


def _groups(request: Request, data: Microdata, keep: Any) -> list[tuple[dict[str, str], Any]]:
    """(labels, mask) per group: the country (--country-var) and the --by variable, crossed."""
    import numpy as np

    groups: list[tuple[dict[str, str], Any]] = [({}, np.ones(int(keep.sum()), dtype=bool))]
    for key, name in (("country", request.country_var), ("group", request.by)):
        if not name or (key == "group" and name == request.country_var):
            continue
        variable = microdata.find(data.variables, name, data.path)
        coded = code_answers(data, variable, "exclude")
        codes = coded.codes[keep]
        crossed = []
        for labels, mask in groups:
            for k, answer in enumerate(coded.answers):
                inside = mask & (codes == k)
                if inside.any():
                    named = {**labels, key: answer, f"{key}_variable": variable.label or variable.name}
                    crossed.append((named, inside))
        groups = crossed
    return groups


def tabulate(request: Request) -> Result:
    """Read the file and estimate every share asked for; raises DataError or UsageError."""
    import numpy as np

    from wbbrief.stats import estimate_shares
    from wbbrief.stats.intervals import METHODS, check_level

    if request.ci not in METHODS:
        raise UsageError(f"--ci must be one of {', '.join(METHODS)}, not '{request.ci}'")
    check_level(request.level)
    if request.missing not in ("exclude", "show"):
        raise UsageError(f"--missing must be exclude or show, not '{request.missing}'")
    sets = _multi_sets(request)
    if not request.questions and not sets:
        raise UsageError("name a question: --question VAR (repeatable) or --multi NAME=VAR1,VAR2,...")
    data = microdata.read(request.path, _columns(request, sets), request.max_mb)
    warnings: list[str] = []
    design, keep, described = _design(request, data, warnings)
    domain = _filter_mask(data, parse_filter(request.filter))[keep] if request.filter else None
    groups = _groups(request, data, keep)
    shares: list[dict[str, Any]] = []
    left_out: list[dict[str, Any]] = []
    items: list[tuple[str, str, Coded, list[int] | None]] = []
    for name in request.questions:
        variable = microdata.find(data.variables, name, data.path)
        coded = code_answers(data, variable, request.missing)
        items.append((variable.name, variable.label or variable.name, coded, None))
    for set_name, options in sets:
        variables = [microdata.find(data.variables, o, data.path) for o in options]
        chosen = np.stack([code_option(data, v) for v in variables])
        answered = np.asarray((chosen >= 0).any(axis=0), dtype=bool)
        for i, (variable, column) in enumerate(zip(variables, chosen, strict=True)):
            codes = np.where(answered, np.where(column == 1, 1, 0), -1).astype("int64")
            unanswered = {"(no answer)": ~answered} if i == 0 else {}  # listed once per set
            coded = Coded(codes, ["not chosen", variable.label or variable.name], [0, 1], unanswered)
            items.append((f"{set_name}:{variable.name}", set_name, coded, [1]))
    for variable_name, question, coded, only in items:
        codes = coded.codes[keep]
        for labels, mask in groups:
            inside = mask if domain is None else mask & domain
            where = f"{data.path}, variable '{variable_name.split(':')[-1]}'"
            if not (inside & (codes >= 0)).any():
                raise DataError(f"{where}: no valid answers{_in_group(labels)}")
            try:
                estimates = estimate_shares(design, codes, len(coded.answers), inside, request.level, request.ci)
            except DataError as err:
                raise DataError(f"{where}: {err}{_in_group(labels)}") from None
            for k in only if only is not None else range(len(coded.answers)):
                e = estimates[k]
                shares.append({
                    "variable": variable_name, "question": question, **labels, "answer": coded.answers[k],
                    "value": round(100 * e.share, 1), "se": round(100 * e.se, 2),
                    "ci_low": round(100 * e.interval.low, 1), "ci_high": round(100 * e.interval.high, 1),
                    "n": e.base_n, "answer_n": e.n, "weighted_base": round(e.weighted_base, 2),
                    "deff": None if e.deff is None else round(e.deff, 2), "kish": round(e.kish, 2),
                    "ci_method": e.interval.method, "ci_level": request.level, "df": e.df,
                    "fallback": e.interval.fallback,
                })  # fmt: skip
            for answer, out in coded.left_out.items():
                outside = out[keep] & inside
                if outside.any():
                    weighted = round(float(design.weights[outside].sum()), 2)
                    left_out.append(
                        {"variable": variable_name, "question": question, **labels, "answer": answer,
                         "n": int(outside.sum()), "weighted_n": weighted}
                    )  # fmt: skip
    return Result(request, data, shares, left_out, warnings, described)


def _in_group(labels: dict[str, str]) -> str:
    shown = [f"{labels[f'{k}_variable']} = {labels[k]}" for k in ("country", "group") if k in labels]
    return f" in the group {', '.join(shown)}" if shown else ""
