"""One error hierarchy for everything a user can cause; the CLI catches it in one place.

Exit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from pathlib import Path

from wbbrief.base.record import record


class WbbriefError(Exception):
    """Base class: a message for the user, and the exit code that goes with it."""

    exit_code = 1


class UsageError(WbbriefError):
    """The command line asked for something that does not exist (exit 2)."""

    exit_code = 2


class DataError(WbbriefError):
    """A data file is missing, unreadable or breaks the schema (exit 1)."""


class OutputError(WbbriefError):
    """An output file could not be written (exit 1)."""


class RenderError(WbbriefError):
    """The brief could not be rendered (exit 1)."""


class Interrupted(WbbriefError):
    """Ctrl-C stopped an export of several briefs; says which were completely written (exit 130)."""

    exit_code = 130

    def __init__(self, written: list[Path], total: int) -> None:
        self.written = written
        names = ", ".join(p.name for p in written)
        done = (
            f"after writing {len(written)} of {total} briefs: {names}"
            if written
            else f"before any of {total} briefs was written"
        )
        super().__init__(f"interrupted {done}; no partial file was left")


@record
class Problem:
    """One problem found in a data file, located precisely enough to fix it."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ValidationError(DataError):
    """A data file broke its schema; carries every problem found."""

    def __init__(self, problems: list[Problem], hint: str = "", warnings: list[Problem] | None = None) -> None:
        self.problems = problems
        self.warnings = warnings or []
        first = str(problems[0]) if problems else "invalid data"
        more = f" (and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        if more:
            more += f": {hint})" if hint else ")"
        super().__init__(first + more)
