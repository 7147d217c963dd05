"""The data in use: the bundled tables, validated, with the user's files (``--data``) merged in.

This module sits above ``data`` (the bundled tables), ``userdata`` (the user's files) and
``countries``, which never import it: the layers import downwards only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from wbbrief.base.errors import Problem, ValidationError
from wbbrief.dataset import bundle as data
from wbbrief.dataset.schema import Value

if TYPE_CHECKING:
    from wbbrief.dataset.userdata import Report


@functools.cache
def load_bundle(user_paths: tuple[Path, ...] = ()) -> data.Bundle:
    """The bundled data, validated, with the user's files (``--data``) merged in.

    A user figure with a bundled id replaces it; other user figures and citations are added.
    Any problem in the user's files raises ValidationError listing all of them.
    Cached: the files do not change while we run.
    """
    tables = data.read_bundled_tables()
    for table in ("figures", "surveys"):
        for row in tables[table]:
            row["origin"] = "bundled"
    notes: list[str] = []
    warnings: list[Problem] = []
    if user_paths:
        notes, warnings = merge_user_data(tables, user_paths)
    return data.Bundle.from_tables(tables, tuple(notes), tuple(warnings))


def merge_user_data(
    tables: dict[str, list[dict[str, Value]]], paths: tuple[Path, ...]
) -> tuple[list[str], list[Problem]]:
    """Merge the user's files into the bundled tables (in place): a user figure with a bundled id
    replaces it, others are added. Returns the notes every command shows, and the warnings."""
    from wbbrief.dataset import userdata  # only with --data: the bundled data alone never need it

    bundled_ids = {str(r["id"]) for r in tables["figures"]}
    user = userdata.load(paths, {str(r["id"]) for r in tables["surveys"]}, tables["figures"])
    if user.problems:
        raise ValidationError(user.problems, hint="`wbbrief data validate PATH` lists them all", warnings=user.warnings)
    notes = [str(w) for w in user.warnings]  # said first, with file and line, wherever --data is used
    position = {str(r["id"]): i for i, r in enumerate(tables["figures"])}
    columns = data.field_names("figures")
    for row in user.figures:
        fid = str(row["id"])
        if fid in position:
            bundled = tables["figures"][position[fid]]
            if all(row.get(c) == bundled.get(c) for c in columns):
                continue  # an unedited row of `figures --format csv`: still the bundled figure
            row["origin"] = "user"
            tables["figures"][position[fid]] = row
            notes.append(f"Figure '{fid}' is replaced by user data ({row['_source']}).")
        else:
            row["origin"] = "user"
            tables["figures"].append(row)
    editions = {(str(r["id"]), r["edition"]): i for i, r in enumerate(tables["surveys"])}
    for row in user.surveys:
        row["origin"] = "user"
        key = (str(row["id"]), row["edition"])
        if key in editions:
            tables["surveys"][editions[key]] = row
            notes.append(f"The citation of '{key[0]}' {key[1]} is replaced by user data ({row['_source']}).")
        else:
            tables["surveys"].append(row)
    tables["samples"] = _country_samples(tables["surveys"], user.samples, user.warnings)
    added = sum(1 for r in user.figures if str(r["id"]) not in bundled_ids)
    if added:
        notes.append(f"{added} user-supplied figure(s) added from {', '.join(user.files)}.")
    return notes, user.warnings


def _country_samples(
    surveys: list[dict[str, Value]], samples: list[dict[str, Value]], warnings: list[Problem]
) -> list[dict[str, Value]]:
    """The countries' samples, each for an edition a sources row lists (Bundle.from_tables gives each
    edition its own); one for an edition no row lists, or a country twice in one edition, is an error."""
    editions = {(str(r["id"]), r["edition"]) for r in surveys}
    problems: list[Problem] = []
    given: set[tuple[str, Value, Value]] = set()
    for sample in samples:
        line = str(sample["_source"])
        if (str(sample["id"]), sample["edition"]) not in editions:
            message = (f"no sources row for '{sample['id']}' {sample['edition']}: a country's sample belongs to "
                       "an edition a sources row (bundled or yours) lists")  # fmt: skip
            problems.append(Problem(line, None, "edition", message))
            continue
        key = (str(sample["id"]), sample["edition"], sample["sample_country"])
        if key in given:
            problems.append(Problem(line, None, "sample_country", f"'{sample['sample_country']}' is given twice "
                                    f"for '{sample['id']}' {sample['edition']}"))  # fmt: skip
        given.add(key)
    if problems:
        raise ValidationError(problems, hint="`wbbrief data validate PATH` lists them all", warnings=warnings)
    return samples


def validate(paths: Iterable[Path]) -> Report:
    """Check files exactly as `--data` would merge them, without writing anything; every problem,
    then one summary line."""
    from wbbrief.dataset import userdata
    from wbbrief.dataset.userdata import Report

    paths = tuple(paths)
    files = len(userdata.expand(paths))
    try:
        bundle = load_bundle(paths)
    except ValidationError as err:
        summary = f"{len(err.problems)} problem(s) in {files} file(s); nothing was changed."
        return Report(err.problems, summary, err.warnings)
    user = [f for f in bundle.figures if f.origin == "user"]
    bundled_ids = {f.id for f in load_bundle().figures}
    replaced = sum(1 for f in user if f.id in bundled_ids)
    citations = sum(1 for s in bundle.surveys if s.origin == "user")
    summary = (
        f"OK: {len(user)} figure(s) ({replaced} replacing bundled ones, {len(user) - replaced} new) "
        f"from {len({f.survey for f in user})} survey(s), {citations} citation(s), in {files} file(s)."
    )
    if bundle.warnings:
        summary += f" {len(bundle.warnings)} warning(s)."
    return Report([], summary, list(bundle.warnings))
