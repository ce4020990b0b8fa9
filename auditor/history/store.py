"""The history store: every run's scores, summarised metrics and findings, in one database.

SQLite (a file, by default ``.cx-audit/history.db``) or PostgreSQL (a
``postgresql://`` URL, for a team's shared history) behind one SQLAlchemy Core
code path. Runs are written in a single transaction whose last statement
flips ``runs.complete``; readers only ever see complete runs, so a run killed
mid-write leaves nothing behind. Artifacts and screenshots stay on disk: only
scores, a bounded summary of each check's metrics and the findings' identity
(fingerprint, severity, where, message) are kept, which is all ``compare``,
``trend`` and the baseline gate need.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cx_auditor.errors import UsageError
from cx_auditor.history import schema
from cx_auditor.history.db import (
    DEFAULT_HISTORY_PATH,
    database_url,
    make_engine,
    sqlite_path,
    with_retry,
    write_transaction,
)
from cx_auditor.history.gitinfo import GitInfo, detect_git
from cx_auditor.history.metrics import summarise_metrics
from cx_auditor.history.migrations import apply_migrations
from cx_auditor.models import (
    BudgetOutcome,
    ChannelInfo,
    CheckResult,
    Finding,
    Gate,
    RunMeta,
    Scorecard,
    Severity,
    Status,
)
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Row

__all__ = ["DEFAULT_HISTORY_PATH", "DuplicateRunError", "HistoryStore", "RunSummary"]

_REF_SUFFIX = re.compile(r"^(?P<base>.*?)~(?P<back>\d+)$")


class DuplicateRunError(UsageError):
    """The run id is already in the history (record it once, or pass ``replace=True``)."""


@dataclass(frozen=True)
class RunSummary:
    """One recorded run as ``history`` lists it."""

    id: int
    run_id: str
    site: str
    started_at: datetime
    finished_at: datetime | None
    git_commit: str | None
    git_branch: str | None
    score: float | None
    grade: str | None
    gate_passed: bool | None
    report_path: str | None
    tool_version: str
    config_hash: str
    channels: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["started_at"] = self.started_at.isoformat()
        data["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        return data


def _utc(value: datetime) -> datetime:
    """Timestamps are stored in UTC; naive ones are taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return _utc(datetime.fromisoformat(raw.strip()))
    except ValueError:
        return None


def _summary(row: Row[Any]) -> RunSummary:
    m = row._mapping
    return RunSummary(
        id=int(m["id"]),
        run_id=m["run_id"],
        site=m["site"],
        started_at=_utc(m["started_at"]),
        finished_at=_utc(m["finished_at"]) if m["finished_at"] else None,
        git_commit=m["git_commit"],
        git_branch=m["git_branch"],
        score=m["score"],
        grade=m["grade"],
        gate_passed=m["gate_passed"],
        report_path=m["report_path"],
        tool_version=m["tool_version"] or "",
        config_hash=m["config_hash"] or "",
        channels=list(m["channels"] or []),
        meta=dict(m["meta"] or {}),
    )


