"""Realistic :class:`Scorecard` objects for the report and budget tests.

The ``load_time`` result is what the real check publishes over recorded visits
(typed values, ratings, culprit tables, production fingerprints); the other
checks' results mirror what they publish on the ``flawed`` demo store
(per-channel checkout counts, messaging variants with the sentences they were
seen in), with findings built by the checks' own ``finding()`` helper, so the
renderers are exercised on the data they will really meet. ``hostile=True``
plants script/markup payloads in every field that comes from the audited site,
which the renderers must neutralise.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from cx_auditor.budgets import Budgets, evaluate
from cx_auditor.checks.load_time import LoadTimeCheck
from cx_auditor.checks_api import finding
from cx_auditor.models import (
    ChannelInfo,
    CheckResult,
    Finding,
    JourneyOutcome,
    PageVisit,
    RunMeta,
    Scorecard,
    Status,
    StepRecord,
)
from cx_auditor.runner import grade_for, overall_score, run_check

from tests.artifact_factory import artifacts, interaction, layout_shift, visit

BASE = "http://127.0.0.1:8765"
XSS = "<script>window.__pwned=1;alert(1)</script>"
XSS_ATTR = '" onerror="window.__pwned=1" x="'
XSS_IMG = "<img src=x onerror=window.__pwned=1>"
JS_URL = "javascript:window.__pwned=1"

CHANNELS = [
    ChannelInfo(name="desktop", label="Desktop", viewport={"width": 1366, "height": 900}),
    ChannelInfo(
        name="mobile",
        label="Mobile",
        viewport={"width": 390, "height": 844},
        mobile=True,
        throttling={"cpu": 4, "network": "fast-4g"},
    ),
    ChannelInfo(name="tablet", label="Tablet", viewport={"width": 820, "height": 1180}, mobile=True),
    ChannelInfo(name="documents", kind="documents", label="Email & SMS"),
]


# ---------------------------------------------------------------------------
# Screenshots: tiny PNG mock-ups, written without any imaging library
# ---------------------------------------------------------------------------


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + r for r in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def mock_page_png(width: int, height: int, accent: tuple[int, int, int]) -> bytes:
    """A page-like picture: header bar, hero block, a grid of product tiles."""
    white, grey, dark = (255, 255, 255), (226, 230, 236), (40, 48, 60)
    rows = []
    tile_w = max(width // 4, 1)
    for y in range(height):
        row = bytearray()
        for x in range(width):
            if y < height // 12:
                px = dark
            elif y < height * 5 // 12 and width // 16 < x < width - width // 16:
                px = accent
            elif y > height // 2 and (x % tile_w) > tile_w // 10 and ((y - height // 2) % (height // 5)) > 8:
                px = grey
            else:
                px = white
            row += bytes(px)
        rows.append(bytes(row))
    return _png(width, height, rows)


def write_screenshots(artifacts_dir: Path) -> dict[str, str]:
    """Write the mock screenshots the factory's journeys reference; returns name -> relative path."""
    shots = {
        "desktop-home": ((320, 200), (46, 125, 200)),
        "desktop-product": ((320, 200), (200, 110, 46)),
        "mobile-home": ((120, 240), (46, 125, 200)),
        "mobile-product": ((120, 240), (200, 110, 46)),
        "mobile-checkout": ((120, 240), (120, 60, 170)),
    }
    out = {}
    folder = artifacts_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, ((w, h), accent) in shots.items():
        rel = f"screenshots/{name}.png"
        (artifacts_dir / rel).write_bytes(mock_page_png(w, h, accent))
        out[name] = rel
    return out


# ---------------------------------------------------------------------------
# Findings and results
# ---------------------------------------------------------------------------


def _finding(
    check: str,
    rule: str,
    severity: str,
    message: str,
    *,
    channel: str | None = None,
    url: str | None = None,
    evidence: dict[str, Any] | None = None,
    screenshot: str | None = None,
) -> Finding:
    """A finding built by the checks' own helper, so it fingerprints exactly as in production."""
    return finding(
        check, rule, severity, message, channel=channel, url=url, evidence=evidence, screenshot=screenshot
    )


#: the flawed demo's load times: (path, LCP ms, CLS, TTFB ms) on desktop; other channels scale them
_PAGES = (
    ("/", 1400, 0.31, 120),
    ("/category/tents", 1300, 0.01, 110),
    ("/product/trail-tent-2p", 3100, 0.02, 2230),
    ("/cart", 900, 0.0, 90),
)
#: three repeat runs around the median, the way ``--runs 3`` records them
_RUN_JITTER = (0.92, 1.0, 1.15)


