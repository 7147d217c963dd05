"""The command line's shape: thin commands that parse their options and hand off, one error boundary,
and nothing taken from Typer's private modules. Read from the source (AST), so a fat command, a
second `except WbbriefError` or an import of `typer._click` fails here before it is merged."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from wbbrief.cli import app
from wbbrief.cli.data import data_app

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wbbrief"
CLI = PACKAGE / "cli"
# A command's body (after its docstring and lazy imports): a few statements that turn options into
# arguments and call the stage that does the work. Loops, try, with, comprehensions and file I/O
# are work: they belong in a stage (or in a helper of the command line that shows a result).
MAX_STATEMENTS = 6
WORK = (ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith,
        ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)  # fmt: skip
FILE_IO = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "print"}


def _is_command(function: ast.FunctionDef) -> bool:
    """Decorated with `@<typer app>.command(...)`."""
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr == "command":
            return True
    return False


def commands(folder: Path = CLI) -> dict[str, ast.FunctionDef]:
    found = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and _is_command(node):
                found[f"{path.stem}.{node.name}"] = node
    return found


def fat(function: ast.FunctionDef) -> list[str]:
    """What makes a command's body more than parsing and handing off."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring (the command's help)
    problems = []
    statements = [
        node
        for top in body
        for node in ast.walk(top)
        if isinstance(node, ast.stmt) and not isinstance(node, ast.Import | ast.ImportFrom)
    ]
    if len(statements) > MAX_STATEMENTS:
        problems.append(f"{len(statements)} statements (at most {MAX_STATEMENTS})")
    for top in body:
        for node in ast.walk(top):
            if isinstance(node, WORK):
                problems.append(f"line {node.lineno}: {type(node).__name__}")
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in FILE_IO:
                    problems.append(f"line {node.lineno}: {name}()")
    return problems


def test_every_registered_command_is_found_and_thin() -> None:
    found = commands()
    registered = {info.callback.__name__ for info in [*app.registered_commands, *data_app.registered_commands]}
    assert registered and registered == {function.name for function in found.values()}
    fat_ones = {name: problems for name, problems in ((n, fat(f)) for n, f in found.items()) if problems}
    assert not fat_ones, f"commands that do work instead of handing it off: {fat_ones}"


def test_a_fat_command_is_caught(tmp_path: Path) -> None:
    """The check fails on what the command bodies were before: a loop, a try, a long body."""
    (tmp_path / "fat.py").write_text(
        "@app.command()\n"
        "def validate(paths):\n"
        '    """Help."""\n'
        "    from wbbrief.dataset import loading\n"
        "    report = loading.validate(paths)\n"
        "    for problem in report.problems:\n"
        "        echo(str(problem))\n"
        "    Path('x').write_text('y')\n",
        encoding="utf-8",
    )
    long_body = "".join(f"    step_{i}()\n" for i in range(MAX_STATEMENTS + 1))
    (tmp_path / "long.py").write_text(f"@app.command('long')\ndef long():\n{long_body}", encoding="utf-8")
    found = commands(tmp_path)
    assert fat(found["fat.validate"]) == ["line 6: For", "line 8: write_text()"]
    assert fat(found["long.long"]) == [f"{MAX_STATEMENTS + 1} statements (at most {MAX_STATEMENTS})"]


def _catches(handler: ast.ExceptHandler, name: str) -> bool:
    """Catches ``name`` by name, or catches everything (bare, Exception, BaseException) and does not
    raise again: a clean-up that re-raises, or turns any failure of a library into our own error,
    is no boundary."""
    types = [] if handler.type is None else handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "") for t in types}
    if name in names:
        return True
    broad = handler.type is None or bool(names & {"Exception", "BaseException"})
    return broad and not any(isinstance(node, ast.Raise) for node in ast.walk(handler))


