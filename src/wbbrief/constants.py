"""Constants every layer shares; this module imports nothing of wbbrief, so anything may import it."""

from __future__ import annotations

import re

# The bundled tables, in the order they are read and cross-checked.
TABLES = ("figures", "surveys", "countries", "findings", "recommendations", "iisg_pillars")
# A figure id in a finding's text or a condition: '{asb-threat-first-corruption}'.
PLACEHOLDER = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\}")
# The code of the Western Balkans Six as a whole, where a figure is regional.
REGION = "WB6"
