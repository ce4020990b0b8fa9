"""Any Unicode survives every writer; a bug exits 70 with a crash log, never 1 with a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from cx_auditor import pipeline
from cx_auditor.artifacts import ArtifactWriter, load_artifacts
from cx_auditor.cli import app
from cx_auditor.cli_history import record_run
from cx_auditor.errors import ExitCode
from cx_auditor.models import Artifacts
from cx_auditor.reports import write_reports
from cx_auditor.textsafe import clean, clean_text
from typer.testing import CliRunner

from tests.artifact_factory import meta, visit
from tests.faultsite import FaultSite, page
from tests.scorecard_factory import make_scorecard

LONE = "A\ud800B"


def test_clean_text_replaces_lone_surrogates_and_joins_pairs() -> None:
    assert clean_text(LONE) == "A\ufffdB"
    assert clean_text("\udc00x\ud83d") == "\ufffdx\ufffd"
    assert clean_text("\ud83d\ude00") == "\U0001f600"  # a pair that arrived as two code points
    same = "plain text é 😀"
    assert clean_text(same) is same
    assert clean({"k\ud800": [LONE, 1, None]}) == {"k\ufffd": ["A\ufffdB", 1, None]}


def test_artifacts_with_lone_surrogates_are_written_and_read_back(tmp_path: Path) -> None:
    writer = ArtifactWriter(tmp_path / "artifacts")
    writer.add_visit(visit("/", title=LONE, text=f"price {LONE}"))
    writer.finish(Artifacts(meta=meta(site=LONE)))
    art = load_artifacts(tmp_path)
    assert art.visits[0].title == "A\ufffdB" and art.meta.site == "A\ufffdB"


def test_a_visit_line_holding_an_escaped_lone_surrogate_is_kept_not_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "artifacts"
    folder.mkdir()
    line = json.dumps(
        visit("/", title=LONE).model_dump(mode="json", exclude_defaults=True)
    )  # "\ud800" escape
    assert "\\ud800" in line
    (folder / "visits.jsonl").write_text(line + "\n", encoding="utf-8")
    art = load_artifacts(folder)
    assert [v.title for v in art.visits] == ["A\ufffdB"]


def test_every_report_format_and_history_survive_lone_surrogates(tmp_path: Path) -> None:
    card = make_scorecard()
    card.meta.site = LONE
    card.results[0].findings[0].message = f"slow page {LONE}"
    paths = write_reports(card, tmp_path / "out", formats={"html", "json", "junit", "md"})
    for path in paths.values():
        assert "\ufffd" in path.read_text(encoding="utf-8")
    run_id = record_run(card, history=str(tmp_path / "history.db"))
    with sqlite3.connect(tmp_path / "history.db") as db:
        sites = [row[0] for row in db.execute("select site from runs where id = ?", (run_id,))]
    assert sites == ["A\ufffdB"]


def test_an_internal_error_exits_70_with_a_crash_log_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CX_AUDIT_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.setenv("CI_DEPLOY_TOKEN", "tok-3141592653")

    def boom(*_: Any, **__: Any) -> Any:
        raise KeyError("internal state tok-3141592653")

    monkeypatch.setattr(pipeline, "rejudge", boom)
    folder = tmp_path / "art"
    folder.mkdir()
    (folder / "run.json").write_text(Artifacts(meta=meta()).model_dump_json())
    result = CliRunner().invoke(app, ["check", "--from", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == ExitCode.INTERNAL == 70
    assert "Traceback" not in result.output and "internal error (KeyError)" in result.output
    logs = list((tmp_path / "crashes").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.output.replace("\n", "")
    log = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in log and "boom" in log
    assert "tok-3141592653" not in log and "[redacted]" in log


@pytest.mark.browser
def test_a_page_writing_lone_surrogates_is_audited_not_crashed(tmp_path: Path, browser_ok: None) -> None:
    with FaultSite() as site:
        site.html_route(
            "/weird",
            page(
                "Weird",
                "<h1 id=h>x</h1><p id=p>Price 10</p><script>"
                "document.title = 'A\\ud800B'; document.getElementById('h').textContent = 'Sale \\udc00 now';"
                "</script>",
            ),
        )
        cfg = {
            "site": {"base_url": site.url},
            "channels": {"desktop": {"preset": "desktop"}},
            "collect": {"settle_ms": 50, "probe_chat": False, "probe_links": False},
            "journeys": [{"name": "weird", "steps": [{"goto": "/weird"}, {"expect_text": "Sale"}]}],
        }
        path = tmp_path / "audit.yaml"
        path.write_text(yaml.safe_dump(cfg))
        out = tmp_path / "out"
        result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code in (ExitCode.OK, ExitCode.GATE_FAILED), result.output
    art = load_artifacts(out)
    weird = next(v for v in art.visits if v.url.endswith("/weird"))
    assert weird.title == "A\ufffdB"
    assert "\ufffd" in (out / "artifacts" / "visits.jsonl").read_text(encoding="utf-8")
    assert (out / "report.html").exists() and (out / "scorecard.json").exists()
