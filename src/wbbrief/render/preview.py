"""``wbbrief preview``: the document's HTML in the browser, rendered again at each save.

The page is what ``wbbrief render DOC.md -o OUT.html`` writes (``author.render``, the one entry
point used here), served by ``preview_http.PreviewServer`` on 127.0.0.1 with a small script added
to the response only. The script listens to server-sent events: a new good render reloads the page
at the same scroll position; an error shows a notice (file:line:col and the message, in the
document's language) over the last good render, and the next good render removes it.

Saves are noticed by the operating system through ``watchfiles`` (inotify, FSEvents,
ReadDirectoryChangesW): no polling, and a save is seen within ``STEP_MS``. Watched: the document,
the images it names, its data files (front matter ``data:`` and ``--data``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wbbrief.base.errors import UsageError, WbbriefError
from wbbrief.document.parse import document_file

if TYPE_CHECKING:
    from wbbrief.render.author import RenderRequest

STEP_MS = 15  # a burst of writes (an editor's save) quieter than this is one change
MAX_PROBLEMS = 20
DATA_SUFFIXES = (".csv", ".xlsx")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_LANG = re.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"", re.I)
_FRONT_LANG = re.compile(r"\A---\s*\n(?:.*\n)*?lang:\s*[\"']?([A-Za-z-]+)", re.M)


class Preview:
    """The last good page, the current error, and the change they make to the browser's state."""

    def __init__(self, request: RenderRequest, workdir: Path) -> None:
        self.request = request
        self.document = request.document.parent.resolve() / request.document.name
        self.folder = self.document.parent
        self._output = workdir / "preview.html"
        self._changed = threading.Condition()
        self._html: str | None = None
        self._error: dict[str, Any] | None = None
        self._version = 0  # of the page: a new good render
        self._generation = 0  # of the state: a new page or a new error
        self._closed = False
        self.data: tuple[Path, ...] = request.data
        self.files, self.data_dirs = self._watched()
        self._stamps = self.stamps()

    # --- rendering -----------------------------------------------------------------------------

    def refresh(self) -> str:
        """Render the document again; one line for the terminal says how it went."""
        from wbbrief.render import author

        start = time.perf_counter()
        self._stamps = self.stamps()  # before reading: a save during the render is seen as a change
        try:
            document_file(self.request.document)
            if self.document.stat().st_size == 0:
                return "the document is empty: waiting for it to be written"  # an editor's save, half done
            done = author.render(dataclasses.replace(self.request, output=self._output))
            html = done.path.read_text(encoding="utf-8")
        except author.DocumentError as err:
            self._fail([
                {"where": f"{d.file}:{d.position.line}:{d.position.col}", "message": d.message} for d in err.problems
            ])  # fmt: skip
            return f"error: {err}"
        except (WbbriefError, OSError) as err:
            self._fail([{"where": "", "message": str(err)}])
            return f"error: {err}"
        self.data = done.data
        self.files, self.data_dirs = self._watched()
        with self._changed:
            same = html == self._html
            if not same:
                self._html = html
                self._version += 1
            if not same or self._error is not None:
                self._error = None
                self._generation += 1
                self._changed.notify_all()
        return f"rendered in {time.perf_counter() - start:.2f} s" + ("; no change" if same else "")

    def _fail(self, problems: list[dict[str, str]]) -> None:
        from wbbrief.i18n import Translator

        try:
            translator = Translator(self.language())
        except WbbriefError:
            translator = Translator("en")
        more = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS] + ([{"where": "", "message": f"… (+{more})"}] if more > 0 else [])
        error = {
            "lang": translator.language.tag,
            "title": translator.gettext("The document has an error"),
            "problems": shown,
            "note": (
                translator.gettext(
                    "Below is the last version without errors; the page updates when the error is fixed."
                )
                if self._html is not None
                else translator.gettext("The page appears when the document has no more errors.")
            ),
        }
        with self._changed:
            if error != self._error:
                self._error = error
                self._generation += 1
                self._changed.notify_all()

    def language(self) -> str:
        """The document's language: its last good page's, else --lang, else its front matter's."""
        found = _HTML_LANG.search(self._html or "")
        if found:
            return found.group(1)
        if self.request.lang:
            return self.request.lang
        try:
            front = _FRONT_LANG.search(self.document.read_text(encoding="utf-8")[:4096])
        except (OSError, UnicodeDecodeError):
            front = None
        return front.group(1) if front else "en"

    # --- what the server reads (any thread) -----------------------------------------------------

    def page(self) -> tuple[str, int]:
        with self._changed:
            if self._html is not None:
                return self._html, self._version
        lang = self.language()
        title = self.document.name.replace("&", "&amp;").replace("<", "&lt;")
        return (
            f'<!DOCTYPE html>\n<html lang="{re.sub(r"[^A-Za-z-]", "", lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n</head>\n<body>\n</body>\n</html>\n",
            0,
        )

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]]:
        """The state once it differs from generation ``seen`` (or after ``timeout`` seconds)."""
        with self._changed:
            if self._generation == seen and not self._closed:
                self._changed.wait(timeout)
            return self._generation, {"version": self._version, "error": self._error}

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    # --- what to watch ---------------------------------------------------------------------------

    def _watched(self) -> tuple[frozenset[Path], frozenset[Path]]:
        """The files that matter (the document, the images it names, data files), and the data
        folders (any CSV or workbook in them matters)."""
        files = {self.document, *self._images()}
        folders = set()
        for path in self.data:
            full = path if path.is_absolute() else Path.cwd() / path
            if full.is_dir():
                folders.add(full.resolve())
            else:
                files.add(full.parent.resolve() / full.name)
        return frozenset(files), frozenset(folders)

    def folders(self) -> frozenset[Path]:
        """The folders to watch."""
        return frozenset(d for d in {f.parent for f in self.files} | self.data_dirs if d.is_dir())

    def wanted(self, _change: Any, name: str) -> bool:
        """A change that matters: to a watched file, or to a CSV or workbook in a data folder."""
        path = Path(name)
        return path in self.files or (path.parent in self.data_dirs and path.suffix.lower() in DATA_SUFFIXES)

    def stamps(self) -> dict[Path, tuple[int, int] | None]:
        """Each watched file's modification time and size (None: missing)."""
        found: dict[Path, tuple[int, int] | None] = {}
        for path in self.files:
            try:
                status = path.stat()
            except OSError:
                found[path] = None
            else:
                found[path] = (status.st_mtime_ns, status.st_size)
        return found

    def stale(self) -> bool:
        """A watched file changed since the last render began (a change the watch could not see)."""
        return self.stamps() != self._stamps

    def _images(self) -> list[Path]:
        try:
            text = self.document.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        found = []
        for match in _IMAGE.finditer(text):
            target = urllib.parse.unquote(match.group(1))
            if "://" in target or target.startswith(("/", "\\")):
                continue  # refused by the render anyway: images are files in the document's folder
            path = self.folder / target
            parent = path.parent.resolve()
            if parent.is_relative_to(self.folder):
                found.append(parent / path.name)
        return found