class HistoryStore:
    """Read and write run history. Open with :meth:`open`; use as a context manager."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def open(
        cls, url_or_path: str | os.PathLike[str] = DEFAULT_HISTORY_PATH, *, create: bool = True
    ) -> HistoryStore:
        """Open (and migrate) the history at a file path or database URL.

        With ``create=False`` a missing SQLite file is a :class:`UsageError`
        instead of a new empty database (for read-only commands).
        """
        url = database_url(url_or_path)
        path = sqlite_path(url)
        if path is not None:
            if not path.exists() and not create:
                raise UsageError(
                    f"no run history at {path}", hint="Record a run first, or pass --history PATH|URL."
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(url)
        try:
            apply_migrations(engine)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- writing ---------------------------------------------------------------------
    def record(
        self,
        scorecard: Scorecard | Mapping[str, Any],
        *,
        report_path: str | os.PathLike[str] | None = None,
        git: GitInfo | None = None,
        replace: bool = False,
    ) -> int:
        """Store one run atomically; returns its database id.

        The commit/branch come from the scorecard's meta, else from ``git``,
        else from :func:`detect_git`. A run id already present raises
        :class:`DuplicateRunError` unless ``replace`` is set.
        """
        card = scorecard if isinstance(scorecard, Scorecard) else Scorecard.model_validate(scorecard)
        if not (card.meta.git_commit and card.meta.git_branch):
            found = git or detect_git()
            git = GitInfo(card.meta.git_commit or found.commit, card.meta.git_branch or found.branch)
        else:
            git = GitInfo(card.meta.git_commit, card.meta.git_branch)
        run_row = _run_row(card, report_path, git)
        result_rows = [_result_row(r) for r in card.results]
        finding_rows = [_finding_row(r.check, f) for r in card.results for f in r.findings]
        return with_retry(lambda: self._write_run(run_row, result_rows, finding_rows, replace))

    def _write_run(
        self,
        run_row: dict[str, Any],
        result_rows: list[dict[str, Any]],
        finding_rows: list[dict[str, Any]],
        replace: bool,
    ) -> int:
        with write_transaction(self.engine) as conn:
            existing = conn.execute(
                select(schema.runs.c.id).where(schema.runs.c.run_id == run_row["run_id"])
            ).scalar()
            if existing is not None:
                if not replace:
                    raise DuplicateRunError(f"run {run_row['run_id']} is already in the history")
                _delete_runs(conn, [int(existing)])
            inserted = conn.execute(insert(schema.runs).values(**run_row)).inserted_primary_key
            assert inserted is not None  # single-row insert: the dialects always report the new id
            pk = int(inserted[0])
            self._insert_results(conn, pk, result_rows)
            self._insert_findings(conn, pk, finding_rows)
            conn.execute(update(schema.runs).where(schema.runs.c.id == pk).values(complete=True))
            return pk

    def _insert_results(self, conn: Connection, pk: int, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(insert(schema.results), [{**r, "run": pk} for r in rows])

    def _insert_findings(self, conn: Connection, pk: int, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(insert(schema.findings), [{**r, "run": pk} for r in rows])

    def prune(
        self,
        keep: int | None = None,
        older_than: timedelta | None = None,
        *,
        site: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Delete runs (with their results and findings); returns how many.

        ``keep`` and ``older_than`` are *keep rules*, as in backup tools: a run
        survives if it is among the ``keep`` newest runs of its site, or if it
        started within ``older_than``. With one rule given, only it applies;
        with none, nothing is deleted. Runs whose write never completed are
        always removed.
        """
        if keep is not None and keep < 0:
            raise UsageError("--keep must be 0 or more")
        cutoff = _utc(now or datetime.now(UTC)) - older_than if older_than is not None else None

        def work() -> int:
            with write_transaction(self.engine) as conn:
                doomed = _prune_candidates(conn, keep, cutoff, site)
                _delete_runs(conn, doomed)
                return len(doomed)

        return with_retry(work)

    # -- reading ---------------------------------------------------------------------
    def runs(
        self, *, site: str | None = None, branch: str | None = None, limit: int | None = None
    ) -> list[RunSummary]:
        """Complete runs, newest first."""
        query = _complete_runs(site, branch).order_by(
            schema.runs.c.started_at.desc(), schema.runs.c.id.desc()
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [_summary(r) for r in conn.execute(query)]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(_complete_runs(None, None).subquery())).scalar()
                or 0
            )

    def sites(self) -> list[str]:
        with self.engine.connect() as conn:
            query = select(schema.runs.c.site).where(schema.runs.c.complete.is_(True)).distinct()
            return sorted(r[0] for r in conn.execute(query))

    def resolve(self, ref: str | int, *, site: str | None = None) -> RunSummary:
        """Find a run by ``latest``, ``previous``, ``branch:NAME``, a run id or a database id.

        A ``~N`` suffix steps N runs further back (``latest~2``, ``branch:main~1``).
        """
        text_ref = str(ref).strip()
        back = 0
        if m := _REF_SUFFIX.match(text_ref):
            text_ref, back = m["base"], int(m["back"])
        if text_ref in ("latest", "previous") or text_ref.startswith("branch:"):
            branch = text_ref.removeprefix("branch:") if text_ref.startswith("branch:") else None
            if text_ref == "previous":
                back += 1
            found = self.runs(site=site, branch=branch, limit=back + 1)
            if len(found) <= back:
                where = f" on branch {branch!r}" if branch else ""
                where += f" for site {site!r}" if site else ""
                raise UsageError(f"no run matches {ref!r}: {len(found)} run(s) recorded{where}")
            return found[back]
        return self._by_id(text_ref, ref)

    def _by_id(self, text_ref: str, ref: str | int) -> RunSummary:
        runs = schema.runs.c
        cond = runs.run_id == text_ref
        if text_ref.isdigit():
            cond = or_(cond, runs.id == int(text_ref))
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.runs)
                .where(and_(cond, runs.complete.is_(True)))
                .order_by((runs.run_id == text_ref).desc())
            ).all()
        if not rows:
            raise UsageError(
                f"no run {ref!r} in the history",
                hint="Use a run id or number from `cx-audit history`, latest, previous or branch:NAME.",
            )
        return _summary(rows[0])

    def scorecard(self, ref: str | int | RunSummary) -> Scorecard:
        """Rebuild a run's scorecard from the store (summarised metrics, findings without evidence)."""
        run = ref if isinstance(ref, RunSummary) else self.resolve(ref)
        with self.engine.connect() as conn:
            result_rows = conn.execute(
                select(schema.results).where(schema.results.c.run == run.id).order_by(schema.results.c.id)
            ).all()
            finding_rows = conn.execute(
                select(schema.findings).where(schema.findings.c.run == run.id).order_by(schema.findings.c.id)
            ).all()
        return _rebuild(run, result_rows, finding_rows)


