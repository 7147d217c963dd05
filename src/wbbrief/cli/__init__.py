"""The wbbrief command line: thin commands that parse their options and hand off to a stage.

app.py holds the Typer app, the root group and the one error boundary; options.py the options the
commands share; one module per command group registers its commands on the app (in the order
`wbbrief -h` lists them): query.py, author.py, export.py, data.py, tabulate.py. completion.py and shells.py answer
a shell's completion. Exit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

from wbbrief.cli.app import app, main

# The order of these imports is the order of the commands in `wbbrief -h`.
# isort: off
from wbbrief.cli import query, author, export, data, tabulate
# isort: on

__all__ = ["app", "author", "data", "export", "main", "query", "tabulate"]