def watch(preview: Preview, say: Callable[[str], None], stop: threading.Event | None = None) -> None:
    """Render again at each save of a watched file, until Ctrl-C (or ``stop``, for tests).

    Each second without an event, the files' times and sizes are compared with the last render's
    too: a change made while the watch was being set up again (new folders) is not lost."""
    import watchfiles

    from wbbrief.render import author

    while stop is None or not stop.is_set():
        folders = preview.folders()
        for changes in watchfiles.watch(
            *folders, watch_filter=preview.wanted, step=STEP_MS, stop_event=stop, recursive=False,
            raise_interrupt=True, yield_on_timeout=True, rust_timeout=1000,
        ):  # fmt: skip
            if not changes and not preview.stale():
                continue
            if not changes or any(Path(name).suffix.lower() in DATA_SUFFIXES for _, name in changes):
                author._forget_data()  # a data file changed: read the data again
            say(preview.refresh())
            if not preview.folders() <= folders:
                break  # an image or data file in a new folder: watch that folder too
        else:
            return


def serve(
    request: RenderRequest,
    say: Callable[[str], None],
    port: int = 0,
    open_browser: bool = True,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the preview of ``request.document`` on 127.0.0.1 until Ctrl-C; the port is freed then."""
    from wbbrief.render.preview_http import PreviewServer

    document_file(request.document)
    with tempfile.TemporaryDirectory(prefix="wbbrief-preview-") as work:
        preview = Preview(request, Path(work))
        try:
            server = PreviewServer(preview, port)
        except OSError as err:
            raise UsageError(f"cannot serve on 127.0.0.1:{port}: {err.strerror or err}") from err
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        try:
            thread.start()
            say(f"preview of {request.document} at {server.url} (Ctrl-C stops)")
            say(preview.refresh())
            if ready is not None:
                ready(server.url)
            if open_browser:
                _open(server.url, say)
            watch(preview, say, stop)
        finally:
            preview.close()
            server.shutdown()
            server.server_close()


def _open(url: str, say: Callable[[str], None]) -> None:
    """The default browser, where there is a screen to show it on (never a terminal browser)."""
    graphical = sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not graphical or not webbrowser.open(url):
        say(f"open {url} in your browser")
