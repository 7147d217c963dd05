"""Shell completion: the values each option takes, and the answers to a shell asking for them.

Values are matched as the options match them (any case, diacritics, aliases: ``bih`` completes to
Bosnia and Herzegovina), so the shell must take our list as it is instead of filtering it by the
typed prefix again. Values with spaces come back quoted for bash, which would otherwise split them.
Reads the bundled CSV files with the csv module, never pandas, so that a completion is instant.

The shells speak Typer's protocol (``_WBBRIEF_COMPLETE=complete_bash``, ``_TYPER_COMPLETE_ARGS``),
which the scripts users have installed use; the answers go through Click's public completion API
(click.shell_completion: ShellComplete, add_completion_class, CompletionItem) and the public
methods of the command tree (make_context, resolve_command, get_params, shell_complete).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _matching(incomplete: str, candidates: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Each value whose name or any alias starts with what was typed, compared as the option compares."""
    from wbbrief.dataset.countries import normalise

    typed = normalise(incomplete)
    found = [value for value, names in candidates if any(normalise(n).startswith(typed) for n in (value, *names))]
    return list(dict.fromkeys(found))


def _bundled_rows(name: str) -> list[dict[str, str]]:
    from wbbrief.dataset.bundle import bundled_dir

    try:
        return list(csv.DictReader(io.StringIO((bundled_dir() / name).read_text(encoding="utf-8"))))
    except OSError:
        return []  # a completion never fails loudly


def countries(incomplete: str) -> list[str]:
    from wbbrief.dataset.countries import REGION_ALIASES, all_countries

    candidates = [(c.name, (c.code, c.local_name, *c.aliases)) for c in all_countries()]
    return _matching(incomplete, [*candidates, ("WB6", REGION_ALIASES)])


def brief_countries(incomplete: str) -> list[str]:
    """For export-pdf: every country, the region, and 'all'."""
    return countries(incomplete) + (["all"] if "all".startswith(incomplete.casefold()) else [])


def surveys(incomplete: str) -> list[str]:
    rows = _bundled_rows("surveys.csv")
    return _matching(incomplete, [(r["id"], (r["name"], r["short_name"])) for r in rows])


def topics(incomplete: str) -> list[str]:
    rows = _bundled_rows("figures.csv")
    return _matching(incomplete, [(t, ()) for t in dict.fromkeys(r["topic"] for r in rows)])


def languages(incomplete: str) -> list[str]:
    """Every language folder's tag (locales/<tag>/), as --lang matches it: any case, '_' for '-'."""
    from wbbrief.i18n.registry import languages as bundled

    typed = incomplete.replace("_", "-").casefold()
    return [tag for tag in bundled() if tag.casefold().startswith(typed)]


def brief_languages(incomplete: str) -> list[str]:
    """For export-pdf: every language, and 'all'."""
    return languages(incomplete) + (["all"] if "all".startswith(incomplete.casefold()) else [])


# --- the shells -----------------------------------------------------------------------------------

_BASH_SAFE = re.compile(r"[\w@%+=:,./-]+")


def bash_quote(value: str) -> str:
    """A value as one bash word: "Bosnia and Herzegovina" in double quotes, simple words as they are."""
    if _BASH_SAFE.fullmatch(value):
        return value
    return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'


# Which values each option completes; export-pdf --country and --lang also take 'all'.
OPTION_VALUES = {"country": countries, "survey": surveys, "topic": topics, "lang": languages}
COMMAND_VALUES = {("export-pdf", "country"): brief_countries, ("export-pdf", "lang"): brief_languages}


# --- what to complete: the command line resolved through the command tree's public methods --------


def completions(root: Any, prog_name: str, args: list[str], incomplete: str) -> list[CompletionItem]:
    """What completes ``incomplete`` after ``args``: an option's values, option or command names,
    or what an argument takes (Click's resolution, on the tree Typer builds)."""
    ctx, command, own = _resolve(root, prog_name, list(args))
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        own.append(name)
    if "--" not in own and incomplete[:1] == "-":
        return _items(command.shell_complete(ctx, incomplete))
    params = command.get_params(ctx)
    awaiting = next((p for p in params if _awaits_value(p, own)), None)
    if awaiting is not None:
        values = COMMAND_VALUES.get((command.name, awaiting.name)) or OPTION_VALUES.get(awaiting.name or "")
        if values is not None:
            return _items(values(incomplete))
        return _items(awaiting.shell_complete(ctx, incomplete))
    for param in params:
        if param.param_type_name == "argument" and (ctx.params.get(param.name) is None or param.nargs == -1):
            return _items(param.shell_complete(ctx, incomplete))
    return _items(command.shell_complete(ctx, incomplete))


def _resolve(root: Any, prog_name: str, args: list[str]) -> tuple[Any, Any, list[str]]:
    """The context of the innermost command named in ``args``, that command, and its own args."""
    command, name, parent = root, prog_name, None
    while True:
        names = getattr(command, "commands", {})
        split = next((i for i, word in enumerate(args) if word in names), None)
        own = args if split is None else args[:split]
        ctx = command.make_context(name, list(own), parent=parent, resilient_parsing=True)
        if split is None:
            return ctx, command, own
        found, sub, args = command.resolve_command(ctx, args[split:])
        if sub is None:
            return ctx, command, own
        command, name, parent = sub, found, ctx


def _awaits_value(param: Any, args: list[str]) -> bool:
    """The last word is one of this option's names, and the option takes a value."""
    if param.param_type_name != "option" or param.is_flag or param.count or not args:
        return False
    return args[-1] in (*param.opts, *param.secondary_opts)


def _items(found: Iterable[Any]) -> list[CompletionItem]:
    """Our values (strings) and the tree's own items (Typer's copy of Click's class), as Click's items."""
    from click.shell_completion import CompletionItem

    return [
        CompletionItem(item) if isinstance(item, str) else CompletionItem(item.value, item.type, item.help)
        for item in found
    ]
