"""Shell completion: the values each option takes, and the scripts for bash, zsh, fish and PowerShell.

Values are matched as the options match them (any case, diacritics, aliases: ``bih`` completes to
Bosnia and Herzegovina), so the shell must take our list as it is instead of filtering it by the
typed prefix again. Values with spaces come back quoted for bash, which would otherwise split them.
Reads the bundled CSV files with the csv module, never pandas, so that a completion is instant.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from typing import Any

from wbbrief.errors import UsageError

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _matching(incomplete: str, candidates: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Each value whose name or any alias starts with what was typed, compared as the option compares."""
    from wbbrief.countries import normalise

    typed = normalise(incomplete)
    found = [value for value, names in candidates if any(normalise(n).startswith(typed) for n in (value, *names))]
    return list(dict.fromkeys(found))


def _bundled_rows(name: str) -> list[dict[str, str]]:
    from wbbrief.data import bundled_dir

    try:
        return list(csv.DictReader(io.StringIO((bundled_dir() / name).read_text(encoding="utf-8"))))
    except OSError:
        return []  # a completion never fails loudly


def countries(incomplete: str) -> list[str]:
    from wbbrief.countries import REGION_ALIASES, all_countries

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


def register(root: Any) -> None:
    """Completion for ``root`` and its commands: the values of our options, and Typer's shell
    classes with values quoted for bash and zsh told to keep our matches.

    Typer filters what an ``autocompletion`` returns by a case-sensitive prefix, which drops
    'Bosnia and Herzegovina' for 'bos' or 'bih', so the options get their completion here instead.
    """
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import BashComplete, ZshComplete, completion_init
    from typer._completion_shared import Shells

    completion_init()

    def attach(command: Any) -> None:
        for param in command.params:
            values = COMMAND_VALUES.get((command.name, param.name)) or OPTION_VALUES.get(param.name or "")
            if values is not None:
                param._custom_shell_complete = lambda _ctx, _param, typed, v=values: [
                    CompletionItem(value) for value in v(typed)
                ]
        for sub in getattr(command, "commands", {}).values():
            attach(sub)

    attach(root)

    class QuotingBashComplete(BashComplete):
        def format_completion(self, item: Any) -> str:
            return bash_quote(str(item.value))

    class KeepingZshComplete(ZshComplete):
        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            items = self.get_completions(args, incomplete)
            if items and not any(item.help for item in items):
                # Option values: -U keeps our case-insensitive, alias-aware matches; zsh quotes spaces.
                words = " ".join(_zsh_word(str(item.value)) for item in items)
                return f"compadd -U -- {words}"
            return str(super().complete())

    add_completion_class(QuotingBashComplete, Shells.bash.value)
    add_completion_class(KeepingZshComplete, Shells.zsh.value)


def _zsh_word(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def script(shell: str, prog_name: str) -> str:
    """The completion script to source in ``shell`` (detected from the environment if empty)."""
    from typer._completion_shared import _get_shell_name, get_completion_script

    shell = shell or _get_shell_name() or os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        raise UsageError(f"cannot complete for the shell '{shell}'; choose one of: {', '.join(SHELLS[:4])}")
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    return str(get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell))


def install(shell: str, prog_name: str) -> tuple[str, str]:
    """Install the script where ``shell`` reads it; returns the shell and the file written."""
    from typer._completion_shared import _get_shell_name
    from typer._completion_shared import install as typer_install

    shell = shell or _get_shell_name() or os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        raise UsageError(f"cannot complete for the shell '{shell}'; choose one of: {', '.join(SHELLS[:4])}")
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    name, path = typer_install(shell=shell, prog_name=prog_name, complete_var=complete_var)
    return str(name), str(path)
