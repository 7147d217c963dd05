"""A figure's margin of error, and whether a change between two figures is more than noise (issue 17).

Where a figure's uncertainty comes from, best first:
- its own interval (``ci_low``–``ci_high`` at ``ci_level``), as its source gives it;
- its own standard error (``se``): a Wald interval at the level asked for;
- its own base (``n``, with ``deff``): Wilson on n ÷ deff, approximate ("from-n");
- its edition's ``sample_size`` (with ``design_effect``) in the sources table: the same, approximate.
Nothing else: a figure without any of them has no margin, and none is invented.

A change between two editions compares independent samples: z = (p₂ − p₁) / √(SE₁² + SE₂²), two-sided,
at the level asked for (``stats.difference_independent``); never judged by overlapping intervals.
Imports no scipy: the normal quantile comes from the standard library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from wbbrief.base.record import record
from wbbrief.dataset.bundle import Bundle
from wbbrief.dataset.records import Figure, Survey
from wbbrief.stats.compare import Difference, difference_independent, from_n
from wbbrief.stats.intervals import t_quantile

DEFAULT_LEVEL = 0.95


def _(msgid: str, **values: Any) -> str:
    """i18n's ``_`` without importing i18n in English (the query commands' start-up stays light)."""
    from wbbrief.base.constants import active_translator

    t = active_translator()
    if t is not None:
        return str(t.gettext(msgid, **values))
    return msgid.format(**values) if values else msgid


FIGURES = "_figures"  # a row's figures by the key of the cell that shows them (never printed)


@record
class Margin:
    """A share's interval in percent, the level it is at, and its standard error in points."""

    low: float
    high: float
    level: float
    se: float
    method: str  # logit, korn-graubard, wilson, wald (the source's) or from-n (approximate)

    @property
    def approximate(self) -> bool:
        return self.method == "from-n"


@record
class Sample:
    """The sample a figure's interval is computed from: its country's in the edition, where the sources
    give one (``sample_country``), or else the edition's."""

    survey: Survey
    country: str | None  # None: the edition's sample as a whole
    sample_size: int
    design_effect: float | None
    sample_page: str | None


def edition_sample(surveys: Iterable[Survey], figure: Figure) -> Sample | None:
    """The stated sample of the figure's country in its edition, or of the edition; None if neither."""
    for s in surveys:
        if s.id != figure.survey or s.edition != figure.edition:
            continue
        for c in s.samples:
            if c.country == figure.country:
                return Sample(s, c.country, c.sample_size, c.design_effect, c.sample_page)
        if s.sample_size is not None:
            return Sample(s, None, s.sample_size, s.design_effect, s.sample_page)
    return None


def _z(level: float) -> float:
    return t_quantile(level, math.inf)


def margin(surveys: Iterable[Survey] | None, figure: Figure, level: float = DEFAULT_LEVEL) -> Margin | None:
    """The figure's margin of error, or None where neither it nor its edition gives one."""
    if figure.value is None or figure.unit != "percent":
        return None
    p = figure.value
    if figure.ci_low is not None and figure.ci_high is not None:
        own = figure.ci_level or DEFAULT_LEVEL
        se = figure.se if figure.se is not None else (figure.ci_high - figure.ci_low) / (2 * _z(own))
        return Margin(figure.ci_low, figure.ci_high, own, se, figure.ci_method or "")
    if figure.se is not None:
        half = _z(level) * figure.se
        return Margin(max(0.0, p - half), min(100.0, p + half), level, figure.se, "wald")
    n, deff = figure.n, figure.deff
    if n is None and surveys is not None:
        edition = edition_sample(surveys, figure)
        if edition is not None:
            n, deff = edition.sample_size, edition.design_effect
    if n is None:
        return None
    deff = deff or 1.0
    interval = from_n(p / 100, n, deff, level)
    se = 100 * math.sqrt(p / 100 * (1 - p / 100) * deff / n)
    return Margin(100 * interval.low, 100 * interval.high, level, se, "from-n")


