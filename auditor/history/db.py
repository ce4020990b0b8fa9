"""Engines and write transactions that behave the same on SQLite and PostgreSQL.

SQLite is a single file shared by every CI job on a runner, so writers must
queue rather than fail: WAL journal (readers never block the writer), a busy
timeout, ``BEGIN IMMEDIATE`` for write transactions (take the write lock up
front, so two writers never deadlock upgrading a read lock), and a retry loop
for the rare ``database is locked`` that still escapes. PostgreSQL needs only
the retry loop, for serialization failures and deadlocks.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

__all__ = ["DEFAULT_HISTORY_PATH", "database_url", "make_engine", "write_transaction", "with_retry"]

DEFAULT_HISTORY_PATH = ".cx-audit/history.db"
BUSY_TIMEOUT_MS = 30_000
_IMMEDIATE = "cx_sqlite_immediate"
T = TypeVar("T")


def database_url(url_or_path: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a history location: a file path (SQLite) or a database URL."""
    raw = os.fspath(url_or_path)
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    if "://" in raw:
        return raw
    return "sqlite:///" + str(Path(raw).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL, ``None`` for other databases or memory."""
    if not url.startswith("sqlite:///") or url in ("sqlite:///", "sqlite:///:memory:"):
        return None
    return Path(url[len("sqlite:///") :])


def make_engine(url: str) -> Engine:
    """An engine with the per-dialect settings history relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    """Take over transaction control from pysqlite so BEGIN (IMMEDIATE) is ours to emit."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # autocommit at the driver; we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine, *, lock_key: int | None = None) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any exception.

    On SQLite it starts with ``BEGIN IMMEDIATE``; on PostgreSQL ``lock_key``
    takes a transaction-scoped advisory lock (used to serialise migrations).
    """
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn = conn.execution_options(**{_IMMEDIATE: True})
        with conn.begin():
            if lock_key is not None and engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key})
            yield conn


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying: SQLite busy/locked, PostgreSQL serialization failure or deadlock."""
    if not isinstance(exc, DBAPIError):
        return False
    message = str(exc.orig or exc).lower()
    if isinstance(exc, OperationalError) and ("locked" in message or "busy" in message):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in {"40001", "40P01"}


def with_retry(fn: Callable[[], T], *, deadline_s: float = 120.0, base_delay_s: float = 0.02) -> T:
    """Call ``fn`` until it stops raising transient database errors or the deadline passes."""
    start = time.monotonic()
    delay = base_delay_s
    while True:
        try:
            return fn()
        except DBAPIError as exc:
            if not is_transient(exc) or time.monotonic() - start > deadline_s:
                raise
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)