# ---------------------------------------------------------------------------
# rows in and out
# ---------------------------------------------------------------------------


def _run_row(card: Scorecard, report_path: str | os.PathLike[str] | None, git: GitInfo) -> dict[str, Any]:
    now = datetime.now(UTC)
    meta = card.meta
    return {
        "run_id": card.run_id,
        "site": meta.site,
        "config_hash": meta.config_hash,
        "tool_version": meta.tool_version,
        "git_commit": git.commit,
        "git_branch": git.branch,
        "started_at": _parse_time(meta.started_at) or now,
        "finished_at": _parse_time(meta.finished_at),
        "channels": [c.model_dump(mode="json", exclude_defaults=True) for c in meta.channels],
        "score": card.score,
        "grade": card.grade,
        "gate_passed": card.gate.passed,
        "complete": False,
        "report_path": str(Path(report_path).resolve()) if report_path is not None else None,
        "created_at": now,
        "meta": {
            "base_url": meta.base_url,
            "browser": meta.browser,
            "runs": meta.runs,
            "shard": meta.shard,
            "audit_complete": meta.complete,
            "gate": [b.model_dump(mode="json") for b in card.gate.budgets if not b.passed],
            "baseline": summarise_metrics(card.gate.baseline) if card.gate.baseline else None,
        },
    }


def _result_row(result: CheckResult) -> dict[str, Any]:
    return {
        "check": result.check,
        "title": result.title,
        "score": result.score,
        "status": result.status.value,
        "weight": result.weight,
        "error": result.error,
        "metrics": summarise_metrics(result.metrics),
        "values": [v.model_dump(mode="json", exclude_none=True) for v in result.values],
    }


