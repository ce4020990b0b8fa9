"""`cx-audit schema`: the JSON Schema of audit.yaml agrees with the loader on real configs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from cx_auditor.cli import app
from cx_auditor.config import parse_config
from cx_auditor.config_schema import MODELINE_PREFIX, SCHEMA_FILENAME
from cx_auditor.demo import documents_dir
from cx_auditor.demo_config import demo_yaml, starter_config
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(scope="module")
def schema() -> dict:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(printed)
    return printed


def errors(schema: dict, text: str) -> list[str]:
    data = yaml.safe_load(text)
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("variant", ["clean", "flawed"])
def test_demo_config_validates(schema: dict, variant: str) -> None:
    text = demo_yaml("http://127.0.0.1:8000", variant, documents_dir(variant))
    parse_config(text)  # the loader accepts it...
    assert errors(schema, text) == []  # ...and so does the schema


def test_starter_config_validates(schema: dict) -> None:
    assert errors(schema, starter_config("https://shop.example.com")) == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("site: {base_url: 'https://x.example', nmae: a}\n", "site"),  # misspelt key
        ("site: {base_url: 'https://x.example'}\ncolect: {runs: 2}\n", ""),  # misspelt section
        ("site: {base_url: 'https://x.example'}\ncollect: {runs: 50}\n", "collect"),  # out of range
        (
            "site: {base_url: 'https://x.example'}\njourneys: [{name: a, steps: [{goto: /, click: b}]}]\n",
            "journeys",
        ),
        (
            "site: {base_url: 'https://x.example'}\njourneys: [{name: a, steps: [{label: nothing}]}]\n",
            "journeys",
        ),
        ("site: {base_url: 'https://x.example'}\nchecks: {load_time: {threshholds: {}}}\n", "checks"),
        ("site: {base_url: 'https://x.example'}\nchannels: {m: {preset: phone}}\n", "channels"),
        ("site: {base_url: 'https://x.example'}\nbudgets: {overall: 140}\n", "budgets"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(schema: dict, text: str, where: str) -> None:
    from cx_auditor.errors import ConfigError
    from cx_auditor.pipeline import enabled_checks

    with pytest.raises(ConfigError):
        enabled_checks(parse_config(text))  # the loader and its check-option validation reject it
    found = errors(schema, text)
    assert found, "the schema accepted a config the loader rejects"
    assert any(e.startswith(f"['{where}'") or not where for e in found), found


@pytest.mark.parametrize(
    "text",
    [
        "site: {base_url: 'https://x.example'}\n"
        "budgets: {overall: 80, checks: {load_time: 70}, findings: {fail: 0}}\n",
        "site: {base_url: 'https://x.example'}\ncollect: {trace: off, screenshots: {mode: off}}\n",
        "site: {base_url: 'https://x.example'}\nchecks: {load_time: {enabled: false, weight: 2}}\n",
        "site: {base_url: 'https://x.example'}\n"
        "journeys: [{name: a, steps: [{fill: {selector: '#q', value: x}}]}]\n",
    ],
)
def test_schema_accepts_the_loaders_shorthands(schema: dict, text: str) -> None:
    parse_config(text)
    assert errors(schema, text) == []


def test_init_writes_the_modeline_and_the_schema_it_names(tmp_path: Path, schema: dict) -> None:
    target = tmp_path / "audit.yaml"
    result = runner.invoke(app, ["init", str(target), "--base-url", "https://shop.example.org"])
    assert result.exit_code == 0, result.output
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"{MODELINE_PREFIX}./{SCHEMA_FILENAME}"
    written = json.loads((tmp_path / SCHEMA_FILENAME).read_text(encoding="utf-8"))
    assert written == schema
    assert errors(written, target.read_text(encoding="utf-8")) == []
    assert parse_config(target.read_text(encoding="utf-8")).site.base_url == "https://shop.example.org"