def compare(old: Margin | None, new: Margin | None, p_old: float, p_new: float, level: float) -> Difference | None:
    """The change from one edition's share to another's (points), tested; None without both margins."""
    if old is None or new is None:
        return None
    return difference_independent(p_old, old.se, p_new, new.se, level)


def level_text(level: float) -> str:
    """0.95 → '95%' (in the language in use: '95 %' in Macedonian)."""
    from wbbrief.query.values import percent

    return percent(round(level * 100, 4))


def figures_of(row: Mapping[str, Any]) -> Mapping[str, Figure]:
    found = row.get(FIGURES)
    return found if isinstance(found, dict) else {}


def annotate(tables: list[Any], bundle: Bundle, ci: bool = False, level: float = DEFAULT_LEVEL) -> None:
    """Give the tables of a query their margins (with ``ci``) and their changes' marks, in place.

    With ``ci``, each share shows its interval ("44% (40.9–47.2)") and CSV/JSON carry it
    (``ci_low``, ``ci_high``, ``ci_level``, ``ci_method``; ``2019_ci_low`` ... for a column of one round).
    A change between rounds is marked "significant at 95%" or "within the margin of error" wherever
    both its figures have a margin (CSV/JSON: ``change_low``, ``change_high``, ``change_significant``);
    where none has, one line under the table says its significance is unknown. Nothing else changes.
    """
    from wbbrief.stats.intervals import check_level

    check_level(level)
    for table in tables:
        if ci:
            _intervals(table, bundle, level)
        _changes(table, bundle, level)


def _prefix(key: str) -> str:
    return "" if key in ("value", "shown") else f"{key}_"


def _intervals(table: Any, bundle: Bundle, level: float) -> None:
    from dataclasses import replace

    from wbbrief.query.views import Column

    keys = {c.key for c in table.columns if c.kind == "percent"} | ({"shown"} if table.id == "figures" else set())
    found: dict[str, bool] = {}
    for row in table.rows:
        for key, figure in figures_of(row).items():
            shown_as = "shown" if table.id == "figures" else key
            if shown_as not in keys:
                continue
            m = margin(bundle.surveys, figure, level)
            if m is None:
                continue
            prefix = _prefix(shown_as)
            row[f"{prefix}ci_low"], row[f"{prefix}ci_high"] = round(m.low, 6), round(m.high, 6)
            row[f"{prefix}ci_level"], row[f"{prefix}ci_method"] = m.level, m.method
            found[shown_as] = found.get(shown_as, False) or m.approximate
    if not found:
        return

    def with_interval(c: Column) -> Column:
        return replace(c, interval=_prefix(c.key)) if c.key in found and c.kind != "bar" else c

    present = {c.key for c in table.columns}
    extra = [
        Column(f"{_prefix(k)}{name}", f"{_prefix(k)}{name}", data_only=True)
        for k in found
        for name in ("ci_low", "ci_high", "ci_level", "ci_method")
        if f"{_prefix(k)}{name}" not in present
    ]
    table.columns = [with_interval(c) for c in table.columns] + extra
    if table.display is not None:
        table.display = [with_interval(c) for c in table.display]
    levels = sorted({row.get(f"{_prefix(k)}ci_level") for row in table.rows for k in found} - {None})
    words = ", ".join(level_text(v) for v in levels)
    table.legend.append(_("In brackets: the {level} confidence interval.", level=words))
    if any(found.values()):
        table.legend.append(
            _(
                "≈: approximate, from the edition's sample size (Wilson on the sample size ÷ the design "
                "effect): {samples}.",
                samples="; ".join(_sample_line(s) for s in _samples(bundle, table.rows)),
            )
        )


