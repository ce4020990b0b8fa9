"""Shared fixtures: a real demo store, a real browser, and audits run once per session.

End-to-end tests are marked ``browser``. Locally they skip when no Chromium
can be found; under CI (``CI=true``) a missing browser is an error, so the
suite can never go green by skipping its most important tests.

`make test` runs the suite on two pytest-xdist workers (``-n 2 --dist loadgroup``).
Most of a browser test's wall time is waiting (for a page to settle, a server to
answer, a subprocess to start), so two workers overlap those waits even on two
cores. Tests that share an expensive fixture are kept on one worker (see
:func:`pytest_collection_modifyitems`) so that fixture still runs once.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cx_auditor.browser import find_browser
from cx_auditor.errors import BrowserNotFoundError

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "CX_AUDIT_TEST_POSTGRES_URL"

#: Session fixtures that run a whole demo audit: the tests using each share one xdist worker.
SHARED_AUDITS = frozenset({"clean_audit", "flawed_audit"})
#: Our wider-scoped fixtures too cheap to be worth pinning their tests to one worker.
CHEAP_SHARED = frozenset({"browser_ok"})


def _shared_audits(item: pytest.Item) -> set[str]:
    """The whole-audit session fixtures a test uses, also when it asks for one by a parameter's name."""
    info = getattr(item, "_fixtureinfo", None)
    names = set(info.names_closure) if info is not None else set()
    callspec = getattr(item, "callspec", None)
    if callspec is not None:  # request.getfixturevalue(which), `which` a parameter
        names |= {v for v in callspec.params.values() if isinstance(v, str)}
    return names & SHARED_AUDITS


def _xdist_group(item: pytest.Item) -> str | None:
    """A test's worker group: PostgreSQL, the demo audit it shares, or its module if it has module fixtures.

    Every PostgreSQL test uses the one test database (``db_url`` drops its tables first): on two
    workers at once, one test would see the other's runs. They run on one worker, in turn.
    """
    if item.get_closest_marker("postgres"):
        return "postgres"
    audits = _shared_audits(item)
    if audits:
        return "+".join(sorted(audits))  # one group per audit: the clean and flawed ones run side by side
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in set(info.names_closure) - CHEAP_SHARED:
        defs = info.name2fixturedefs.get(name) or ()
        # plugins' wide fixtures (baseid "": tmp_path_factory, pytest-asyncio's loop policy) are cheap
        if any(d.baseid and d.scope in ("session", "package", "module", "class") for d in defs):
            return item.nodeid.split("::", 1)[0]
    return None


GROUPS_ENV = "CX_AUDIT_TEST_XDIST_GROUPS"


def pytest_configure(config: pytest.Config) -> None:
    """On the xdist controller: a file the workers fill with each test's group (read by the scheduler)."""
    if os.environ.get("PYTEST_XDIST_WORKER") or config.getoption("dist", default=None) != "loadgroup":
        return
    folder = tempfile.mkdtemp(prefix="cx-xdist-groups-")
    os.environ[GROUPS_ENV] = os.path.join(
        folder, "groups.json"
    )  # the workers start after this, and inherit it
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker: record each test's group, and hand out long tests before short ones.

    The groups travel in a file, not as ``xdist_group`` marks: xdist carries a mark's
    group by rewriting the test's node id, which pytest 9.2 no longer honours
    (pytest-xdist issue 1386), so the marks were silently ignored. The order is the
    shared demo audits first, then the other browser tests, then the unit tests: the
    short ones fill in at the end instead of a long audit starting last (xdist keeps
    it: ``--no-loadscope-reorder`` in the Makefile). Without xdist nothing changes.
    """
    path = os.environ.get(GROUPS_ENV)
    if not os.environ.get("PYTEST_XDIST_WORKER") or not path:
        return

    def rank(item: pytest.Item) -> int:
        if _shared_audits(item):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)  # stable: pytest's order within each rank
    groups = {item.nodeid: group for item in items if (group := _xdist_group(item))}
    tmp = f"{path}.{os.environ['PYTEST_XDIST_WORKER']}"
    Path(tmp).write_text(json.dumps(groups), encoding="utf-8")
    os.replace(tmp, path)  # every worker writes the same map; each write is whole


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # known only when xdist is installed
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` that reads the groups recorded by the workers (see above)."""
    path = os.environ.get(GROUPS_ENV)
    if config.getoption("dist", default=None) != "loadgroup" or not path:
        return None
    from xdist.scheduler import LoadScopeScheduling

    class RecordedGroups(LoadScopeScheduling):
        """Each test is its own unit of work unless it shares a group with others."""

        groups: dict[str, str] = {}

        def schedule(self) -> None:
            # every worker has sent its collection by now, and wrote the map before sending it
            self.groups = json.loads(Path(path).read_text(encoding="utf-8"))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            group = self.groups.get(nodeid)
            return f"group:{group}" if group else nodeid

    return RecordedGroups(config, log)  # type: ignore[arg-type]


def _browser_or_reason() -> str | None:
    try:
        find_browser()
        return None
    except BrowserNotFoundError as exc:
        return str(exc)


@pytest.fixture(scope="session")
def browser_ok() -> None:
    reason = _browser_or_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have a browser for end-to-end tests: {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Never write history into the developer's working copy, never colour the output.
    monkeypatch.setenv("CX_AUDIT_HISTORY", str(tmp_path / "history.db"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _run_demo_audit(variant: str, out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from cx_auditor.demo import DemoStore
    from cx_auditor.demo_config import demo_config
    from cx_auditor.pipeline import AuditOptions, audit

    with DemoStore(variant) as store:
        cfg = demo_config(store.url, variant, work_dir=out)
        opts = AuditOptions(out=out, history=str(out / "history.db"), **kw)  # type: ignore[arg-type]
        return audit(cfg, opts)


@pytest.fixture(scope="session")
def clean_audit(tmp_path_factory: pytest.TempPathFactory, browser_ok: None):  # type: ignore[no-untyped-def]
    """The clean demo store audited once on desktop, mobile and email (shared by many tests)."""
    return _run_demo_audit("clean", tmp_path_factory.mktemp("clean-audit"))


@pytest.fixture(scope="session")
def flawed_audit(tmp_path_factory: pytest.TempPathFactory, browser_ok: None):  # type: ignore[no-untyped-def]
    """The flawed demo store audited once: every seeded defect should be found in it."""
    return _run_demo_audit("flawed", tmp_path_factory.mktemp("flawed-audit"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh history database: SQLite always, PostgreSQL when CX_AUDIT_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f'{PG_ENV} is not set (run `eval "$(.ci/postgres.sh)"` to test PostgreSQL)')
    from cx_auditor.history.db import database_url
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS findings, results, runs, schema_version CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def demo_store() -> Iterator[object]:
    from cx_auditor.demo import DemoStore

    with DemoStore("clean") as store:
        yield store
