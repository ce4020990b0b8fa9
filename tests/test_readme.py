"""The README's promises stay true: its config example is valid and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from cx_auditor.cli import app
from cx_auditor.config import parse_config
from cx_auditor.errors import ExitCode

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_config_reference_example_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_PASSWORD", "pw-from-env")
    block = re.search(r"```yaml\n(site:.*?)```", README, re.S)
    assert block, "the README lost its config example"
    cfg = parse_config(block.group(1), path="README.md")
    assert cfg.journeys[0].checkout and cfg.journeys[0].steps[-1].places_order
    assert cfg.secrets == {"pw-from-env"}
    assert {s.action for s in cfg.journeys[0].steps} == {
        "goto",
        "click",
        "fill",
        "select",
        "check",
        "press",
        "wait_for",
        "expect_text",
        "snapshot",
    }
    assert cfg.budgets.metrics and cfg.collect.settle_ms == 1000


def test_documented_commands_exist() -> None:
    group = typer.main.get_command(app)
    commands = set(group.commands)  # type: ignore[attr-defined]
    table = README.split("Commands (each has `--help`)", 1)[1].split("Useful options", 1)[0]
    documented = set(re.findall(r"^\| `([a-z][a-z-]*)", table, re.M))
    assert {"run", "demo", "check", "merge", "checks", "init", "history", "compare", "trend"} <= documented
    for name in documented:
        assert name in commands, f"README documents `{name}` but the CLI has no such command"


def test_exit_codes_table_matches_the_enum() -> None:
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, re.M))
    assert {int(k) for k in rows} == {int(c) for c in ExitCode}


def test_writing_a_check_example_runs_with_typed_options_and_values() -> None:
    from cx_auditor.config import validate_check_options
    from cx_auditor.errors import ConfigError
    from cx_auditor.models import Rating
    from cx_auditor.reports import render_html
    from cx_auditor.runner import build_scorecard

    from tests.artifact_factory import artifacts, visit

    section = README.split("### Writing a check", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "the README lost its check example"
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README
    check = namespace["PageCount"]()  # type: ignore[operator]
    arts = artifacts(
        [visit("/", channel="desktop"), visit("/cart", channel="desktop")]
        + [visit(f"/p{i}", channel="mobile") for i in range(12)]
    )
    card = build_scorecard(arts, {"page_count": check}, {"page_count": {"minimum": 3}})
    result = card.result("page_count")
    assert result is not None and result.error is None, result
    ratings = {v.scope.channel: v.rating for v in result.values}
    assert ratings == {"desktop": Rating.POOR, "mobile": Rating.GOOD}
    (f,) = result.findings
    assert f.channel == "desktop" and f.details[0].rows[1]["url"].endswith("/cart")
    assert "Pages seen" in render_html(card)
    cfg = parse_config("site: {base_url: 'https://x.example'}\nchecks:\n  page_count: {minimun: 3}\n")
    with pytest.raises(ConfigError, match=r"line 3.*did you mean 'minimum'"):
        validate_check_options(cfg, {"page_count": check})


def test_every_safety_promise_names_a_test_that_exists() -> None:
    section = README.split("## Safety promises", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section)
    assert len(named) >= 10
    root = Path(__file__).resolve().parents[1]
    for path, test in named:
        assert f"def {test}(" in (root / path).read_text(encoding="utf-8"), f"{path}::{test} is gone"
    rows = [
        line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| promise")
    ]
    assert len(rows) >= 20
    for row in rows:  # every promise has its keeper: a test, or (the suite under load) a script
        keepers = re.findall(r"`(tests/[\w/]+\.py::\w+|benchmarks/[\w.]+)`", row.rsplit(" | ", 1)[-1])
        assert keepers, f"no test keeps this promise: {row[:100]}"
        for script in (k for k in keepers if k.startswith("benchmarks/")):
            assert (root / script).is_file(), script