def _samples(bundle: Bundle, rows: list[dict[str, Any]]) -> list[Sample]:
    """The samples whose sizes gave the table's approximate intervals, in order."""
    found: dict[tuple[str, int, str | None], Sample] = {}
    for row in rows:
        for figure in figures_of(row).values():
            s = edition_sample(bundle.surveys, figure) if figure.n is None and figure.se is None else None
            if s is not None and figure.ci_low is None:
                found.setdefault((s.survey.id, s.survey.edition, s.country), s)
    return list(found.values())


def _sample_line(s: Sample) -> str:
    """'Example 2022: n = 1000, design effect 1.5, p. 2' (the page where its report states them); a
    country's own sample: 'Example 2022 (Albania): n = 1000, ...'."""
    from wbbrief.base.constants import active_translator
    from wbbrief.query.values import number, page_ref

    t = active_translator()
    edition = s.survey.edition if s.country is None else f"{s.survey.edition} ({_country_name(s.country)})"
    text = _("{survey} {edition}: n = {n}", survey=s.survey.short_name, edition=edition, n=s.sample_size)
    if s.design_effect is not None:
        deff = t.number(s.design_effect) if t else number(s.design_effect)
        text += _(", design effect {deff}", deff=deff)
    return text + (f", {page_ref(s.sample_page)}" if s.sample_page else "")


def _country_name(code: str) -> str:
    from wbbrief.base.constants import active_translator
    from wbbrief.dataset.countries import name_of

    t, english = active_translator(), name_of(code)
    return str(t.label("country", code, "name", english)) if t else english


def _detail(s: Sample) -> str:
    """'n = 1000, design effect 1.5, p. 2': the sample line without its edition."""
    return _sample_line(s).split(": ", 1)[1]


def _changes(table: Any, bundle: Bundle, level: float) -> None:
    from dataclasses import replace

    from wbbrief.query.views import Column

    change = next((c for c in table.columns if c.kind == "change"), None)
    if change is None or table.compared is None:
        return
    base, latest = table.compared
    tested = 0
    for row in table.rows:
        figures = figures_of(row)
        old, new = figures.get(base), figures.get(latest)
        if old is None or new is None or old.value is None or new.value is None:
            continue
        d = compare(margin(bundle.surveys, old, level), margin(bundle.surveys, new, level), old.value, new.value, level)
        if d is None:
            continue
        tested += 1
        row["change_low"], row["change_high"] = round(d.low, 6), round(d.high, 6)
        row["change_significant"] = d.significant
    if not tested:
        table.legend.append(_("The significance of the change is unknown: the data give no margins of error."))
        return
    words = level_text(level)
    marks = (_(", significant at {level}", level=words), within_noise())
    table.columns = [replace(c, mark="change_significant", marks=marks) if c is change else c for c in table.columns]
    table.columns += [Column(k, k, data_only=True) for k in ("change_low", "change_high", "change_significant")]
    table.legend.append(
        _(
            "Change: significant at {level} where a two-sided test for independent samples at that level "
            "finds it larger than its margin of error; otherwise within the margin of error.",
            level=words,
        )
    )


def sample_columns(table: Any, bundle: Bundle) -> None:
    """The sources table: each edition's stated sample, where any edition states one (else unchanged).
    CSV/JSON: ``sample_size``, ``design_effect``, ``sample_page``; a person reads "n = 1000, design
    effect 1.5, p. 2" beside the citation."""
    from wbbrief.query.views import Column

    stated = {(s.id, s.edition): s for s in bundle.surveys if s.sample_size is not None or s.samples}
    if not stated:
        return
    for row in table.rows:
        s = stated.get((row["id"], row["edition"]))
        row["sample_size"] = None if s is None else s.sample_size
        row["design_effect"] = None if s is None else s.design_effect
        row["sample_page"] = None if s is None else s.sample_page
        own = [] if s is None or s.sample_size is None else [Sample(s, None, s.sample_size, s.design_effect,
                                                                   s.sample_page)]  # fmt: skip
        countries = [] if s is None else [Sample(s, c.country, c.sample_size, c.design_effect, c.sample_page)
                                          for c in s.samples]  # fmt: skip
        row["country_samples"] = "; ".join(f"{c.country}: {_detail(c)}" for c in countries)
        lines = [_detail(x) for x in own] + [f"{_country_name(str(c.country))}: {_detail(c)}" for c in countries]
        row["sample"] = "; ".join(lines)
    table.columns += [Column(k, k) for k in ("sample_size", "design_effect", "sample_page")]
    if any(s.samples for s in stated.values()):
        table.columns.append(Column("country_samples", "country_samples"))
    if table.display is not None:
        table.display.insert(-1, Column("sample", _("Sample")))


