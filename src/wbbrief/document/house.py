"""The house identity a brief is published under: organisation, logo, contact, footer, colours,
and which of cover, contents and colophon it has (issue 19).

Given in the document's front matter, or as defaults for every document in a ``wbbrief.toml``
beside the document, else in the user's config folder ($XDG_CONFIG_HOME/wbbrief/wbbrief.toml);
front matter wins key by key. Both are untrusted: a logo is an image file under the rules of a
document's images (``syntax.image_problem``), a colour must pass WCAG contrast on white
(``base.colour``), and every problem names its file, line and column.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from wbbrief.base import colour
from wbbrief.base.errors import DataError
from wbbrief.base.record import record
from wbbrief.document.model import Diagnostic, Position

Cover = Literal["full", "compact", "none"]
COVERS = ("full", "compact", "none")
SETTINGS = "wbbrief.toml"
KEYS = ("organisation", "logo", "contact", "footer", "colours", "cover", "toc", "colophon")
# What each house colour paints, and so the contrast on white it needs (base.colour): primary is
# the colour of headings, links and the cover's band under white text; accent marks rules, bars
# and the cover's large figures (graphics and large text).
COLOURS: dict[str, tuple[str, float]] = {"primary": ("text", colour.TEXT), "accent": ("graphics", colour.GRAPHICS)}
# What the house colours are painted on (brief.css): the page, and the cover's paper (the summary
# box, #eef3f8, is lighter than the cover's paper, so passing on it follows).
BACKGROUNDS = {"white": "#ffffff", "the cover's paper (#f4f1ea)": "#f4f1ea"}
DEFAULT_COLOURS = {"primary": "#1f4e79", "accent": "#c2611f"}
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@record
class House:
    """The identity a brief is rendered with; every field None when not given."""

    organisation: str | None = None
    logo: Path | None = None  # an image file, checked, inside the folder of the file that named it
    contact: str | None = None
    footer: str | None = None
    colours: tuple[tuple[str, str], ...] = ()  # (key, '#rrggbb'), keys of COLOURS
    cover: Cover | None = None
    toc: bool | None = None
    colophon: bool | None = None

    def over(self, defaults: House) -> House:
        """These values, and the defaults' where these give none (colours key by key)."""
        colours = dict(defaults.colours) | dict(self.colours)
        merged = {k: getattr(self, k) if getattr(self, k) is not None else getattr(defaults, k) for k in KEYS}
        merged["colours"] = tuple(sorted(colours.items()))
        return House(**merged)

    @property
    def palette(self) -> dict[str, str]:
        return DEFAULT_COLOURS | dict(self.colours)

    def logo_uri(self) -> str | None:
        """The logo as a data: URI (an SVG without scripts), or None."""
        if self.logo is None:
            return None
        from wbbrief.document.images import sanitize_svg

        raw = self.logo.read_bytes()
        suffix = self.logo.suffix.lower()
        data = sanitize_svg(raw) if suffix == ".svg" else raw
        return f"data:{_MIME[suffix]};base64,{base64.b64encode(data).decode('ascii')}"


# --- values, as the front matter and the settings file give them ---------------------------------

Report = Callable[[Position, str], None]


def text_value(value: Any, where: Position, report: Report) -> str | None:
    if not isinstance(value, str) or not value.strip():
        report(where, "must be text (put it in quotes)")
        return None
    return value.strip()


def logo_value(value: Any, where: Position, folder: Path, report: Report) -> Path | None:
    from wbbrief.document.syntax import image_problem

    if not isinstance(value, str):
        report(where, "must be the file name of a PNG, JPEG or SVG image in the document's folder")
        return None
    problem = image_problem(folder, value)
    if problem is not None:
        report(where, problem)
        return None
    found = (folder / value).resolve()
    return found


def choice_value(value: Any, where: Position, report: Report) -> Cover | None:
    if value not in COVERS:
        shown = str(value).lower() if isinstance(value, bool) else value
        report(where, f"'{shown}' is not a cover: full, compact (a title block on page 1) or none")
        return None
    return value  # type: ignore[no-any-return]


def flag_value(value: Any, where: Position, report: Report) -> bool | None:
    if not isinstance(value, bool):
        report(where, f"'{value}' is not true or false")
        return None
    return value


def colour_value(key: str, value: Any, where: Position, report: Report) -> str | None:
    """A house colour, if it is one and passes its contrast on white."""
    if key not in COLOURS:
        report(where, f"unknown colour '{key}'; the house colours are {', '.join(COLOURS)}")
        return None
    try:
        colour.parse_hex(str(value))
    except ValueError:
        report(where, f"'{value}' is not a colour such as '#1f4e79'")
        return None
    use, needed = COLOURS[key]
    for ground, paint in BACKGROUNDS.items():  # the page, then the darkest paper it is painted on
        ratio = colour.contrast(str(value), paint)
        if ratio < needed:
            report(
                where,
                f"'{value}' has a contrast of {ratio:.2f}:1 on {ground}; {key} colours {use}, "
                f"which needs at least {needed:g}:1 (WCAG)",
            )
            return None
    return "#" + "".join(f"{c:02x}" for c in colour.parse_hex(str(value)))


# --- the front matter ----------------------------------------------------------------------------


