"""Finding a browser to drive, in one place.

Order of preference:

1. a remote browser: ``--browser-endpoint ws://...`` (Playwright server or a
   grid speaking its protocol) or ``--cdp-endpoint http://...`` (a running
   Chromium's DevTools endpoint);
2. an explicit executable: ``--browser-path`` or ``$CX_AUDIT_BROWSER``;
3. Playwright's own Chromium (``playwright install chromium``);
4. a system Chromium or Chrome on ``PATH`` or in the usual places.

When none is usable, :class:`BrowserNotFoundError` says exactly what to do
(exit code 3).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cx_auditor.errors import BrowserNotFoundError, UsageError

# Flags that keep Chromium quiet and self-contained: no background calls home
# (which a closed network answers slowly), no component updates, no sync.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

SYSTEM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
)
SYSTEM_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)

HOW_TO_GET_ONE = (
    "No usable Chromium was found. Install Playwright's browser with "
    "`python -m playwright install chromium`, or install a system Chromium "
    "(Debian/Ubuntu: `apt-get install -y chromium`; macOS: install Google Chrome) and, if it is "
    "not on PATH, point to it with --browser-path or CX_AUDIT_BROWSER=/path/to/chrome. "
    "A remote browser works too: --browser-endpoint ws://HOST:PORT/ or --cdp-endpoint http://HOST:9222."
)


@dataclass(frozen=True)
class BrowserChoice:
    """How the collector should obtain its browser."""

    kind: Literal["launch", "connect", "cdp"]
    executable: str | None = None  # None with kind=launch: Playwright's bundled Chromium
    endpoint: str | None = None
    source: str = ""  # where it was found, for the run metadata and messages
    args: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.kind == "connect":
            return f"remote Playwright browser at {self.endpoint}"
        if self.kind == "cdp":
            return f"Chromium over CDP at {self.endpoint}"
        return f"{self.executable or 'Playwright Chromium'} ({self.source})"


def _is_executable(path: str | os.PathLike[str]) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def playwright_chromium() -> str | None:
    """Path to Playwright's own Chromium if it has been installed, else None."""
    try:
        from playwright._impl._driver import compute_driver_executable  # noqa: F401
    except Exception:  # pragma: no cover - playwright missing entirely
        return None
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    if not root.is_dir():
        return None
    # Prefer the full Chromium; headless_shell also works headless.
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chromium-*/chrome-win*/chrome.exe",
        "chromium_headless_shell-*/chrome-*/headless_shell",
        "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
    )
    for pattern in patterns:
        for hit in sorted(root.glob(pattern), reverse=True):
            if _is_executable(hit):
                return str(hit)
    return None


def system_chromium() -> str | None:
    for name in SYSTEM_CANDIDATES:
        hit = shutil.which(name)
        if hit:
            return hit
    for candidate in SYSTEM_PATHS:
        if _is_executable(candidate):
            return candidate
    return None


def find_browser(
    *,
    browser_path: str | None = None,
    browser_endpoint: str | None = None,
    cdp_endpoint: str | None = None,
    env: dict[str, str] | None = None,
) -> BrowserChoice:
    """Decide which browser to use; raise with instructions when there is none."""
    env = dict(os.environ) if env is None else env
    if browser_endpoint and cdp_endpoint:
        raise UsageError("Give either --browser-endpoint or --cdp-endpoint, not both.")
    if browser_endpoint:
        if not browser_endpoint.startswith(("ws://", "wss://")):
            raise UsageError(
                f"--browser-endpoint must be a ws:// or wss:// URL (got {browser_endpoint!r}); "
                "for a Chromium DevTools endpoint use --cdp-endpoint http://HOST:PORT."
            )
        return BrowserChoice("connect", endpoint=browser_endpoint, source="--browser-endpoint")
    if cdp_endpoint:
        if not cdp_endpoint.startswith(("http://", "https://", "ws://", "wss://")):
            raise UsageError(f"--cdp-endpoint must be an http(s):// or ws:// URL (got {cdp_endpoint!r}).")
        return BrowserChoice("cdp", endpoint=cdp_endpoint, source="--cdp-endpoint")

    explicit = browser_path or env.get("CX_AUDIT_BROWSER")
    if explicit:
        where = "--browser-path" if browser_path else "CX_AUDIT_BROWSER"
        resolved = shutil.which(explicit) or explicit
        if not _is_executable(resolved):
            raise BrowserNotFoundError(
                f"The browser given by {where} ({explicit}) does not exist or is not executable.",
                hint=HOW_TO_GET_ONE,
            )
        return BrowserChoice("launch", executable=resolved, source=where, args=_launch_args())

    bundled = playwright_chromium()
    if bundled:
        return BrowserChoice("launch", executable=None, source="playwright", args=_launch_args())
    system = system_chromium()
    if system:
        return BrowserChoice("launch", executable=system, source="system", args=_launch_args())
    raise BrowserNotFoundError(HOW_TO_GET_ONE)


def _launch_args() -> list[str]:
    args = list(CHROMIUM_ARGS)
    # Chromium refuses to run as root without --no-sandbox (containers, CI).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args
