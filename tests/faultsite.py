"""Small purpose-built local web servers for fault, hostile-page and secret tests.

Each :class:`FaultSite` binds 127.0.0.1 on a free port, serves in daemon
threads and is stopped by the fixture that made it. Routes are plain
functions so a test adds exactly the misbehaviour it needs:

* ``/status/<code>`` answers with that HTTP status;
* ``/loop`` redirects to itself forever; ``/redirect?to=URL`` redirects once;
* ``/hang`` sends half a page and then never finishes;
* ``/delay?ms=N`` answers after N ms (a slow site for interrupt tests);
* ``/flaky?key=K`` drops the connection the first time K is asked for;
* ``/popup``, ``/dialog``, ``/download`` open a tab, a dialog, a download;
* ``/offsite?other=ORIGIN`` links to (and loads an image from) another origin;
* ``/order`` is a checkout form whose submit is counted in :attr:`FaultSite.orders`.

:func:`tls_site` serves the same routes over HTTPS with a throw-away
self-signed certificate made by the ``openssl`` command at test time.
"""

from __future__ import annotations

import html
import socket
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

Route = Callable[["_Handler", dict[str, list[str]]], None]

PAGE = (
    "<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body>{body}</body></html>"
)


def page(title: str, body: str) -> str:
    """A minimal HTML page; ``title`` is escaped, ``body`` is raw HTML on purpose."""
    return PAGE.format(title=html.escape(title), body=body)


def free_port() -> int:
    """A port nothing listens on right now (for connection-refused cases)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep the test output quiet
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._dispatch()

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        site = self.server.site
        site.hits[parts.path] += 1
        site.requests.append(self.path)
        query = parse_qs(parts.query)
        route = site.routes.get(parts.path)
        if route is None:
            prefixes = [p for p in site.routes if len(p) > 1 and p.endswith("/") and parts.path.startswith(p)]
            route = site.routes[max(prefixes, key=len)] if prefixes else None
        try:
            if route is None:
                self.send_html(page("Not found", "<h1>Not found</h1>"), status=404)
            else:
                route(self, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up on this request: expected in fault tests

    # helpers for routes -------------------------------------------------------
    def send_html(self, text: str, *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, to: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: FaultSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # TLS handshakes the browser rejects, dropped connections: part of the tests


class FaultSite:
    """A local site with misbehaving routes; use as a context manager."""

    def __init__(self, *, tls: tuple[Path, Path] | None = None) -> None:
        self.hits: Counter[str] = Counter()
        self.requests: list[str] = []
        self.orders = 0
        self.closing = threading.Event()
        self._flaky_seen: Counter[str] = Counter()
        self.routes: dict[str, Route] = dict(_default_routes())
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        scheme = "http"
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.port = int(self._server.server_address[1])
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def route(self, path: str, fn: Route) -> None:
        self.routes[path] = fn

    def html_route(self, path: str, text: str, *, status: int = 200) -> None:
        self.routes[path] = lambda h, q: h.send_html(text, status=status)

    def __enter__(self) -> FaultSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()


# ---------------------------------------------------------------------------
# The default misbehaviours
# ---------------------------------------------------------------------------


def _home(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(page("Fault site", "<h1>Fault site</h1><p>All fine here.</p><a href='/ok'>OK page</a>"))


def _ok(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(page("OK page", "<h1>OK</h1><p>This page is fine.</p><button id=go>Go</button>"))


def _status(h: _Handler, q: dict[str, list[str]]) -> None:
    code = int(h.path.split("?")[0].rsplit("/", 1)[-1])
    h.send_html(page(f"Error {code}", f"<h1>Error {code}</h1>"), status=code)


def _loop(h: _Handler, q: dict[str, list[str]]) -> None:
    h.redirect("/loop")


def _redirect(h: _Handler, q: dict[str, list[str]]) -> None:
    h.redirect(q["to"][0])


def _hang(h: _Handler, q: dict[str, list[str]]) -> None:
    """Half a page, then nothing: the load event never fires."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.write(b"<!doctype html><title>Hanging</title><h1>Still loading")
    h.wfile.flush()
    h.server.site.closing.wait(60)


def _delay(h: _Handler, q: dict[str, list[str]]) -> None:
    ms = int(q.get("ms", ["1000"])[0])
    h.server.site.closing.wait(ms / 1000)
    nxt = q.get("next", [""])[0]
    link = f"<a id=next href='{html.escape(nxt)}'>next</a>" if nxt else ""
    h.send_html(page("Slow page", f"<h1>Slow page</h1><p>Answered after {ms} ms.</p>{link}"))


