"""History store: migrations, atomic and concurrent recording, refs, prune, git detection.

Every store test runs against SQLite, and against PostgreSQL too when
``CX_AUDIT_TEST_POSTGRES_URL`` is set (``eval "$(.ci/postgres.sh)"``).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from auditor.errors import UsageError
from auditor.history import schema
from auditor.history.db import database_url
from auditor.history.gitinfo import GitInfo, detect_git
from auditor.history.migrations import SCHEMA_VERSION
from auditor.history.store import DuplicateRunError, HistoryStore
from auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity, Status, make_fingerprint

PG_ENV = "CX_AUDIT_TEST_POSTGRES_URL"


# ---------------------------------------------------------------------------
# fixtures: one database per test, SQLite always, PostgreSQL when configured
# ---------------------------------------------------------------------------


def _reset_postgres(url: str) -> None:
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS findings, results, runs, schema_version CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f'{PG_ENV} is not set (run `eval "$(.ci/postgres.sh)"` to test PostgreSQL)')
    _reset_postgres(url)
    return url


def card(
    run_id: str,
    *,
    started: str = "2026-01-10T10:00:00+00:00",
    site: str = "Northwind",
    score: float = 80.0,
    branch: str | None = "main",
    commit: str | None = "abc1234",
    findings: int = 3,
) -> Scorecard:
    fs = [
        Finding(
            check="support",
            rule=f"r{i}",
            severity=Severity.WARN if i % 2 else Severity.FAIL,
            message=f"problem {i}",
            channel="mobile",
            url=f"http://x/{i}",
            fingerprint=make_fingerprint("support", i),
        )
        for i in range(findings)
    ]
    results = [
        CheckResult(
            check="support",
            title="Support",
            score=score,
            status=Status.FAIL,
            findings=fs,
            metrics={"pages": 12, "note": "x" * 5000, "samples": {"lcp_ms": [1.0, 2.0, 3.0]}},
        ),
        CheckResult(
            check="speed",
            title="Speed",
            score=score - 10,
            status=Status.PASS,
            metrics={"channels": {"mobile": {"lcp_ms": {"median": 2100.0, "n": 3}}}},
        ),
    ]
    meta = RunMeta(
        site=site,
        tool_version="0.1.0",
        config_hash="cfg",
        started_at=started,
        finished_at=started,
        git_branch=branch,
        git_commit=commit,
    )
    return Scorecard(run_id=run_id, meta=meta, score=score, grade="B", results=results)


def raw_count(store: HistoryStore, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar())


# ---------------------------------------------------------------------------
# migrations
# ---------------------------------------------------------------------------


def test_open_creates_the_newest_schema_and_reopening_is_harmless(db_url: str) -> None:
    with HistoryStore.open(db_url) as store:
        store.record(card("r1"))
    with HistoryStore.open(db_url) as store:
        with store.engine.connect() as conn:
            versions = [r[0] for r in conn.execute(select(schema.schema_version.c.version))]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert store.count() == 1


V1_DDL = [
    """CREATE TABLE runs (id INTEGER PRIMARY KEY {auto}, run_id VARCHAR(120) NOT NULL UNIQUE,
       site VARCHAR(300) NOT NULL, config_hash VARCHAR(128) NOT NULL, tool_version VARCHAR(64) NOT NULL,
       git_commit VARCHAR(64), git_branch VARCHAR(255), started_at {ts} NOT NULL, finished_at {ts},
       channels {json} NOT NULL, score FLOAT, grade VARCHAR(4), gate_passed BOOLEAN,
       complete BOOLEAN NOT NULL, report_path TEXT, created_at {ts} NOT NULL)""",
    """CREATE TABLE results (id INTEGER PRIMARY KEY {auto}, run INTEGER NOT NULL REFERENCES runs(id),
       "check" VARCHAR(120) NOT NULL, score FLOAT, status VARCHAR(16) NOT NULL, metrics {json} NOT NULL)""",
    """CREATE TABLE findings (id INTEGER PRIMARY KEY {auto}, run INTEGER NOT NULL REFERENCES runs(id),
       "check" VARCHAR(120) NOT NULL, fingerprint VARCHAR(64) NOT NULL, severity VARCHAR(8) NOT NULL,
       channel VARCHAR(120), url TEXT, message TEXT NOT NULL, rule VARCHAR(120))""",
    """CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR(300) NOT NULL,
       applied_at {ts} NOT NULL)""",
]


def test_a_v1_database_made_by_hand_is_migrated_and_keeps_its_runs(db_url: str) -> None:
    engine = create_engine(database_url(db_url))
    pg = engine.dialect.name == "postgresql"
    fmt = {
        "auto": "GENERATED BY DEFAULT AS IDENTITY" if pg else "",
        "ts": "TIMESTAMP WITH TIME ZONE" if pg else "DATETIME",
        "json": "JSON",
    }
    with engine.begin() as conn:
        for ddl in V1_DDL:
            conn.execute(text(ddl.format(**fmt)))
        conn.execute(
            text(
                "INSERT INTO runs (run_id, site, config_hash, tool_version, git_branch, started_at, channels,"
                " score, grade, gate_passed, complete, created_at) VALUES ('old-run', 'Northwind', 'c',"
                " '0.0.9', 'main', '2025-12-01 08:00:00', '[]', 71.5, 'C', true, true, '2025-12-01 08:05:00')"
            )
        )
        run_pk = conn.execute(text("SELECT id FROM runs")).scalar()
        conn.execute(
            text(
                'INSERT INTO results (run, "check", score, status, metrics) VALUES '
                f"({run_pk}, 'speed', 64.0, 'warn', '{{\"lcp_ms\": 2600}}')"
            )
        )
        conn.execute(
            text(
                'INSERT INTO findings (run, "check", fingerprint, severity, channel, message, rule) '
                f"VALUES ({run_pk}, 'speed', 'fp1', 'warn', 'mobile', 'slow', 'lcp')"
            )
        )
        conn.execute(text("INSERT INTO schema_version VALUES (1, 'v1', '2025-12-01 08:00:00')"))
    engine.dispose()

    with HistoryStore.open(db_url) as store:
        with store.engine.connect() as conn:
            assert conn.execute(select(func.max(schema.schema_version.c.version))).scalar() == SCHEMA_VERSION
            result_cols = {c["name"] for c in inspect(conn).get_columns("results")}
            indexes = {i["name"] for i in inspect(conn).get_indexes("findings")}
        assert {"title", "weight", "error"} <= result_cols
        assert "ix_findings_fingerprint" in indexes
        old = store.scorecard("old-run")
        assert old.score == 71.5 and old.meta.git_branch == "main"
        assert old.result("speed").metrics == {"lcp_ms": 2600}  # type: ignore[union-attr]
        assert [f.fingerprint for f in old.findings()] == ["fp1"]
        assert old.results[0].weight == 1.0  # column added by v2, defaulted on read
        store.record(card("new-run", started="2026-01-01T00:00:00+00:00"))
        assert [r.run_id for r in store.runs()] == ["new-run", "old-run"]


def test_a_database_newer_than_the_tool_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    engine = create_engine(database_url(path))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01 00:00:00')"))
    engine.dispose()
    with pytest.raises(UsageError, match="newer"):
        HistoryStore.open(path)


# ---------------------------------------------------------------------------
# recording and reading
# ---------------------------------------------------------------------------


def test_record_round_trips_scores_findings_and_a_bounded_metric_summary(db_url: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text("<html></html>")
    with HistoryStore.open(db_url) as store:
        pk = store.record(card("r1", score=77.5), report_path=report)
        run = store.resolve("latest")
        back = store.scorecard(run)
    assert run.id == pk and run.report_path == str(report.resolve())
    assert run.started_at == datetime(2026, 1, 10, 10, tzinfo=UTC)
    assert (run.git_branch, run.git_commit, run.score) == ("main", "abc1234", 77.5)
    assert back.score == 77.5 and back.result("speed").score == 67.5  # type: ignore[union-attr]
    assert sorted(f.fingerprint for f in back.findings()) == sorted(
        f.fingerprint for f in card("x").findings()
    )
    metrics = back.result("support").metrics  # type: ignore[union-attr]
    assert metrics["samples"] == {"lcp_ms": [1.0, 2.0, 3.0]}
    assert len(metrics["note"]) < 300  # long texts are not kept


def test_record_refuses_a_duplicate_run_id_unless_replacing(db_url: str) -> None:
    with HistoryStore.open(db_url) as store:
        store.record(card("r1", score=50))
        with pytest.raises(DuplicateRunError):
            store.record(card("r1", score=60))
        store.record(card("r1", score=60), replace=True)
        assert [(r.run_id, r.score) for r in store.runs()] == [("r1", 60)]
        assert raw_count(store, "results") == 2


def test_record_fills_git_from_ci_when_the_scorecard_has_none(db_url: str, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GITHUB_SHA", "feedbeef")
    monkeypatch.setenv("GITHUB_REF_NAME", "42/merge")
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/faster")
    with HistoryStore.open(db_url) as store:
        store.record(card("r1", branch=None, commit=None))
        run = store.resolve("r1")
    assert (run.git_commit, run.git_branch) == ("feedbeef", "feature/faster")


def test_a_run_that_fails_midway_leaves_nothing_visible(db_url: str, monkeypatch) -> None:  # noqa: ANN001
    def boom(self, conn, pk, rows):  # noqa: ANN001, ANN202
        raise RuntimeError("killed while writing findings")

    with HistoryStore.open(db_url) as store:
        store.record(card("before"))
        monkeypatch.setattr(HistoryStore, "_insert_findings", boom)
        with pytest.raises(RuntimeError):
            store.record(card("half"))
        assert [r.run_id for r in store.runs()] == ["before"]
        assert raw_count(store, "runs") == 1 and raw_count(store, "results") == 2


def _record_then_die(url: str) -> None:
    """Child process: start recording, then exit hard in the middle of the transaction."""

    def die(self, conn, pk, rows):  # noqa: ANN001, ANN202
        os._exit(9)

    HistoryStore._insert_findings = die  # type: ignore[method-assign]
    HistoryStore.open(url).record(card("killed"))


def test_a_killed_writer_leaves_no_half_written_run(db_url: str) -> None:
    HistoryStore.open(db_url).close()
    proc = multiprocessing.get_context("spawn").Process(target=_record_then_die, args=(db_url,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 9
    with HistoryStore.open(db_url) as store:
        assert store.runs() == []
        assert raw_count(store, "runs") == 0 and raw_count(store, "results") == 0
        store.record(card("after"))  # the database is not left locked
        assert store.count() == 1


def _writer(url: str, worker: int, n: int) -> None:
    with HistoryStore.open(url) as store:
        for i in range(n):
            store.record(card(f"w{worker}-{i}", started=f"2026-01-{worker + 1:02d}T10:{i:02d}:00+00:00"))


def test_concurrent_writers_lose_and_corrupt_nothing(db_url: str) -> None:
    workers, per_worker = 4, 10
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(db_url, w, per_worker)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * workers
    with HistoryStore.open(db_url) as store:
        runs = store.runs()
        assert len(runs) == workers * per_worker
        assert {r.run_id for r in runs} == {f"w{w}-{i}" for w in range(workers) for i in range(per_worker)}
        assert raw_count(store, "results") == 2 * workers * per_worker
        assert raw_count(store, "findings") == 3 * workers * per_worker
        with store.engine.connect() as conn:
            per_run = conn.execute(
                select(schema.findings.c.run, func.count()).group_by(schema.findings.c.run)
            ).all()
        assert sorted({n for _, n in per_run}) == [3]
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


# ---------------------------------------------------------------------------
# refs
# ---------------------------------------------------------------------------


@pytest.fixture
def three_runs(db_url: str):  # noqa: ANN201
    store = HistoryStore.open(db_url)
    store.record(card("a", started="2026-01-01T00:00:00+00:00", branch="main", score=70))
    store.record(card("b", started="2026-01-02T00:00:00+00:00", branch="feature", score=75))
    store.record(card("c", started="2026-01-03T00:00:00+00:00", branch="main", score=80))
    store.record(card("other", started="2026-01-04T00:00:00+00:00", branch="main", site="Elsewhere"))
    yield store
    store.close()


def test_refs_resolve_latest_previous_branch_and_ids(three_runs: HistoryStore) -> None:
    s = three_runs
    assert s.resolve("latest").run_id == "other"
    assert s.resolve("latest", site="Northwind").run_id == "c"
    assert s.resolve("previous", site="Northwind").run_id == "b"
    assert s.resolve("branch:main", site="Northwind").run_id == "c"
    assert s.resolve("branch:main~1", site="Northwind").run_id == "a"
    assert s.resolve("branch:feature").run_id == "b"
    assert s.resolve("b").score == 75
    assert s.resolve(str(s.resolve("a").id)).run_id == "a"
    with pytest.raises(UsageError):
        s.resolve("branch:nope")
    with pytest.raises(UsageError):
        s.resolve("no-such-run")
    assert [r.run_id for r in s.runs(branch="main", site="Northwind")] == ["c", "a"]
    assert s.sites() == ["Elsewhere", "Northwind"]


# ---------------------------------------------------------------------------
# prune
# ---------------------------------------------------------------------------


def test_prune_by_count_by_age_and_both(db_url: str) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with HistoryStore.open(db_url) as store:
        for day in range(1, 11):  # Feb 1..10
            store.record(card(f"d{day}", started=f"2026-02-{day:02d}T12:00:00+00:00"))
        store.record(card("x1", site="Other", started="2026-02-01T12:00:00+00:00"))
        # either rule keeps a run: newest 3, or newer than 23.5 days (Feb 5 noon onwards)
        assert store.prune(keep=3, older_than=timedelta(days=23.5), now=now) == 4
        assert [r.run_id for r in store.runs(site="Northwind")] == [f"d{d}" for d in range(10, 4, -1)]
        assert [r.run_id for r in store.runs(site="Other")] == ["x1"]  # newest of its site
        assert store.prune(keep=2, site="Northwind") == 4
        assert store.prune(older_than=timedelta(days=5), now=now) == 3
        assert store.count() == 0
        assert raw_count(store, "results") == 0 and raw_count(store, "findings") == 0
        assert store.prune() == 0


# ---------------------------------------------------------------------------
# git detection
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_SHA": "s1", "GITHUB_REF_NAME": "main"}, GitInfo("s1", "main")),
        ({"GITHUB_SHA": "s1", "GITHUB_REF_NAME": "7/merge", "GITHUB_HEAD_REF": "fix"}, GitInfo("s1", "fix")),
        ({"CI_COMMIT_SHA": "g1", "CI_COMMIT_REF_NAME": "dev"}, GitInfo("g1", "dev")),
        ({"BUILDKITE_COMMIT": "b1", "BUILDKITE_BRANCH": "release"}, GitInfo("b1", "release")),
        ({"GIT_COMMIT": "j1", "GIT_BRANCH": "origin/main"}, GitInfo("j1", "main")),
    ],
)
def test_detect_git_reads_ci_variables(env: dict[str, str], expected: GitInfo, tmp_path: Path) -> None:
    assert detect_git(env, cwd=tmp_path) == expected


def test_detect_git_falls_back_to_the_checkout(tmp_path: Path) -> None:
    repo, plain = tmp_path / "repo", tmp_path / "plain"
    plain.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "trunk", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert detect_git({}, cwd=repo) == GitInfo(sha, "trunk")
    assert detect_git({"BUILDKITE_COMMIT": "HEAD", "BUILDKITE_BRANCH": "ci"}, cwd=repo) == GitInfo(sha, "ci")
    assert detect_git({}, cwd=plain) == GitInfo(None, None)  # not a checkout, no CI: nothing known


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(tmp_path / "h.db") == f"sqlite:///{tmp_path / 'h.db'}"


def test_read_only_open_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no run history"):
        HistoryStore.open(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
