"""pytest plugin: CX checks and budgets on the pages a Playwright test suite visits.

A QA team's existing pytest-playwright suite (or any suite with a sync
Playwright ``page`` fixture) becomes a set of journeys without rewriting it:

* the ``cx_audit`` fixture records every page the test's ``page`` loads
  (content, links, form fields, timings, resources) through the same in-page
  instrumentation the collector uses, and judges them with the installed
  checks::

      def test_product_page(page, cx_audit):
          page.goto(f"{base_url}/product/1")
          page.get_by_role("button", name="Add to cart").click()
          assert cx_audit.check("load_time").status != "fail"
          cx_audit.assert_budgets()          # budgets of --cx-audit-config, if any

* ``pytest --cx-audit DIR`` records every test that uses ``page`` (no change
  to the tests), judges all of them together as one run at the end of the
  session and writes the usual reports (HTML, JSON, JUnit, Markdown, SARIF)
  into DIR; ``--cx-audit-config audit.yaml`` supplies check options and budgets
  (its journeys are ignored: the tests are the journeys).

Each test is a journey named after its node id; pages are recorded when their
``load`` event fires and again (timings that settle later, such as CLS and
late LCP candidates) when the test asks for a verdict or ends. A page the test
leaves before that keeps its load-time measurements.

Without ``--cx-audit`` and without the ``cx_audit`` fixture nothing is
imported beyond this module and no hook does any work, so the plugin costs
other test suites (ours included) nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

_SESSION_KEY = pytest.StashKey["_Session"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cx-audit", "customer-experience audit of the pages tests visit")
    group.addoption(
        "--cx-audit",
        metavar="DIR",
        default=None,
        help="Record the pages every test's Playwright `page` visits, judge them with the CX checks "
        "and write the reports into DIR.",
    )
    group.addoption(
        "--cx-audit-config",
        metavar="FILE",
        default=None,
        help="audit.yaml supplying check options and budgets (its journeys are not run).",
    )
    group.addoption(
        "--cx-audit-channel",
        metavar="NAME",
        default="desktop",
        help="Channel name the recorded pages are filed under (default: desktop).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SESSION_KEY] = _Session(config)
    if config.getoption("--cx-audit", default=None):
        config.pluginmanager.register(_AutoRecord(), "cx-audit-autorecord")


class _Session:
    """What the whole test session recorded (used by ``--cx-audit``)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.recorders: list[PageRecorder] = []
        self._cfg: Any = None
        self._cfg_loaded = False

    @property
    def audit_config(self) -> Any:
        """The ``--cx-audit-config`` file, loaded once (``None`` without one)."""
        if not self._cfg_loaded:
            self._cfg_loaded = True
            path = self.config.getoption("--cx-audit-config", default=None)
            if path:
                from cx_auditor.config import load_config

                self._cfg = load_config(path)
        return self._cfg

    @property
    def channel(self) -> str:
        return str(self.config.getoption("--cx-audit-channel", default="desktop") or "desktop")


class _AutoRecord:
    """Registered only with ``--cx-audit``: record every test that uses ``page``."""

    @pytest.fixture(autouse=True)
    def _cx_audit_autorecord(self, request: pytest.FixtureRequest) -> Any:
        if "page" not in request.fixturenames:
            yield None
            return
        recorder = _recorder_for(request)
        yield recorder

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state: _Session = session.config.stash[_SESSION_KEY]
        out = session.config.getoption("--cx-audit")
        recorders = [r for r in state.recorders if r.visits]
        if not recorders:
            return
        from cx_auditor.reports import write_reports

        scorecard = judge([v for r in recorders for v in r.visits], [r.outcome() for r in recorders], state)
        paths = write_reports(scorecard, Path(out))
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            score = "—" if scorecard.score is None else f"{scorecard.score:.0f}"
            gate = "passed" if scorecard.gate.passed else "FAILED"
            reporter.write_sep("-", "cx-audit")
            reporter.write_line(
                f"cx-audit: {sum(len(r.visits) for r in recorders)} pages from {len(recorders)} tests · "
                f"score {score} (grade {scorecard.grade or '—'}) · budgets {gate} · report {paths['html']}"
            )


