"""Forked workers die with their parent; Ctrl-C stops an export of all briefs promptly and cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wbbrief.base import atomic, workers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
WBBRIEF = [sys.executable, "-m", "wbbrief"]


def _processes_mentioning(marker: str) -> list[int]:
    """Every live process whose command line names ``marker`` (a unique temporary path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return kids


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def _gone(marker: str, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while _processes_mentioning(marker):
        if time.monotonic() > deadline:
            for pid in _processes_mentioning(marker):  # clean up after a failure
                os.kill(pid, signal.SIGKILL)
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_worker_dies_with_its_parent_and_the_pipes_close(tmp_path: Path, how: signal.Signals) -> None:
    out = tmp_path / "brief.pdf"
    parent = subprocess.Popen([*WBBRIEF, "export-pdf", "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(lambda: _children(parent.pid))
    worker = _children(parent.pid)[0]
    parent.send_signal(how)
    stdout, stderr = parent.communicate(timeout=10)  # hangs if a worker still holds the pipes
    assert _gone(str(out)), "a worker outlived its parent"
    assert not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text()
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
    if how == signal.SIGTERM:
        assert parent.returncode == 130 and stderr.decode() == "wbbrief: error: interrupted\n" and stdout == b""


def test_a_callers_timeout_returns_promptly(tmp_path: Path) -> None:
    """subprocess.run(..., timeout=1) kills the parent, then reads its pipes to the end."""
    out = tmp_path / "brief.pdf"
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            subprocess.run([*WBBRIEF, "export-pdf", "-o", str(out)], capture_output=True, timeout=1)
        except BaseException as err:
            outcome.append(err)

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    caller.join(timeout=15)
    gone = _gone(str(out))
    assert not caller.is_alive(), "subprocess.run hung: a worker kept the pipes open"
    assert gone and len(outcome) == 1 and isinstance(outcome[0], subprocess.TimeoutExpired)


def test_ctrl_c_stops_country_all_quickly_and_says_what_was_written(tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    started = time.monotonic()
    process = subprocess.Popen(
        [*WBBRIEF, "export-pdf", "--country", "all", "-o", str(folder), "--date", "2022-12-01"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    _wait_for(lambda: folder.exists() and any(folder.glob("*.pdf")), timeout=60)
    first = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    stdout, stderr = process.communicate(timeout=15)
    stopped = time.monotonic() - first
    print(f"stopped {stopped:.2f} s after SIGINT")
    assert _gone(str(folder))
    written = sorted(p.name for p in folder.iterdir())
    assert not [n for n in written if n.endswith(".part")]
    assert 1 <= len(written) < 7, (written, time.monotonic() - started)
    assert process.returncode == 130
    lines = stderr.decode().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"wbbrief: error: interrupted after writing {len(written)} of 7 briefs: ")
    assert sorted(lines[0].split(": ", 3)[3].split("; ")[0].split(", ")) == written
    assert sorted(Path(p).name for p in stdout.decode().split()) == written
    assert "Traceback" not in stderr.decode()
    assert stopped < 5, stopped  # about a second on 2 cores; the old pool finished all seven first
    time.sleep(1)
    assert sorted(p.name for p in folder.iterdir()) == written  # nothing kept writing afterwards


def test_sigterm_in_a_worker_removes_its_temporary_file(tmp_path: Path) -> None:
    part = tmp_path / ".brief.pdf.x.part"
    pid = os.fork()
    if pid == 0:  # the child: a worker half-way through writing
        try:
            part.write_bytes(b"half a brief")
            atomic.PENDING.add(str(part))
            workers.init_worker(os.getppid())
            signal.pause()
        finally:
            os._exit(3)
    _wait_for(lambda: part.exists())
    time.sleep(0.1)
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 128 + signal.SIGTERM
    assert not part.exists()