def wbbrief_error_catchers(package: Path = PACKAGE) -> list[str]:
    """'path:function' of every except clause that catches WbbriefError (or anything broader)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ExceptHandler) and _catches(node, "WbbriefError"):
                    found.append(f"{path.relative_to(package.parent).as_posix()}:{function.name}")
    return sorted(set(found))


# Two handlers outside the command line were read and are not boundaries: `render --watch` shows an
# error in the document and keeps watching (a loop that must outlive one bad save), and read_xlsx
# turns whatever openpyxl raises on a damaged workbook into a reported problem.
# Not boundaries: they show an error and go on (watching, previewing) or turn a library's failure
# into a reported problem; none of them ends the command.
NOT_BOUNDARIES = [
    "wbbrief/dataset/userfiles.py:read_xlsx",
    "wbbrief/render/author.py:watch",
    "wbbrief/render/preview.py:_fail",
    "wbbrief/render/preview.py:refresh",
]


def test_one_place_catches_wbbrief_error() -> None:
    """The command line's one boundary: every command runs inside it, and so do the completion
    options; anything else that would swallow a WbbriefError fails here."""
    assert [c for c in wbbrief_error_catchers() if c not in NOT_BOUNDARIES] == ["wbbrief/cli/app.py:boundary"]


def test_a_second_catcher_is_caught(tmp_path: Path) -> None:
    (tmp_path / "wbbrief").mkdir()
    (tmp_path / "wbbrief" / "x.py").write_text(
        "def a():\n    try:\n        b()\n    except (KeyError, WbbriefError):\n        pass\n"
        "def c():\n    try:\n        b()\n    except errors.UsageError:\n        pass\n"
        "def d():\n    try:\n        b()\n    except Exception:\n        log()\n"
        "def e():\n    try:\n        b()\n    except BaseException:\n        clean()\n        raise\n",
        encoding="utf-8",
    )
    assert wbbrief_error_catchers(tmp_path / "wbbrief") == ["wbbrief/x.py:a", "wbbrief/x.py:d"]


def typer_private_imports(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n.startswith("typer.") and any(p.startswith("_") for p in n.split(".")[1:]) for n in names):
                found.append(f"{path.relative_to(package.parent).as_posix()}:{node.lineno}")
    return found


def test_nothing_is_imported_from_typers_private_modules(tmp_path: Path) -> None:
    assert typer_private_imports() == []
    (tmp_path / "wbbrief").mkdir()
    (tmp_path / "wbbrief" / "x.py").write_text(
        "import typer\nfrom typer._click.exceptions import ClickException\nfrom typer import _completion_shared\n"
        "import typer._completion_classes\n",
        encoding="utf-8",
    )
    assert typer_private_imports(tmp_path / "wbbrief") == ["wbbrief/x.py:2", "wbbrief/x.py:3", "wbbrief/x.py:4"]


@pytest.mark.parametrize(
    "argv",
    [
        ["findings", "-h"],
        ["threats", "--country", "nowhere"],
        ["data", "-h"],
        ["data", "template", "--bogus"],
        ["sources", "-f", "json"],
    ],
)
def test_the_pruned_app_answers_as_the_whole_app(argv: list[str]) -> None:
    """The entry point builds only the command called (start-up, issue 15): its help, errors and output
    are the whole app's."""
    from typer.testing import CliRunner

    from wbbrief.cli import app
    from wbbrief.cli.app import only_the_command_called

    pruned = only_the_command_called(app, argv)
    assert pruned is not app and len(pruned.registered_commands) + len(pruned.registered_groups) == 1
    runner = CliRunner()
    whole, one = runner.invoke(app, argv, prog_name="wbbrief"), runner.invoke(pruned, argv, prog_name="wbbrief")
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)


@pytest.mark.parametrize("argv", [[], ["-h"], ["--version"], ["findngs"], ["--show-completion", "bash"]])
def test_anything_but_a_command_gets_the_whole_app(argv: list[str]) -> None:
    from wbbrief.cli import app
    from wbbrief.cli.app import only_the_command_called

    assert only_the_command_called(app, argv) is app
