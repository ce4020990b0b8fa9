"""Docs that work today: no install of an unpublished name, a demo store command that exists,
and a benchmarks lockfile that `npm ci` accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "docs").rglob("*.yml"))]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_never_install_the_unpublished_name_from_an_index(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # `pip install cx-auditor` (optionally with extras) would fetch from PyPI, where it is not published
    bare = re.findall(r"pipx? install\s+(['\"]?)cx-auditor(?:\[[a-z,]+\])?\1(?=\s|$)(?!\s*@)", text, re.M)
    assert not bare, f"{path.name}: {bare}"


def test_readme_documents_checkout_and_repository_installs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install ./cx-auditor" in readme
    assert "pipx install" in readme
    assert "git+<repository URL>" in readme


def test_readme_demo_store_command_parses() -> None:
    """The documented `python -m cx_auditor.demo ...` line uses options the module really has."""
    import argparse

    from cx_auditor.demo import __main__ as demo_main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"`python -m cx_auditor\.demo ([^`]*)`", readme)
    assert line, "the README lost the demo store command"
    parser_args: list[str] = line.group(1).split()
    captured: dict[str, argparse.Namespace] = {}

    class Stop(Exception):
        pass

    original = argparse.ArgumentParser.parse_args

    def spy(self, args=None, namespace=None):  # type: ignore[no-untyped-def]
        captured["ns"] = original(self, args, namespace)
        raise Stop

    argparse.ArgumentParser.parse_args = spy  # type: ignore[method-assign]
    try:
        with pytest.raises(Stop):
            demo_main.main(parser_args)
    finally:
        argparse.ArgumentParser.parse_args = original  # type: ignore[method-assign]
    assert captured["ns"].variant == "flawed" and captured["ns"].port == 8000


def _resolve(packages: dict[str, dict], where: str, name: str) -> str | None:
    """Node's lookup: the nearest node_modules/NAME walking up from the package at ``where``."""
    base = where
    while True:
        candidate = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/node_modules/")
        base = base[:cut] if cut >= 0 else ""


def test_benchmarks_lockfile_is_in_sync_with_package_json() -> None:
    manifest = json.loads((ROOT / "benchmarks" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "benchmarks" / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    root = packages[""]
    assert root.get("dependencies", {}) == manifest.get("dependencies", {})
    assert root.get("license") == manifest.get("license")
    for name, spec in manifest["dependencies"].items():
        assert packages[f"node_modules/{name}"]["version"] == spec  # pinned exactly
    missing = []
    for where, meta in packages.items():
        if meta.get("link"):
            continue
        optional = set(meta.get("optionalDependencies", {})) | {
            n for n, m in meta.get("peerDependenciesMeta", {}).items() if m.get("optional")
        }
        wanted = {**meta.get("dependencies", {}), **meta.get("optionalDependencies", {})}
        for dep in wanted:
            if dep not in optional and _resolve(packages, where, dep) is None:
                missing.append(f"{where or '(root)'} -> {dep}")
    assert not missing, f"npm ci would refuse this lockfile; missing: {missing[:5]}"
    # the override that keeps `third-party-web@latest` from drifting is reflected in the lock
    for parent, pins in manifest.get("overrides", {}).items():
        for dep, version in pins.items():
            resolved = _resolve(packages, f"node_modules/{parent}", dep)
            assert resolved and packages[resolved]["version"] == version
