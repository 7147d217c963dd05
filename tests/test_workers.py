"""base/workers.beside: a task in a forked worker, its result, its failure, its stop."""

from __future__ import annotations

import os
import time

import pytest

from wbbrief.base import workers

pytestmark = pytest.mark.skipif(not workers.available(), reason="needs fork")


def test_the_worker_gives_its_result_and_is_another_process() -> None:
    worker = workers.beside(lambda: (os.getpid(), [b"png" * 1000] * 50))
    pid, pngs = worker.result()
    assert pid != os.getpid() and pngs == [b"png" * 1000] * 50  # more than a pipe's buffer holds


def test_a_task_that_fails_in_the_worker_fails_here_with_its_own_error() -> None:
    calls = []

    def task() -> int:
        calls.append(os.getpid())
        raise ValueError("this chart cannot be drawn")

    worker = workers.beside(task)
    with pytest.raises(ValueError, match="this chart cannot be drawn"):
        worker.result()
    assert calls == [os.getpid()]  # run again here (the worker's own call was in the worker)


def test_a_stopped_worker_is_gone_at_once() -> None:
    worker = workers.beside(lambda: time.sleep(30))
    start = time.monotonic()
    worker.stop()
    assert time.monotonic() - start < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)
