"""The demo storefront server: a stdlib HTTP server in a daemon thread.

``DemoStore`` exists so the auditor (and its tests, benchmarks and docs) always has
a realistic target that needs no network, no external services and no setup:
``with DemoStore("flawed") as store: audit(store.url)``.  The ``flawed`` variant
switches on every defect in :data:`auditor.demo.defects.SEEDED_DEFECTS`, giving the
checks a known ground truth; ``clean`` switches them all off.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from .app import Request, Response, StoreApp, parse_cookies
from .catalog import Catalog, build_catalog
from .defects import DEFECT_IDS, SEEDED_DEFECTS, SPA_DEFECT_IDS, SPA_DEFECTS
from .spa import SpaApp

VARIANTS = ("clean", "flawed")
MAX_BODY = 64 * 1024


class _Server(ThreadingHTTPServer):
    """Threading server that remembers open connections so ``stop()`` can cut them.

    Browsers keep HTTP/1.1 connections alive; without this, a handler thread could
    keep serving an idle keep-alive connection after the store was "stopped".
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: StoreApp | SpaApp) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request_thread(self, request, client_address):  # type: ignore[no-untyped-def]
        with self._conn_lock:
            self._connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conn_lock:
                self._connections.discard(request)

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        """Stay quiet about clients that hang up (e.g. a browser navigating away mid-delay).

        Page errors are already turned into 500 responses by the handler, so anything
        reaching here is a connection problem, not a bug worth a traceback on stderr.
        """

    def close_connections(self) -> None:
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    """Translates between ``http.server`` and :class:`StoreApp`."""

    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "NorthwindDemo/1.0"
    sys_version = ""
    #: Idle keep-alive connections are dropped after this many seconds.
    timeout = 15

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: the store runs inside tests and audits."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        form: dict[str, str] = {}
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._send(Response(413, b"Request too large", "text/plain; charset=utf-8"), method)
                return
            raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        request = Request(
            method=method,
            path=parts.path or "/",
            query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            form=form,
            cookies=parse_cookies(self.headers.get("Cookie")),
            user_agent=self.headers.get("User-Agent", ""),
        )
        try:
            response = self.server.app.handle(request)
        except Exception:  # pragma: no cover - a bug in a page must not kill the thread
            response = Response(500, b"Internal server error", "text/plain; charset=utf-8")
        self._send(response, method)

    def _send(self, response: Response, method: str) -> None:
        if response.delay:
            time.sleep(response.delay)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)


class DemoStore:
    """A self-contained demo storefront ("Northwind Outfitters") for audits and tests.

    :param variant: ``"clean"`` (no defects) or ``"flawed"`` (all seeded defects).
    :param products: catalogue size; the first 12 are hand-written, the rest generated.
    :param host: interface to bind.
    :param port: port to bind; ``0`` picks a free one (read :attr:`url` after ``start``).
    :param seed: seed for the generated part of the catalogue (deterministic).
    :param defects: override which defect ids are active (default: all for ``flawed``,
        none for ``clean``), e.g. to study one defect in isolation.
    :param spa: serve the single-page-app mode (:mod:`auditor.demo.spa`) instead of
        server-rendered pages; its defects are :data:`auditor.demo.defects.SPA_DEFECTS`.
    """

    def __init__(
        self,
        variant: str = "clean",
        *,
        products: int = 12,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 7,
        defects: Iterable[str] | None = None,
        spa: bool = False,
    ) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
        catalogue = SPA_DEFECTS if spa else SEEDED_DEFECTS
        if defects is None:
            active = frozenset(d.id for d in catalogue) if variant == "flawed" else frozenset()
        else:
            active = frozenset(defects)
            unknown = active - (SPA_DEFECT_IDS if spa else DEFECT_IDS)
            if unknown:
                raise ValueError(f"unknown defect ids: {sorted(unknown)}")
        self.variant = variant
        self.host = host
        self.port = port
        self.seed = seed
        self.active_defects: frozenset[str] = active
        self.catalog: Catalog = build_catalog(products, seed)
        self.spa = spa
        self.app: StoreApp | SpaApp = (SpaApp if spa else StoreApp)(variant, self.catalog, active)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("DemoStore is not running; call start() first")
        host, port = self._server.server_address[:2]
        text = host.decode() if isinstance(host, bytes) else str(host)
        if ":" in text:  # IPv6 literal
            text = f"[{text}]"
        return f"http://{text}:{port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> DemoStore:
        """Bind the socket and serve in a daemon thread; returns ``self`` for chaining."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), self.app)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"DemoStore-{'spa-' if self.spa else ''}{self.variant}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving, drop open connections, join the thread and free the port."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        # shutdown() waits for serve_forever's loop to notice; bounded, so a wedged
        # handler can never keep Ctrl-C from ending the process.
        stopper = threading.Thread(target=server.shutdown, daemon=True)
        stopper.start()
        stopper.join(timeout=5)
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> DemoStore:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.url if self._server else "stopped"
        mode = ", spa=True" if self.spa else ""
        return f"DemoStore({self.variant!r}, products={len(self.catalog.products)}{mode}, {state})"
