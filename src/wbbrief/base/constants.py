"""Constants every layer shares; this module imports nothing of wbbrief, so anything may import it."""

from __future__ import annotations

import re
import sys
from typing import Any

# The bundled tables, in the order they are read and cross-checked.
TABLES = ("figures", "surveys", "countries", "findings", "recommendations", "iisg_pillars")
# A figure id in a finding's text or a condition: '{asb-threat-first-corruption}'.
PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
# The code of the Western Balkans Six as a whole, where a figure is regional.
REGION = "WB6"


def active_translator() -> Any:
    """The translator of the language in use, or None for English. A language is chosen only through
    wbbrief.i18n, so while that package is not imported the language is English: the English commands
    never pay for importing it."""
    i18n = sys.modules.get("wbbrief.i18n")
    return i18n.active() if i18n is not None else None
