"""Layering rules, read from the source: who may drive a browser, who may import the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

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