def _recorder_for(request: pytest.FixtureRequest) -> PageRecorder:
    """The test's recorder, attached to its ``page`` once (shared by autorecord and ``cx_audit``)."""
    existing = getattr(request.node, "_cx_audit_recorder", None)
    if existing is not None:
        return existing
    state: _Session = request.config.stash[_SESSION_KEY]
    page = request.getfixturevalue("page")
    recorder = PageRecorder(page, journey=request.node.nodeid, channel=state.channel)
    recorder.attach()
    request.node._cx_audit_recorder = recorder
    state.recorders.append(recorder)
    request.addfinalizer(recorder.close)
    return recorder


@pytest.fixture
def cx_audit(request: pytest.FixtureRequest) -> CxAudit:
    """Record the pages this test's Playwright ``page`` visits and judge them with the CX checks."""
    return CxAudit(_recorder_for(request), request.config.stash[_SESSION_KEY])


class PageRecorder:
    """Records one test's pages as :class:`~cx_auditor.models.PageVisit` artifacts."""

    def __init__(self, page: Any, *, journey: str, channel: str) -> None:
        self.page = page
        self.journey = journey
        self.channel = channel
        self.visits: list[Any] = []
        self.errors: list[str] = []
        self._by_doc: dict[str, Any] = {}
        self._started = time.perf_counter()
        self._closed = False

    def attach(self) -> None:
        from cx_auditor.gather.session import INSTRUMENT_JS

        # Playwright delivers events to sync code only at its next call, when the page may
        # already be elsewhere; so each document reports itself (on load and when left)
        # through a binding, and the reading happens in the page at the right moment.
        context = self.page.context
        context.expose_binding(_BINDING, self._on_report)
        context.add_init_script(INSTRUMENT_JS)
        context.add_init_script(_REPORTER_JS)
        if self.page.url not in ("", "about:blank"):
            self.page.reload()  # opened before recording began: load it again, instrumented

    def _on_report(self, source: dict[str, Any], report: dict[str, Any]) -> None:
        try:
            if source.get("page") is self.page and not self._closed:
                self._apply(report)
        except Exception as exc:  # noqa: BLE001 - a malformed report must not fail the test
            self.errors.append(f"{report.get('url') if isinstance(report, dict) else '?'}: {exc}")

    def _apply(self, report: dict[str, Any]) -> None:
        from cx_auditor.gather.convert import apply_content, apply_metrics
        from cx_auditor.models import PageVisit

        doc = str(report.get("doc") or "")
        visit = self._by_doc.get(doc)
        if visit is None:
            visit = PageVisit(
                id=f"{self.channel}-{_slug(self.journey)}-{len(self.visits):03d}",
                channel=self.channel,
                journey=self.journey,
                step_index=len(self.visits),
                step_label=str(report.get("title") or "")[:80],
                url=str(report.get("url") or ""),
                run_index=0,
                started_at=time.time(),
            )
            self.visits.append(visit)
            self._by_doc[doc] = visit
        if report.get("content"):
            apply_content(visit, report["content"], lambda text: text)
        if report.get("metrics"):
            apply_metrics(visit, report["metrics"])
        visit.status = report.get("status") or visit.status

    def settle(self) -> None:
        """Read the current page again: timings that settle after load (CLS, late LCP, INP)."""
        if self._closed or self.page.is_closed():
            return
        try:
            report = self.page.evaluate(_SETTLE_JS)
        except Exception as exc:  # noqa: BLE001 - the page is navigating: its load report stands
            self.errors.append(f"{self.page.url}: {exc}")
            return
        if report:
            self._apply(report)

    def close(self) -> None:
        self.settle()
        self._closed = True

    def outcome(self) -> Any:
        from cx_auditor.models import JourneyOutcome, StepRecord

        steps = [
            StepRecord(index=i, action="goto", label=v.step_label, url=v.url, visit_id=v.id, ok=True)
            for i, v in enumerate(self.visits)
        ]
        return JourneyOutcome(
            channel=self.channel,
            journey=self.journey,
            completed=True,
            steps=steps,
            elapsed_ms=round((time.perf_counter() - self._started) * 1000, 1),
        )


_BINDING = "__cxRecord"
#: runs after instrument.js in every document of the test's browser context
_REPORTER_JS = (
    """
(() => {
  if (window.top !== window || window.__cxReport) return;
  const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  window.__cxReport = (phase) => {
    if (!window.__cx) return null;
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      phase, doc, url: location.href, title: document.title,
      status: nav ? (nav.responseStatus || null) : null,
      content: window.__cx.content(), metrics: window.__cx.metrics(),
    };
  };
  const send = (phase) => {
    try { if (window.__BINDING__) window.__BINDING__(window.__cxReport(phase)); } catch (e) { /* gone */ }
  };
  addEventListener("load", () => setTimeout(() => send("load"), 0));
  addEventListener("pagehide", () => send("leave"));
})();
"""
).replace("__BINDING__", _BINDING)


