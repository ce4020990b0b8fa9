"""Obtain a browser for cx-audit: Playwright's own first, else the system's.

Used by ``cx-audit install-browser`` (and ``make setup``). Where Playwright's
download is not possible (a closed network that still reaches the Debian
mirrors, as in some CI sandboxes) and we run as root on a Debian-like system,
Debian's ``chromium`` package is installed instead. Either way the result is
checked by launching nothing more than discovery.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from cx_auditor.browser import BrowserChoice, find_browser
from cx_auditor.errors import BrowserNotFoundError

Log = Callable[[str], None]


def _run(cmd: list[str], log: Log, timeout: int) -> bool:
    log("$ " + " ".join(cmd))
    try:
        proc = subprocess.run(cmd, timeout=timeout, capture_output=True, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log(f"  failed: {exc}")
        return False
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        log(f"  failed (exit {proc.returncode}): {tail[0][:200]}")
        return False
    return True


def install_browser(*, log: Log = print, allow_apt: bool = True) -> BrowserChoice:
    try:
        choice = find_browser()
        log(f"Browser already available: {choice.describe()}")
        return choice
    except BrowserNotFoundError:
        pass
    if _run([sys.executable, "-m", "playwright", "install", "chromium"], log, timeout=600):
        return find_browser()
    debian_like = os.path.exists("/etc/debian_version") and shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if allow_apt and debian_like and is_root:
        log("Playwright's download failed; installing Debian's chromium instead.")
        env_ok = _run(["apt-get", "update", "-qq"], log, timeout=600)
        if env_ok and _run(["apt-get", "install", "-y", "-qq", "chromium"], log, timeout=1200):
            return find_browser()
    return find_browser()  # raises BrowserNotFoundError with instructions
