"""Whether a language gives every form its messages ask for (locales/README.md, "Names that decline").

`form_problems(lang)` lists, as sentences naming the file, every placeholder spec a msgstr uses that
is malformed or undeclared, and every name (country, the region, survey) that lacks the form, the
gender or the number a message asks of it; `noun_problems(lang)` every country and the region (and
cross-reference term) that lack a declared form, their gender or their number (a term: its forms only).
The tests hold every bundled language to both.
"""

from __future__ import annotations

from wbbrief.i18n.catalog import catalog, po_path
from wbbrief.i18n.labels import english, labels_path, noun_labels
from wbbrief.i18n.nouns import PLACEHOLDER_KINDS, REGION_ID, fields_in, parse_choice, spec_problem
from wbbrief.i18n.registry import Language


def named(kind: str) -> list[str]:
    """The ids of every name a placeholder of this kind can hold."""
    if kind == "region":
        return [REGION_ID]
    return [id_ for (k, id_, field) in english() if k == kind and field == "name"]


def form_problems(lang: Language) -> list[str]:
    """What a language's messages ask of a name that its labels do not give."""
    texts = lang.texts
    given = noun_labels(lang)
    problems: list[str] = []
    for msgid, msgstr in catalog(lang).items():
        for name, spec in fields_in(msgstr):
            kind = PLACEHOLDER_KINDS.get(name)
            if kind is None or not spec:
                continue
            where = f"{po_path(texts.tag)}: '{msgid}'"
            problem = spec_problem(spec, texts.cases)
            if problem:
                problems.append(f"{where}: {{{name}:{spec}}} {problem}")
                continue
            for id_ in named(kind):
                if "=" in spec:
                    choice = parse_choice(spec)
                    number = given.get((kind, id_, "number"), "sg")
                    key = "pl" if number == "pl" and "pl" in choice else given.get((kind, id_, "gender"))
                    if key not in choice:
                        problems.append(
                            f"{where}: {{{name}:{spec}}} has no text for {kind} {id_}, whose gender and number "
                            f"({key or 'no gender'}, {number}) {labels_path(texts.tag)} gives"
                        )
                elif (kind, id_, spec) not in given:
                    problems.append(f"{where}: asks for {{{name}:{spec}}}, but {labels_path(texts.tag)} has no "
                                    f"row '{kind},{id_},{spec},…'")  # fmt: skip
    return problems


def noun_problems(lang: Language) -> list[str]:
    """The countries and the region that lack a form the language declares, a gender or a number."""
    if lang.is_source:
        return []
    texts = lang.texts
    given = noun_labels(lang)
    problems = []
    for kind in ("country", "region", "term"):
        for id_ in named(kind):
            # A term (document.xref) needs its cases only: no message agrees with its gender.
            for field in (*texts.cases, *(("gender", "number") if kind != "term" else ())):
                if (kind, id_, field) not in given:
                    problems.append(f"{labels_path(texts.tag)}: no row '{kind},{id_},{field},…'")
    return problems
