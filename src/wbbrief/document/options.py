"""What a brief is composed with: the command line's options, over the document's front matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from wbbrief.base.record import record
from wbbrief.document.house import House

if TYPE_CHECKING:
    from wbbrief.document.model import Document

DEFAULT_TITLE = "Cooperative Security in the Western Balkans"
DEFAULT_SUBTITLE = "What the public thinks, and what governments should do"


@record
class BriefOptions:
    date: dt.date
    country: str | None = None  # a country code, or None for the regional brief
    title: str | None = None
    subtitle: str | None = None
    author: str = ""  # empty: the front matter's author, else the house's organisation, else none
    variant: str = "ua"  # "ua" (PDF/UA-1, tagged) or "a3" (PDF/A-3u, with the data attached)
    template_dir: Path | None = None
    data: tuple[Path, ...] = ()  # the user's own data files, merged into the bundled figures
    lang: str | None = None  # a language tag (i18n); None: the document's front matter, or English
    decimal: str | None = None  # "point" or "comma": overrides the language's decimal sign
    house: House = field(default_factory=House)  # identity (issue 19): document.house


def page_options(document: Document, options: BriefOptions) -> BriefOptions:
    """The options a document renders with: the command line's, else its front matter's."""
    from wbbrief.document import house

    front = document.front_matter
    own = House(**{key: getattr(front, key) for key in house.KEYS if key != "colours"}, colours=front.colours or ())
    identity = house.resolve(document.path.parent, own.over(options.house))
    return replace(
        options,
        house=identity,
        country=options.country if options.country is not None else front.country,
        title=options.title or front.title,
        subtitle=options.subtitle or front.subtitle,
        author=options.author or front.author or identity.organisation or "",
        lang=options.lang or front.lang or "en",
    )
