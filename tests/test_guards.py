"""Each guard on files and data, tested so that removing it fails a test."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import read_paper
from wbbrief.base import atomic
from wbbrief.base.errors import OutputError, Problem
from wbbrief.dataset import bundle as data
from wbbrief.dataset import schema

Run = Callable[..., Result]


# --- write_atomic: never in place -----------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "brief.pdf")


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"last week's brief")

    def fail(*args: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, step, fail)
    with pytest.raises(OutputError, match=rf"^cannot write '{out}': Input/output error$"):
        atomic.write_atomic(out, b"this week's brief")
    monkeypatch.undo()
    assert out.read_bytes() == b"last week's brief"
    assert _leftovers(tmp_path) == []
    assert not atomic.PENDING


def test_an_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"old")

    def interrupt(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(out, b"new")
    monkeypatch.undo()
    assert out.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_the_content_is_synced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    atomic.write_atomic(tmp_path / "brief.pdf", b"new")
    assert calls == ["fsync", "replace"]
    assert (tmp_path / "brief.pdf").read_bytes() == b"new"
    assert _leftovers(tmp_path) == [] and not atomic.PENDING


def test_the_temporary_file_is_registered_while_it_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's SIGTERM handler removes what PENDING lists, so the .part must be in it until renamed."""
    seen: list[set[str]] = []
    real_replace = os.replace

    def replace(a: str, b: str) -> None:
        seen.append(set(atomic.PENDING))
        real_replace(a, b)

    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.write_atomic(tmp_path / "brief.pdf", b"x")
    assert len(seen) == 1 and len(seen[0]) == 1
    (part,) = seen[0]
    assert Path(part).parent == tmp_path and Path(part).name.startswith(".brief.pdf.") and part.endswith(".part")
    assert not atomic.PENDING


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda p: p.mkdir(), "it is a folder"),
     (lambda p: None, "the folder does not exist")],
)  # fmt: skip
def test_unwritable_targets_are_one_clear_line(tmp_path: Path, make: Callable[[Path], None], message: str) -> None:
    target = tmp_path / "brief.pdf" if message != "the folder does not exist" else tmp_path / "missing" / "brief.pdf"
    make(target)
    with pytest.raises(OutputError, match=message):
        atomic.write_atomic(target, b"x")


def test_a_read_only_folder_is_refused_before_writing(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            atomic.write_atomic(tmp_path / "brief.pdf", b"x")
    finally:
        tmp_path.chmod(0o700)


# --- the schema: one negative case per rule -------------------------------------------------------

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "constraints": {"required": True, "unique": True, "pattern": "^[a-z]+$"}},
    {"name": "count", "type": "integer", "constraints": {"minimum": 1, "maximum": 10}},
    {"name": "share", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
    {"name": "unit", "type": "string", "constraints": {"enum": ["percent", "rank"]}},
    {"name": "note", "type": "string"},
]
GOOD = {"id": "a", "count": "1", "share": "0", "unit": "percent", "note": ""}


def _validate(*changes: dict[str, str]) -> tuple[list[dict[str, Any]], list[str]]:
    rows = [(n + 2, GOOD | {"id": "abcdefgh"[n]} | change) for n, change in enumerate(changes)]
    typed, problems = schema.validate_rows("f.csv", rows, FIELDS)
    return typed, [str(p) for p in problems]


def test_a_valid_row_and_the_bounds_themselves_pass() -> None:
    typed, problems = _validate({}, {"count": "10", "share": "100", "unit": "rank"}, {"share": "36.5", "count": " 7 "})
    assert problems == []
    assert [(r["count"], r["share"], r["_line"]) for r in typed] == [(1, 0.0, 2), (10, 100.0, 3), (7, 36.5, 4)]
    assert typed[0]["note"] is None