#: the current document's report, once it has painted (a loaded machine may paint after `load`)
_SETTLE_JS = """
async () => {
  if (!window.__cxReport) return null;
  for (let i = 0; i < 40 && !(window.__cx && window.__cx.fcp); i++) {
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 25)));
  }
  return window.__cxReport("settle");
}
"""


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[-60:] or "test"


def judge(visits: list[Any], journeys: list[Any], state: _Session) -> Any:
    """Judge recorded visits with the installed checks and the config's budgets."""
    from urllib.parse import urlsplit

    from cx_auditor import __version__
    from cx_auditor.budgets import evaluate
    from cx_auditor.models import Artifacts, ChannelInfo, RunMeta
    from cx_auditor.pipeline import enabled_checks
    from cx_auditor.runner import build_scorecard

    cfg = state.audit_config
    first = urlsplit(visits[0].url) if visits else None
    base_url = cfg.site.base_url if cfg is not None else (f"{first.scheme}://{first.netloc}" if first else "")
    channels = sorted({v.channel for v in visits}) or [state.channel]
    artifacts = Artifacts(
        meta=RunMeta(
            site=(cfg.site.name if cfg is not None and cfg.site.name else base_url) or "pytest",
            base_url=base_url,
            tool_version=__version__,
            channels=[ChannelInfo(name=c, label=c.capitalize()) for c in channels],
            browser="pytest page fixture",
        ),
        visits=visits,
        journeys=journeys,
    )
    checks, options, weights = enabled_checks(cfg)
    scorecard = build_scorecard(artifacts, checks, options, weights=weights)
    scorecard.gate = evaluate(scorecard, cfg.budgets if cfg is not None else None)
    return scorecard


class CxAuditFailure(AssertionError):
    """A CX budget failed; the message lists each failed budget with its actual value and limit."""


class CxAudit:
    """What a test sees: its recorded pages, and verdicts on them."""

    def __init__(self, recorder: PageRecorder, state: _Session) -> None:
        self._recorder = recorder
        self._state = state

    @property
    def visits(self) -> list[Any]:
        """The pages recorded so far (:class:`~cx_auditor.models.PageVisit`), the current one re-read."""
        self._recorder.settle()
        return list(self._recorder.visits)

    @property
    def urls(self) -> list[str]:
        return [v.url for v in self.visits]

    def scorecard(self) -> Any:
        """Judge this test's pages now with every enabled check (a :class:`~cx_auditor.models.Scorecard`)."""
        if not self.visits:
            raise CxAuditFailure(
                "cx_audit recorded no page: the test's `page` loaded nothing after the fixture was requested"
                + (f" ({'; '.join(self._recorder.errors)})" if self._recorder.errors else "")
            )
        return judge(self._recorder.visits, [self._recorder.outcome()], self._state)

    def check(self, check_id: str) -> Any:
        """The :class:`~cx_auditor.models.CheckResult` of one check on this test's pages."""
        card = self.scorecard()
        result = card.result(check_id)
        if result is None:
            known = ", ".join(r.check for r in card.results)
            raise KeyError(f"no check {check_id!r} ran; checks: {known}")
        return result

    def assert_budgets(self, budgets: dict[str, Any] | None = None) -> Any:
        """Fail the test (with every failed budget in the message) when an error-level budget fails.

        ``budgets`` is the ``budgets:`` mapping of audit.yaml (e.g. ``{"checks": {"load_time": 90}}``);
        without it the budgets of ``--cx-audit-config`` apply. Returns the scorecard.
        """
        card = self.scorecard()
        if budgets is not None:
            from cx_auditor.budgets import Budgets, evaluate

            card.gate = evaluate(card, Budgets.model_validate(budgets))
        failed = card.gate.failed
        if failed:
            lines = [f"{b.description}: actual {b.actual}, limit {b.limit}" for b in failed]
            raise CxAuditFailure(
                "CX budgets failed on " + ", ".join(self.urls) + ":\n  " + "\n  ".join(lines)
            )
        return card
