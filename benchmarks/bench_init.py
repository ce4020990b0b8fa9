"""Zero-config audits on stores: how far `init --from-url` gets, how long it takes, and the audit.

Usage::

    .venv/bin/python benchmarks/bench_init.py                 # both demo modes (clean)
    .venv/bin/python benchmarks/bench_init.py http://127.0.0.1:8000   # any store you serve

For each store it explores (desktop and mobile), reports what it found (platform, how far
the purchase journey reached per channel, the controls chosen and on what evidence, the
help pages, UNSURE lines) and the exploration time, then audits with those journeys and
reports whether each channel's purchase journey completed up to its (inspected, never
pressed) order button, the audit time and the fail findings.

A store the team did not write: django-oscar from PyPI, served locally (see
``benchmarks/oscar_shop/``). Setting it up (once, about 5 minutes, most of it migrations)::

    python3 -m venv /tmp/oscarenv
    /tmp/oscarenv/bin/pip install "django-oscar==4.2.1" sorl-thumbnail whoosh
    cp -r benchmarks/oscar_shop /tmp/oscarshop && cd /tmp/oscarshop
    export DJANGO_SETTINGS_MODULE=settings OSCAR_SHOP_DIR=/tmp/oscarshop PYTHONPATH=/tmp/oscarshop
    /tmp/oscarenv/bin/django-admin migrate && /tmp/oscarenv/bin/python seed.py
    /tmp/oscarenv/bin/django-admin rebuild_index --noinput
    /tmp/oscarenv/bin/django-admin runserver 127.0.0.1:18977 --noreload --insecure &

then ``benchmarks/bench_init.py http://127.0.0.1:18977``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cx_auditor.browser import find_browser  # noqa: E402
from cx_auditor.config import parse_config  # noqa: E402
from cx_auditor.init_from_url import config_from_url  # noqa: E402
from cx_auditor.pipeline import AuditOptions, audit  # noqa: E402


def bench(url: str, label: str) -> dict[str, object]:
    choice = find_browser()
    t0 = time.perf_counter()
    text, found = config_from_url(url, choice)
    explore_s = time.perf_counter() - t0
    print(f"\n== {label}: {url}")
    print(
        f"platform: {found.platform or 'not recognised'}; reached: {found.reached_by_channel}; "
        f"explore {explore_s:.1f} s; {len(found.steps)} steps; UNSURE lines: {text.count('# UNSURE')}"
    )
    for role, f in found.found.items():
        print(f"  {role:12} {f.selector:50.50} {'sure' if f.sure else 'UNSURE'}: {'; '.join(f.why)[:70]}")
    for kind, p in found.pages.items():
        print(f"  page {kind:8} {p.href}")
    for note in found.notes:
        print(f"  note: {note}")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = parse_config(text, path=os.path.join(tmp, "audit.yaml"))
        t1 = time.perf_counter()
        result = audit(cfg, AuditOptions(out=Path(tmp) / "out", record_history=False))  # type: ignore[call-arg]
        audit_s = time.perf_counter() - t1
    purchase = {
        o.channel: {
            "completed": o.completed,
            "error": o.error,
            "order_button_ready": next((s.order_target_ready for s in o.steps if s.places_order), None),
        }
        for o in result.artifacts.journeys
        if o.journey == "purchase"
    }
    fails = [
        f"{r.check}/{f.rule}"
        for r in result.scorecard.results
        for f in r.findings
        if f.severity.value == "fail"
    ]
    print(f"audit {audit_s:.1f} s; score {result.scorecard.score}; purchase: {json.dumps(purchase)}")
    print(f"fail findings ({len(fails)}): {sorted(set(fails))}")
    return {"explore_s": round(explore_s, 1), "audit_s": round(audit_s, 1), "purchase": purchase}


def main() -> None:
    print(f"load: {os.getloadavg()}")
    if len(sys.argv) > 1:
        for url in sys.argv[1:]:
            bench(url, "store")
        return
    from cx_auditor.demo import DemoStore

    for spa in (False, True):
        with DemoStore("clean", spa=spa) as store:
            bench(store.url, "demo SPA" if spa else "demo server-rendered")


if __name__ == "__main__":
    main()
