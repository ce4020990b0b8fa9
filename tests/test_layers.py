"""Layering rules, read from the source: who may drive a browser, who may import the CLI."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"auditor": "cx_auditor", "checks": "cx_auditor.checks", "reports": "cx_auditor.reports"}
CLI_MODULES = {"cx_auditor.cli", "cx_auditor.cli_history"}
#: find or install a browser executable; they never open a page
BROWSER_LOCATORS = {"cx_auditor.browser", "cx_auditor.install_browser"}


def _modules() -> dict[str, set[str]]:
    """Module name -> every module it imports (absolute names), for all installed source."""
    found: dict[str, set[str]] = {}
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([package, *parts])
            imports: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imports |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imports.add(node.module)
                    imports |= {f"{node.module}.{a.name}" for a in node.names}
            found[name] = imports
    return found


def test_only_the_gather_package_drives_a_browser() -> None:
    offenders = {
        name
        for name, imports in _modules().items()
        if any(i == "playwright" or i.startswith("playwright.") for i in imports)
        and not name.startswith("cx_auditor.gather")
        and name not in BROWSER_LOCATORS
    }
    assert not offenders


def test_nothing_but_the_cli_imports_the_cli() -> None:
    offenders = {
        name for name, imports in _modules().items() if name not in CLI_MODULES and imports & CLI_MODULES
    }
    assert not offenders, offenders


def test_checks_never_import_the_gatherer() -> None:
    for name, imports in _modules().items():
        if name.startswith("cx_auditor.checks"):
            assert not any(i.startswith("cx_auditor.gather") for i in imports), name


def test_one_frozen_options_object_built_by_keyword(monkeypatch: pytest.MonkeyPatch) -> None:
    from cx_auditor.cli import _options
    from cx_auditor.pipeline import AuditOptions

    opts = _options(out=Path("r"), formats=["json,md"], shard="2/3", no_history=True)
    assert opts == AuditOptions(out=Path("r"), formats=("json", "md"), shard=(2, 3), record_history=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.out = Path("elsewhere")  # type: ignore[misc]
    with pytest.raises(TypeError):
        _options(Path("r"), None)  # type: ignore[misc]


def test_the_default_history_location_has_one_source(monkeypatch: pytest.MonkeyPatch) -> None:
    from cx_auditor.history.db import DEFAULT_HISTORY_PATH
    from cx_auditor.pipeline import default_history

    monkeypatch.delenv("CX_AUDIT_HISTORY", raising=False)
    assert default_history() == DEFAULT_HISTORY_PATH == ".cx-audit/history.db"
    monkeypatch.setenv("CX_AUDIT_HISTORY", "/tmp/h.db")
    assert default_history() == "/tmp/h.db"


def test_the_gatherer_reads_no_check_option() -> None:
    """What checks need arrives as Requirements; the gather package never opens `checks:` config."""
    for path in (ROOT / "auditor" / "gather").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        attrs = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert "checks" not in attrs, path.name  # e.g. cfg.checks[...]
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(m.startswith("cx_auditor.checks") for m in imported), path.name
