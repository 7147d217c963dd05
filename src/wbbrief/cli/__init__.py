"""The wbbrief command line: thin commands that parse their options and hand off to a stage.

app.py holds the Typer app, the root group and the one error boundary; options.py the options the
commands share; one module per command group registers its commands on the app (in the order
`wbbrief -h` lists them): query.py, author.py,
preview.py, export.py, data.py, tabulate.py. completion.py and shells.py answer
a shell's completion. Exit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import gc

# Start-up makes thousands of objects that live as long as the process (modules, classes, functions,
# Typer's commands): the cyclic collector would walk them again and again while they are made, for
# nothing. It waits until they are made, then leaves them out of every later collection (gc.freeze)
# and runs as usual for the command's own work (issue 15: 7-8% of a query's start-up).
_collecting = gc.isenabled()
gc.disable()

from wbbrief.cli.app import app, main  # noqa: E402

# The order of these imports is the order of the commands in `wbbrief -h`.
# isort: off
from wbbrief.cli import query, author, preview, export, data, tabulate  # noqa: E402
# isort: on

gc.freeze()
if _collecting:
    gc.enable()

__all__ = ["app", "author", "data", "export", "main", "preview", "query", "tabulate"]