RULES = {
    "required": ({"id": " "}, "f.csv, line 2, column 'id': a value is required"),
    "type integer": ({"count": "1.5"}, "f.csv, line 2, column 'count': '1.5' is not a whole number"),
    "type number": ({"share": "n/a"}, "f.csv, line 2, column 'share': 'n/a' is not a number"),
    "type number, NaN": ({"share": "nan"}, "f.csv, line 2, column 'share': 'nan' is not a number"),
    "type number, infinity": ({"share": "-inf"}, "f.csv, line 2, column 'share': '-inf' is not a number"),
    "enum": ({"unit": "Percent"}, "f.csv, line 2, column 'unit': 'Percent' is not one of: percent, rank"),
    "minimum integer": ({"count": "0"}, "f.csv, line 2, column 'count': 0 is below the minimum 1"),
    "minimum number": ({"share": "-0.5"}, "f.csv, line 2, column 'share': -0.5 is below the minimum 0"),
    "maximum integer": ({"count": "11"}, "f.csv, line 2, column 'count': 11 is above the maximum 10"),
    "maximum number": ({"share": "100.1"}, "f.csv, line 2, column 'share': 100.1 is above the maximum 100"),
    "pattern": ({"id": "a-b"}, "f.csv, line 2, column 'id': 'a-b' does not match the pattern ^[a-z]+$"),
    "pattern, whole value": ({"id": "ab1"}, "f.csv, line 2, column 'id': 'ab1' does not match the pattern ^[a-z]+$"),
}


@pytest.mark.parametrize(("change", "message"), RULES.values(), ids=RULES.keys())
def test_each_rule_reports_its_problem(change: dict[str, str], message: str) -> None:
    typed, problems = _validate(change)
    assert problems == [message]
    column = next(iter(change))
    if "type" in message or "required" in message or "not a" in message:
        assert typed[0][column] is None


def test_unique_names_the_first_line() -> None:
    _, problems = _validate({"id": "x"}, {"id": "y"}, {"id": "x"}, {"id": "x"})
    assert problems == [
        "f.csv, line 4, column 'id': 'x' repeats line 2",
        "f.csv, line 5, column 'id': 'x' repeats line 2",
    ]


def test_unique_applies_only_where_declared() -> None:
    _, problems = _validate({"note": "same"}, {"note": "same"})
    assert problems == []


def test_pattern_checks_integers_by_their_text() -> None:
    fields = [{"name": "page", "type": "integer", "constraints": {"pattern": "^[1-9][0-9]*$"}}]
    _, problems = schema.validate_rows("f.csv", [(2, {"page": "007"})], fields)
    assert [str(p) for p in problems] == []  # 007 is read as 7, which matches
    _, problems = schema.validate_rows("f.csv", [(2, {"page": "-3"})], fields)
    assert [str(p) for p in problems] == ["f.csv, line 2, column 'page': '-3' does not match the pattern ^[1-9][0-9]*$"]


def test_a_row_can_break_several_rules_and_all_are_reported() -> None:
    _, problems = _validate({"id": "", "count": "0", "share": "101", "unit": "x"})
    assert len(problems) == 4


def test_header_rules() -> None:
    problems = schema.check_header("f.csv", ["count", "extra"], FIELDS)
    assert [str(p) for p in problems] == [
        "f.csv, line 1, column 'id': required column is missing",
        "f.csv, line 1, column 'extra': unknown column (expected: id, count, share, unit, note)",
    ]
    assert schema.check_header("f.csv", ["id"], FIELDS) == []


def test_problem_text_without_line_or_column() -> None:
    assert str(Problem("f.csv", None, None, "empty file")) == "f.csv: empty file"
    assert str(Problem("f.csv", 3, None, "x")) == "f.csv, line 3: x"


BUNDLED_RULES = {
    "unique id": ("id", "asb-threat-first-corruption", "repeats line"),
    "id pattern": ("id", "Bad_Id", "does not match the pattern"),
    "edition minimum": ("edition", "1989", "below the minimum 1990"),
    "value maximum": ("value", "100.5", "above the maximum 100"),
    "value minimum": ("value", "-1", "below the minimum 0"),
    "unit enum": ("unit", "percentage", "is not one of: percent, rank"),
    "required question": ("question", "", "a value is required"),
    "value type": ("value", "many", "is not a number"),
    "source_page pattern": ("source_page", "p. 12", "does not match the pattern"),
}


