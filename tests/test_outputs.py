"""Where the brief goes: files, devices, FIFOs, links, standard output, and what happens when writing fails."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from wbbrief.base import atomic
from wbbrief.base.errors import OutputError

Run = Callable[..., Result]
WBBRIEF = [sys.executable, "-m", "wbbrief"]


def _html(run: Run, out: str) -> Result:
    return run("export-html", "-o", out, "--date", "2022-12-01")


def char_device(folder: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (7), in a temporary folder.
    Never the real ones: a regression (or a mutant, under mutation testing as root) would replace them."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root (CI runs as root)")
    return path


def test_a_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    null = char_device(tmp_path, "null", 3)
    before = null.stat()
    assert atomic.write_atomic(null, b"brief") == null
    after = null.stat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_character_device_through_a_symlink_is_written_through(tmp_path: Path, run: Run) -> None:
    null = char_device(tmp_path, "null", 3)
    link = tmp_path / "brief.html"
    link.symlink_to(null)
    assert _html(run, str(link)).exit_code == 0
    assert link.is_symlink() and stat.S_ISCHR(null.stat().st_mode)


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic.write_atomic(fifo, b"the brief")
    reader.join(timeout=10)
    assert received == [b"the brief"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_shells_process_substitution_is_written_through(tmp_path: Path) -> None:
    """`-o >(gzip > b.gz)` passes /dev/fd/63: a link to a pipe with no path of its own."""
    read, write = os.pipe()
    try:
        atomic.write_atomic(Path(f"/dev/fd/{write}"), b"the brief")
        os.close(write)
        assert os.read(read, 100) == b"the brief"
    finally:
        os.close(read)
        with contextlib.suppress(OSError):
            os.close(write)


def test_a_symlink_keeps_pointing_at_its_target_which_is_replaced(tmp_path: Path, run: Run) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "brief.html"
    target.write_text("last week")
    link = tmp_path / "brief.html"
    link.symlink_to(target)
    result = _html(run, str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["brief.html"]  # no .part left


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "brief.pdf"
    link.symlink_to(tmp_path / "new.pdf")
    atomic.write_atomic(link, b"x")
    assert link.is_symlink() and (tmp_path / "new.pdf").read_bytes() == b"x"


def test_a_socket_or_other_special_file_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(OutputError, match="not a regular file, a FIFO or a character device"):
            atomic.write_atomic(path, b"x")
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_an_existing_output_keeps_its_permissions(tmp_path: Path, run: Run) -> None:
    out = tmp_path / "brief.html"
    out.write_text("old")
    out.chmod(0o600)
    assert _html(run, str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    out.chmod(0o640)
    atomic.write_atomic(out, b"new")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_output_honours_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        atomic.write_atomic(tmp_path / "new.pdf", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o666 & ~umask


def test_dash_writes_the_html_and_the_pdf_to_stdout(tmp_path: Path) -> None:
    html = subprocess.run(
        [*WBBRIEF, "export-html", "-o", "-", "--date", "2022-12-01"], capture_output=True, cwd=tmp_path
    )
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith(b"<!DOCTYPE html>") and html.stdout.rstrip().endswith(b"</html>")
    pdf = subprocess.run([*WBBRIEF, "export-pdf", "-o", "-", "--date", "2022-12-01"], capture_output=True, cwd=tmp_path)
    assert pdf.returncode == 0, pdf.stderr
    assert pdf.stdout.startswith(b"%PDF-") and pdf.stdout.rstrip().endswith(b"%%EOF")
    assert list(tmp_path.iterdir()) == []  # no file named '-'


@pytest.mark.parametrize("name", ["brand-new.pdf", "brief.HTML"])
def test_country_all_with_a_file_name_is_a_usage_error(tmp_path: Path, run: Run, name: str) -> None:
    result = run("export-pdf", "--country", "all", "-o", str(tmp_path / name))
    assert result.exit_code == 2
    assert result.stderr.startswith("wbbrief: error: --country all writes one PDF per brief into a folder")
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_country_all_to_an_existing_file_or_stdout_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    (tmp_path / "briefs").write_text("a file")
    existing = run("export-pdf", "--country", "all", "-o", str(tmp_path / "briefs"))
    assert existing.exit_code == 2 and "is a file" in existing.stderr
    stdout = run("export-pdf", "--country", "all", "-o", "-")
    assert stdout.exit_code == 2 and "cannot write to standard output" in stdout.stderr


STDOUT_COMMANDS = [
    ["findings"],
    ["threats", "-f", "csv"],
    ["cooperation", "-f", "json"],
    ["figures", "-f", "markdown"],
    ["sources"],
    ["recommendations"],
    ["--help"],
    ["--version"],
    ["findings", "--help"],
    ["data", "template", "-o", "TMP"],
    ["data", "validate", "BAD"],
    ["export-html", "-o", "-"],
    ["export-html", "-o", "TMP/x.html"],
]


def _args(args: list[str], tmp_path: Path) -> list[str]:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,survey\n")
    return [a.replace("TMP", str(tmp_path)).replace("BAD", str(bad)) for a in args]


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=" ".join)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*WBBRIEF, *_args(args, tmp_path)], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr == "wbbrief: error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=" ".join)
def test_a_closed_pipe_on_stdout_is_silent_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader has gone, as `| head -1` does once it has its line
    try:
        result = subprocess.run([*WBBRIEF, *_args(args, tmp_path)], stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert result.returncode == 1
    assert result.stderr == ""
