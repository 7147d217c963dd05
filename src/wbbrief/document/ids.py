"""Every id of a brief's page once, on the composed tree: headings' automatic ids made unique as
pandoc makes them (``check``'s side is ``document.idcheck``, which builds no tree).

A heading with no '{#label}' gets an automatic id, a slug of its text ('## Key findings' ->
``key-findings``). Ids on a page must be unique, or a link jumps to the wrong place:

- on the tree (``unique``), a heading's automatic id already taken -- by an author's label (a
  heading's '{#label}', a chart's or table's ':name:'), the page's own sections (``notes``,
  ``references``, ...) or an earlier heading or chart -- gets ``-1``, ``-2``, ... as pandoc
  disambiguates it, and so does an unlabelled chart's ``fig-<id>`` (the same chart drawn twice); a
  label given twice or taking one of the page's own ids is a RenderError;
- ``check`` reports the clashes an author can fix (``document.idcheck``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from wbbrief.base.errors import RenderError
from wbbrief.document import tree as t
from wbbrief.document.idcheck import page_id


def unique(blocks: Sequence[t.Block]) -> tuple[t.Block, ...]:
    """The tree with every id on the page once: a heading's automatic id, and an unlabelled chart's
    ``fig-<id>`` (a chart drawn twice), already taken get '-1', '-2', ... as pandoc does."""
    from wbbrief.document.xref import _map_block, _walk

    taken: set[str] = set()
    for block in _walk(blocks):
        label = ""
        if isinstance(block, t.Heading) and block.explicit:
            label = block.attr.id
        elif isinstance(block, t.Chart | t.Table):
            label = block.label
        if not label:
            continue
        if label in taken or page_id(label):
            what = "is given twice" if label in taken else "is an id the page gives its own section"
            raise RenderError(f"the label '{label}' {what}; run `wbbrief check` on the document")
        taken.add(label)

    def once(block: t.Block) -> t.Block:
        if isinstance(block, t.Heading) and not block.explicit:
            name = free(block.attr.id, taken)
            taken.add(name)
            return block if name == block.attr.id else replace(block, attr=replace(block.attr, id=name))
        if isinstance(block, t.Chart) and not block.label:
            anchor = free(f"fig-{block.id}", taken)  # render.charts' anchor of an unlabelled chart
            taken.add(anchor)
            return block if anchor == f"fig-{block.id}" else replace(block, label=anchor)
        return block

    return tuple(_map_block(b, once) for b in blocks)


def free(base: str, taken: set[str] | frozenset[str]) -> str:
    """``base``, or the first of ``base-1``, ``base-2``, ... not taken nor the page's own."""
    if base not in taken and not page_id(base):
        return base
    n = 1
    while f"{base}-{n}" in taken or page_id(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"
