"""A hostile page re-encodes the secret every common way; none of it reaches an output.

The secret (from ``${SHOP_TOKEN}``) is typed into a plain *text* field, then the next
page shows it back in base64, base64url, inside a base64 ``user:token`` pair, upper
and lower case, JS ``escape()`` form, and as HTML entities in the page source. The
full pipeline runs with ``--trace on``; every byte of every output (zip members too),
the history database and the command output are searched for each encoding; the
trace holds no screencast frames; the text field is painted over in the screenshot.
"""

from __future__ import annotations

import base64
import html
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
from tests.test_secrets import FIELD_BOX, _all_bytes, _masked_fraction

SECRET = "Tr0ub4dor&3 Horse!x"

LOGIN = page(
    "Sign in",
    f"""
<style>#token {{ position: absolute; left: {FIELD_BOX["x"]}px; top: {FIELD_BOX["y"]}px;
  width: {FIELD_BOX["width"]}px; height: {FIELD_BOX["height"]}px; font-size: 90px; border: 0;
  background: #fff; color: #000; box-sizing: border-box; }}
  #go {{ position: absolute; left: 40px; top: 320px; }}</style>
<form action="/welcome" method="get"><input id=token name=token type=text aria-label=Token>
<button id=go type=submit>Go</button></form>""",
)

ENTITIES = "".join(f"&#{ord(c)};" for c in SECRET)

WELCOME = page(
    "Welcome",
    f"""<h1>Welcome</h1><p id=ent>Hello {ENTITIES}</p><p id=hex>{html.escape(SECRET)}</p>
<p id=b64></p><p id=b64u></p><p id=basic></p><p id=up></p><p id=esc></p><a id=l href=/help>help</a>
<script>
  const t = new URLSearchParams(location.search).get("token") || "";
  const b = btoa(t);
  document.getElementById("b64").textContent = "b64 " + b;
  document.getElementById("b64u").textContent = "u " + b.replace(/\\+/g, "-").replace(/\\//g, "_");
  document.getElementById("basic").textContent = "Basic " + btoa("user:" + t);
  document.getElementById("up").textContent = t.toUpperCase() + " " + t.toLowerCase();
  document.getElementById("esc").textContent = "esc " + escape(t);
  document.getElementById("l").href = "/help?e=" + escape(t) + "&b=" + b;
  console.error("token " + btoa(t) + " " + escape(t));
</script>""",
)


def _encodings(secret: str) -> dict[str, str]:
    raw = secret.encode()
    b64 = base64.b64encode(raw).decode()
    return {
        "plain": secret,
        "upper": secret.upper(),
        "lower": secret.lower(),
        "url": quote(secret, safe=""),
        "form": quote_plus(secret),
        "base64": b64.rstrip("="),
        "base64url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "basic": base64.b64encode(b"user:" + raw).decode()[8:20],  # the part made of the token only
        "escape": "Tr0ub4dor%263%20Horse%21x",
        "entities": ENTITIES,
        "html": html.escape(secret),
        "json": json.dumps(secret)[1:-1],
    }


@pytest.fixture
def site() -> Iterator[FaultSite]:
    with FaultSite() as s:
        s.html_route("/login", LOGIN)
        s.html_route("/welcome", WELCOME)
        s.html_route("/help", page("Help", "<h1>Help</h1>"))
        yield s


@pytest.mark.browser
def test_no_encoding_of_a_secret_reaches_any_output(
    site: FaultSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser_ok: None
) -> None:
    monkeypatch.setenv("SHOP_TOKEN", SECRET)
    doc: dict[str, Any] = {
        "site": {"base_url": site.url},
        "channels": {"desktop": {"preset": "desktop"}},
        "collect": {"settle_ms": 50, "probe_chat": False, "trace": "on"},
        "journeys": [
            {
                "name": "token",
                "steps": [
                    {"goto": "/login"},
                    {"fill": {"selector": "#token", "value": "${SHOP_TOKEN}"}},
                    {"snapshot": "token typed"},
                    {"click": "#go"},
                    {"snapshot": "welcome"},
                ],
            }
        ],
    }
    cfg = tmp_path / "audit.yaml"
    cfg.write_text(yaml.safe_dump(doc))
    out, history = tmp_path / "out", tmp_path / "history.db"
    r = CliRunner().invoke(app, ["run", str(cfg), "--out", str(out), "--history", str(history), "--json"])
    assert r.exit_code in (0, 1), r.output
    visits = [json.loads(x) for x in (out / "artifacts" / "visits.jsonl").read_text().splitlines()]
    # The page really showed the secret re-encoded, and the collector read that page.
    assert any("Basic " in v.get("text", "") and "esc " in v.get("text", "") for v in visits), visits

    blobs = list(_all_bytes(out)) + [(str(p), p.read_bytes()) for p in tmp_path.glob("history.db*")]
    blobs.append(("command output", r.output.encode()))
    leaks = [
        f"{where}: {name}"
        for where, blob in blobs
        for name, form in _encodings(SECRET).items()
        if form.encode() in blob
    ]
    assert not leaks, "\n".join(leaks)

    trace = out / "artifacts" / "traces" / "desktop_token_0.zip"
    with zipfile.ZipFile(trace) as zf:
        events = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".trace"))
    assert b"screencast-frame" not in events, "trace kept screencast frames while a secret was in play"

    from cx_auditor.browser import find_browser
    from playwright.sync_api import sync_playwright

    snap = next(v for v in visits if "token typed" in v.get("step_label", ""))
    choice = find_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        try:
            fraction = _masked_fraction(browser.new_page(), out / "artifacts" / snap["screenshot"])
        finally:
            browser.close()
    assert fraction > 0.95, f"only {fraction:.0%} of the text field holding the secret is masked"