def load_time_visits(hostile: bool = False) -> list[PageVisit]:
    """Recorded page visits (3 runs x 3 browser channels x 4 pages) for ``load_time`` to judge."""
    visits: list[PageVisit] = []
    for channel, factor in (("desktop", 1.0), ("mobile", 1.6), ("tablet", 1.2)):
        for step, (path, lcp, cls, ttfb) in enumerate(_PAGES):
            for run, jitter in enumerate(_RUN_JITTER):
                product = "product" in path
                visits.append(
                    visit(
                        BASE + path,
                        channel=channel,
                        journey="purchase",
                        step_index=step,
                        step_label=f"step {step}",
                        run_index=run,
                        lcp_ms=round(lcp * factor * jitter),
                        cls=cls,
                        ttfb_ms=round(ttfb * factor * jitter),
                        fcp_ms=round(0.6 * lcp * factor * jitter),
                        inp_ms=460 if product else 60,
                        lcp_element="img.hero" if product else "h1",
                        transfer_bytes=412_000,
                        request_count=23,
                        layout_shifts=[layout_shift(cls, "div.flash-sale")] if cls > 0.1 else [],
                        interactions=[interaction(460, "button[data-testid=add-to-cart]")] if product else [],
                    )
                )
    if hostile:
        visits.append(
            visit(
                f"{BASE}/search?q={XSS}",
                channel="mobile",
                journey="purchase",
                step_index=9,
                step_label=XSS_ATTR,
                lcp_ms=3000,
                lcp_element=XSS_IMG,
            )
        )
    return visits


def load_time_result(hostile: bool = False, options: dict[str, Any] | None = None) -> CheckResult:
    """What ``checks.load_time`` really publishes for the recorded visits (findings, values, metrics)."""
    arts = artifacts(load_time_visits(hostile), channels=CHANNELS, base_url=BASE)
    return run_check(LoadTimeCheck(), arts, options or {})


def _checkout_metrics(steps: int, fields: int, clicks: int, score: float) -> dict[str, Any]:
    return {
        "run_index": 0,
        "runs": 3,
        "completed_runs": 3,
        "completed": True,
        "steps": steps,
        "step_pages": [
            {
                "path": "/checkout/email",
                "url": f"{BASE}/checkout/email",
                "label": "Email",
                "title": "Checkout",
            }
        ],
        "fields": fields,
        "required_fields": fields - 2,
        "filled_fields": fields,
        "field_list": [],
        "clicks": clicks,
        "keypresses": 160,
        "time_ms": 48200.0,
        "guest_checkout": False,
        "score": score,
    }


def checkout_result(hostile: bool = False) -> CheckResult:
    """Shaped like ``checks.checkout_steps``: ``metrics["journeys"][journey][channel]``."""
    checkout = f"{BASE}/checkout/account"
    findings = [
        _finding(
            "checkout_steps",
            "forced-account",
            "fail",
            "Checkout forces shoppers to create an account: there is no guest option.",
            channel="desktop",
            url=checkout,
            evidence={"fields": ["password", "password_confirm"]},
        ),
        _finding(
            "checkout_steps",
            "too-many-fields",
            "warn",
            "Checkout asks for 19 form fields; the benchmark average is 11.3.",
            channel="mobile",
            url=f"{BASE}/checkout/shipping",
            evidence={"fields": 19, "benchmark": 11.3},
        ),
        _finding(
            "checkout_steps",
            "channel-extra-step",
            "warn",
            "Mobile checkout has an extra step (/checkout/confirm-address) that desktop does not.",
            channel="mobile",
            url=f"{BASE}/checkout/confirm-address",
        ),
    ]
    if hostile:
        findings.append(
            _finding(
                "checkout_steps",
                "odd-field",
                "info",
                f"Field labelled {XSS}",
                channel="mobile",
                url=JS_URL,
                evidence={"selector": XSS_ATTR},
            )
        )
    metrics = {
        "journeys": {
            "purchase": {
                "desktop": _checkout_metrics(6, 19, 14, 52.0),
                "mobile": _checkout_metrics(7, 19, 17, 41.0),
                "tablet": _checkout_metrics(6, 19, 14, 52.0),
            }
        },
        "benchmark": {"source": "Baymard Institute", "average_fields": 11.3, "ideal_fields": 8},
        "targets": {"target_steps": 4, "max_steps": 7, "target_fields": 8, "max_fields": 15},
    }
    return CheckResult(
        check="checkout_steps",
        title="Checkout effort",
        description="Steps, fields, clicks and key presses from cart to order, per channel.",
        score=48.0,
        status=Status.FAIL,
        findings=findings,
        duration_ms=1.2,
        metrics=metrics,
    )


