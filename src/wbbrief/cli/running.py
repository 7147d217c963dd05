"""How the commands hand off and show what comes back: a query's View printed in a language, one
brief written (its path printed), a batch of briefs with a progress bar, Ctrl-C and `kill` alike."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.cli.app import echo, writing
from wbbrief.cli.options import decimal_sign, lang_tag

if TYPE_CHECKING:
    from wbbrief.render.briefs import Batch
    from wbbrief.render.formats import Format


@contextlib.contextmanager
def speaking(lang: str | None, decimal: str | None = None) -> Iterator[Any]:
    """Run a query command in a language: values, headers and notes follow it (i18n.use_language)."""
    if lang is None and decimal is None:  # English as written: nothing to load (start-up stays light)
        yield None
        return
    from wbbrief.i18n import use_language

    with use_language(lang_tag(lang) or "en", decimal_sign(decimal)) as t:
        yield t


def ask(question: str, fmt: Format, data: list[Path] | None, lang: str | None, decimal: str | None,
        ci: bool = False, level: float = 0.95, **typed: str | None) -> None:  # fmt: skip
    """One of the six query commands: answered by query.ask in the language asked, printed as ``fmt``."""
    from wbbrief.query import ask as asking
    from wbbrief.render.output import emit

    with speaking(lang, decimal):
        view = asking.answer(question, tuple(data or ()), **typed, ci=ci, level=level)
        with writing():
            emit(view, fmt)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """`kill` (SIGTERM) stops an export the way Ctrl-C does: workers stopped, no partial file."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def export_one(write: Callable[[], Path]) -> None:
    """One brief: Ctrl-C or `kill` leave no partial file; its path is printed, except with -o -,
    where standard output carries the brief and nothing else."""
    from wbbrief.base.atomic import is_stdout

    with sigterm_as_interrupt():
        path = write()
    if not is_stdout(path):
        echo(str(path))


def export_many(batch: Batch) -> None:
    """Several briefs into a folder, with a progress bar; each path is printed, and when Ctrl-C or
    `kill` stops them, the paths of the briefs written before it (then the error, exit 130)."""
    from wbbrief.base.errors import Interrupted

    try:
        with sigterm_as_interrupt(), progress(batch.total) as advance:
            paths = batch.write(advance)
    except Interrupted as stopped:
        for path in stopped.written:
            echo(str(path))
        raise
    for path in paths:
        echo(str(path))


@contextlib.contextmanager
def progress(total: int) -> Iterator[Callable[[Path], None]]:
    """A progress bar on stderr, so stdout carries only the written paths."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("Writing briefs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:  # fmt: skip
        task = bar.add_task("briefs", total=total)
        yield lambda _path: bar.advance(task)
