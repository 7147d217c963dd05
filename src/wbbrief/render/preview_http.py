"""The preview's HTTP server: a boundary, since any program or web page on the machine can reach it.

It binds to 127.0.0.1 only and answers only requests addressed to itself (``Host`` is
127.0.0.1:PORT or localhost:PORT, so a DNS-rebound name gets 403) and not sent by another site
(``Sec-Fetch-Site``, ``Origin``). It serves three things, for GET and HEAD only: the rendered page
(``/``), its event stream (``/__wbbrief/events``) and regular files inside the document's folder,
each opened one path component at a time from that folder with ``O_NOFOLLOW`` (no ``..``, no
hidden file, no symlink, no directory listing, nothing over ``MAX_FILE`` bytes). It writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import stat
import threading
import urllib.parse
from base64 import b64encode
from html import unescape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

EVENTS = "/__wbbrief/events"
MAX_FILE = 32 * 1024 * 1024
MAX_STREAMS = 16  # open event streams (browser tabs) at once
KEEPALIVE = 15.0  # seconds between comments on an idle event stream

# The preview's own script, injected into the preview response only (never into an exported file):
# it reloads the page at a new render (the browser keeps the scroll position across a reload) and
# shows the error notice over the last good render.
SCRIPT = """(() => {
  "use strict";
  const version = document.currentScript.dataset.version;
  let notice = null;
  function show(error) {
    if (notice) { notice.remove(); notice = null; }
    if (!error) return;
    notice = document.createElement("section");
    notice.id = "wbbrief-preview-error";
    notice.setAttribute("role", "alert");
    notice.lang = error.lang;
    notice.style.cssText = "position:fixed;z-index:2147483647;left:1rem;right:1rem;top:1rem;max-height:60vh;" +
      "overflow:auto;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;border:3px solid #b3261e;" +
      "border-radius:6px;box-shadow:0 4px 24px rgba(0,0,0,.35);font:15px/1.45 system-ui,sans-serif";
    const title = document.createElement("h2");
    title.textContent = error.title;
    title.style.cssText = "margin:0 0 .5rem;font-size:1.1rem;color:#b3261e";
    const list = document.createElement("ul");
    list.style.cssText = "margin:0 0 .5rem;padding-left:1.25rem";
    for (const problem of error.problems) {
      const item = document.createElement("li");
      if (problem.where) {
        const where = document.createElement("code");
        where.textContent = problem.where + ": ";
        item.append(where);
      }
      item.append(problem.message);
      list.append(item);
    }
    const note = document.createElement("p");
    note.textContent = error.note;
    note.style.cssText = "margin:0;color:#444";
    notice.append(title, list, note);
    document.body.append(notice);
  }
  const events = new EventSource("/__wbbrief/events");
  events.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (String(state.version) !== version) {
      events.close();
      window.location.reload();
      return;
    }
    show(state.error);
  };
})();
"""


class State(Protocol):
    """What the server shows: the preview's state (render/preview.py)."""

    folder: Path

    def page(self) -> tuple[str, int]: ...  # the last good page (or a placeholder) and its version

    def wait(self, seen: int, timeout: float) -> tuple[int, dict[str, Any]]: ...  # (generation, state)

    @property
    def closed(self) -> bool: ...


