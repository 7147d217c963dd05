"""``wbbrief preview``: the command line's part (the server is render/preview.py)."""

from pathlib import Path
from typing import Annotated

import typer

from wbbrief.cli.app import app
from wbbrief.cli.options import DataOpt, LangOpt


@app.command("preview")
def preview(
    document: Annotated[Path, typer.Argument(help="The Markdown document to preview.", metavar="DOC.md")],
    port: Annotated[
        int,
        typer.Option("--port", help="The port on 127.0.0.1 (default: a free one).", min=0, max=65535, metavar="N"),
    ] = 0,
    no_open: Annotated[bool, typer.Option("--no-open", help="Print the URL only; open no browser.")] = False,
    lang: LangOpt = None,
    data: DataOpt = None,
) -> None:
    """Show the document in the browser, rendered again at each save (Ctrl-C stops).

    The page reloads itself where you were; an error shows over the last good render, with
    its file:line:col, until you fix it. Served on 127.0.0.1 only. For PDF or Word, use
    `wbbrief render DOC.md --watch`.

    \b
    Examples:
      wbbrief preview mybrief/brief.md
      wbbrief preview brief.md --port 8000 --no-open
    """
    run(document, port, not no_open, lang, data)


def run(document: Path, port: int, open_browser: bool, lang: str | None, data: list[Path] | None) -> None:
    """The hand-off: serve the document until Ctrl-C or `kill`."""
    from wbbrief.cli.app import echo
    from wbbrief.cli.options import lang_tag
    from wbbrief.cli.running import sigterm_as_interrupt
    from wbbrief.render import author
    from wbbrief.render import preview as live
    from wbbrief.render.formats import printable

    request = author.RenderRequest(document, data=tuple(data or ()), lang=lang_tag(lang) if lang else None)
    with sigterm_as_interrupt():
        # What the preview says may quote the document: no control character gets through.
        live.serve(request, lambda line: echo(printable(line)), port=port, open_browser=open_browser)
