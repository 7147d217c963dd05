"""Shell completion, as a shell asks for it: Typer's protocol through _WBBRIEF_COMPLETE, and a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wbbrief.cli import completion

WBBRIEF = shutil.which("wbbrief", path=str(Path(sys.executable).parent)) or "wbbrief"


def ask(shell: str, line: str) -> subprocess.CompletedProcess[str]:
    """What `wbbrief` answers when ``shell`` completes the last word of ``line``."""
    env = {**os.environ, "_WBBRIEF_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    return subprocess.run([WBBRIEF], env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bos", ["Bosnia and Herzegovina"]),
        ("BOS", ["Bosnia and Herzegovina"]),  # any case, as --country accepts it
        ("bih", ["Bosnia and Herzegovina"]),  # an alias completes to the name
        ("kosova", ["Kosovo"]),
        ("shqip", ["Albania"]),  # the local name, without its diacritics
        ("mne", ["Montenegro"]),
        ("n", ["North Macedonia"]),
        ("wb", ["WB6"]),
        ("", ["Albania", "Bosnia and Herzegovina", "Kosovo", "Montenegro", "North Macedonia", "Serbia", "WB6"]),
        ("narnia", []),
    ],
)
def test_country_values_match_as_the_option_does(typed: str, expected: list[str]) -> None:
    assert completion.countries(typed) == expected


def test_export_pdf_also_completes_all() -> None:
    assert completion.brief_countries("A") == ["Albania", "all"]


def test_surveys_and_topics_complete_in_any_case() -> None:
    assert completion.surveys("SECURI") == ["securimeter"]
    assert completion.surveys("albanian") == ["asb"]  # by name too
    assert completion.topics("Coop") == ["cooperation", "cooperation-focus"]


def test_bash_gets_values_with_spaces_quoted() -> None:
    assert completion.bash_quote("Bosnia and Herzegovina") == '"Bosnia and Herzegovina"'
    assert completion.bash_quote("open-balkan") == "open-balkan"
    assert completion.bash_quote('a "b" $c') == '"a \\"b\\" \\$c"'
    result = ask("bash", "wbbrief findings --country bo")
    assert result.returncode == 0 and result.stdout.splitlines() == ['"Bosnia and Herzegovina"']


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("wbbrief threats -c BIH", ['"Bosnia and Herzegovina"']),
        ("wbbrief figures --survey I", ["iri"]),
        ("wbbrief figures --topic open", ["open-balkan"]),
        ("wbbrief findings -t THREAT", ["threats", "threat-countries"]),
        ("wbbrief export-pdf --country al", ["Albania", "all"]),
        ("wbbrief export-html -c n", ['"North Macedonia"']),
    ],
)
def test_the_bash_protocol_completes_every_value_option(line: str, expected: list[str]) -> None:
    result = ask("bash", line)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected


def test_zsh_keeps_our_matches_and_quotes_them() -> None:
    result = ask("zsh", "wbbrief findings --country bih")
    assert result.stdout.strip() == "compadd -U -- 'Bosnia and Herzegovina'"
    commands = ask("zsh", "wbbrief fi")
    assert commands.stdout.startswith("_arguments") and '"findings":' in commands.stdout  # with their help


def test_fish_gets_the_values_one_a_line() -> None:
    assert ask("fish", "wbbrief threats -c bos").stdout.splitlines() == ["Bosnia and Herzegovina"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_a_real_bash_completes_bosnia_as_one_word() -> None:
    script = subprocess.run([WBBRIEF, "--show-completion", "bash"], capture_output=True, text=True, check=True).stdout
    program = (
        f"{script}\n"
        "COMP_WORDS=(wbbrief findings --country bos); COMP_CWORD=3\n"
        "_wbbrief_completion wbbrief\n"
        'eval "set -- ${COMPREPLY[0]}"\n'
        'printf "%s|%s\\n" "${#COMPREPLY[@]}" "$#:$1"\n'
    )
    env = {**os.environ, "PATH": f"{Path(WBBRIEF).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, check=False)
    assert done.stdout.strip() == "1|1:Bosnia and Herzegovina", done.stderr


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("zsh", "#compdef wbbrief"), ("bash", "complete -o default -F _wbbrief_completion wbbrief"),
     ("fish", "complete --command wbbrief"), ("powershell", "Register-ArgumentCompleter")],
)  # fmt: skip
def test_show_completion_prints_the_script_for_the_shell_named(shell: str, marker: str) -> None:
    done = subprocess.run([WBBRIEF, "--show-completion", shell], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and marker in done.stdout
    assert f"complete_{shell if shell != 'powershell' else 'powershell'}" in done.stdout


def test_show_completion_for_an_unknown_shell_is_a_usage_error() -> None:
    done = subprocess.run([WBBRIEF, "--show-completion", "tcsh"], capture_output=True, text=True, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "wbbrief: error: cannot complete for the shell 'tcsh'; choose one of: bash, zsh, fish, powershell\n"
    )


def test_install_completion_writes_the_script_for_the_shell_named(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(
        [WBBRIEF, "--install-completion", "bash"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "wbbrief.sh"
    assert f"bash completion installed in {script}" in done.stdout
    assert "_WBBRIEF_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


def test_lang_completes_the_tag_of_every_language_folder() -> None:
    from wbbrief.i18n.registry import bundled_root

    folders = sorted(f.name for f in bundled_root().iterdir() if (f / "language.toml").is_file())
    assert sorted(ask("bash", "wbbrief threats --lang ").stdout.splitlines()) == folders
    assert ask("bash", "wbbrief findings -l SR_").stdout.splitlines() == ["sr-Cyrl", "sr-Latn"]
    assert ask("bash", "wbbrief export-pdf --lang a").stdout.splitlines() == ["all"]
