"""The command line: help that teaches, clear errors with exit code 2, machine-readable modes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cx_auditor.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_version_and_help_teach() -> None:
    r = invoke("--version")
    assert r.exit_code == 0 and r.output.startswith("cx-audit ")
    r = invoke("--help")
    assert r.exit_code == 0
    for word in (
        "run",
        "demo",
        "check",
        "checks",
        "init",
        "merge",
        "history",
        "compare",
        "trend",
        "Exit codes",
    ):
        assert word in r.output
    r = invoke("run", "--help")
    assert "--fail-under" in r.output and "--baseline" in r.output and "--shard" in r.output


def test_checks_lists_builtins() -> None:
    r = invoke("checks", "--json")
    assert r.exit_code == 0
    ids = {c["id"] for c in json.loads(r.output)}
    assert {"load_time", "checkout_steps", "messaging_consistency", "support_reachability"} <= ids


def test_checks_options_lists_types_defaults_and_descriptions() -> None:
    r = invoke("checks", "--options", "--json")
    assert r.exit_code == 0
    by_id = {c["id"]: c for c in json.loads(r.output)}
    fields = {f["name"]: f for f in by_id["load_time"]["option_fields"]}
    assert fields["max_culprits"]["type"] == "int" and fields["max_culprits"]["default"] == 3
    assert "good < poor" in fields["thresholds"]["description"]
    assert by_id["checkout_steps"]["options"]["max_steps"] == 7  # defaults, as before --options
    text = invoke("checks", "--options")
    assert text.exit_code == 0 and "load_time options" in text.output and "max_culprits" in text.output


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "audit.yaml"
    r = invoke("init", str(target), "--base-url", "https://shop.example.org")
    assert r.exit_code == 0 and target.exists()
    from cx_auditor.config import load_config

    assert load_config(target).site.base_url == "https://shop.example.org"
    r = invoke("init", str(target))
    assert r.exit_code == 2 and "already exists" in r.output and "--force" in r.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "definitely-missing.yaml"], "no such file"),
        (["run", "{cfg}", "--format", "pdf"], "not a report format"),
        (["run", "{cfg}", "--shard", "5/4"], "--shard"),
        (["run", "{cfg}", "--trace", "sometimes"], "--trace"),
        (["run", "{cfg}", "--fail-under", "140"], "--fail-under"),
        (["check", "--from", "no-such-dir"], "no such folder"),
        (["run", "{cfg}", "--no-such-flag"], "No such option"),
    ],
)
def test_user_mistakes_exit_2_with_one_paragraph(tmp_path: Path, args: list[str], needle: str) -> None:
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("site: {base_url: 'http://127.0.0.1:9'}\n")
    r = invoke(*[a.replace("{cfg}", str(cfg)) for a in args])
    assert r.exit_code == 2, r.output
    assert needle in r.output
    assert "Traceback" not in r.output


def test_bad_config_names_line(tmp_path: Path) -> None:
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("site:\n  base_url: https://x.example\ncollect:\n  wokers: 3\n")
    r = invoke("run", str(cfg))
    assert r.exit_code == 2 and "line 4" in r.output and "did you mean 'workers'" in r.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; covered by the file-in-the-way case")
def test_unwritable_output_dir_is_a_usage_error(tmp_path: Path) -> None:  # pragma: no cover - non-root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("site: {base_url: 'http://127.0.0.1:9'}\n")
    r = invoke("run", str(cfg), "--out", str(locked / "out"))
    assert r.exit_code == 2 and "cannot be written" in r.output


def test_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("I am a file")
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("site: {base_url: 'http://127.0.0.1:9'}\n")
    r = invoke("run", str(cfg), "--out", str(blocker / "sub"))
    assert r.exit_code == 2 and "cannot be written" in r.output and blocker.read_text() == "I am a file"


@pytest.mark.browser
def test_check_from_artifacts_gates_and_prints_json(flawed_audit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = flawed_audit.paths["json"].parent
    r = invoke(
        "check",
        "--from",
        str(src / "artifacts"),
        "--out",
        str(tmp_path / "o"),
        "--fail-under",
        "90",
        "--json",
    )
    assert r.exit_code == 1, r.output
    data = json.loads(r.output)
    assert data["passed"] is False and data["exit_code"] == 1
    assert any(b["id"].startswith("overall") for b in data["failed_budgets"])
    r = invoke("check", "--from", str(src), "--out", str(tmp_path / "p"), "--fail-under", "90")
    assert r.exit_code == 1 and "budget failed" in r.output and "FAILED" in r.output
    r = invoke("check", "--from", str(src), "--out", str(tmp_path / "q"), "--quiet", "--format", "json")
    assert r.exit_code == 0 and r.output.strip() == ""
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == ["scorecard.json"]


def test_starting_the_cli_does_not_import_the_statistics_stack() -> None:
    """scipy.stats took ~0.7 s to import and every command (``--help`` too) paid it at start-up.

    Only a history comparison with enough samples needs it; it is imported there.
    """
    code = "import sys, cx_auditor.cli; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
