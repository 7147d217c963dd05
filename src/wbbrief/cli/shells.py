"""The shells: how each asks for completions and reads the answer (Click's ShellComplete classes,
registered with add_completion_class), the scripts to source, and where `--install-completion`
puts them. The scripts and the protocol are Typer's, so the scripts users installed keep working:
``_WBBRIEF_COMPLETE=complete_bash`` with COMP_WORDS and COMP_CWORD for bash,
``_TYPER_COMPLETE_ARGS`` (the line so far) for zsh, fish and PowerShell.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from click.shell_completion import (
    CompletionItem,
    ShellComplete,
    add_completion_class,
    get_completion_class,
    split_arg_string,
)

from wbbrief.base.errors import UsageError
from wbbrief.cli.completion import SHELLS, bash_quote, completions

_SOURCE_BASH = """\
%(complete_func)s() {
    local IFS=$'\n'
    COMPREPLY=( $( env COMP_WORDS="${COMP_WORDS[*]}" \\
                   COMP_CWORD=$COMP_CWORD \\
                   %(complete_var)s=complete_bash $1 ) )
    return 0
}

complete -o default -F %(complete_func)s %(prog_name)s"""

_SOURCE_ZSH = """\
#compdef %(prog_name)s

%(complete_func)s() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(complete_var)s=complete_zsh %(prog_name)s)
}

