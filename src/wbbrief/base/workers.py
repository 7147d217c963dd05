"""Forked worker processes that die with their parent and can be stopped at once.

A worker that outlived a killed parent would hold the caller's pipes open forever, so each one
asks the kernel for SIGTERM when its parent dies (Linux) and also watches its parent's pid (elsewhere).
SIGTERM makes a worker remove the temporary file it is writing and exit at once; Ctrl-C is the
parent's to handle, so workers ignore SIGINT.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from wbbrief.base import atomic

T = TypeVar("T")
PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 0.2  # seconds between checks of the parent's pid where prctl is not available


def _exit_now(signum: int = signal.SIGTERM, frame: Any = None) -> None:
    for temporary in list(atomic.PENDING):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    os._exit(128 + signum)


def _ask_kernel_for_sigterm_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    _exit_now()


def init_worker(parent: int) -> None:
    """Run first in every worker (ProcessPoolExecutor's initializer)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if not _ask_kernel_for_sigterm_on_parent_death():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        _exit_now()


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def pool(size: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of forked workers. Leaving it normally waits for them; leaving it by an exception
    (Ctrl-C included) stops them at once, so nothing keeps running or writing after we return."""
    executor = ProcessPoolExecutor(
        max_workers=size,
        mp_context=multiprocessing.get_context("fork"),
        initializer=init_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield executor
    except BaseException:
        stop(executor)
        raise
    executor.shutdown(wait=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while forking, so a worker never sees one before init_worker runs;
    the parent receives any that arrived when this ends."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def stop(executor: ProcessPoolExecutor) -> None:
    """Terminate every worker now and wait for them (each removes its temporary file first)."""
    # Python 3.14 has executor.terminate_workers(); before it, the processes are only in _processes.
    procs = list((getattr(executor, "_processes", None) or {}).values())
    for process in procs:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in procs:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=5)
    executor.shutdown(wait=False, cancel_futures=True)


class Beside(Generic[T]):
    """A task running in a forked worker beside this process (``beside``)."""

    def __init__(self, task: Callable[[], T], pid: int, read_end: int) -> None:
        self.task, self.pid, self.read_end = task, pid, read_end

    def result(self) -> T:
        """Wait for the worker's result. If the worker failed, run the task here, so that its error
        is raised as it would have been (or it succeeds); leaving by an exception stops the worker."""
        try:
            with os.fdopen(self.read_end, "rb") as received:
                data = received.read()
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.stop()
            raise
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return self.task()
        result: T = pickle.loads(data)
        return result

    def stop(self) -> None:
        """Stop the worker now (Ctrl-C, or the caller's own error) and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.read_end)


def beside(task: Callable[[], T]) -> Beside[T]:
    """Start ``task`` in a forked worker, on another core, for a short piece of work that holds the
    interpreter (a C or Rust library drawing): no pool, no threads, one fork and one pipe. The
    result is a value pickle can carry. The worker ignores Ctrl-C and dies with this process."""
    parent = os.getpid()
    read_end, write_end = os.pipe()
    with signals_held():
        pid = os.fork()
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            os.close(read_end)
            init_worker(parent)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Beside(task, pid, read_end)
