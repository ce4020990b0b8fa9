"""Secrets stay secret: a password from ``${SHOP_PASSWORD}`` never reaches a byte of output.

A local login page is filled with the password and then echoes it everywhere a
hostile or careless site could: page text, title, a URL query, a link, a data
attribute, a console error, an uncaught exception and an alert. The full
pipeline runs through ``cx-audit run`` (collector with ``--trace on``, reports,
history), then every byte of every output file (and of every member of every
zip), the history database and the command's own output is searched for the
secret in every encoding it could take. The password field must be painted
over in the screenshot.
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import yaml
from cx_auditor.cli import app
from typer.testing import CliRunner

from tests.faultsite import FaultSite, page

SECRET = "Hunter2+Secret!pw"
FIELD_BOX = {"x": 40, "y": 120, "width": 700, "height": 160}

LOGIN = page(
    "Sign in",
    f"""
<style>#password {{ position: absolute; left: {FIELD_BOX["x"]}px; top: {FIELD_BOX["y"]}px;
  width: {FIELD_BOX["width"]}px; height: {FIELD_BOX["height"]}px; font-size: 90px; border: 0;
  background: #fff; color: #000; box-sizing: border-box; }}
  #go {{ position: absolute; left: 40px; top: 320px; }}</style>
<form action="/welcome" method="get"><label>Password <input id=password name=password type=password></label>
<button id=go type=submit>Sign in</button></form>
""",
)

WELCOME = page(
    "Welcome",
    """
<h1 id=hi>Welcome</h1><p>Your password is <b id=echo></b></p><a id=help href="/help">Help</a>
<label for=again>Password again</label><input id=again name=again>
<script>
  const pw = new URLSearchParams(location.search).get("password") || "";
  document.getElementById("echo").textContent = pw;
  document.title = "Welcome " + pw;
  document.getElementById("help").href = "/help?pw=" + encodeURIComponent(pw);
  document.getElementById("help").textContent = "Help for " + pw;
  document.getElementById("hi").setAttribute("data-secret", pw);
  document.querySelector("label[for=again]").textContent = "Password " + pw;
  console.error("login failed for " + pw);
  alert("Your password: " + pw);
  setTimeout(() => { throw new Error("leaked " + pw); }, 0);
</script>
""",
)


def _forms(secret: str) -> set[str]:
    """Every way the secret can be spelt in an output file."""
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        quote(secret, safe="!'()*"),
        json.dumps(secret)[1:-1],
        secret.encode().hex(),
    }


def _leaks(blob: bytes, where: str) -> list[str]:
    found = [f"{where}: {form!r}" for form in _forms(SECRET) if form.encode() in blob]
    if SECRET.encode("utf-16-le") in blob:
        found.append(f"{where}: utf-16")
    return found


def _all_bytes(root: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        yield str(path), data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    yield f"{path}!{name}", zf.read(name)


@pytest.fixture
def login_site() -> Iterator[FaultSite]:
    with FaultSite() as site:
        site.html_route("/login", LOGIN)
        site.html_route("/welcome", WELCOME)
        site.html_route("/help", page("Help", "<h1>Help</h1>"))
        yield site


def _config(site: FaultSite, folder: Path) -> Path:
    doc: dict[str, Any] = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "trace": "on"},
        "journeys": [
            {
                "name": "login",
                "steps": [
                    {"goto": "/login"},
                    {
                        "fill": {"selector": "#password", "value": "${SHOP_PASSWORD}"},
                        "label": "Type ${SHOP_PASSWORD}",
                    },
                    {"snapshot": "password typed"},
                    {"click": "#go"},
                    {"wait_for": "text=${SHOP_PASSWORD} is not here", "timeout_ms": 500},
                ],
            }
        ],
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _masked_fraction(browser_page: Any, shot: Path) -> float:
    """Share of the password field's pixels (inset) painted in Playwright's mask colour (#FF00FF)."""
    src = "data:image/jpeg;base64," + base64.b64encode(shot.read_bytes()).decode()
    browser_page.set_content(f"<img id=shot src='{src}'>")
    return float(
        browser_page.evaluate(
            """(box) => {
        const img = document.getElementById('shot');
        const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(box.x + 10, box.y + 10, box.width - 20, box.height - 20).data;
        let hit = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] > 200 && d[i + 1] < 60 && d[i + 2] > 200) hit++;
        }
        return hit / (d.length / 4);
    }""",
            FIELD_BOX,
        )
    )


@pytest.mark.browser
def test_secret_never_appears_in_any_output(
    login_site: FaultSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser_ok: None
) -> None:
    monkeypatch.setenv("SHOP_PASSWORD", SECRET)
    out, history = tmp_path / "out", tmp_path / "history.db"
    r = CliRunner().invoke(
        app,
        [
            "run",
            str(_config(login_site, tmp_path)),
            "--out",
            str(out),
            "--history",
            str(history),
            "--trace",
            "on",
            "--json",
        ],
    )
    assert r.exit_code in (0, 1), r.output
    # The page really did echo the secret, and the collector saw that page.
    assert any(SECRET.replace("+", "%2B").replace("!", "%21") in p for p in login_site.requests)
    run = json.loads((out / "artifacts" / "run.json").read_text())
    steps = run["journeys"][0]["steps"]
    assert steps[3]["ok"] and not steps[4]["ok"], steps
    welcome = [json.loads(line) for line in (out / "artifacts" / "visits.jsonl").read_text().splitlines()]
    assert any("[redacted]" in v.get("text", "") for v in welcome)
    assert (out / "artifacts" / "traces" / "desktop_login_0.zip").exists()
    assert history.exists() and (out / "report.html").exists()

    leaks = [leak for where, blob in _all_bytes(out) for leak in _leaks(blob, where)]
    for extra in history.parent.glob("history.db*"):
        leaks += _leaks(extra.read_bytes(), str(extra))
    leaks += _leaks(r.output.encode(), "command output")
    assert not leaks, "\n".join(leaks)

    # The password field is painted over in the screenshot taken while it was filled.
    from cx_auditor.browser import find_browser
    from playwright.sync_api import sync_playwright

    snap = next(v for v in welcome if "password typed" in v.get("step_label", ""))
    choice = find_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        try:
            fraction = _masked_fraction(browser.new_page(), out / "artifacts" / snap["screenshot"])
        finally:
            browser.close()
    assert fraction > 0.95, f"only {fraction:.0%} of the password field is masked"


def test_secret_in_a_wrong_config_value_is_not_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_TOKEN", "tok-" + SECRET)
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("site: {base_url: 'http://127.0.0.1:9'}\ncollect: {timeout_ms: '${API_TOKEN}'}\n")
    r = CliRunner().invoke(app, ["run", str(cfg), "--no-history"])
    assert r.exit_code == 2 and "timeout_ms" in r.output and "line 2" in r.output
    assert SECRET not in r.output and "[redacted]" in r.output
