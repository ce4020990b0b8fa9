"""Browser discovery: explicit path, Playwright's own, system Chromium, remote endpoints, or a clear error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cx_auditor import browser
from cx_auditor.errors import BrowserNotFoundError, ExitCode, UsageError


def fake_exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "no-browsers"))
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.setattr(browser, "SYSTEM_PATHS", ())


def test_no_browser_says_what_to_do(nothing_installed: None) -> None:
    with pytest.raises(BrowserNotFoundError) as info:
        browser.find_browser(env={})
    text = str(info.value) + " " + (info.value.hint or "")
    assert "playwright install chromium" in text and "apt-get install" in text and "--browser-path" in text
    assert info.value.exit_code == ExitCode.UNREACHABLE


def test_explicit_path_wins(nothing_installed: None, tmp_path: Path) -> None:
    exe = fake_exe(tmp_path / "bin" / "my-chrome")
    choice = browser.find_browser(browser_path=str(exe), env={})
    assert choice.kind == "launch" and choice.executable == str(exe) and choice.source == "--browser-path"
    env_choice = browser.find_browser(env={"CX_AUDIT_BROWSER": str(exe)})
    assert env_choice.source == "CX_AUDIT_BROWSER"


def test_explicit_path_that_does_not_exist(nothing_installed: None, tmp_path: Path) -> None:
    with pytest.raises(BrowserNotFoundError, match="does not exist"):
        browser.find_browser(browser_path=str(tmp_path / "missing"), env={})


def test_playwright_browser_preferred_over_system(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "ms-playwright"
    fake_exe(root / "chromium-1234" / "chrome-linux" / "chrome")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(root))
    monkeypatch.setattr(browser.shutil, "which", lambda name: "/usr/bin/chromium")
    choice = browser.find_browser(env={})
    assert choice.source == "playwright" and choice.executable is None  # Playwright finds its own


def test_system_chromium_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = fake_exe(tmp_path / "chromium")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "none"))
    monkeypatch.setattr(browser.shutil, "which", lambda name: str(exe) if name == "chromium" else None)
    choice = browser.find_browser(env={})
    assert choice.source == "system" and choice.executable == str(exe)
    assert "--disable-background-networking" in choice.args
    if os.geteuid() == 0:
        assert "--no-sandbox" in choice.args


def test_remote_endpoints_validated() -> None:
    assert browser.find_browser(browser_endpoint="ws://127.0.0.1:3000/", env={}).kind == "connect"
    assert browser.find_browser(cdp_endpoint="http://127.0.0.1:9222", env={}).kind == "cdp"
    with pytest.raises(UsageError, match="ws://"):
        browser.find_browser(browser_endpoint="http://127.0.0.1:3000", env={})
    with pytest.raises(UsageError, match="not both"):
        browser.find_browser(browser_endpoint="ws://a", cdp_endpoint="http://b", env={})