@pytest.mark.parametrize(("column", "value", "message"), BUNDLED_RULES.values(), ids=BUNDLED_RULES.keys())
def test_the_bundled_schema_rules_apply_to_the_bundled_figures(column: str, value: str, message: str) -> None:
    """The same rules through data.read_csv_text, with the real figures schema and a real row."""
    import csv
    import io

    text = (data.bundled_dir() / "figures.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    changed = dict(rows[1]) | {column: value}
    if column == "id" and value == "asb-threat-first-corruption":
        changed = dict(rows[1]) | {"id": rows[0]["id"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([rows[0], changed])
    _, problems = data.read_csv_text("figures.csv", out.getvalue(), "figures")
    assert [p.line for p in problems] == [3] and message in problems[0].message, problems


# --- Windows-1250: the letters Latin-1 does not have ----------------------------------------------

# Fictional test figure, never shipped: the text is what matters.
CP1250_LETTERS = "čćšžđ ČĆŠŽĐ"


def test_cp1250_files_keep_the_letters_latin1_lacks(tmp_path: Path, run: Run) -> None:
    import json

    header = "id;survey;edition;country;topic;question;answer;value;unit;rank;year;source_page;footnote"
    row = (
        f"x-2023-bezbednost;asb;2023;Srbija;threats;Pitanje: {CP1250_LETTERS};Odgovor: korupcija, "
        f"kriminal ({CP1250_LETTERS});41,5;percent;;2023;12;"
    )
    path = tmp_path / "podaci.csv"
    path.write_bytes(f"{header}\n{row}\n".encode("cp1250"))
    with pytest.raises(UnicodeEncodeError):
        CP1250_LETTERS.encode("latin-1")  # the point of the test: these are not Latin-1 letters
    check = run("data", "validate", str(path))
    assert check.exit_code == 0, check.stdout + check.stderr
    rows = json.loads(run("figures", "-s", "asb", "-c", "RS", "-d", str(path), "-f", "json").stdout)["tables"][0][
        "rows"
    ]
    mine = next(r for r in rows if r["id"] == "x-2023-bezbednost")
    assert mine["question"] == f"Pitanje: {CP1250_LETTERS}"
    assert mine["answer"] == f"Odgovor: korupcija, kriminal ({CP1250_LETTERS})"
    assert mine["value"] == 41.5


# --- the paper: missing under CI is a failure -----------------------------------------------------


def test_a_missing_paper_skips_locally_but_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-paper.txt"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        read_paper(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must check every figure against it"):
        read_paper(missing)
    present = tmp_path / "paper.txt"
    present.write_text("text", encoding="utf-8")
    assert read_paper(present) == "text"


def test_a_type_error_does_not_stop_the_checks_of_later_columns() -> None:
    _, problems = _validate({"count": "x", "unit": "y"})
    assert problems == [
        "f.csv, line 2, column 'count': 'x' is not a whole number",
        "f.csv, line 2, column 'unit': 'y' is not one of: percent, rank",
    ]


# --- the smaller guards of atomic.py, with their exact messages ----------------------------------


def test_check_writable_dir_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=rf"^cannot write to '{tmp_path}/missing': the folder does not exist$"):
        atomic.check_writable_dir(tmp_path / "missing")
    with pytest.raises(OutputError, match=rf"^cannot write to '{tmp_path}/file': it is not a folder$"):
        atomic.check_writable_dir(tmp_path / "file")
    asked: list[int] = []
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: asked.append(mode) and False)
    with pytest.raises(OutputError, match=rf"^cannot write to '{tmp_path}': permission denied$"):
        atomic.check_writable_dir(tmp_path)
    assert asked == [os.W_OK | os.X_OK]


def test_a_path_through_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=rf"^cannot write to '{tmp_path}/file/brief.pdf': Not a directory$"):
        atomic.write_atomic(tmp_path / "file" / "brief.pdf", b"x")


def test_ensure_dir_creates_parents_and_says_why_it_cannot(tmp_path: Path) -> None:
    atomic.ensure_dir(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()
    atomic.ensure_dir(tmp_path / "a" / "b")  # already there: fine
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=rf"^cannot create '{tmp_path}/file/c': Not a directory$"):
        atomic.ensure_dir(tmp_path / "file" / "c")
    with pytest.raises(OutputError, match="it is not a folder"):
        atomic.ensure_dir(tmp_path / "file")


