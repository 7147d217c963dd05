"""Typeset the brief's HTML as PDF with WeasyPrint, fetching nothing from outside the package.

PDF/UA-1 (tagged, with language and title) by default; PDF/A-3u with the cited figures attached
as CSV for archiving. Reproducible: fixed document identifier and dates, and SOURCE_DATE_EPOCH
for the font subsetter's timestamps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
from typing import Any

from wbbrief.base.errors import RenderError
from wbbrief.render import assets

ASSET_SCHEME = assets.SCHEME
VARIANTS = {"ua": "pdf/ua-1", "a3": "pdf/a-3u"}


def safe_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves data: URIs and the package's own assets, nothing else."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

    class PackageOnlyFetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = assets.asset(url)
            if found is not None:
                content, kind = found
                # Without a Content-Type WeasyPrint takes a stylesheet for text/plain and drops it.
                return URLFetcherResponse(url, content, headers={"Content-Type": kind})
            raise FatalURLFetchingError(str(assets.refused(url)))

    return PackageOnlyFetcher(allowed_protocols={"data", "wbbrief"}, allow_redirects=False, fail_on_errors=True)


class _Errors(logging.Handler):
    """WeasyPrint logs what it could not load or read (an image, a stylesheet) and carries on; a
    brief with a silent hole is worse than a clear error, so these become one."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().splitlines()[0].rstrip(": "))


def pin_source_date(day: dt.date) -> None:
    """Fix the timestamps WeasyPrint's font subsetter writes, unless the caller already did."""
    os.environ.setdefault(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))
    )


def html_to_pdf(html: str, *, variant: str, day: dt.date, attachments: dict[str, bytes] | None = None) -> bytes:
    """The PDF for an HTML document; raises RenderError with the reason if WeasyPrint refuses."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    assets.check_references(html)
    pin_source_date(day)
    fetcher = safe_fetcher()
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    files = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(content),
            name=name,
            description=f"{name}: the survey figures this brief cites, with their provenance",
            created=moment,
            modified=moment,
            relationship="Data",
            url_fetcher=fetcher,
        )
        for name, content in (attachments or {}).items()
    ]
    errors = _Errors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    try:
        document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(
            pdf_variant=VARIANTS[variant],
            pdf_tags=True,  # the PDF/A-3 brief is tagged too, so it stays accessible (checked by pdfua)
            pdf_identifier=hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii"),
            attachments=files or None,
            presentational_hints=False,  # CVE-2026-49452: no CSS from presentational attributes
            custom_metadata=False,
        )
    except FatalURLFetchingError as err:
        cause = err.__cause__ or err
        raise RenderError(str(cause.args[0] if cause.args else cause)) from err
    except (OSError, ValueError) as err:
        raise RenderError(f"WeasyPrint could not render the brief: {err}") from err
    finally:
        logger.removeHandler(errors)
    if errors.messages:
        raise RenderError(f"WeasyPrint could not render the brief: {errors.messages[0]}")
    return pdf
