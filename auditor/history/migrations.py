"""Versioned, idempotent schema migrations for the history database.

Each :class:`Migration` is applied in its own write transaction together with
the ``schema_version`` row that records it, so a database is always at exactly
one known version: a crash mid-migration rolls back both (DDL is transactional
on SQLite and PostgreSQL). Steps check before they change (``CREATE ... IF NOT
EXISTS``, add a column only if it is missing), so re-running one is harmless.
Concurrent openers are serialised (``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL) and re-read the version under the lock.

To change the schema: append a ``Migration`` with the next version, update
``schema.py`` to match, and add a test that migrates a database from the old shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cx_auditor.errors import UsageError
from cx_auditor.history import schema
from cx_auditor.history.db import with_retry, write_transaction
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.types import TypeEngine

__all__ = ["MIGRATIONS", "Migration", "SCHEMA_VERSION", "apply_migrations", "current_version"]

_LOCK_KEY = 0x63786175  # "cxau": serialises migrations on PostgreSQL


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_metadata() -> MetaData:
    """The tables as first released; frozen here so v1 can always be rebuilt exactly."""
    md = MetaData()
    Table(
        "runs",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("run_id", String(120), nullable=False, unique=True),
        Column("site", String(300), nullable=False),
        Column("config_hash", String(128), nullable=False),
        Column("tool_version", String(64), nullable=False),
        Column("git_commit", String(64)),
        Column("git_branch", String(255)),
        Column("started_at", DateTime(timezone=True), nullable=False),
        Column("finished_at", DateTime(timezone=True)),
        Column("channels", JSON, nullable=False),
        Column("score", Float),
        Column("grade", String(4)),
        Column("gate_passed", Boolean),
        Column("complete", Boolean, nullable=False),
        Column("report_path", Text),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    for name, extra in (
        (
            "results",
            [
                Column("score", Float),
                Column("status", String(16), nullable=False),
                Column("metrics", JSON, nullable=False),
            ],
        ),
        (
            "findings",
            [
                Column("fingerprint", String(64), nullable=False),
                Column("severity", String(8), nullable=False),
                Column("channel", String(120)),
                Column("url", Text),
                Column("message", Text, nullable=False),
                Column("rule", String(120)),
            ],
        ),
    ):
        Table(
            name,
            md,
            Column("id", Integer, primary_key=True, autoincrement=True),
            Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
            Column("check", String(120), nullable=False),
            *extra,
        )
    return md


def _create_v1(conn: Connection) -> None:
    _v1_metadata().create_all(conn, checkfirst=True)


def _add_column(conn: Connection, table: str, column: str, type_: TypeEngine) -> None:
    existing = {c["name"] for c in inspect(conn).get_columns(table)}
    if column in existing:
        return
    prep = conn.dialect.identifier_preparer
    ddl = type_.compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE {prep.quote(table)} ADD COLUMN {prep.quote(column)} {ddl}"))


def _v2_details_and_indexes(conn: Connection) -> None:
    """Result titles/weights/errors and run metadata (to rebuild a scorecard), plus lookup indexes."""
    _add_column(conn, "runs", "meta", JSON())
    _add_column(conn, "results", "title", String(300))
    _add_column(conn, "results", "weight", Float())
    _add_column(conn, "results", "error", Text())
    for name, table, cols in (
        ("ix_runs_site_started", "runs", "site, started_at"),
        ("ix_runs_branch_started", "runs", "git_branch, started_at"),
        ("ix_results_run", "results", "run"),
        ("ix_findings_run", "findings", "run"),
        ("ix_findings_fingerprint", "findings", "fingerprint"),
    ):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})"))


def _v3_typed_values(conn: Connection) -> None:
    """Each result's typed metric values (scorecard schema 2); older rows keep NULL and load empty."""
    _add_column(conn, "results", "values", JSON())


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "runs, results, findings", _create_v1),
    Migration(2, "result details, run metadata, indexes", _v2_details_and_indexes),
    Migration(3, "typed metric values per result", _v3_typed_values),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The applied schema version, 0 for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0)


def _apply_one(engine: Engine, migration: Migration) -> bool:
    """Apply ``migration`` unless someone else already did; True if it ran here."""
    with write_transaction(engine, lock_key=_LOCK_KEY) as conn:
        schema.schema_version.create(conn, checkfirst=True)
        if current_version(conn) >= migration.version:
            return False
        migration.apply(conn)
        conn.execute(
            schema.schema_version.insert().values(
                version=migration.version, description=migration.description, applied_at=datetime.now(UTC)
            )
        )
        return True


def apply_migrations(engine: Engine, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to the newest version; returns the version reached."""
    with engine.connect() as conn:
        found = current_version(conn)
    newest = migrations[-1].version
    if found > newest:
        raise UsageError(
            f"the history database is at schema version {found}, newer than this cx-audit understands "
            f"({newest})",
            hint="Upgrade cx-auditor, or point --history at another database.",
        )
    for migration in migrations:
        if migration.version > found:
            with_retry(lambda m=migration: _apply_one(engine, m))  # type: ignore[misc]
    return newest