def _variant(value: str, display: str, seen: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "value": value,
        "display": display,
        "seen": [{"channel": c, "url": u, "sentence": s} for c, u, s in seen],
    }


def messaging_result(hostile: bool = False) -> CheckResult:
    threshold_variants = [
        _variant(
            "50",
            "$50",
            [
                ("desktop", BASE + "/", "Free shipping on orders over $50 · 30-day free returns"),
                ("email", "welcome.html", "Enjoy free shipping on orders over $50."),
            ],
        ),
        _variant(
            "75", "$75", [("mobile", BASE + "/", "Free shipping on orders over $75 · 30-day free returns")]
        ),
    ]
    phone_variants = [
        _variant(
            "+18005550199",
            "1-800-555-0199",
            [("desktop", BASE + "/contact", "Call us on 1-800-555-0199, Mon–Fri 9am–6pm ET.")],
        ),
        _variant(
            "+18005550123",
            "1-800-555-0123",
            [("email", "order-confirmation.html", "Questions? Call 1-800-555-0123 any time.")],
        ),
    ]
    findings = [
        _finding(
            "messaging_consistency",
            "free-shipping-threshold",
            "fail",
            "The free-shipping threshold differs between channels: $50 on desktop and email, $75 on mobile.",
            channel="mobile",
            url=BASE + "/",
            evidence={"claim": "free_shipping_threshold", "variants": threshold_variants},
        ),
        _finding(
            "messaging_consistency",
            "support-phone",
            "fail",
            "Emails give a different support phone number than the website.",
            channel="email",
            url="order-confirmation.html",
            evidence={"claim": "support_phone", "variants": phone_variants},
        ),
        _finding(
            "messaging_consistency",
            "return-window",
            "warn",
            "The FAQ promises 14-day returns, the returns policy 30 days.",
            channel="desktop",
            url=BASE + "/help",
            evidence={
                "claim": "return_window",
                "variants": [
                    _variant(
                        "14", "14-day", [("desktop", BASE + "/help", "Returns are accepted within 14 days.")]
                    ),
                    _variant(
                        "30",
                        "30-day",
                        [
                            (
                                "desktop",
                                BASE + "/policies/shipping-returns",
                                "You have 30 days to return any item.",
                            )
                        ],
                    ),
                ],
            },
        ),
    ]
    if hostile:
        findings.append(
            _finding(
                "messaging_consistency",
                "price",
                "fail",
                f"Price differs {XSS}",
                channel="desktop",
                url=JS_URL,
                evidence={
                    "claim": "price",
                    "variants": [
                        _variant("89", "$89<b>", [("desktop", JS_URL, f"Now only $89<b> {XSS} {XSS_IMG}")]),
                        _variant(
                            "94", '$94"', [("mobile", f"{BASE}/p?{XSS_ATTR}", f'Price $94" {XSS_ATTR}')]
                        ),
                    ],
                },
            )
        )
    return CheckResult(
        check="messaging_consistency",
        title="Messaging consistency",
        description="Prices, shipping and return promises, phone numbers: the same everywhere?",
        score=61.0,
        status=Status.FAIL,
        findings=findings,
        duration_ms=9.8,
        metrics={"claims": 14, "consistent": 11, "inconsistent": 3, "documents": 3},
    )


def support_result(hostile: bool = False) -> CheckResult:
    findings = [
        _finding(
            "support_reachability",
            "broken-help-link",
            "fail",
            "The Contact link on checkout pages leads to a 404 page (/contact-us).",
            channel="desktop",
            url=f"{BASE}/checkout/shipping",
            evidence={"href": f"{BASE}/contact-us", "status": 404},
        ),
        _finding(
            "support_reachability",
            "no-help-on-page",
            "fail",
            "Mobile checkout pages offer no help link, phone number or chat.",
            channel="mobile",
            url=f"{BASE}/checkout/payment",
        ),
        _finding(
            "support_reachability",
            "chat-does-not-open",
            "warn",
            "The chat launcher on product pages opens nothing when tapped.",
            channel="tablet",
            url=f"{BASE}/product/trail-tent-2p",
            evidence={"selector": "button[data-testid=chat-launcher]", "opened": False},
        ),
        _finding(
            "support_reachability",
            "help-order-varies",
            "info",
            "Help links appear in a different order on category pages.",
            channel="desktop",
            url=f"{BASE}/category/tents",
        ),
    ]
    if hostile:
        findings.append(
            _finding(
                "support_reachability",
                "x",
                "warn",
                XSS_IMG,
                channel=XSS_ATTR,
                url=f"{BASE}/{XSS_ATTR}",
                evidence={"href": JS_URL},
            )
        )
    return CheckResult(
        check="support_reachability",
        title="Support reachability",
        description="Can a customer find help (contact, chat, phone, FAQ) on every page?",
        score=66.7,
        status=Status.FAIL,
        findings=findings,
        duration_ms=2.3,
        metrics={"pages": 24, "pages_with_help": 18, "mechanisms": ["contact", "faq", "tel", "chat"]},
    )


