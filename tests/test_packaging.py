"""The package as users install it: lazy heavy imports, a wheel that carries its data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "jinja2", "weasyprint")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_help_and_completion_do_not_import_heavy_libraries() -> None:
    loaded = _modules_after(
        "from wbbrief.cli import app\ntry:\n    app(['--help'], prog_name='wbbrief')\nexcept SystemExit:\n    pass"
    )
    assert "wbbrief.cli" in loaded
    assert not [m for m in HEAVY if m in loaded]


QUERIES = ("findings", "threats", "cooperation", "figures", "sources", "recommendations")
EDITIONS = ROOT / "docs" / "examples" / "three-editions"  # a folder of CSV files, as --data takes it
MEMO = ROOT / "docs" / "examples" / "memo" / "brief.md"
# The bundled data are a few dozen rows: neither the query commands nor `check` nor any export's
# loading of the data needs pandas or numpy, in any language, with the user's CSV files or without.
NEVER_ON_THE_DATA_PATH = ("pandas", "numpy", "weasyprint", "pypandoc")


def _commands_loaded(commands: list[list[str]], cwd: Path | None = None) -> set[str]:
    """The modules loaded after running these commands in one process, each as the CLI runs it."""
    code = (
        "from wbbrief.cli import app\nimport io, contextlib\n"
        f"for argv in {commands!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "        try:\n            app(argv, prog_name='wbbrief')\n"
        "        except SystemExit as exit:\n            assert exit.code in (0, None), (argv, exit.code)"
    )
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    env = os.environ | {"COLUMNS": "100"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd, env=env)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    ("language", "data"),
    [
        ([], []),
        (["--lang", "sq"], []),
        ([], ["--data", str(EDITIONS)]),
        (["--lang", "sr-Cyrl"], ["--data", str(EDITIONS)]),
    ],
    ids=["english", "lang", "user-csv", "lang-and-user-csv"],
)
def test_queries_and_check_never_load_pandas_or_numpy(language: list[str], data: list[str]) -> None:
    commands = [[command, *language, *data, "-f", fmt] for command in QUERIES for fmt in ("table", "json")]
    commands += [["findings", "--country", "albania", *language, *data], ["check", str(MEMO), *data]]
    loaded = _commands_loaded(commands)
    assert {"wbbrief.query.queries", "wbbrief.document.check"} <= loaded  # the probe did run them
    assert "wbbrief.document.citecheck" in loaded  # the memo's bibliography was read, without pandoc (issue 18)
    assert ("wbbrief.dataset.userdata" in loaded) is bool(data)
    assert ("wbbrief.i18n" in loaded) is bool(language)
    assert not [m for m in NEVER_ON_THE_DATA_PATH if m in loaded]


def test_check_reads_without_composing_or_pyyaml(tmp_path: Path) -> None:
    """`check` of the bundled brief (a plain 'key: value' front matter) neither composes the tree nor
    imports PyYAML or the query tables: start-up time it would spend for nothing (issue 15)."""
    brief = tmp_path / "brief.md"
    brief.write_text((ROOT / "locales" / "en" / "briefs" / "regional.md").read_text(encoding="utf-8"), encoding="utf-8")
    loaded = _commands_loaded([["check", str(brief)]])
    assert {"wbbrief.document.check", "wbbrief.document.frontmatter", "wbbrief.document.yamlfast"} <= loaded
    assert not [m for m in ("yaml", "wbbrief.document.tree", "wbbrief.query.views", "rich") if m in loaded]


def test_exports_load_the_data_without_pandas_or_numpy(tmp_path: Path) -> None:
    # The PDF is typeset in a forked worker (WeasyPrint); this process loads the data, composes
    # the brief and writes it, as it does the HTML and, through pandoc, the Word file.
    day = ["--date", "2026-11-30"]
    commands = [
        ["export-html", "-o", "b.html", *day],
        ["export-html", "--country", "albania", "--lang", "sq", "--data", str(EDITIONS), "-o", "al.html", *day],
        ["export-pdf", "-o", "b.pdf", *day],
        ["export-docx", "-o", "b.docx", *day],
    ]
    loaded = _commands_loaded(commands, cwd=tmp_path)
    assert {"b.html", "al.html", "b.pdf", "b.docx"} <= {p.name for p in tmp_path.iterdir()}
    assert "wbbrief.dataset.loading" in loaded
    assert not [m for m in ("pandas", "numpy") if m in loaded]


def test_english_queries_load_no_language_machinery() -> None:
    # English is the data's own language: the query commands never import wbbrief.i18n (its
    # registry, catalogs and Babel) unless --lang asks for another language.
    code = (
        "from wbbrief.cli import app\nimport io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        app(['findings', '-c', 'albania', '-f', '{fmt}'], prog_name='wbbrief')\n"
        "    except SystemExit:\n        pass"
    )
    for fmt in ("table", "json"):
        loaded = _modules_after(code.replace("{fmt}", fmt))
        assert "wbbrief.query.queries" in loaded
        assert not [m for m in loaded if m.startswith(("wbbrief.i18n", "babel"))]
    with_language = _modules_after(code.replace("{fmt}", "table").replace("'albania',", "'albania', '--lang', 'sq',"))
    assert "wbbrief.i18n" in with_language


def test_country_resolution_is_light() -> None:
    loaded = _modules_after("from wbbrief.dataset.countries import resolve\nresolve('Kosova')")
    assert not [m for m in HEAVY if m in loaded]


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "wbbrief", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("wbbrief ")


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sdist and a wheel from it (as PyPI users get it), install the wheel into a fresh venv
    that borrows only our dependencies."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(where), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(where.glob("wbbrief-*.whl"))
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))
    # Dependencies come from the test venv, appended after the new venv's own site-packages.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    return python


def test_installed_wheel_carries_the_data_and_runs_outside_the_source_tree(
    installed_wheel: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"COLUMNS": "100"}
    code = (
        "import sys, wbbrief; print(wbbrief.__file__)\n"
        "from wbbrief.cli import main; sys.argv = ['wbbrief', *sys.argv[1:]]; main()"
    )
    result = subprocess.run(
        [str(installed_wheel), "-c", code, "figures", "-c", "kosovo", "-s", "iri", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    location, _, payload = result.stdout.partition("\n")
    assert str(ROOT) not in location  # the wheel's copy, not the source tree
    rows = json.loads(payload)["tables"][0]["rows"]
    assert {r["id"] for r in rows} == {"iri-open-balkan-xk"}


def test_installed_wheel_speaks_every_bundled_language(installed_wheel: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "from wbbrief.i18n import Translator, languages\n"
        "print(' '.join(languages()))\n"
        "t = Translator('sr-Cyrl'); print(t.gettext('Share'), t.label('country', 'XK', 'name', 'Kosovo'))"
    )
    result = subprocess.run([str(installed_wheel), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    folders = sorted(f.name for f in (ROOT / "locales").iterdir() if (f / "language.toml").is_file() and f.name != "en")
    assert result.stdout.split("\n")[:2] == [" ".join(["en", *folders]), "Удео Косово"]  # every folder, in the wheel


def test_a_query_builds_only_the_command_it_runs_and_loads_no_survey_design() -> None:
    """Start-up (issue 15): the entry point hands Typer the one command called, so the other commands'
    signatures are never turned into Click parameters; a query's intervals need no survey design."""
    code = (
        "import sys, typer.main\nbuilt = []\noriginal = typer.main.get_command_from_info\n"
        "def counted(*args, **kw):\n    info = args[0] if args else kw['command_info']\n"
        "    built.append(info.callback.__name__)\n    return original(*args, **kw)\n"
        "typer.main.get_command_from_info = counted\n"
        "from wbbrief.cli import main\nsys.argv = ['wbbrief', 'findings', '--country', 'albania']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print()\nprint(' '.join(built), '|', ' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    built, loaded = out.splitlines()[-1].split("|")
    assert built.split() == ["findings"]
    assert "wbbrief.stats.design" not in loaded.split()


def test_english_check_does_not_load_the_language_machinery() -> None:
    """`lang: en` is the data's own language: checking it needs no catalog, no Babel."""
    loaded = _commands_loaded([["check", str(ROOT / "locales" / "en" / "briefs" / "regional.md")]])
    assert "wbbrief.document.check" in loaded
    assert not [m for m in ("wbbrief.i18n", "babel") if m in loaded]


def test_installed_wheel_carries_the_citation_style_and_its_licence(installed_wheel: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "from wbbrief.document.bibliography import default_style, read_style\n"
        "style = read_style(None); print(style.path, style.note)\n"
        "print((style.path.parent / 'LICENSE').read_text().count('CC BY-SA 3.0'))\n"
        "from wbbrief.document.csllocale import SHIPPED, locale_file\n"
        "print(all(locale_file(tag).is_file() for tag in SHIPPED.values()))"
    )
    result = subprocess.run([str(installed_wheel), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    path, note, licence, locales = result.stdout.split()
    assert str(ROOT) not in path and path.endswith("wbbrief/styles/chicago-notes-bibliography.csl")
    assert note == "True" and licence == "2"  # the style's, and the CSL locales'
    assert locales == "True"
