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
        assert "wbbrief.queries" in loaded
        assert not [m for m in loaded if m.startswith(("wbbrief.i18n", "babel"))]
    with_language = _modules_after(code.replace("{fmt}", "table").replace("'albania',", "'albania', '--lang', 'sq',"))
    assert "wbbrief.i18n" in with_language


def test_country_resolution_is_light() -> None:
    loaded = _modules_after("from wbbrief.countries import resolve\nresolve('Kosova')")
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
