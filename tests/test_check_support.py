"""support_reachability on small hand-built artifacts (no browser)."""

from __future__ import annotations

from typing import Any

import pytest
from cx_auditor.checks.support_reachability import (
    SupportReachabilityCheck,
    classify_link,
    mailto_problem,
    path_pattern,
    tel_problem,
)
from cx_auditor.models import CheckResult, Finding, Link, Severity, Status
from cx_auditor.runner import run_check

from tests.support_factory import (
    FOOTER_HELP,
    MAILTO,
    TEL,
    artifacts,
    document,
    links,
    support_site,
    url,
    visit,
)

CHECK = SupportReachabilityCheck()


def run(
    visits: list[Any], *, link_status: dict[str, int | None] | None = None, **options: Any
) -> CheckResult:
    return run_check(CHECK, artifacts(visits, link_status=link_status), options)


def by_rule(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def channels_offered(result) -> list[str]:
    """The support channels the check found offered (its "Support channels offered" table)."""
    [table] = [d for d in result.details if d.title == "Support channels offered"]
    return sorted(r["channel"] for r in table.rows if r["offered"])


def run_value(result, name: str) -> float | None:
    [value] = [v.value for v in result.values_named(name) if v.scope.level == "run"]
    return value


def channel_value(result, channel: str, name: str) -> float | None:
    [value] = [v.value for v in result.values_named(name) if v.scope.channel == channel]
    return value


def test_everything_fine_passes_with_the_channels_offered() -> None:
    result = run(
        support_site("desktop") + support_site("mobile", menu=True), link_status={url("/contact"): 200}
    )
    assert result.error is None
    assert result.findings == []
    assert result.status == Status.PASS and result.score == 100
    assert channels_offered(result) == [
        "chat",
        "contact_form",
        "email",
        "help_centre",
        "opening_hours",
        "order_tracking",
        "phone",
    ]
    assert run_value(result, "reachable_share") == 1.0


def test_contact_404_on_checkout_pages_fails_naming_them() -> None:
    pages = support_site("desktop", checkout_contact_href="/contact-us")
    result = run(pages, link_status={url("/contact-us"): 404})
    (f,) = result.findings
    assert f.rule == "broken-help-link" and f.severity == Severity.FAIL
    assert f.evidence["status"] == 404
    assert {p["url"] for p in f.evidence["pages"]} == {url("/checkout/email"), url("/checkout/shipping")}
    assert "/contact-us" in f.message and "/checkout/*" in f.message


def test_unreachable_help_target_is_broken_and_visit_status_counts() -> None:
    pages = support_site("desktop", checkout_contact_href="/contact-us")
    assert by_rule(run(pages, link_status={url("/contact-us"): None}), "broken-help-link")
    visited_404 = [*pages, visit("/contact-us", status=404, title="Not found")]
    (f,) = by_rule(run(visited_404), "broken-help-link")
    assert f.evidence["status"] == 404


def test_malformed_tel_link_fails() -> None:
    result = run(support_site("desktop", contact_tel="tel:1-800-555-01 99x"))
    (f,) = result.findings
    assert f.rule == "malformed-tel" and f.severity == Severity.FAIL
    assert f.evidence["pages"] == [{"channel": "desktop", "url": url("/contact")}]


@pytest.mark.parametrize(
    ("href", "ok"),
    [
        ("tel:+18005550199", True),
        ("tel:1-800-555-0199", True),
        ("tel:+1 (800) 555-0199", True),
        ("tel:+44%2020%207946%200958", True),
        ("tel:+18005550199;ext=12", True),
        ("tel:1-800-555-01 99x", False),
        ("tel:", False),
        ("tel:555", False),
        ("tel:call-us", False),
    ],
)
def test_tel_syntax(href: str, ok: bool) -> None:
    assert (tel_problem(href) is None) == ok


@pytest.mark.parametrize(
    ("href", "ok"),
    [
        ("mailto:support@northwind.example", True),
        ("mailto:support@northwind.example?subject=Order%20help", True),
        ("mailto:a@x.example,b@x.example", True),
        ("mailto:", False),
        ("mailto:support@", False),
        ("mailto:support northwind.example", False),
    ],
)
def test_mailto_syntax(href: str, ok: bool) -> None:
    assert (mailto_problem(href) is None) == ok


def test_malformed_mailto_fails() -> None:
    pages = support_site("desktop")
    pages[0].links.append(Link(href="mailto:support@", text="Email us", location="footer", order=99))
    (f,) = run(pages).findings
    assert f.rule == "malformed-mailto"


def test_chat_launcher_that_opens_nothing_fails_naming_the_pages() -> None:
    result = run(support_site("desktop", product_chat_opens=False))
    (f,) = result.findings
    assert f.rule == "chat-launcher-broken" and f.severity == Severity.FAIL
    assert set(f.evidence["pages"]) == {url("/product/ridgeline-tent"), url("/product/trailhead-28l-daypack")}
    assert "/product/* (2 pages)" in f.message


def test_help_order_that_differs_on_category_pages_is_one_finding() -> None:
    phone_first = tuple(x for x in FOOTER_HELP if x[0] in (TEL, MAILTO)) + tuple(
        x for x in FOOTER_HELP if x[0] not in (TEL, MAILTO)
    )
    result = run(support_site("desktop", category_footer=phone_first))
    (f,) = result.findings
    assert f.rule == "inconsistent-help-order" and f.severity == Severity.WARN
    assert f.evidence["wcag"] == "3.2.6" and f.evidence["region"] == "footer"
    assert f.evidence["found"][0] == "1-800-555-0199" and f.evidence["expected"][0] == "Contact"
    assert set(f.evidence["pages"]) == {url("/category/camping"), url("/category/backpacks")}


def test_same_order_at_different_positions_is_consistent() -> None:
    # SC 3.2.6 is about relative order: extra links between help links do not matter
    pages = support_site("desktop")
    pages[1].links.insert(3, Link(href=url("/sale"), text="Sale", location="footer", order=-1))
    assert run(pages).findings == []


def test_mobile_checkout_with_no_help_fails_per_channel() -> None:
    result = run(support_site("desktop") + support_site("mobile", menu=True, checkout_help=False))
    (f,) = result.findings
    assert f.rule == "checkout-without-help" and f.channel == "mobile"
    assert set(f.evidence["pages"]) == {url("/cart"), url("/checkout/email"), url("/checkout/shipping")}
    assert channel_value(result, "mobile", "pages_with_reachable_help") == 7
    assert result.score < 100  # type: ignore[operator]


def test_menu_links_count_with_an_extra_tap() -> None:
    home = visit(
        "/",
        channel="mobile",
        links=links(("/", "Logo", "header"), ("/help", "Help", "menu"), ("/about", "About", "main")),
    )
    about = visit("/about", channel="mobile", links=links(("/", "Home", "header")))
    ok = run([home, about], max_clicks=2)
    assert channel_value(ok, "mobile", "pages_with_reachable_help") == 1  # home: 2 taps
    # from /about: 1 click home + 2 taps through the menu = 3
    (f,) = by_rule(ok, "help-too-far")
    assert f.severity == Severity.WARN and f.evidence["pages"] == [{"url": url("/about"), "clicks": 3}]
    assert not by_rule(run([home, about], max_clicks=3), "help-too-far")
    strict = by_rule(run([home, about], max_clicks=1), "help-too-far")
    assert {p["url"]: p["clicks"] for f in strict for p in f.evidence["pages"]}[url("/")] == 2


def test_page_with_no_path_to_help_fails() -> None:
    lonely = visit("/landing", links=links(("/promo", "Promo", "main")))
    result = run([lonely])
    assert by_rule(result, "help-unreachable")
    assert by_rule(result, "no-direct-support-channel")
    assert run_value(result, "reachable_share") == 0.0


def test_visible_phone_number_in_text_is_help() -> None:
    page = visit("/checkout/payment", text="Questions? Call 1-800-555-0199", title="Payment")
    result = run([page])
    assert result.findings == []
    assert "phone" in channels_offered(result)


def test_differing_phone_numbers_are_not_reported_here() -> None:
    pages = support_site("desktop")
    pages[2].links.append(Link(href="tel:+18005550123", text="1-800-555-0123", location="footer", order=50))
    arts = artifacts(pages, [document("email.txt", "Call 1-800-555-0177")])
    result = run_check(CHECK, arts, {})
    assert not any("phone" in f.rule for f in result.findings)


def test_no_browser_visits_is_not_applicable() -> None:
    result = run_check(CHECK, artifacts([], [document("a.txt", "hello")]), {})
    assert result.status == Status.SKIPPED


@pytest.mark.parametrize(
    ("href", "text", "kind"),
    [
        ("https://shop.example/contact", "Contact", "contact"),
        ("https://shop.example/pages/kontakt", "", "contact"),
        ("https://shop.example/x", "Get in touch", "contact"),
        ("https://shop.example/help", "Help & FAQ", "help"),
        ("https://shop.example/aide", "Aide", "help"),
        ("https://shop.example/ayuda", "Centro de ayuda", "help"),
        ("https://shop.example/customer-service", "", "help"),
        ("https://shop.example/help#track", "Track your order", "tracking"),
        ("https://shop.example/chat", "Live chat", "chat"),
        ("tel:+18005550199", "", "phone"),
        ("mailto:a@b.example", "", "email"),
        ("https://shop.example/category/camping", "Camping", None),
        ("https://shop.example/policies/shipping-returns", "Shipping & Returns", None),
        ("javascript:void(0)", "Help", None),
    ],
)
def test_classify_link(href: str, text: str, kind: str | None) -> None:
    assert classify_link(Link(href=href, text=text)) == kind


@pytest.mark.parametrize(
    ("path", "pattern"),
    [("/", "/"), ("/help", "/help"), ("/product/tent", "/product/*"), ("/checkout/a/b", "/checkout/*")],
)
def test_path_pattern(path: str, pattern: str) -> None:
    assert path_pattern(path) == pattern


def test_broken_mechanisms_lower_the_score() -> None:
    fine = run(support_site("desktop"))
    broken = run(support_site("desktop", product_chat_opens=False, contact_tel="tel:1-800-555-01 99x"))
    assert fine.score == 100 and broken.score < fine.score  # type: ignore[operator]
