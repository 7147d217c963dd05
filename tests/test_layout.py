"""The package's layout is its architecture: stages as packages, and every import goes one way,
from a stage to its own or a lower one (data -> query -> document -> render -> cli). An import
against the direction, at the top of a module or inside a function, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wbbrief"
# Lowest first. i18n and stats stand beside the pipeline: they import only base.
STAGES = ["base", "i18n", "stats", "dataset", "query", "document", "render", "cli"]
TOP_LEVEL = {"__init__": "base", "__main__": "cli"}


def stage_of(module: str) -> str:
    """'wbbrief.render.brief' -> 'render'; a top-level module by its own role."""
    parts = module.split(".")
    assert parts[0] == "wbbrief", module
    if len(parts) == 1:
        return "base"
    head = parts[1]
    if head in STAGES:
        return head
    if head in TOP_LEVEL:
        return TOP_LEVEL[head]
    raise AssertionError(f"wbbrief.{head} belongs to no stage ({', '.join(STAGES)})")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, imported wbbrief module) for every import in the file, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path, package).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "wbbrief"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "wbbrief":
                continue
            if base == "wbbrief":  # from wbbrief import x: x is a module or a name of the top level
                found += [(node.lineno, f"wbbrief.{a.name}") for a in node.names if a.name != "__version__"]
            else:
                found.append((node.lineno, base))
    return found


def violations(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        own = stage_of(module_name(path, package))
        for line, target in imports(path, package):
            theirs = stage_of(target)
            if STAGES.index(theirs) > STAGES.index(own):
                found.append(f"{path.relative_to(package.parent)}:{line}: {own} imports {target} ({theirs})")
    return found


def test_every_import_goes_one_way() -> None:
    found = violations()
    assert not found, "imports against the direction of the stages:\n" + "\n".join(found)


def test_every_module_belongs_to_a_stage() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "__pycache__" not in path.parts:
            stage_of(module_name(path))


def test_the_guard_sees_an_import_against_the_direction(tmp_path: Path) -> None:
    package = tmp_path / "wbbrief"
    (package / "query").mkdir(parents=True)
    (package / "render").mkdir()
    lazy = "def f():\n    from wbbrief.render import brief\n    from ..render import y\n"
    (package / "query" / "x.py").write_text(lazy)
    (package / "render" / "brief.py").write_text("from wbbrief.query import x\n")
    assert violations(package) == [
        "wbbrief/query/x.py:2: query imports wbbrief.render (render)",
        "wbbrief/query/x.py:3: query imports wbbrief.render (render)",
    ]


def test_no_module_is_over_400_lines() -> None:
    long = []
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 400:
            long.append(f"{path.relative_to(PACKAGE.parent)}: {lines} lines")
    assert not long, "modules over 400 lines:\n" + "\n".join(sorted(long))


def test_the_readme_maps_every_stage_in_order() -> None:
    """The README's module map names every stage package, in the order data flows through them."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| ") and "`src/wbbrief/" in line]
    mapped = [name for row in rows for name in re.findall(r"`src/wbbrief/(\w+)/`", row)]
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert sorted(mapped) == packages
    assert [name for name in mapped if name in STAGES] == sorted(mapped, key=STAGES.index)
