"""What the front matter's YAML may not be, found from its event stream before anything is built.

No tags at all (``!!python/object``, ``!custom``, ``!!int "abc"``: the front matter's values are
typed by its keys, not by the writer), no anchors or aliases (a billion laughs), at most
``limits.YAML_DEPTH`` levels of nesting (3,000 levels overflow the stack) and at most
``limits.FRONT_MATTER_BYTES`` of text. Events are read one at a time, so a pathological input
(40 KB of '[') stops at the first level too deep instead of being scanned to its end.
"""

from __future__ import annotations

from typing import Any

from wbbrief.base import limits


def refusal(
    text: str, what: str = "the front matter", limit: int = limits.FRONT_MATTER_BYTES
) -> tuple[Any, str] | None:
    """(the YAML mark where, why) for front matter (or ``what``: a CSL-YAML bibliography) that breaks
    a rule, or None; YAML syntax errors are raised as PyYAML raises them, for the caller to locate."""
    import yaml

    if len(text.encode("utf-8")) > limit:
        return None, f"{what} is larger than the limit of {limits.size_text(limit)}"
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark, f"YAML anchors and aliases are not allowed in {what}"
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            return event.start_mark, f"YAML tags such as '{tag}' are not allowed in {what}"
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.YAML_DEPTH:
                return event.start_mark, f"{what} is nested more than {limits.YAML_DEPTH} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None
