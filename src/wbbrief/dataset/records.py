"""The figure record as it travels between modules: one row of ``figures`` with its provenance.

Read from the DataFrame with ``to_dict("records")``; a missing optional value is pandas' NA
(``views.is_missing`` tells), so those keys are typed ``object`` and checked where they are read.
"""

from __future__ import annotations

from typing import TypedDict


class FigureRow(TypedDict, total=False):
    id: str
    survey: str
    edition: int
    country: str
    topic: str
    question: str
    answer: str
    value: float  # a share in percent; NaN for a ranking
    unit: str  # "percent" or "rank"
    rank: object  # an int, or NA for a share
    year: int
    source_page: object  # 'p. 27' text, or NA
    footnote: object  # the paper's footnote number, or NA
    paper_section: object
    paper_figure: object
    note: object
    source_url: object  # a user figure's link or DOI
    origin: str  # "bundled" or "user"