def claim_test(
    surveys: Iterable[Survey], level: float = DEFAULT_LEVEL
) -> Callable[[Figure, Figure], Difference | None]:
    """How a claim's comparison of two shares is tested (``claims.evaluate``): right − left, None where
    either has no margin. Two answers of one question in one sample (same survey, edition, country
    and year) with a stated base are not independent: var = (p₁ + p₂ − (p₁ − p₂)²) / n_eff
    (single-choice); any other pair is two independent estimates."""
    from wbbrief.stats.compare import difference_same_question

    surveys = tuple(surveys)

    def test(left: Figure, right: Figure) -> Difference | None:
        a, b = margin(surveys, left, level), margin(surveys, right, level)
        if a is None or b is None or left.value is None or right.value is None:
            return None
        same = (left.survey, left.edition, left.country, left.year, left.question) == (
            right.survey, right.edition, right.country, right.year, right.question
        )  # fmt: skip
        n_eff = _n_eff(surveys, left)
        if same and n_eff is not None:
            d = difference_same_question(left.value / 100, right.value / 100, n_eff, level)
            return Difference(100 * d.difference, 100 * d.se, d.z, 100 * d.low, 100 * d.high, level)
        return difference_independent(left.value, a.se, right.value, b.se, level)

    return test


def _n_eff(surveys: Iterable[Survey], figure: Figure) -> float | None:
    """The effective size of the figure's sample: its base ÷ its design effect, or its edition's."""
    if figure.n is not None:
        return figure.n / (figure.deff or 1.0)
    edition = edition_sample(surveys, figure)
    if edition is None or edition.sample_size is None:
        return None
    return edition.sample_size / (edition.design_effect or 1.0)


# --- prose (issue 17): {stat:margin} and {change} ---------------------------------------------------


def margin_text(surveys: Iterable[Survey], figure: Figure, level: float = DEFAULT_LEVEL) -> str | None:
    """'44% ± 3' (the half-width in points: whole points from 1 up, else one decimal), or the range
    '44% (40.9–47.2)' where the interval is not symmetric to 0.5 points; None without a margin."""
    from wbbrief.query.values import decimal, percent

    m = margin(surveys, figure, level)
    if m is None or figure.value is None:
        return None
    above, below = m.high - figure.value, figure.value - m.low
    if abs(above - below) > 0.5:
        return f"{percent(figure.value)} ({decimal(m.low)}–{decimal(m.high)})"
    half = (m.high - m.low) / 2
    shown = round(half) if half >= 1 else round(half, 1)
    return f"{percent(figure.value)} ± {_number(shown)}"


def _number(value: float) -> str:
    from wbbrief.base.constants import active_translator
    from wbbrief.query.values import number

    t = active_translator()
    return str(t.number(value)) if t else number(value)


def change_noise(
    surveys: Iterable[Survey], old: Figure, new: Figure, level: float = DEFAULT_LEVEL
) -> Difference | None:
    """The test of a change from one edition's share to another's, where both have margins."""
    if old.value is None or new.value is None:
        return None
    surveys = tuple(surveys)
    return compare(margin(surveys, old, level), margin(surveys, new, level), old.value, new.value, level)


def within_noise() -> str:
    """', within the margin of error', the mark a change gets in tables and prose alike."""
    return _(", within the margin of error")