compdef %(complete_func)s %(prog_name)s"""

_SOURCE_FISH = (
    'complete --command %(prog_name)s --no-files --arguments "(env %(complete_var)s=complete_fish '
    '_TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s)" '
    '--condition "env %(complete_var)s=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
    '_TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s"'
)

_SOURCE_POWERSHELL = """\
Import-Module PSReadLine
Set-PSReadLineKeyHandler -Chord Tab -Function MenuComplete
$scriptblock = {
    param($wordToComplete, $commandAst, $cursorPosition)
    $Env:%(complete_var)s = "complete_powershell"
    $Env:_TYPER_COMPLETE_ARGS = $commandAst.ToString()
    $Env:_TYPER_COMPLETE_WORD_TO_COMPLETE = $wordToComplete
    %(prog_name)s | ForEach-Object {
        $commandArray = $_ -Split ":::"
        $command = $commandArray[0]
        $helpString = $commandArray[1]
        [System.Management.Automation.CompletionResult]::new(
            $command, $command, 'ParameterValue', $helpString)
    }
    $Env:%(complete_var)s = ""
    $Env:_TYPER_COMPLETE_ARGS = ""
    $Env:_TYPER_COMPLETE_WORD_TO_COMPLETE = ""
}
Register-ArgumentCompleter -Native -CommandName %(prog_name)s -ScriptBlock $scriptblock"""


class _Shell(ShellComplete):
    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        return completions(self.cli, self.prog_name, args, incomplete)

    def get_completion_args(self) -> tuple[list[str], str]:
        """The line so far (zsh, fish): the last word is the one to complete, unless a space follows it."""
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = split_arg_string(line)[1:]
        if words and not line.endswith(" "):
            return words[:-1], words[-1]
        return words, ""


class Bash(_Shell):
    name = "bash"
    source_template = _SOURCE_BASH

    def get_completion_args(self) -> tuple[list[str], str]:
        words = split_arg_string(os.environ["COMP_WORDS"])
        cword = int(os.environ["COMP_CWORD"])
        return words[1:cword], words[cword] if cword < len(words) else ""

    def format_completion(self, item: CompletionItem) -> str:
        return bash_quote(str(item.value))  # one word each: bash splits the answer at newlines only


class Zsh(_Shell):
    name = "zsh"
    source_template = _SOURCE_ZSH

    def format_completion(self, item: CompletionItem) -> str:
        def escape(s: str) -> str:
            return s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")

        if item.help:
            return f'"{escape(str(item.value))}":"{escape(item.help)}"'
        return f'"{escape(str(item.value))}"'

    def complete(self) -> str:
        items = self.get_completions(*self.get_completion_args())
        if items and not any(item.help for item in items):
            # Option values: -U keeps our case-insensitive, alias-aware matches; zsh quotes spaces.
            return "compadd -U -- " + " ".join(_zsh_word(str(item.value)) for item in items)
        if items:
            listed = "\n".join(self.format_completion(item) for item in items)
            return f"_arguments '*: :(({listed}))'"
        return "_files"


def _zsh_word(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


_WHITESPACE = re.compile(r"\s")


class Fish(_Shell):
    name = "fish"
    source_template = _SOURCE_FISH

    def format_completion(self, item: CompletionItem) -> str:
        if item.help:
            return f"{item.value}\t{_WHITESPACE.sub(' ', item.help)}"
        return str(item.value)

    def complete(self) -> str:
        shown = [self.format_completion(item) for item in self.get_completions(*self.get_completion_args())]
        if os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            sys.exit(0 if shown else 1)  # values to offer, or let fish complete file names
        return "\n".join(shown)


class PowerShell(_Shell):
    name = "powershell"
    source_template = _SOURCE_POWERSHELL

    def get_completion_args(self) -> tuple[list[str], str]:
        incomplete = os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        words = split_arg_string(os.environ.get("_TYPER_COMPLETE_ARGS", ""))
        return (words[1:-1] if incomplete else words[1:]), incomplete

    def format_completion(self, item: CompletionItem) -> str:
        return f"{item.value}:::{item.help or ' '}"


for _cls in (Bash, Zsh, Fish, PowerShell):
    add_completion_class(_cls)
add_completion_class(PowerShell, "pwsh")


def respond(root: Any, prog_name: str, complete_var: str) -> int:
    """Answer the instruction in ``complete_var`` (``complete_bash``, ``source_zsh``, ...)."""
    action, _, shell = os.environ.get(complete_var, "").partition("_")
    found = get_completion_class(shell)
    if found is None or action not in ("complete", "source"):
        print(f"wbbrief: cannot complete '{action}_{shell}'", file=sys.stderr)
        return 1
    answer = found(root, {}, prog_name, complete_var)
    print(answer.source() if action == "source" else answer.complete())
    return 0


def _shell(shell: str) -> str:
    """The shell named, or this one (as shellingham finds it, else $SHELL)."""
    if not shell:
        try:
            import shellingham  # type: ignore[import-untyped]

            shell = shellingham.detect_shell()[0]
        except (ImportError, RuntimeError):  # shellingham.ShellDetectionFailure is a RuntimeError
            shell = os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        raise UsageError(f"cannot complete for the shell '{shell}'; choose one of: {', '.join(SHELLS[:4])}")
    return shell


def script(shell: str, prog_name: str) -> str:
    """The completion script to source in ``shell`` (detected from the environment if empty)."""
    found = get_completion_class(_shell(shell))
    assert found is not None
    return found(None, {}, prog_name, _complete_var(prog_name)).source()  # type: ignore[arg-type]


def _complete_var(prog_name: str) -> str:
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def install(shell: str, prog_name: str) -> tuple[str, Path]:
    """Install the script where ``shell`` reads it; returns the shell and the file written."""
    shell = _shell(shell)
    text = script(shell, prog_name)
    home = Path.home()
    if shell == "bash":
        target = home / ".bash_completions" / f"{prog_name}.sh"
        _add_line(home / ".bashrc", f"source '{target}'")
    elif shell == "zsh":
        target = home / ".zfunc" / f"_{prog_name}"
        _add_line(home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    elif shell == "fish":
        target = home / ".config" / "fish" / "completions" / f"{prog_name}.fish"
        text += "\n"
    else:
        target = _powershell_profile(shell)
        text = _read(target) + text + "\n"  # the profile is the user's: add to it
    _write(target, text)
    return shell, target


def _add_line(rc: Path, line: str) -> None:
    content = _read(rc)
    if line not in content:
        _write(rc, f"{content}\n{line}\n")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {path}: {err}") from err


def _write(path: Path, text: str) -> None:
    from wbbrief.base.atomic import ensure_dir, write_atomic

    ensure_dir(path.parent)
    write_atomic(path, text.encode("utf-8"))


def _powershell_profile(shell: str) -> Path:
    import subprocess

    try:
        found = subprocess.run([shell, "-NoProfile", "-Command", "echo", "$profile"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise UsageError(f"cannot find the {shell} profile: {err}") from err
    return Path(found.stdout.decode("utf-8", errors="replace").strip())
