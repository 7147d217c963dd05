"""Ctrl-C during a call into C code that calls back into Python (CairoSVG through cffi).

A KeyboardInterrupt raised inside a cffi callback cannot propagate: Python prints 'Exception
ignored from cffi callback', Cairo fails with an error of its own, and the interrupt is lost (the
export once ended with exit 0). ``deferred`` notes the signal instead and raises it as soon as the
C call has returned, where the CLI turns it into exit 130 with no partial file.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) for the duration; raise KeyboardInterrupt afterwards if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, frame: Any) -> None:
        caught.append(signum)

    old = {number: signal.signal(number, note) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)
    if caught:
        raise KeyboardInterrupt