def _flaky(h: _Handler, q: dict[str, list[str]]) -> None:
    """Drop the connection without an answer the first ``fail`` (default 1) times a key is asked for."""
    key = q.get("key", ["default"])[0]
    fail = int(q.get("fail", ["1"])[0])
    site = h.server.site
    site._flaky_seen[key] += 1
    if site._flaky_seen[key] <= fail:
        h.close_connection = True
        with_sock = h.connection
        with_sock.shutdown(socket.SHUT_RDWR)
        return
    h.send_html(page("Flaky page", "<h1>Second time lucky</h1>"))


def _popup(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(
        page(
            "Popup page",
            (
                "<h1>Tabs</h1><a id=newtab href='/ok' target=_blank>Open in a new tab</a>"
                "<button id=winopen onclick=\"window.open('/ok?from=script')\">window.open</button>"
                "<p id=after>Still here</p>"
            ),
        )
    )


def _dialog(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(
        page(
            "Dialog page",
            (
                "<h1>Dialogs</h1><script>alert('welcome alert')</script>"
                "<button id=ask onclick=\"document.getElementById('answer').textContent = "
                "confirm('Really?') ? 'answered-yes' : 'answered-no'\">Ask</button>"
                "<p id=answer>unanswered</p>"
            ),
        )
    )


def _download_page(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(page("Download page", "<h1>Files</h1><a id=dl href='/file.bin'>Get the price list</a>"))


def _file(h: _Handler, q: dict[str, list[str]]) -> None:
    data = b"\x00price list\x00" * 100
    h.send_response(200)
    h.send_header("Content-Type", "application/octet-stream")
    h.send_header("Content-Disposition", "attachment; filename=prices.bin")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def _offsite(h: _Handler, q: dict[str, list[str]]) -> None:
    other = q.get("other", [""])[0]
    h.send_html(
        page(
            "Offsite links",
            (
                f"<h1>Partners</h1>"
                f"<img id=badge src='{html.escape(other)}/badge.png' alt=badge width=10 height=10>"
                f"<a id=away href='{html.escape(other)}/landing'>Our partner</a>"
            ),
        )
    )


def _badge(h: _Handler, q: dict[str, list[str]]) -> None:
    data = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    h.send_response(200)
    h.send_header("Content-Type", "image/png")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def _landing(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(page("Partner landing", "<h1>You left the audited site</h1>"))


def _order(h: _Handler, q: dict[str, list[str]]) -> None:
    h.send_html(
        page(
            "Review your order",
            (
                "<h1>Review</h1><form method=post action='/order/place'>"
                "<button id=place type=submit>Place order</button></form>"
            ),
        )
    )


def _order_place(h: _Handler, q: dict[str, list[str]]) -> None:
    if h.command == "POST":
        h.server.site.orders += 1
    h.send_html(page("Thank you", "<h1>Order placed</h1>"))


def _default_routes() -> dict[str, Route]:
    return {
        "/": _home,
        "/ok": _ok,
        "/status/": _status,
        "/loop": _loop,
        "/redirect": _redirect,
        "/hang": _hang,
        "/delay": _delay,
        "/flaky": _flaky,
        "/popup": _popup,
        "/dialog": _dialog,
        "/download": _download_page,
        "/file.bin": _file,
        "/offsite": _offsite,
        "/badge.png": _badge,
        "/landing": _landing,
        "/order": _order,
        "/order/place": _order_place,
    }


# ---------------------------------------------------------------------------
# TLS
# ---------------------------------------------------------------------------


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1, made with the openssl command line."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def tls_site(folder: Path) -> FaultSite:
    return FaultSite(tls=self_signed_cert(folder))


def wait_until(pred: Callable[[], bool], timeout: float = 10.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


# ---------------------------------------------------------------------------
# Unbounded pages (budget tests): each stops when the site closes
# ---------------------------------------------------------------------------


def endless_body(h: _Handler, q: dict[str, list[str]]) -> None:
    """A 200 page whose body never ends: 1 MB chunks of text as fast as the browser reads."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = ("<p>" + "x" * 1020 + "</p>\n") * 1000
    data = f"{len(chunk.encode()):x}\r\n".encode() + chunk.encode() + b"\r\n"
    head = b"<!doctype html><title>Endless</title>"
    h.wfile.write(f"{len(head):x}\r\n".encode() + head + b"\r\n")
    deadline = time.monotonic() + 120
    while not h.server.site.closing.is_set() and time.monotonic() < deadline:
        h.wfile.write(data)


ENDLESS_DOM = page(
    "Endless",
    """<h1>Endless</h1><script>
  const keep = [];
  function grow() {
    for (let i = 0; i < 2000; i++) keep.push("x".repeat(1000) + Math.random());
    setTimeout(grow, 0);
  }
  grow();
</script>""",
)
