"""Realistic :class:`Scorecard` objects for the report and budget tests.

Every built-in check's result is what the real check returns over recorded
artifacts (typed values, ratings, details, production fingerprints): ``load_time``
over recorded visits, ``checkout_steps`` over recorded checkout journeys (desktop
forces an account, mobile adds steps and needless fields), ``messaging_consistency``
over a recorded store and two emails that disagree, ``support_reachability`` over
a store whose help is broken in a different way on each channel. ``hostile=True``
plants script/markup payloads in every field that comes from the audited site
(recorded field labels and steps, plus findings carrying payloads in their
evidence), which the renderers must neutralise.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

from cx_auditor.budgets import Budgets, evaluate
from cx_auditor.checks.checkout_steps import CheckoutStepsCheck
from cx_auditor.checks.load_time import LoadTimeCheck
from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck
from cx_auditor.checks.support_reachability import SupportReachabilityCheck
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

from tests import support_factory as sf
from tests.artifact_factory import JourneyBuilder, artifacts, form_field, interaction, layout_shift, visit

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


#: checkout fields as the demo store asks them (email, shipping, payment)
_SHIPPING = ["first_name", "last_name", "address", "address2", "city", "postcode", "country", "phone"]
_PAYMENT = ["card_number", "expiry", "cvc", "name_on_card"]


def _recorded_checkout(channel: str, hostile: bool) -> tuple[list[PageVisit], JourneyOutcome]:
    """One recorded checkout journey like the flawed demo store's: desktop forces an account,
    mobile has two extra steps and asks for fields nobody needs, tablet is a plain guest checkout."""
    j = JourneyBuilder("purchase", channel)
    j.page(f"{BASE}/", label="Home")
    j.page(f"{BASE}/product/trail-tent-2p", label="Open a product", action="click")
    j.page(f"{BASE}/cart", label="Cart", action="click", title="Your cart")
    j.page(
        f"{BASE}/checkout/email",
        label="Email",
        action="click",
        fields=[form_field("email", type="email", required=True, filled=True)],
        text="Checkout as guest. Already have an account? Sign in.",
    )
    j.act("fill", "Type email", keypresses=16)
    if channel == "desktop":
        j.page(
            f"{BASE}/checkout/account",
            label="Create account",
            action="click",
            fields=[
                form_field("password", type="password", required=True),
                form_field("password_confirm", type="password", label="Confirm password", required=True),
            ],
            text="Create an account to continue.",
        )
    extra = ["company", "birthday", "fax", "title"] if channel == "mobile" else []
    label = f"Field {XSS}" if hostile and channel == "mobile" else None
    shipping = [form_field(n, required=True, filled=True) for n in _SHIPPING]
    shipping += [form_field(n, required=True, label=label or n.title()) for n in extra]
    j.page(f"{BASE}/checkout/shipping", label="Shipping", action="click", fields=shipping)
    j.act("fill", "Type address", keypresses=90)
    if channel == "mobile":
        j.page(f"{BASE}/checkout/confirm-address", label="Confirm your address", action="click")
        j.page(f"{BASE}/checkout/gift-options", label="Gift options", action="click")
    j.page(
        f"{BASE}/checkout/payment",
        label="Payment",
        action="click",
        fields=[form_field(n, required=True, filled=True) for n in _PAYMENT],
    )
    j.act("fill", "Type card", keypresses=30)
    j.page(f"{BASE}/checkout/review", label="Review", action="click", title="Review your order")
    j.place_order()
    return j.build()


def checkout_result(hostile: bool = False) -> CheckResult:
    """What ``checks.checkout_steps`` really returns over recorded checkout journeys."""
    recorded = [_recorded_checkout(c, hostile) for c in ("desktop", "mobile", "tablet")]
    arts = artifacts(
        [v for vs, _ in recorded for v in vs],
        [o for _, o in recorded],
        channels=CHANNELS,
        base_url=BASE,
    )
    return run_check(CheckoutStepsCheck(), arts, {})


def _variant(value: str, display: str, seen: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "value": value,
        "display": display,
        "seen": [{"channel": c, "url": u, "sentence": s} for c, u, s in seen],
    }


def messaging_result(hostile: bool = False) -> CheckResult:
    """What ``checks.messaging_consistency`` really returns over a recorded store and two emails:
    mobile says free shipping from $75 (desktop and the welcome email $50), the order email
    gives another phone number, the FAQ promises 14-day returns against the policy's 30."""
    faq = sf.visit(
        "/help",
        title="Help & FAQ",
        text=f"{sf.banner()}\nHelp & FAQ\nReturns are accepted within 14 days of delivery.\n{sf.FOOTER_TEXT}",
    )
    emails = [
        sf.document(
            "emails/welcome.html",
            "Welcome to Northwind! Enjoy free shipping on orders over $50.",
            channel="documents",
        ),
        sf.document(
            "emails/order-confirmation.html",
            "Thanks for your order. Questions? Call 1-800-555-0123 any time.",
            channel="documents",
        ),
    ]
    arts = sf.artifacts(sf.store_pages("desktop") + [faq] + sf.store_pages("mobile", threshold="$75"), emails)
    result = run_check(MessagingConsistencyCheck(), arts, {"region": "US"})
    findings: list[Finding] = []
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
    result.findings += findings
    return result


def support_result(hostile: bool = False) -> CheckResult:
    """What ``checks.support_reachability`` really returns over a recorded store: the checkout's
    Contact link leads to a 404 on desktop, mobile checkout pages offer no help at all, and the
    chat launcher on tablet product pages opens nothing."""
    contact_404 = sf.url("/contact-us")
    pages = (
        sf.support_site("desktop", checkout_contact_href="/contact-us")
        + sf.support_site("mobile", menu=True, checkout_help=False)
        + sf.support_site("tablet", product_chat_opens=False)
    )
    arts = sf.artifacts(
        pages, link_status={contact_404: 404, sf.url("/contact"): 200}, mobile_channels=("mobile", "tablet")
    )
    result = run_check(SupportReachabilityCheck(), arts, {"region": "US"})
    findings: list[Finding] = []
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
    result.findings += findings
    return result


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