def _finding_row(check: str, f: Finding) -> dict[str, Any]:
    return {
        "check": f.check or check,
        "fingerprint": f.fingerprint,
        "severity": f.severity.value,
        "channel": f.channel,
        "url": f.url,
        "message": f.message,
        "rule": f.rule,
    }


def _rebuild(run: RunSummary, result_rows: Sequence[Row[Any]], finding_rows: Sequence[Row[Any]]) -> Scorecard:
    by_check: dict[str, list[Finding]] = {}
    for row in finding_rows:
        m = row._mapping
        by_check.setdefault(m["check"], []).append(
            Finding(
                check=m["check"],
                rule=m["rule"] or "",
                severity=Severity(m["severity"]),
                message=m["message"],
                channel=m["channel"],
                url=m["url"],
                fingerprint=m["fingerprint"],
            )
        )
    results = []
    for row in result_rows:
        m = row._mapping
        results.append(
            CheckResult(
                check=m["check"],
                title=m["title"] or "",
                score=m["score"],
                status=Status(m["status"]),
                metrics=dict(m["metrics"] or {}),
                values=list(m.get("values") or []),
                findings=by_check.pop(m["check"], []),
                error=m["error"],
                weight=1.0 if m["weight"] is None else m["weight"],
            )
        )
    extra = run.meta
    meta = RunMeta(
        site=run.site,
        base_url=extra.get("base_url") or "",
        tool_version=run.tool_version,
        config_hash=run.config_hash,
        started_at=run.started_at.isoformat(),
        finished_at=run.finished_at.isoformat() if run.finished_at else "",
        channels=[ChannelInfo.model_validate(c) for c in run.channels],
        runs=int(extra.get("runs") or 1),
        browser=extra.get("browser") or "",
        complete=bool(extra.get("audit_complete", True)),
        shard=extra.get("shard"),
        git_commit=run.git_commit,
        git_branch=run.git_branch,
    )
    gate = Gate(
        passed=True if run.gate_passed is None else run.gate_passed,
        budgets=[BudgetOutcome.model_validate(b) for b in extra.get("gate") or []],
        baseline=extra.get("baseline"),
    )
    return Scorecard(
        run_id=run.run_id, meta=meta, score=run.score, grade=run.grade, results=results, gate=gate
    )


def _complete_runs(site: str | None, branch: str | None):  # type: ignore[no-untyped-def]
    query = select(schema.runs).where(schema.runs.c.complete.is_(True))
    if site is not None:
        query = query.where(schema.runs.c.site == site)
    if branch is not None:
        query = query.where(schema.runs.c.git_branch == branch)
    return query


def _prune_candidates(
    conn: Connection, keep: int | None, cutoff: datetime | None, site: str | None
) -> list[int]:
    runs = schema.runs.c
    query = select(runs.id, runs.site, runs.started_at, runs.complete).order_by(
        runs.started_at.desc(), runs.id.desc()
    )
    if site is not None:
        query = query.where(runs.site == site)
    doomed: list[int] = []
    kept_per_site: dict[str, int] = {}
    for pk, run_site, started, complete in conn.execute(query):
        if not complete:
            doomed.append(pk)
            continue
        rank = kept_per_site.get(run_site, 0)
        kept_per_site[run_site] = rank + 1
        kept_by_count = keep is not None and rank < keep
        kept_by_age = cutoff is not None and _utc(started) >= cutoff
        if (keep is None and cutoff is None) or kept_by_count or kept_by_age:
            continue
        doomed.append(pk)
    return doomed


def _delete_runs(conn: Connection, ids: list[int]) -> None:
    """Children first: SQLite only cascades with foreign keys on, so do not rely on it."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(delete(schema.findings).where(schema.findings.c.run.in_(chunk)))
        conn.execute(delete(schema.results).where(schema.results.c.run.in_(chunk)))
        conn.execute(delete(schema.runs).where(schema.runs.c.id.in_(chunk)))