def journeys(shots: dict[str, str] | None = None, hostile: bool = False) -> list[JourneyOutcome]:
    shots = shots or {}
    steps = [
        ("goto", "Home", "/", 820.0, "home"),
        ("click", "Open a product", "/product/trail-tent-2p", 2950.0, "product"),
        ("click", "Add to cart", "/cart", 610.0, None),
        ("click", "Checkout", "/checkout/email", 420.0, None),
    ]
    out = []
    for channel in ("desktop", "mobile"):
        records = [
            StepRecord(
                index=i,
                action=a,
                label=label,
                ok=True,
                elapsed_ms=ms,
                url=BASE + path,
                visit_id=f"{channel}-purchase-{i}",
                screenshot=shots.get(f"{channel}-{shot}") if shot else None,
            )
            for i, (a, label, path, ms, shot) in enumerate(steps)
        ]
        outcome = JourneyOutcome(
            channel=channel,
            journey="purchase",
            checkout=True,
            steps=records,
            completed=True,
            elapsed_ms=sum(s.elapsed_ms or 0 for s in records),
        )
        if channel == "mobile":
            records.append(
                StepRecord(
                    index=4,
                    action="click",
                    label="Continue to payment",
                    ok=False,
                    error="Timeout 10000 ms waiting for button[data-testid=continue]",
                    url=f"{BASE}/checkout/confirm-address",
                    elapsed_ms=10000.0,
                    screenshot=shots.get("mobile-checkout"),
                )
            )
            outcome.completed, outcome.failed_step, outcome.error = False, 4, records[-1].error
        else:
            records.append(
                StepRecord(
                    index=4,
                    action="click",
                    label="Place order",
                    skipped=True,
                    places_order=True,
                    url=f"{BASE}/checkout/review",
                )
            )
        if hostile:
            records.append(
                StepRecord(
                    index=5,
                    action="expect_text",
                    label=XSS,
                    ok=False,
                    error=XSS_IMG,
                    url=JS_URL,
                    screenshot="../../etc/passwd",
                )
            )
        out.append(outcome)
    return out


def make_scorecard(
    *,
    hostile: bool = False,
    screenshots: dict[str, str] | None = None,
    budgets: dict[str, Any] | None = None,
    with_error: bool = True,
) -> Scorecard:
    """A flawed-demo-like scorecard; ``budgets`` (the YAML mapping) is evaluated into the gate."""
    results = [
        load_time_result(hostile),
        checkout_result(hostile),
        messaging_result(hostile),
        support_result(hostile),
    ]
    if with_error:
        results.append(
            CheckResult(
                check="plugin_example",
                title="Example plugin",
                status=Status.ERROR,
                error="KeyError: 'price' (plugin_example.py:42)",
            )
        )
        results.append(
            CheckResult(
                check="accessibility_lite",
                title="Accessibility (lite)",
                status=Status.SKIPPED,
                error="no pages with forms were recorded",
            )
        )
    score = overall_score(results)
    meta = RunMeta(
        site="Northwind Outfitters" + (f" {XSS}" if hostile else ""),
        base_url=BASE,
        tool_version="0.1.0",
        started_at="2025-05-14T09:30:00+00:00",
        finished_at="2025-05-14T09:31:12+00:00",
        channels=CHANNELS,
        runs=3,
        browser="Chromium 124",
        git_commit="3f2c9d1",
        git_branch="main",
    )
    card = Scorecard(
        run_id="20250514T093000-a1b2c3",
        meta=meta,
        score=score,
        grade=grade_for(score),
        results=results,
        journeys=journeys(screenshots, hostile),
    )
    if budgets is not None:
        evaluate(card, Budgets.model_validate(budgets))
    return card


DEMO_BUDGETS: dict[str, Any] = {
    "overall": {"min": 80},
    "checks": {"load_time": {"min": 50, "level": "warn"}, "checkout_steps": 60, "plugin_example": 10},
    "metrics": [
        {"metric": "load_time.lcp_ms", "max": 2500, "channel": "mobile", "pages": "/product/*"},
        {"metric": "load_time.cls", "max": 0.1},
        {"metric": "checkout_steps.steps", "max": 6, "channel": "mobile"},
        {"metric": "load_time.speed_index_ms", "max": 3000},
    ],
    "findings": {"fail": 0, "warn": 10},
}
