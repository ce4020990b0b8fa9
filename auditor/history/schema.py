"""The current shape of the history tables (SQLAlchemy Core), shared by every query.

``migrations`` owns how a database *gets* to this shape; this module only
describes it. One definition serves SQLite and PostgreSQL: portable types only
(``JSON`` is TEXT on SQLite, ``json`` on PostgreSQL; timestamps are stored in UTC).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["metadata", "runs", "results", "findings", "schema_version"]

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(120), nullable=False, unique=True),
    Column("site", String(300), nullable=False, default=""),
    Column("config_hash", String(128), nullable=False, default=""),
    Column("tool_version", String(64), nullable=False, default=""),
    Column("git_commit", String(64)),
    Column("git_branch", String(255)),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("channels", JSON, nullable=False),
    Column("score", Float),
    Column("grade", String(4)),
    Column("gate_passed", Boolean),
    #: flipped to true as the last statement of the recording transaction
    Column("complete", Boolean, nullable=False, default=False),
    Column("report_path", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # v2
    Column("meta", JSON),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("check", String(120), nullable=False),
    Column("score", Float),
    Column("status", String(16), nullable=False),
    Column("metrics", JSON, nullable=False),
    # v2
    Column("title", String(300)),
    Column("weight", Float),
    Column("error", Text),
    # v3: typed MetricValue list (None for rows recorded before it)
    Column("values", JSON),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("check", String(120), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("channel", String(120)),
    Column("url", Text),
    Column("message", Text, nullable=False),
    Column("rule", String(120)),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(300), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
