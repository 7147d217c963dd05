"""The HTML brief's data, shared: each chart's and table's figures as a CSV file in a ``data:`` link
(so the page stays one self-contained file), and the page's Content-Security-Policy.

The CSV is what ``wbbrief figures -f csv --ci --level L`` prints for those figures, in the brief's
language: the same query, the same margins (at the document's level, where the data give one),
the same writer (``render.output.to_csv``), so a figure's row is the same in both.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from base64 import b64encode
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wbbrief.dataset.bundle import Bundle

# What the writers put in a style attribute: markdown-it's table alignment and the macros' two
# (``macros.html.j2``). A style attribute with any other value is refused by the page's policy.
STYLE_ATTRIBUTES = (
    "text-align:left", "text-align:center", "text-align:right", "margin-top:0", "font-size:7.2pt;color:#5f6368",
)  # fmt: skip
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def sha256(text: str) -> str:
    """A CSP source for an inline style or script: 'sha256-…' of its exact text."""
    return "'sha256-" + b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(css: str) -> str:
    """The page's Content-Security-Policy: nothing loads from anywhere (no script, no request, no
    frame, no form); images and fonts only from the page itself (data: URIs); the page's one
    stylesheet and the writers' few style attributes by their hashes, never 'unsafe-inline'."""
    styles = " ".join([sha256(css), "'unsafe-hashes'", *(sha256(s) for s in STYLE_ATTRIBUTES)])
    return f"default-src 'none'; img-src data:; font-src data:; style-src {styles}; base-uri 'none'; form-action 'none'"


class FiguresTable:
    """``wbbrief figures -f csv --ci`` for the whole bundle, once per page; CSVs of any of its rows."""

    def __init__(self, bundle: Bundle, level: float) -> None:
        from wbbrief.base.constants import active_translator
        from wbbrief.query import queries
        from wbbrief.query.localize import localize_view, translate_bundle
        from wbbrief.query.uncertainty import annotate

        tr = active_translator()
        if tr is not None:
            bundle = translate_bundle(bundle, tr)
        view = queries.figures(bundle)  # as query.ask.answer("figures", ci=True, level=level) makes it
        view.tables[0].display = queries.FIGURES_DISPLAY
        annotate(view.tables, bundle, True, level)
        self.view = localize_view(view, tr) if tr is not None else view

    def csv(self, figure_ids: Sequence[str]) -> str:
        """The rows of these figures, in this order, under the same header as the command's."""
        from dataclasses import replace

        from wbbrief.render.output import to_csv

        table = self.view.tables[0]
        by_id = {str(r["id"]): r for r in table.rows}
        rows = [by_id[i] for i in dict.fromkeys(figure_ids) if i in by_id]
        return to_csv(replace(self.view, tables=[replace(table, rows=rows)]))

    def link(self, figure_ids: Sequence[str], name: str) -> dict[str, Any] | None:
        """What the template needs for a "Data" link: its data: URI and download name; None
        without a figure."""
        if not figure_ids:
            return None
        uri = "data:text/csv;charset=utf-8," + _encoded(self.csv(figure_ids))
        return {"href": uri, "download": f"{_SAFE_NAME.sub('-', name).strip('-') or 'data'}.csv"}


_KEPT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~,;:/()'!*@+=")


def _encoded(text: str) -> str:
    """The CSV as a data: URI's body: ASCII percent-encoded but for the characters a URL keeps as
    they are; letters beyond ASCII left as they are (the browser's URL parser encodes them as
    UTF-8, which the ``charset`` names), so a Cyrillic CSV is not six bytes a letter."""
    return "".join(
        c if c in _KEPT or (ord(c) > 127 and c.isprintable() and not c.isspace()) else urllib.parse.quote(c, safe="")
        for c in text
    )


def _marked() -> tuple[str, ...]:
    """The templates' new strings, for `make catalogs` (the templates call ``_()`` on them)."""
    from wbbrief.i18n.strings import N_

    return (
        N_("Data"),
        N_("The figures shown here, with their sources, as a file for spreadsheets"),
        N_("Figures used in this brief"),
        N_(
            "Every figure this brief cites, in the order it first cites it, with its source; the note gives the "
            "full citation."
        ),
        N_("Every figure this brief cites, in the order it first cites it, with its source."),
        N_("Report page"),
        N_("Paper footnote"),
    )
