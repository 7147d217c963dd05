"""`wbbrief preview`: the server as a boundary (raw HTTP requests), Ctrl-C, and the page in a real
browser (Debian's chromium driven by Playwright: live reload, scroll kept, the error notice).

Locally a missing browser skips the browser tests with the reason; under CI (CI=true) it fails them.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from wbbrief.render import author
from wbbrief.render.preview import Preview
from wbbrief.render.preview_http import MAX_FILE, PreviewServer

CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
SECRET = "top secret, outside the document's folder"
ROLE = "{stat}`asb-threat-first-corruption`"


def document_text(parts: int = 40, lang: str = "en", marker: str = "", role: str = ROLE) -> str:
    """A short brief, tall enough to scroll: part i's paragraph is on line 8 + 4 * i."""
    lines = ["---", "title: A test brief", f"lang: {lang}", "---", ""]
    for i in range(parts):
        extra = marker if i == parts // 2 else ""
        filler = "Words to fill the line. " * 8
        lines += [f"## Part {i}", "", f"Paragraph {i}{extra}: {role if i == 3 else ROLE} of those polled. {filler}", ""]
    return "\n".join(lines)


BROKEN_LINE = 8 + 4 * 3  # part 3's paragraph


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, PreviewServer]]:
    """A document's folder (an image, a folder, a hidden file, symlinks out, a large file) beside a
    secret file, served in this process."""
    top = tmp_path_factory.mktemp("site")
    (top / "secret.txt").write_text(SECRET)
    folder = top / "doc"
    folder.mkdir()
    (folder / "brief.md").write_text(document_text(3))
    (folder / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n inside")
    (folder / "sub").mkdir()
    (folder / "sub" / "note.txt").write_text("inside, in a folder")
    (folder / ".hidden").write_text(SECRET)
    (folder / "out.txt").symlink_to(top / "secret.txt")
    (folder / "outdir").symlink_to(top)
    with open(folder / "large.bin", "wb") as large:
        large.truncate(MAX_FILE + 1)
    work = tmp_path_factory.mktemp("work")
    preview = Preview(author.RenderRequest(folder / "brief.md"), work)
    preview.refresh()
    server = PreviewServer(preview, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, server
    preview.close()
    server.shutdown()
    server.server_close()


def ask(
    server: PreviewServer, target: str, method: str = "GET", host: str | None = None,
    headers: dict[str, str] | None = None, body: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    """One raw request: the target is sent as written (no normalising of '..' or '%2e')."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read() if method != "HEAD" else b""
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def test_the_page_is_served_under_its_own_policy_with_the_preview_script_allowed_by_its_hash(site: Any) -> None:
    """The page's own <meta> policy moves to the header (both would apply), with the preview's
    script by its hash and its event stream ('self'): styles stay allowed by their hashes only."""
    from wbbrief.render.datalinks import sha256
    from wbbrief.render.preview_http import SCRIPT

    _, server = site
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"LOCALHOST:{server.port}"):
        status, headers, body = ask(server, "/", host=host)
        assert status == 200
        policy = headers["content-security-policy"]
        directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
        assert directives["script-src"] == [sha256(SCRIPT)], policy
        assert SCRIPT in body.decode() and "http-equiv" not in body.decode().lower()
        assert "'unsafe-inline'" not in policy and directives["default-src"] == ["'none'"]
        assert directives["connect-src"] == ["'self'"] and directives["img-src"] == ["data:"]
        assert all(s.startswith("'sha256-") or s == "'unsafe-hashes'" for s in directives["style-src"])
    assert ask(server, "/", "HEAD")[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1",
                                  "localhost.evil.example:{port}", "0.0.0.0:{port}", "[::1]:{port}", ""])  # fmt: skip
def test_a_request_for_another_host_is_refused(site: Any, host: str) -> None:
    """DNS rebinding: a name that resolves to 127.0.0.1 still sends its own Host."""
    _, server = site
    for target in ("/", "/figure.png", "/__wbbrief/events"):
        status, _, body = ask(server, target, host=host.format(port=server.port))
        assert status == 403, (host, target)
        assert b"PNG" not in body and b"data:" not in body


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "http://evil.example"}])  # fmt: skip
def test_a_request_from_another_site_is_refused(site: Any, headers: dict[str, str]) -> None:
    _, server = site
    assert ask(server, "/figure.png", headers=headers)[0] == 403
    assert ask(server, "/__wbbrief/events", headers=headers)[0] == 403


def test_a_file_in_the_folder_is_served(site: Any) -> None:
    _, server = site
    status, headers, body = ask(server, "/figure.png")
    assert (status, body) == (200, b"\x89PNG\r\n\x1a\n inside")
    assert headers["content-type"] == "image/png" and headers["x-content-type-options"] == "nosniff"
    assert ask(server, "/sub/note.txt")[2] == b"inside, in a folder"
    assert ask(server, "/sub/%6Eote.txt")[2] == b"inside, in a folder"


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
    "/sub/..%2F..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/sub%2f..%2f..%2fsecret.txt", "/..\\secret.txt",
    "//etc/passwd", "/%2Fetc%2Fpasswd", "/etc/passwd", "http://127.0.0.1/../secret.txt",
    "/out.txt", "/outdir/secret.txt", "/.hidden", "/%2ehidden", "/sub/", "/sub", "/outdir/", "/./figure.png",
    "/figure.png%00.txt", "/%ff", "*",
])  # fmt: skip
def test_nothing_outside_the_folder_no_symlink_no_listing(site: Any, target: str) -> None:
    folder, server = site
    status, _, body = ask(server, target)
    assert status in (400, 404), target
    assert SECRET.encode() not in body and b"note.txt" not in body and b"root:" not in body
    assert (folder / "figure.png").exists()


def test_a_file_over_the_size_limit_is_refused(site: Any) -> None:
    _, server = site
    status, _, body = ask(server, "/large.bin")
    assert status == 413 and len(body) < 100


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])
def test_only_get_and_head_are_answered_and_nothing_is_written(site: Any, method: str) -> None:
    folder, server = site
    before = sorted(p.name for p in folder.iterdir())
    status, headers, _ = ask(server, "/written.txt", method, body=b"written by a request")
    assert status in (405, 501), method
    assert sorted(p.name for p in folder.iterdir()) == before
    if status == 405:
        assert headers["allow"] == "GET, HEAD"


def test_the_server_listens_on_the_loopback_only(site: Any) -> None:
    _, server = site
    assert server.server_address[0] == "127.0.0.1"
    addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses - {"127.0.1.1"}:
        with socket.socket() as probe, pytest.raises(OSError):
            probe.settimeout(2)
            probe.connect((address, server.port))


def test_an_exported_html_file_carries_no_preview_script(tmp_path: Path) -> None:
    (tmp_path / "brief.md").write_text(document_text(2))
    done = author.render(author.RenderRequest(tmp_path / "brief.md", tmp_path / "out.html"))
    html = done.path.read_text(encoding="utf-8")
    assert "EventSource" not in html and "__wbbrief" not in html


def test_an_error_names_its_line_in_the_documents_language_and_a_fix_clears_it(tmp_path: Path) -> None:
    doc = tmp_path / "brief.md"
    doc.write_text(document_text(6, lang="sq"))
    preview = Preview(author.RenderRequest(doc), tmp_path)
    assert preview.refresh().startswith("rendered")
    generation, state = preview.wait(-1, 0)
    assert state == {"version": 1, "error": None}
    doc.write_text(document_text(6, lang="sq", role="{stat}`no-such-figure`"))
    assert preview.refresh().startswith("error")
    changed, state = preview.wait(generation, 5)
    assert changed != generation and state["version"] == 1
    error = state["error"]
    assert error["lang"] == "sq" and error["title"] == "Dokumenti ka një gabim"
    assert error["problems"][0]["where"] == f"{doc}:{BROKEN_LINE}:{len('Paragraph 3: {stat}`') + 1}"
    assert "no-such-figure" in error["problems"][0]["message"]
    doc.write_text(document_text(6, lang="sq", marker=" fixed"))
    assert preview.refresh().startswith("rendered")
    _, state = preview.wait(changed, 5)
    assert state == {"version": 2, "error": None}
    assert "fixed" in preview.page()[0]


# --- the command: Ctrl-C --------------------------------------------------------------------------


def start(document: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """`wbbrief preview DOC --no-open` in its own process, and the URL it prints."""
    argv = [sys.executable, "-m", "wbbrief", "preview", str(document), "--no-open", *args]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        process.kill()
        pytest.fail(f"no URL in {line!r}: {process.communicate()}")
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    return process, found.group(0)


def test_ctrl_c_exits_130_and_frees_the_port(tmp_path: Path) -> None:
    (tmp_path / "brief.md").write_text(document_text(2))
    process, url = start(tmp_path / "brief.md")
    port = int(url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    with socket.socket() as again:  # as a new server would (connections just closed are in TIME_WAIT)
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


def test_a_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "brief.md").write_text(document_text(2))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        argv = [sys.executable, "-m", "wbbrief", "preview", str(tmp_path / "brief.md"), "--no-open",
                "--port", str(busy.getsockname()[1])]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot serve on 127.0.0.1:" in done.stderr


# --- in a real browser ----------------------------------------------------------------------------

BROWSER_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip


def missing(what: str) -> NoReturn:
    """Skip locally; fail under CI, where .ci/run installs every tool these tests use."""
    if CI:
        pytest.fail(f"{what} is missing under CI (.ci/run should have installed it)")
    pytest.skip(f"{what} is not installed (CI installs it: see .ci/run)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, list[str]], Path, str]]:
    """`wbbrief preview` of a 40-part document, open in headless chromium; every request that does
    not go to the preview's own address is aborted and recorded."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright")
    if not Path(CHROMIUM).exists():
        missing(f"chromium ({CHROMIUM}; apt-get install chromium)")
    folder = tmp_path_factory.mktemp("live")
    doc = folder / "brief.md"
    doc.write_text(document_text())
    process, url = start(doc)
    seen: dict[str, list[str]] = {"console": [], "blocked": []}
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=BROWSER_FLAGS,
                viewport={"width": 1000, "height": 700},
            )  # fmt: skip

            def route(r: Any) -> None:
                if r.request.url.startswith((url, "data:")):
                    r.continue_()
                else:
                    seen["blocked"].append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["console"].append(f"page error: {e}"))
            page.goto(url, wait_until="load")
            yield page, seen, doc, url
            context.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def until(page: Any, script: str, seconds: float) -> float:
    """Seconds until ``script`` is true in the page (through reloads); fails after ``seconds``."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds * 3:
        try:
            if page.evaluate(script):
                return time.perf_counter() - start
        except Exception:  # the page is reloading: its context is gone for a moment
            pass
        time.sleep(0.01)
    pytest.fail(f"not within {seconds * 3} s: {script}")


def test_the_page_loads_with_no_console_error_and_no_request_elsewhere(browser: Any) -> None:
    page, seen, _, _ = browser
    assert "Paragraph 20" in page.inner_text("body")
    page.wait_for_timeout(300)  # the event stream connects
    assert seen["console"] == [] and seen["blocked"] == []


def test_an_edit_shows_within_a_second_with_the_scroll_position_kept(browser: Any) -> None:
    page, seen, doc, _ = browser
    page.evaluate("window.scrollTo(0, 900)")
    until(page, "window.scrollY === 900", 1)
    page.wait_for_timeout(200)
    doc.write_text(document_text(marker=" (edited)"))
    elapsed = until(page, "document.body.innerText.includes('Paragraph 20 (edited)')", 1)
    assert elapsed < 1.0
    until(page, "document.readyState === 'complete'", 1)
    assert page.evaluate("window.scrollY") == 900
    assert seen["console"] == [] and seen["blocked"] == []


def test_a_broken_role_shows_its_line_over_the_page_and_the_fix_removes_it(browser: Any) -> None:
    page, seen, doc, _ = browser
    good = document_text(marker=" (edited)")
    doc.write_text(good)
    until(page, "document.body.innerText.includes('Paragraph 20 (edited)')", 1)
    page.evaluate("window.notReloaded = true")
    doc.write_text(document_text(marker=" (edited)", role="{stat}`no-such-figure`"))
    until(page, "document.getElementById('wbbrief-preview-error') !== null", 1)
    notice = page.inner_text("#wbbrief-preview-error")
    assert f"brief.md:{BROKEN_LINE}:" in notice and "no-such-figure" in notice
    assert "Paragraph 20 (edited)" in page.inner_text("body")  # the last good render, under it
    # Another error replaces the notice; going back to the last good text removes it, with no reload.
    doc.write_text(good.replace("Paragraph 30:", "Paragraph 30: {stat}`another-missing-figure`"))
    until(page, "document.getElementById('wbbrief-preview-error').innerText.includes('another-missing')", 1)
    assert len(page.query_selector_all("#wbbrief-preview-error")) == 1
    assert f"brief.md:{8 + 4 * 30}:" in page.inner_text("#wbbrief-preview-error")
    doc.write_text(good)
    until(page, "document.getElementById('wbbrief-preview-error') === null", 1)
    assert page.evaluate("window.notReloaded") is True
    # A fix that changes the page reloads it, with no notice.
    doc.write_text(document_text(role="{stat}`no-such-figure`"))
    until(page, "document.getElementById('wbbrief-preview-error') !== null", 1)
    doc.write_text(document_text(marker=" (fixed)"))
    until(page, "document.body.innerText.includes('Paragraph 20 (fixed)')", 1)
    until(page, "document.readyState === 'complete'", 1)
    assert page.query_selector("#wbbrief-preview-error") is None
    assert seen["console"] == [] and seen["blocked"] == []


def test_an_image_it_names_is_watched_and_an_empty_save_is_waited_out(tmp_path: Path) -> None:
    """A save of an image in a subfolder re-renders the page; a document caught empty (an editor's
    save half done) is not rendered as a blank page."""
    import base64
    import contextlib
    import queue

    from wbbrief.render.preview import watch

    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "pic.png").write_bytes(b"\x89PNG first")
    doc = tmp_path / "brief.md"
    doc.write_text(document_text(2) + "\n![A picture](img/pic.png)\n")
    preview = Preview(author.RenderRequest(doc), tmp_path)
    assert preview.refresh().startswith("rendered")
    said: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(preview, said.put, stop), daemon=True)
    thread.start()
    try:
        for _ in range(40):  # until the watch has started
            (tmp_path / "img" / "pic.png").write_bytes(b"\x89PNG second")
            with contextlib.suppress(queue.Empty):
                assert said.get(timeout=0.5).startswith("rendered")
                break
        assert base64.b64encode(b"\x89PNG second").decode() in preview.page()[0]
        version = preview.page()[1]
        doc.write_text("")
        assert "empty" in said.get(timeout=10)
        assert preview.page()[1] == version and preview.wait(-1, 0)[1]["error"] is None
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_the_terminal_gets_no_control_character_from_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "brief.md"
    doc.write_text(document_text(4, role="{stat}`x\x1b]0;pwned\x07\x1b[2J`"))
    argv = [sys.executable, "-m", "wbbrief", "preview", str(doc), "--no-open"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        process.stdout.readline()  # the URL
        said = process.stdout.readline()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert said.startswith("error: ") and f":{BROKEN_LINE}:" in said and "pwned" in said
    assert "\x1b" not in said and "\x07" not in said