def _hash(script: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


_META_CSP = re.compile(r"<meta\s[^>]*http-equiv\s*=\s*[\"']?content-security-policy[^>]*>", re.I)
_DEFAULT_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
_CONTENT = re.compile(r"\bcontent\s*=\s*\"([^\"]*)\"", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.I | re.S)


def preview_page(html: str, version: int) -> tuple[bytes, str]:
    """The page as the preview serves it, and its Content-Security-Policy: the page's own policy
    (its <meta>, moved to the header, since both would apply) with the preview's script allowed by
    its hash and the event stream ('self'): what the exported file may not do, the preview may not
    either. A page without a policy of its own (a house template's) gets one that allows its inline
    styles and, by their hashes, its inline scripts."""
    found = _META_CSP.search(html)
    own_policy = _CONTENT.search(found.group(0)) if found else None
    html = _META_CSP.sub("", html)
    scripts = [] if own_policy else [_hash(m.group(1)) for m in _INLINE_SCRIPT.finditer(html)]
    script = f'<script data-version="{version}">{SCRIPT}</script>'
    icon = '<link rel="icon" href="data:,">'  # no request for /favicon.ico
    head = html.lower().find("</head>")
    html = html[:head] + icon + html[head:] if head >= 0 else icon + html
    body = html.lower().rfind("</body>")
    html = html[:body] + script + html[body:] if body >= 0 else html + script
    base = unescape(own_policy.group(1)) if own_policy else _DEFAULT_POLICY
    kept = [d.strip() for d in base.split(";") if d.strip() and d.split()[0] not in ("script-src", "connect-src")]
    allowed = " ".join(dict.fromkeys([_hash(SCRIPT), *scripts]))
    policy = "; ".join([*kept, f"script-src {allowed}", "connect-src 'self'", "frame-ancestors 'none'"])
    return html.encode("utf-8"), policy


def request_parts(target: str) -> list[str] | None:
    """The path components of a request for a file in the folder, or None if it is refused:
    a target not starting with one '/', an empty, '.'-led or encoded-separator component."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//"):
        return None
    parts = []
    for raw in path[1:].split("/"):
        try:
            part = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if not part or part.startswith(".") or any(c in part for c in "/\\\0:") or not part.isprintable():
            return None
        parts.append(part)
    return parts


def open_inside(root: int, parts: list[str]) -> int | None:
    """A read-only descriptor for a regular file at ``parts`` under the folder open as ``root``,
    or None: no component may be a symlink (O_NOFOLLOW at each step, so a swap cannot race us)."""
    if os.open not in os.supports_dir_fd or not hasattr(os, "O_NOFOLLOW"):
        return None  # no safe way to open it here (Windows): the page itself needs no file
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    folder = os.open(".", os.O_RDONLY | os.O_DIRECTORY, dir_fd=root)
    try:
        for part in parts[:-1]:
            inner = os.open(part, flags | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = inner
        found = os.open(parts[-1], flags | os.O_NONBLOCK, dir_fd=folder)
    except (OSError, ValueError):
        return None
    finally:
        os.close(folder)
    if not stat.S_ISREG(os.fstat(found).st_mode):
        os.close(found)
        return None
    return found


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state: State, port: int = 0) -> None:
        self.state = state
        self.root = os.open(state.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        try:
            super().__init__(("127.0.0.1", port), Handler)
        except BaseException:
            os.close(self.root)
            raise
        self.port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def server_close(self) -> None:
        super().server_close()
        os.close(self.root)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "wbbrief-preview"
    sys_version = ""
    timeout = 30  # a client that sends nothing is dropped

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows renders and errors, not requests."""

    def _refused(self) -> bool:
        """Answer 403 to a request not addressed to this server, or sent by another site."""
        host = (self.headers.get("Host") or "").strip().lower()
        site = self.headers.get("Sec-Fetch-Site")
        origin = self.headers.get("Origin")
        mine = {f"http://{h}" for h in self.server.hosts}
        if host in self.server.hosts and site in (None, "same-origin", "none") and origin in (None, *mine):
            return False
        self._status(HTTPStatus.FORBIDDEN)
        return True

    def _status(self, status: HTTPStatus, extra: dict[str, str] | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self._common("text/plain; charset=utf-8", "default-src 'none'")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _common(self, content_type: str, policy: str) -> None:
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Connection", "close")

    def do_GET(self) -> None:
        if self._refused():
            return
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._page()
        elif path == EVENTS:
            self._events()
        else:
            self._file()

    do_HEAD = do_GET

    def _not_allowed(self) -> None:
        self._status(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def _page(self) -> None:
        html, version = self.server.state.page()
        body, policy = preview_page(html, version)
        self.send_response(HTTPStatus.OK)
        self._common("text/html; charset=utf-8", policy)
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state now, then again at each change (a comment when idle)."""
        if not self.server.streams.acquire(blocking=False):
            self._status(HTTPStatus.SERVICE_UNAVAILABLE)
            return
        try:
            self.send_response(HTTPStatus.OK)
            self._common("text/event-stream; charset=utf-8", "default-src 'none'")
            self.end_headers()
            if self.command == "HEAD":
                return
            state = self.server.state
            seen = -1
            while not state.closed:
                generation, now = state.wait(seen, KEEPALIVE)
                if generation == seen:
                    self.wfile.write(b": idle\n\n")
                else:
                    self.wfile.write(f"data: {json.dumps(now, ensure_ascii=False)}\n\n".encode())
                    seen = generation
                self.wfile.flush()
        except (ConnectionError, TimeoutError):
            pass  # the tab was closed or reloaded
        finally:
            self.server.streams.release()

    def _file(self) -> None:
        parts = request_parts(self.path)
        found = open_inside(self.server.root, parts) if parts else None
        if found is None:
            self._status(HTTPStatus.NOT_FOUND)
            return
        with os.fdopen(found, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_FILE:
                self._status(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                return
            kind = mimetypes.guess_type(parts[-1] if parts else "")[0] or "application/octet-stream"
            self.send_response(HTTPStatus.OK)
            self._common(kind, "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if self.command == "HEAD":
                return
            while chunk := file.read(min(65536, size)):
                self.wfile.write(chunk)
                size -= len(chunk)
                if size <= 0:
                    break
