"""What a query command asks, answered as a View: the words the user typed resolved to ids (or a
usage error before any work), the query run, the notes on the user's data put first, and the View
in the language in use. The command line prints what comes back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wbbrief.dataset.bundle import Bundle
from wbbrief.query.views import View

QUESTIONS = ("findings", "threats", "cooperation", "figures", "sources", "recommendations")


def resolve(
    country: str | None, survey: str | None = None, topic: str | None = None, data: tuple[Path, ...] = ()
) -> tuple[Bundle, str | None, str | None, str | None]:
    """The data (in the language in use) and the ids of the country, survey and topic typed."""
    from wbbrief.dataset import countries
    from wbbrief.dataset.loading import load_bundle
    from wbbrief.query import queries

    code = countries.resolve(country) if country else None
    bundle = load_bundle(data)
    survey_id = queries.resolve_survey(bundle, survey) if survey else None
    topic_id = queries.resolve_topic(bundle, topic) if topic else None
    return translated(bundle), code, survey_id, topic_id


def translated(bundle: Bundle) -> Bundle:
    """The data with its labels in the language in use (i18n.use_language), or as they are."""
    from wbbrief.base.constants import active_translator

    t = active_translator()
    if t is None:
        return bundle
    from wbbrief.query.localize import translate_bundle

    return translate_bundle(bundle, t)


def answer(
    question: str, data: tuple[Path, ...] = (), country: str | None = None, survey: str | None = None,
    topic: str | None = None, ci: bool = False, level: float = 0.95,
) -> View:  # fmt: skip
    """The View one of the six query commands prints: with ``ci``, each share's interval; every
    change between rounds marked significant at ``level`` or not, where the figures have margins."""
    from wbbrief.query import queries

    bundle, code, survey_id, topic_id = resolve(country, survey, topic, data)
    views: dict[str, Callable[[], View]] = {
        "findings": lambda: queries.findings(bundle, code, survey_id, topic_id),
        "threats": lambda: queries.threats(bundle, code, survey_id),
        "cooperation": lambda: queries.cooperation(bundle, code, survey_id),
        "figures": lambda: queries.figures(bundle, code, survey_id, topic_id),
        "sources": lambda: queries.sources(bundle),
        "recommendations": lambda: queries.recommendations(bundle),
    }
    view = views[question]()
    if question == "figures":
        view.tables[0].display = queries.FIGURES_DISPLAY
    from wbbrief.query.uncertainty import annotate

    annotate(view.tables, bundle, ci, level)
    return localized(view, bundle)


def localized(view: View, bundle: Any = None) -> View:
    """What the user's data changed said first, then the View in the language in use."""
    from wbbrief.base.constants import active_translator

    if bundle is not None and bundle.notes:
        view.notes[:0] = list(bundle.notes)
    t = active_translator()
    if t is None:
        return view
    from wbbrief.query.localize import localize_view

    return localize_view(view, t)
