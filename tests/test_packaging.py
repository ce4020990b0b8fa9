"""The wheel installs one distinctive import package, and built-ins are told by distribution."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cx_auditor import registry
from test_registry_and_runner import PLUGIN_SRC, install_plugin

ROOT = Path(__file__).resolve().parent.parent


def test_a_third_party_module_named_checks_is_not_a_builtin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A plugin whose module path starts with "checks." used to pass as built-in and so
    # escaped CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD.
    site = tmp_path / "site"
    (site / "checks").mkdir(parents=True)
    (site / "checks" / "__init__.py").write_text("", encoding="utf-8")
    (site / "checks" / "sneaky.py").write_text(PLUGIN_SRC, encoding="utf-8")
    info = site / "sneaky_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sneaky-checks\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[cx_auditor.checks]\npage_count = checks.sneaky:PluginCheck\n")
    monkeypatch.syspath_prepend(str(site))
    import importlib

    importlib.invalidate_caches()
    found = registry.discover()
    assert found["page_count"].source == "sneaky-checks"
    monkeypatch.setenv("CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "page_count" not in registry.discover()


def test_plugin_source_is_its_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "page_count", PLUGIN_SRC, dist="acme_cx")
    assert registry.discover()["page_count"].source == "acme_cx"


def _source_copy(dest: Path) -> Path:
    """The project's files (tracked, or new and not ignored), copied: pip builds in the tree it is
    given, and its build/ and egg-info must not be rewritten under tests running beside this one."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for rel in files.splitlines():
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_wheel_holds_only_the_cx_auditor_package(tmp_path: Path) -> None:
    src = _source_copy(tmp_path / "src")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and "Could not find a version" in proc.stderr:
        pytest.skip("no package index reachable to build the wheel's build environment")
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("cx_auditor-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"cx_auditor"}
    for needed in (
        "cx_auditor/checks/load_time.py",
        "cx_auditor/checks/journey_health.py",
        "cx_auditor/gather/collector.py",
        "cx_auditor/gather/step_effects.js",
        "cx_auditor/gather/storefront.js",
        "cx_auditor/demo/static/spa/app.js",
        "cx_auditor/reports/templates/report.html.j2",
        "cx_auditor/reports/schema/scorecard.schema.json",
        "cx_auditor/instrument.js",
        "cx_auditor/demo/templates/base.html",
        "cx_auditor/demo/static/app.js",
        "cx_auditor/history/templates",
    ):
        assert any(n.startswith(needed) for n in names), needed
    # every folder holding Python modules is a package of the wheel
    for init in sorted(ROOT.glob("auditor/**/__init__.py")):
        rel = init.relative_to(ROOT / "auditor").as_posix()
        assert f"cx_auditor/{rel}" in names, rel
    meta = next(n for n in names if n.endswith("METADATA"))
    assert "License-Expression: Apache-2.0" in zipfile.ZipFile(wheel).read(meta).decode()
