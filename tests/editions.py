"""Extra survey editions for tests: every bundled figure asked again in later rounds.

FICTIONAL: the values are made up by this helper (each marked so in the row's `note`); they are
written to a temporary folder by the tests and never shipped.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

from wbbrief.dataset.bundle import field_names
from wbbrief.dataset.loading import load_bundle

FICTIONAL = "FICTIONAL test value, not a survey result"


def fictional_value(value: float, step: int) -> float:
    """A made-up share that differs from the bundled one in every later round (0-100)."""
    return round((float(value) + 7.3 * step) % 97 + 1.1, 1)


def write_editions(folder: Path, editions: int) -> Path:
    """``editions`` rounds in all: the bundled one plus ``editions - 1`` fictional later ones
    (2023, 2024, ...) of every figure a survey reports for its own edition."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "figures.csv"
    columns = field_names("figures")
    rows: list[dict[str, Any]] = []
    bundled = load_bundle().figures
    for step in range(1, editions):
        year = 2022 + step
        for f in (dataclasses.asdict(figure) for figure in bundled):
            if f["year"] != f["edition"]:
                continue  # an earlier round reported inside an edition stays as the paper gives it
            row = {c: "" for c in columns}
            row.update(
                id=f"{f['id']}-y{year}",
                survey=f["survey"],
                edition=year,
                country=f["country"],
                topic=f["topic"],
                question=f["question"],
                answer=f["answer"],
                unit=f["unit"],
                year=year,
                source_page=str(10 + step),
                note=FICTIONAL,
            )
            if f["unit"] == "percent":
                row["value"] = fictional_value(f["value"], step)
            else:
                row["rank"] = int(f["rank"])
            rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
