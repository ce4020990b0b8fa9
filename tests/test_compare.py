"""compare / trend / history commands: from files and from the store, terminal, JSON and HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cx_auditor.cli_history import app, parse_duration
from cx_auditor.history.compare import compare_scorecards, load_side, render_compare_html
from cx_auditor.history.store import HistoryStore
from cx_auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity, make_fingerprint
from typer.testing import CliRunner

XSS = "<script>window.__pwned=1</script>"
runner = CliRunner()


def fnd(check: str, rule: str, severity: str, channel: str, message: str | None = None) -> Finding:
    return Finding(
        check=check,
        rule=rule,
        severity=Severity(severity),
        message=message or f"{rule} ({channel})",
        channel=channel,
        url=f"http://shop/{rule}",
        fingerprint=make_fingerprint(check, rule, channel),
    )


def card(
    run_id: str,
    day: int,
    *,
    branch: str = "main",
    lcp: float = 2000.0,
    speed: float = 70.0,
    findings: list[Finding] | None = None,
    site: str = "Northwind",
) -> Scorecard:
    findings = findings if findings is not None else [fnd("support", "no-chat", "fail", "mobile")]
    results = [
        CheckResult(
            check="speed",
            title="Load time",
            score=speed,
            metrics={
                "channels": {
                    "mobile": {"lcp_ms": {"median": lcp, "p75": lcp * 1.1}, "score": speed},
                    "desktop": {"lcp_ms": {"median": lcp / 2, "p75": lcp / 2}, "score": speed + 10},
                },
                "pages": 4,
            },
        ),
        CheckResult(
            check="support",
            title="Support",
            score=85.0,
            findings=[f for f in findings if f.check == "support"],
            metrics={"pages_with_help": 18},
        ),
    ]
    score = round((speed + 85.0) / 2, 1)
    meta = RunMeta(
        site=site,
        started_at=f"2026-02-{day:02d}T09:00:00+00:00",
        git_branch=branch,
        git_commit=f"c0ffee{day:02d}",
    )
    return Scorecard(run_id=run_id, meta=meta, score=score, grade="C", results=results)


BASE = card(
    "base",
    1,
    findings=[fnd("support", "no-chat", "fail", "mobile"), fnd("support", "broken-link", "warn", "desktop")],
)
HEAD = card(
    "head",
    2,
    lcp=2600.0,
    speed=60.0,
    findings=[fnd("support", "no-chat", "fail", "mobile"), fnd("support", "tel-malformed", "fail", "mobile")],
)


def test_compare_scorecards_reports_deltas_and_findings_by_fingerprint() -> None:
    c = compare_scorecards(BASE, HEAD)
    assert c.score_delta == -5.0
    assert {d.check: d.delta for d in c.checks} == {"speed": -10.0, "support": 0.0}
    assert [f.rule for f in c.new] == ["tel-malformed"]
    assert [f.rule for f in c.fixed] == ["broken-link"]
    assert [f.rule for f in c.still_open] == ["no-chat"]
    channels = {ch.channel: ch for ch in c.channels}
    assert channels["mobile"].base_counts["fail"] == 1 and channels["mobile"].head_counts["fail"] == 2
    assert channels["desktop"].head_counts["warn"] == 0
    assert channels["mobile"].delta == -10.0  # per-channel score published by the speed check
    metrics = {(m.check, m.key): m for m in c.metrics}
    # the untyped channel summary was typed on load: its key is the typed one (no ".median")
    assert metrics[("speed", "channels.mobile.lcp_ms")].delta == 600.0
    assert ("support", "pages_with_help") not in metrics and c.unchanged_metrics >= 2
    assert c.regression.regressed and {i.kind for i in c.regression.items} >= {
        "new-fail-finding",
        "score-drop",
    }


def test_html_report_is_self_contained_and_escapes_site_text() -> None:
    head = HEAD.model_copy(deep=True)
    head.results[1].findings.append(fnd("support", "x", "fail", "mobile", message=f"Help {XSS}"))
    head.meta.site = f"Shop {XSS}"
    html = render_compare_html(compare_scorecards(BASE, head))
    assert XSS not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<script" not in html and not re.search(r"(src|href)=\"https?://", html)
    assert "tel-malformed (mobile)" in html and "broken-link (desktop)" in html


def _history(url: str, tmp_path: Path) -> None:
    report = tmp_path / "reports" / "r3.html"
    report.parent.mkdir()
    report.write_text("<html>run 3</html>")
    with HistoryStore.open(url) as store:
        store.record(BASE)
        store.record(card("feature-run", 3, branch="feature/x", lcp=1800.0, speed=75.0), report_path=report)
        store.record(
            HEAD.model_copy(
                update={"meta": HEAD.meta.model_copy(update={"started_at": "2026-02-04T09:00:00+00:00"})}
            )
        )


def test_compare_sides_from_the_store(db_url: str, tmp_path: Path) -> None:
    _history(db_url, tmp_path)
    with HistoryStore.open(db_url) as store:
        assert load_side("latest", store).scorecard.run_id == "head"
        assert load_side("previous", store).scorecard.run_id == "feature-run"
        assert load_side("branch:main~1", store).scorecard.run_id == "base"
        side = load_side("branch:feature/x", store)
        assert side.source == "history" and side.report_path and side.report_path.endswith("r3.html")
        c = compare_scorecards(load_side("branch:main~1", store), load_side("latest", store))
    assert [f.rule for f in c.new] == ["tel-malformed"] and [f.rule for f in c.fixed] == ["broken-link"]


def test_cli_compare_files_json_and_html(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "scorecard.json").write_text(BASE.model_dump_json())
    (tmp_path / "b.json").write_text(HEAD.model_dump_json())
    out = tmp_path / "diff" / "compare.html"
    result = runner.invoke(
        app,
        [
            "compare",
            str(tmp_path / "a"),
            str(tmp_path / "b.json"),
            "--json",
            "--html",
            str(out),
            "--history",
            str(tmp_path / "none.db"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["score_delta"] == -5.0 and data["base"]["source"] == "file"
    assert [f["rule"] for f in data["findings"]["new"]] == ["tel-malformed"]
    assert data["regression"]["regressed"] is True
    assert out.read_text().startswith("<!doctype html>")
    assert not (tmp_path / "none.db").exists()  # files only: no history touched

    table = runner.invoke(
        app, ["compare", str(tmp_path / "a"), str(tmp_path / "b.json"), "--fail-on-regression"]
    )
    assert table.exit_code == 1
    assert "tel-malformed" in table.output and "Scores" in table.output


def test_cli_compare_from_history_and_unknown_refs(db_url: str, tmp_path: Path) -> None:
    _history(db_url, tmp_path)
    ok = runner.invoke(app, ["compare", "branch:feature/x", "latest", "--json", "--history", db_url])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["head"]["run_id"] == "head"
    bad = runner.invoke(app, ["compare", "branch:nope", "latest", "--history", db_url])
    assert bad.exit_code == 2 and "no run matches" in bad.output


def test_cli_history_list_and_prune(db_url: str, tmp_path: Path) -> None:
    _history(db_url, tmp_path)
    listed = runner.invoke(app, ["history", "--json", "--history", db_url])
    assert listed.exit_code == 0, listed.output
    assert [r["run_id"] for r in json.loads(listed.output)] == ["head", "feature-run", "base"]
    only_main = runner.invoke(app, ["history", "--branch", "main", "--json", "--history", db_url])
    assert [r["run_id"] for r in json.loads(only_main.output)] == ["head", "base"]
    table = runner.invoke(app, ["history", "--limit", "2", "--history", db_url], env={"COLUMNS": "160"})
    assert (
        table.exit_code == 0 and "feature/x" in table.output and "base" not in table.output.split("run(s)")[1]
    )
    assert runner.invoke(app, ["history", "prune", "--history", db_url]).exit_code == 2
    pruned = runner.invoke(app, ["history", "prune", "--keep", "1", "--history", db_url])
    assert pruned.exit_code == 0 and "Deleted 2 run(s); 1 left." in pruned.output


def test_cli_history_without_a_database_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["history", "--history", str(tmp_path / "nothing.db")])
    assert result.exit_code == 2 and "no run history" in result.output


def test_cli_trend_writes_charts_linking_to_reports_on_disk(db_url: str, tmp_path: Path) -> None:
    _history(db_url, tmp_path)
    out = tmp_path / "site" / "trend.html"
    result = runner.invoke(app, ["trend", "--out", str(out), "--history", db_url])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.count("<svg") >= 3 and "<script" not in html
    assert 'href="../reports/r3.html"' in html  # relative link to the one report still on disk
    assert set(re.findall(r'<a href="([^"]+)"', html)) == {"../reports/r3.html"}  # only reports on disk
    assert html.count("<circle") > html.count("<a href=")
    assert "support · pages_with_help" in html  # fallback: top-level numeric metrics
    custom = runner.invoke(
        app, ["trend", "--out", str(out), "--metric", "speed:channels.*.lcp_ms.median", "--history", db_url]
    )
    assert custom.exit_code == 0
    page = out.read_text()
    assert "speed · lcp_ms.median" in page and "pages_with_help" not in page
    assert "</i>mobile</span>" in page and "</i>desktop</span>" in page  # a line per channel, in a legend


def test_parse_duration() -> None:
    assert parse_duration("30d").days == 30 and parse_duration("12h").seconds == 12 * 3600
    with pytest.raises(Exception, match="cannot read duration"):
        parse_duration("soon")