def front_matter_value(key: str, node: Any, at: Callable[[Any], Position], path: Path, report: Report) -> Any:
    """A front matter key of the house, from its YAML node (frontmatter.py's checks)."""
    from wbbrief.document.frontmatter import _scalar

    where = at(node.start_mark)
    if key == "colours":
        if node.id != "mapping":
            report(where, "must be colours by name, such as {primary: '#1f4e79', accent: '#c2611f'}")
            return None
        found = []
        for name_node, value_node in node.value:
            name = str(name_node.value)
            inner = at(value_node.start_mark)
            quoted = 1 if getattr(value_node, "style", None) in ("'", '"') else 0
            value = colour_value(name, _scalar(value_node), Position(inner.line, inner.col + quoted), report)
            if value is not None:
                found.append((name, value))
        return tuple(sorted(found))
    value = _scalar(node)
    if key == "logo":
        return logo_value(value, where, path.parent, report)
    if key == "cover":
        return choice_value(value, where, report)
    if key in ("toc", "colophon"):
        return flag_value(value, where, report)
    return text_value(value, where, report)


def front_matter_checks() -> dict[str, Callable[[Any, Any, Path, Report], Any]]:
    def check(key: str) -> Callable[[Any, Any, Path, Report], Any]:
        return lambda node, at, path, report: front_matter_value(key, node, at, path, report)

    return {key: check(key) for key in KEYS}


# --- wbbrief.toml ----------------------------------------------------------------------------------


def settings_path(folder: Path) -> Path | None:
    """The settings file that applies to a document in ``folder``: beside it, else the user's."""
    beside = folder / SETTINGS
    if beside.is_file():
        return beside
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    user = Path(config) / "wbbrief" / SETTINGS
    return user if user.is_file() else None


def read_settings(path: Path) -> tuple[House, list[Diagnostic]]:
    """The house defaults in a wbbrief.toml, and its problems (file:line:col)."""
    import tomllib

    from wbbrief.base import limits

    shown = str(path)
    problems: list[Diagnostic] = []
    try:
        limits.regular_file(path, 1_000_000, "settings file")
        text = path.read_text(encoding="utf-8")
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        where = Position(int(found[1]), int(found[2])) if found else Position(1, 1)
        message = message[: found.start()] if found else message
        message = re.sub(r"\s*\(at end of document\)$", "", message)
        return House(), [Diagnostic(shown, where, "error", "bad-settings", f"not valid TOML: {message}")]
    except (OSError, UnicodeDecodeError, DataError) as err:
        reason = getattr(err, "strerror", None) or str(err).removeprefix(f"{path}: ")
        return House(), [Diagnostic(shown, Position(1, 1), "error", "bad-settings", f"cannot read it: {reason}")]

    def report_at(key: str, table: str | None = None) -> Report:
        def report(where: Position, message: str) -> None:
            name = f"{table}.{key}" if table else key
            problems.append(Diagnostic(shown, where, "error", "bad-settings", f"{name}: {message}"))

        return report

    house: dict[str, Any] = {}
    for key, value in values.items():
        where = locate(text, key)
        if key not in KEYS:
            report_at(key)(where, f"unknown setting; the settings are {', '.join(KEYS)}")
        elif key == "colours":
            if not isinstance(value, dict):
                report_at(key)(where, "must be a table of colours, such as [colours] primary = '#1f4e79'")
                continue
            checked = [
                (name, colour_value(name, v, locate(text, name, "colours"), report_at(name, "colours")))
                for name, v in value.items()
            ]
            house["colours"] = tuple(sorted((n, v) for n, v in checked if v is not None))
        elif key == "logo":
            house[key] = logo_value(value, where, path.parent, report_at(key))
        elif key == "cover":
            house[key] = choice_value(value, where, report_at(key))
        elif key in ("toc", "colophon"):
            house[key] = flag_value(value, where, report_at(key))
        else:
            house[key] = text_value(value, where, report_at(key))
    return replace(House(), **house), problems


def locate(text: str, key: str, table: str | None = None) -> Position:
    """Where the value of ``key`` (in ``[table]``, or in an inline table ``table = {...}``) starts;
    tomllib gives no positions for what it parsed well."""
    current: str | None = None
    name = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
    pattern = re.compile(rf"(?:^\s*|[{{,]\s*){name}\s*=\s*")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            current = header[1].strip()
            continue
        inline = table is not None and re.match(rf"\s*{re.escape(table)}\s*=\s*\{{", line)
        if (table is None and current is not None) or (table is not None and current != table and not inline):
            continue
        found = pattern.search(line)
        if found is not None:
            return Position(number, found.end() + 1)
    return Position(1, 1)


def resolve(folder: Path, front: House) -> House:
    """The house a document in ``folder`` renders with: its front matter over the settings file.
    A settings file with a problem is an error here (``check`` reports every problem first)."""
    path = settings_path(folder)
    if path is None:
        return front
    defaults, problems = read_settings(path)
    if problems:
        first = problems[0]
        raise DataError(f"{first.file}:{first.position.line}:{first.position.col}: {first.message}")
    return front.over(defaults)


def settings_problems(folder: Path) -> list[Diagnostic]:
    """The problems of the settings file that applies to a document in ``folder`` (for ``check``)."""
    path = settings_path(folder)
    return read_settings(path)[1] if path is not None else []
