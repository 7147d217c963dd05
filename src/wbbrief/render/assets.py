"""What a brief may refer to: data: URIs and wbbrief's own assets, nothing else.

One policy for both exports. ``check_references`` reads the rendered HTML (attributes, <style>,
style="" and the CSS in them) before the HTML is written or typeset, so export-html and export-pdf
refuse the same things with the same message; the PDF's URL fetcher applies it again to whatever
WeasyPrint asks for. Hyperlinks (<a href>) are not fetched, so they may point to the web.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources

from wbbrief.base.errors import RenderError

SCHEME = "wbbrief:"
LINK_SCHEMES = ("http:", "https:", "mailto:")
# Attributes whose URL a browser or WeasyPrint loads by itself (href only outside <a> and <area>).
LOADED = {"src", "srcset", "href", "xlink:href", "poster", "data", "background", "action", "formaction",
          "ping", "manifest", "codebase", "archive", "lowsrc", "dynsrc", "icon", "imagesrcset"}  # fmt: skip
LINKING = {"a", "area"}
# Elements that run code or embed other documents: a brief has no use for them.
REFUSED_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "base"}


def refused(reference: str) -> RenderError:
    return RenderError(
        f"the brief refers to '{reference[:120]}', which wbbrief does not fetch "
        "(only data: URIs and wbbrief's own assets)"
    )


def _normalise(url: str) -> str:
    # As browsers do: surrounding spaces and control characters go, tabs and newlines inside vanish.
    return re.sub(r"[\t\n\r]", "", url.strip(" \t\n\r\f\v\0"))


def asset(url: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a packaged asset named by a ``wbbrief:`` URL, or None."""
    url = _normalise(url)
    if not url.lower().startswith(SCHEME):
        return None
    name = url[len(SCHEME) :]
    parts = name.split("/")
    if ".." in parts:
        return None
    path = resources.files("wbbrief") / "templates"
    for part in filter(None, parts):
        path = path / part
    if not path.is_file():
        return None
    return path.read_bytes(), mimetypes.guess_type(name)[0] or "application/octet-stream"


def allowed(url: str, linking: bool = False) -> bool:
    """Whether the brief may refer to ``url``: a fragment, a data: URI, an existing packaged asset;
    in a hyperlink, also a web or mail address."""
    url = _normalise(url)
    lower = url.lower()
    if url == "" or url.startswith("#") or lower.startswith("data:"):
        return True
    if linking and lower.startswith(LINK_SCHEMES):
        return True
    return asset(url) is not None


def _css_urls(css: str, declarations: bool = False) -> Iterator[str]:
    """Every URL in a piece of CSS (url(), @import and image-set() strings), escapes decoded as
    a CSS parser decodes them, so `u\\72l(...)` is found too."""
    import tinycss2

    stack = list(tinycss2.parse_component_value_list(css) if declarations else tinycss2.parse_stylesheet(css))
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "url":
            yield node.value
        elif kind == "function":
            if node.lower_name in ("url", "src") or node.lower_name.endswith("image-set"):
                yield from (t.value for t in node.arguments if t.type == "string")
            stack.extend(node.arguments)
        elif kind == "at-rule":
            if node.lower_at_keyword == "import":
                yield from (t.value for t in node.prelude if t.type == "string")
            stack.extend(node.prelude)
            stack.extend(node.content or [])
        elif kind == "qualified-rule":
            stack.extend(node.prelude)
            stack.extend(node.content)
        elif kind in ("() block", "[] block", "{} block"):
            stack.extend(node.content)


def _srcset_urls(value: str) -> Iterator[str]:
    """The URLs of a srcset, split as the HTML standard does (a data: URL may contain commas)."""
    position = 0
    while position < len(value):
        while position < len(value) and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < len(value) and not value[position].isspace():
            position += 1
        url = value[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while position < len(value) and value[position] != ",":  # descriptors such as 2x or 400w
                position += 1
        if url:
            yield url


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []  # (url, is a hyperlink)
        self.elements: list[str] = []
        self._css: list[str] | None = None  # the text of the <style> being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REFUSED_ELEMENTS:
            self.elements.append(tag)
        if tag == "style":
            self._css = []
        for name, value in attrs:
            if value is None:
                continue
            if name.startswith("on"):
                self.elements.append(f"{tag} {name}=")
            elif name == "style":
                self.found += [(u, False) for u in _css_urls(value, declarations=True)]
            elif name in ("srcset", "imagesrcset"):
                self.found += [(url, False) for url in _srcset_urls(value)]
            elif name in LOADED:
                self.found.append((value, tag in LINKING and name in ("href", "xlink:href")))
            elif tag == "meta" and name == "content" and re.search(r"url\s*=", value, re.I):
                self.found.append((re.split(r"url\s*=", value, maxsplit=1, flags=re.I)[1].strip("'\" "), False))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._flush_style()

    def handle_data(self, data: str) -> None:
        if self._css is not None:
            self._css.append(data)

    def close(self) -> None:
        super().close()
        if self._css is not None:  # a <style> left open runs to the end of the document, in a browser too
            self._css.append(self.rawdata)  # which this parser (3.11) keeps back instead of passing on
        self._flush_style()

    def _flush_style(self) -> None:
        if self._css is not None:
            self.found += [(u, False) for u in _css_urls("".join(self._css))]
            self._css = None


def references(html: str) -> list[tuple[str, bool]]:
    """Every URL the document refers to, with whether it is only a hyperlink."""
    parser = _References()
    parser.feed(html)
    parser.close()
    if parser.elements:
        raise RenderError(
            f"the brief contains <{parser.elements[0]}>, which wbbrief does not allow "
            "(a brief runs no scripts and embeds no other documents)"
        )
    return parser.found


def check_references(html: str) -> None:
    """Refuse a document that refers to anything but data: URIs and wbbrief's own assets."""
    for url, linking in references(html):
        if not allowed(url, linking):
            raise refused(_normalise(url))


def inline_assets(html: str) -> str:
    """For the HTML export: packaged assets become data: URIs, so the file stands alone."""
    for url, _ in references(html):
        found = asset(url)
        if found is not None:
            content, kind = found
            html = html.replace(url, f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}")
    return html