def test_stdout_and_pass_through_targets_skip_the_folder_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def refuse(folder: Path) -> None:
        raise OutputError(f"checked {folder}")

    monkeypatch.setattr(atomic, "check_writable_dir", refuse)
    atomic.check_target(Path("-"))
    atomic.check_target(fifo)
    with pytest.raises(OutputError, match=f"checked {tmp_path}"):
        atomic.check_target(tmp_path / "new.pdf")


class _Stdout:
    def __init__(self, buffer: Any) -> None:
        self.buffer = buffer


def test_dash_writes_bytes_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    buffer = io.BytesIO()
    monkeypatch.setattr(atomic.sys, "stdout", _Stdout(buffer))
    assert atomic.write_atomic(Path("-"), b"%PDF-1.7 brief") == Path("-")
    assert buffer.getvalue() == b"%PDF-1.7 brief"


@pytest.mark.parametrize(
    ("error", "raised"),
    [(OSError(28, "No space left on device"), OutputError), (BrokenPipeError(32, "x"), BrokenPipeError)],
)
def test_stdout_failures(monkeypatch: pytest.MonkeyPatch, error: OSError, raised: type[Exception]) -> None:
    class Failing:
        def write(self, content: bytes) -> None:
            raise error

    monkeypatch.setattr(atomic.sys, "stdout", _Stdout(Failing()))
    with pytest.raises(raised) as caught:
        atomic.write_atomic(Path("-"), b"x")
    if raised is OutputError:
        assert str(caught.value) == "cannot write to standard output: No space left on device"


def test_a_device_that_refuses_the_write_is_one_line(tmp_path: Path) -> None:
    from test_outputs import char_device

    full = char_device(tmp_path, "full", 7)
    with pytest.raises(OutputError, match=rf"^cannot write '{full}': No space left on device$"):
        atomic.write_atomic(full, b"x" * 10)
    assert stat.S_ISCHR(full.stat().st_mode)


def test_is_stdout() -> None:
    assert atomic.is_stdout(Path("-")) and not atomic.is_stdout(None) and not atomic.is_stdout(Path("./-x"))


def test_no_room_for_the_temporary_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", full)
    with pytest.raises(OutputError, match=rf"^cannot write to '{tmp_path}': No space left on device$"):
        atomic.write_atomic(tmp_path / "brief.pdf", b"x")


def test_a_failing_cleanup_does_not_hide_the_first_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def vanish_then_fail(source: str, target: str) -> None:
        os.unlink(source)  # the cleanup's unlink will now fail too
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "replace", vanish_then_fail)
    with pytest.raises(OutputError, match="Input/output error"):
        atomic.write_atomic(tmp_path / "brief.pdf", b"x")


# --- userdata: country lists in a sources file (fictional survey, never shipped) -----------------

SOURCES = "id,name,short_name,edition,publisher,title,countries,citation,url\n"


def _sources(tmp_path: Path, countries: str) -> Path:
    path = tmp_path / "sources.csv"
    path.write_text(
        SOURCES + f'xs,X Survey,XS,2023,X Institute,X,"{countries}",X (2023). X Survey.,\n', encoding="utf-8"
    )
    return path


def test_a_sources_country_list_takes_commas_or_semicolons_and_names(tmp_path: Path, run: Run) -> None:
    import json

    path = _sources(tmp_path, "Shqipëri, Srbija;Kosova")
    check = run("data", "validate", str(path))
    assert check.exit_code == 0, check.stdout + check.stderr
    rows = json.loads(run("sources", "-d", str(path), "-f", "json").stdout)["tables"][0]["rows"]
    assert any("X (2023). X Survey." in json.dumps(r) for r in rows)


def test_an_unknown_country_in_a_sources_list_is_named_with_its_line(tmp_path: Path, run: Run) -> None:
    path = _sources(tmp_path, "Albania, Narnia")
    check = run("data", "validate", str(path))
    assert check.exit_code == 1
    problems = [line for line in check.stdout.splitlines() if "column 'countries'" in line]
    assert len(problems) == 1 and problems[0].startswith(f"{path}, line 2, column 'countries': ")
    assert "'Narnia'" in problems[0] and " Valid:" not in problems[0]
