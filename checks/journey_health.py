"""``journey_health``: did the store do what the shopper asked?

Reads what :mod:`cx_auditor.gather.step_effects` recorded on each journey step (effects seen
before/after the step, errors attributed to it, the images on the page it reached, the
outcome of its ``expect:``) and judges four things:

* **effects of actions**: add to cart changes the cart; a product card opens the product
  it names; a filled field keeps its value and no other field changes; a click that
  neither navigates, changes the DOM nor sends a request has *no visible effect*;
  a step's ``expect:`` holds;
* **errors**: uncaught exceptions, ``console.error`` and failed same-origin requests,
  grouped by message and attributed to channel, journey, step and page; failed
  third-party resources are reported apart and never fail on their own;
* **images**: broken images, one picture shown for many different products, images
  without reserved dimensions on pages whose layout shifted;
* **journey outcome**: a journey broken by the site (an error page, a blocking
  validation message, a button that does nothing, a final button that throws) is told
  apart from a configuration problem (a selector that matches nothing).

Every judgement is a pure function of the artifacts. See ``docs/checks/journey_health.md``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from cx_auditor.checks_api import (
    Check,
    CheckOptions,
    NotApplicable,
    finding,
    resolve_options,
    score_value,
    url_path,
)
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Column,
    Direction,
    Finding,
    JourneyOutcome,
    MetricValue,
    PageError,
    PageVisit,
    Scope,
    Scorecard,
    Severity,
    StepEffects,
    StepRecord,
    TableDetail,
)
from pydantic import BaseModel, Field

__all__ = [
    "JourneyHealthCheck",
    "JourneyHealthOptions",
    "BrokenJourney",
    "broken_journeys",
    "Issue",
    "Verdict",
    "Analysis",
    "analyse",
    "step_issues",
    "error_issues",
    "image_issues",
    "journey_verdict",
    "has_no_effect",
    "normalise_message",
]

_HTTP_ERROR = re.compile(r"\bHTTP ([45]\d\d)\b")
_SITE_ERROR = re.compile(
    r"error page|navigation failed|crashed|connection (refused|reset)|closed the connection", re.I
)
_CART_URL = re.compile(r"cart|basket|bag|trolley", re.I)
_ORIGIN = re.compile(r"https?://[^/\s\"')]+")
_LONG_NUMBER = re.compile(r"\d{4,}")
_LINE_COL = re.compile(r":\d+:\d+\b")


@dataclass
class Issue:
    """One problem before it becomes a finding (kept apart so results are built in one place)."""

    rule: str
    severity: Severity
    message: str
    channel: str | None = None
    url: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    identity: tuple[object, ...] = ()


@dataclass
class Verdict:
    """How one journey ended: ``completed``, ``broken-by-site``, ``config-problem`` or ``failed``."""

    channel: str
    journey: str
    kind: str
    reason: str = ""
    step: int | None = None
    url: str | None = None


@dataclass
class Analysis:
    issues: list[Issue]
    verdicts: list[Verdict]
    metrics: dict[str, Any]


# --------------------------------------------------------------------------- effects of actions


def has_no_effect(fx: StepEffects) -> bool:
    """No navigation (hard or soft), no DOM mutation and no request: nothing visibly happened."""
    return not fx.navigated and not fx.soft_navigation and fx.dom_mutations == 0 and fx.requests_started == 0


def _where(outcome: JourneyOutcome, step: StepRecord) -> str:
    label = step.label or f"{step.action} {step.target or ''}".strip()
    return f'{outcome.journey} step {step.index + 1} "{label}" ({outcome.channel})'


def _page(step: StepRecord) -> str | None:
    fx = step.effects
    return (fx.url_before if fx else None) or step.url


def step_issues(outcome: JourneyOutcome) -> list[Issue]:
    """Effects of each executed step, and the outcome of its ``expect:``."""
    issues: list[Issue] = []
    executed = [s for s in outcome.steps if not s.skipped]
    for pos, step in enumerate(executed):
        fx = step.effects
        last = pos == len(executed) - 1 or (executed[pos + 1].ok is False)
        where = _where(outcome, step)
        page = _page(step)
        if step.expect is not None and not step.expect.ok:
            failed = [c for c in step.expect.checks if not c.ok]
            what = "; ".join(
                f"{c.kind} {c.expected!r}"
                + (f" (got {c.actual!r})" if c.actual is not None else " not found")
                for c in failed
            )
            issues.append(
                Issue(
                    "expectation-not-met",
                    Severity.FAIL,
                    f"{where}: the step's expectation did not hold: {what}.",
                    outcome.channel,
                    page,
                    {
                        "journey": outcome.journey,
                        "step": step.index,
                        "failed": [c.model_dump() for c in failed],
                    },
                    (outcome.journey, step.index),
                )
            )
        if fx is None or not step.ok:
            continue
        ev = {"journey": outcome.journey, "step": step.index, "effects": _effects_evidence(fx)}
        ident = (outcome.journey, step.index)
        if fx.target_kind == "add-to-cart":
            issue = _add_to_cart(fx, where)
            if issue:
                issues.append(
                    Issue("add-to-cart-no-effect", Severity.FAIL, issue, outcome.channel, page, ev, ident)
                )
            continue
        if fx.target_kind == "product-link" and fx.target_name_on_after is False and fx.product_after:
            issues.append(
                Issue(
                    "wrong-product-opened",
                    Severity.FAIL,
                    f"{where}: the shopper clicked {fx.target_name!r} but landed on the page of "
                    f"{fx.product_after[0]!r} ({url_path(fx.url_after)}).",
                    outcome.channel,
                    page,
                    ev,
                    ident,
                )
            )
            continue
        if step.action == "fill" and fx.field:
            if fx.field_readback_ok is False:
                landed = (
                    f"; the typed value appeared in {', '.join(fx.value_landed_in)} instead"
                    if fx.value_landed_in
                    else ""
                )
                issues.append(
                    Issue(
                        "fill-not-kept",
                        Severity.FAIL,
                        f"{where}: the field {fx.field} did not keep the typed value{landed}.",
                        outcome.channel,
                        page,
                        ev,
                        ident,
                    )
                )
            elif fx.other_fields_changed:
                issues.append(
                    Issue(
                        "fill-changed-other-field",
                        Severity.WARN,
                        f"{where}: typing into {fx.field} also changed {', '.join(fx.other_fields_changed)}.",
                        outcome.channel,
                        page,
                        ev,
                        ident,
                    )
                )
            continue
        if step.action in ("click", "press") and has_no_effect(fx) and not fx.validation_messages:
            threw = any(e.kind == "exception" for e in step.errors)
            final = step.places_order or last
            because = " and threw an error" if threw else ""
            issues.append(
                Issue(
                    "no-visible-effect",
                    Severity.FAIL if (final or threw) else Severity.WARN,
                    f"{where}: the click had no visible effect{because}: no navigation, no change to the "
                    f"page and no request; the page stayed at {url_path(fx.url_after)}.",
                    outcome.channel,
                    page,
                    ev,
                    ident,
                )
            )
    return issues


def _add_to_cart(fx: StepEffects, where: str) -> str | None:
    before, after = fx.cart_count_before, fx.cart_count_after
    moved = fx.navigated or fx.soft_navigation
    if before is not None and after is not None and after > before:
        return None
    if moved and fx.product_before_on_after and _CART_URL.search(fx.url_after or ""):
        return None  # landed on a cart that lists the product
    if before is not None and after is not None:
        landed = f"; it landed on {url_path(fx.url_after)}" if moved else ""
        return f"{where}: add to cart did not change the cart: the count stayed {after}{landed}."
    if has_no_effect(fx):
        return f"{where}: add to cart did nothing: no navigation, no change to the page and no request."
    if moved and fx.product_before_on_after is False and _CART_URL.search(fx.url_after or ""):
        return f"{where}: add to cart led to a cart that does not list {fx.product_before!r}."
    return None  # something happened and no cart count is shown: cannot tell


def _effects_evidence(fx: StepEffects) -> dict[str, Any]:
    keep = (
        "url_before",
        "url_after",
        "navigated",
        "soft_navigation",
        "dom_mutations",
        "requests_started",
        "cart_count_before",
        "cart_count_after",
        "target_name",
        "product_after",
        "field",
        "value_landed_in",
        "other_fields_changed",
        "validation_messages",
    )
    data = fx.model_dump(include=set(keep))
    for key in ("url_before", "url_after"):
        data[key] = url_path(data.get(key))
    return {k: v for k, v in data.items() if v not in (None, [], "")}


# --------------------------------------------------------------------------- errors


def normalise_message(message: str) -> str:
    """Group key of an error message: origins, long numbers and line:column positions removed."""
    text = _ORIGIN.sub("", message.strip())
    text = _LINE_COL.sub("", text)
    text = _LONG_NUMBER.sub("#", text)
    return " ".join(text.split())[:240]


_ERROR_RULES = {
    "exception": ("uncaught-exception", Severity.FAIL, "Uncaught JavaScript error"),
    "console": ("console-error", Severity.WARN, "Console error"),
    "request": ("failed-request", Severity.FAIL, "Failed request to the site"),
    "third_party": ("third-party-failure", Severity.INFO, "Third-party resource failed"),
}


def _error_severity(err: PageError, options: JourneyHealthOptions) -> Severity:
    rule, severity, _ = _ERROR_RULES[err.kind]
    if err.kind == "request" and err.status is not None and err.status < 500:
        return Severity.WARN
    if err.kind == "console":
        return Severity(options.console_error_severity)
    return severity


def error_issues(
    journeys: list[JourneyOutcome], options: JourneyHealthOptions | Mapping[str, Any]
) -> list[Issue]:
    """Errors grouped by (channel, kind, message), each group naming where it happened."""
    groups: dict[tuple[str, str, str], list[tuple[JourneyOutcome, StepRecord, PageError]]] = defaultdict(list)
    for outcome in journeys:
        for step in outcome.steps:
            for err in step.errors:
                groups[(outcome.channel, err.kind, normalise_message(err.message))].append(
                    (outcome, step, err)
                )
    issues: list[Issue] = []
    opts = _options(options)
    for (channel, kind, message), hits in groups.items():
        rule, _, noun = _ERROR_RULES[kind]
        severity = max((_error_severity(e, opts) for _, _, e in hits), key=_rank)
        first_o, first_s, first_e = hits[0]
        places = []
        for o, s, e in hits:
            place = {"journey": o.journey, "step": s.index, "label": s.label, "page": url_path(e.page_url)}
            if e.late:
                place["late"] = True
            if place not in places:
                places.append(place)
        where = _where(first_o, first_s) + f" on {url_path(first_e.page_url)}"
        more = f" and {len(places) - 1} more place(s)" if len(places) > 1 else ""
        apart = " It is reported apart and does not fail the check." if kind == "third_party" else ""
        issues.append(
            Issue(
                rule,
                severity,
                f"{noun} {message!r} ({len(hits)}x), during {where}{more}.{apart}",
                channel,
                first_e.page_url,
                {
                    "message": message,
                    "count": len(hits),
                    "status": first_e.status,
                    "resource": url_path(first_e.resource_url)
                    if kind != "third_party"
                    else first_e.resource_url,
                    "places": places[:10],
                },
                (kind, message),
            )
        )
    return issues


def _rank(sev: Severity) -> int:
    return {Severity.INFO: 0, Severity.WARN: 1, Severity.FAIL: 2}[sev]


# --------------------------------------------------------------------------- images


def _norm_product(name: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", (name or "").lower()).split())


def image_issues(
    journeys: list[JourneyOutcome],
    visits: dict[str, PageVisit],
    options: JourneyHealthOptions | Mapping[str, Any],
) -> list[Issue]:
    """Broken images, one picture for many products, and images without reserved space."""
    issues: list[Issue] = []
    min_products = _options(options).shared_image_min_products
    by_channel: dict[str, list[tuple[JourneyOutcome, StepRecord]]] = defaultdict(list)
    for outcome in journeys:
        for step in outcome.steps:
            if step.images:
                by_channel[outcome.channel].append((outcome, step))
    for channel, steps in by_channel.items():
        broken: dict[str, dict[str, Any]] = {}
        products_by_src: dict[str, set[str]] = defaultdict(set)
        pages_by_src: dict[str, set[str]] = defaultdict(set)
        undimensioned: dict[str, dict[str, Any]] = {}
        for _outcome, step in steps:
            page = step.url or (step.effects.url_after if step.effects else None) or ""
            visit = visits.get(step.visit_id or "")
            for img in step.images:
                src = url_path(img.src) if img.src.startswith("http") else img.src[:80]
                bad_status = img.status is not None and img.status >= 400
                if bad_status or (img.complete and img.natural_width == 0 and img.visible):
                    entry = broken.setdefault(
                        src, {"status": img.status, "products": set(), "pages": set(), "url": page}
                    )
                    if img.product:
                        entry["products"].add(img.product)
                    entry["pages"].add(url_path(page))
                elif img.product and img.natural_width > 0:
                    products_by_src[src].add(img.product)
                    pages_by_src[src].add(url_path(page))
                if not img.has_dimensions and img.visible:
                    shifted = _shift_near(visit, img.selector)
                    entry = undimensioned.setdefault(
                        url_path(page), {"images": [], "shift": None, "url": page}
                    )
                    if src not in entry["images"]:
                        entry["images"].append(src)
                    if shifted is not None:
                        entry["shift"] = max(entry["shift"] or 0.0, shifted)
        for src, b in broken.items():
            products = sorted(b["products"])
            issues.append(
                Issue(
                    "broken-image",
                    Severity.FAIL if products else Severity.WARN,
                    f"Broken image {src}"
                    + (f" (HTTP {b['status']})" if b["status"] else " (it did not decode: 0 px wide)")
                    + (f" for {', '.join(repr(p) for p in products[:3])}" if products else "")
                    + f" on {', '.join(sorted(b['pages'])[:3])}.",
                    channel,
                    b["url"],
                    {
                        "src": src,
                        "status": b["status"],
                        "products": products[:10],
                        "pages": sorted(b["pages"])[:10],
                    },
                    (src,),
                )
            )
        for src, names in products_by_src.items():
            distinct = {_norm_product(n) for n in names if _norm_product(n)}
            if len(distinct) >= min_products:
                shown = sorted(names)[:4]
                issues.append(
                    Issue(
                        "shared-product-image",
                        Severity.FAIL,
                        f"One image {src} is shown for {len(distinct)} different products "
                        f"({', '.join(repr(n) for n in shown)}{'…' if len(distinct) > 4 else ''}) "
                        f"on {', '.join(sorted(pages_by_src[src])[:3])}: shoppers cannot tell them apart.",
                        channel,
                        None,
                        {"src": src, "products": sorted(names)[:20], "pages": sorted(pages_by_src[src])[:10]},
                        (src,),
                    )
                )
        for path, u in undimensioned.items():
            shift = u["shift"]
            sev = Severity.WARN if shift else Severity.INFO
            tail = (
                f"; the page's layout shifted (CLS {shift:.2f}): see the load_time finding for this page"
                if shift
                else "; no layout shift was measured there"
            )
            issues.append(
                Issue(
                    "image-without-dimensions",
                    sev,
                    f"{len(u['images'])} image(s) on {path} have no width/height or aspect ratio, so their "
                    f"space is not reserved while they load{tail}.",
                    channel,
                    u["url"],
                    {"images": u["images"][:10], "cls": shift},
                    (path,),
                )
            )
    return issues


def _shift_near(visit: PageVisit | None, selector: str) -> float | None:
    """The page's CLS when its layout shifted (a shift naming an image counts even below 0.1)."""
    if visit is None or not visit.layout_shifts:
        return None
    total = visit.timings.cls if visit.timings.cls is not None else sum(s.value for s in visit.layout_shifts)
    names_img = any("img" in src for s in visit.layout_shifts for src in s.sources)
    return total if (total >= 0.1 or names_img) and total > 0 else None


# --------------------------------------------------------------------------- journey outcome


def journey_verdict(outcome: JourneyOutcome) -> Verdict:
    """Tell a journey the site broke from one the configuration broke (or one that finished)."""
    v = Verdict(outcome.channel, outcome.journey, "completed")
    executed = [s for s in outcome.steps if not s.skipped]
    if outcome.failed_step is not None:
        step = next((s for s in outcome.steps if s.index == outcome.failed_step), None)
        if step is None:
            return Verdict(outcome.channel, outcome.journey, "failed", outcome.error or "the journey failed")
        v.step, v.url = step.index, step.url
        where = f'step {step.index + 1} "{step.label or step.action}"'
        error = step.error or outcome.error or ""
        prev = next((s for s in reversed(executed) if s.index < step.index and s.ok), None)
        http = _HTTP_ERROR.search(error)
        messages = (step.effects.validation_messages if step.effects else []) or (
            prev.effects.validation_messages if prev and prev.effects else []
        )
        if http or _SITE_ERROR.search(error):
            v.kind = "broken-by-site"
            v.reason = f"{where} reached an error page ({http.group(0) if http else error[:120]})"
        elif step.target_matches == 0 and messages:
            v.kind = "broken-by-site"
            v.reason = f"{where} could not go on: the page shows {messages[0]!r}"
        elif prev and prev.effects and prev.action in ("click", "press") and has_no_effect(prev.effects):
            v.kind = "broken-by-site"
            v.reason = (
                f'step {prev.index + 1} "{prev.label or prev.action}" did nothing, so {where} '
                f"found the page unchanged"
            )
        elif step.target_matches == 0:
            v.kind = "config-problem"
            v.reason = (
                f"{where}: the selector {step.target!r} matched nothing on "
                f"{url_path(step.url or _page(step))}; "
                "fix the journey's selector (the site may have changed its markup)"
            )
        elif step.target_matches and step.target_visible == 0:
            v.kind = "config-problem"
            v.reason = (
                f"{where}: the selector {step.target!r} matches only hidden elements; "
                "point it at the visible one"
            )
        else:
            v.kind = "failed"
            v.reason = f"{where} failed: {error[:200]}"
        return v
    final = next((s for s in reversed(executed) if s.places_order), None)
    if final is not None and final.effects is not None and has_no_effect(final.effects):
        threw = next((e.message for e in final.errors if e.kind == "exception"), None)
        v.kind = "broken-by-site"
        v.step, v.url = final.index, final.effects.url_after
        v.reason = (
            f'the final step {final.index + 1} "{final.label or final.action}" '
            + (f"threw {threw!r}" if threw else "did nothing")
            + f" and the page stayed at {url_path(final.effects.url_after)}: no order was placed"
        )
    return v


def _verdict_issue(v: Verdict) -> Issue | None:
    head = f"Journey {v.journey!r} on {v.channel}"
    if v.kind == "broken-by-site":
        return Issue(
            "journey-broken-by-site",
            Severity.FAIL,
            f"{head} was broken by the site: {v.reason}.",
            v.channel,
            v.url,
            {"journey": v.journey, "step": v.step, "cause": "site"},
            (v.journey,),
        )
    if v.kind == "config-problem":
        return Issue(
            "journey-config-problem",
            Severity.WARN,
            f"{head} stopped on a configuration problem, not the site: {v.reason}.",
            v.channel,
            v.url,
            {"journey": v.journey, "step": v.step, "cause": "config"},
            (v.journey,),
        )
    if v.kind == "failed":
        return Issue(
            "journey-failed",
            Severity.WARN,
            f"{head} did not finish and the cause could not be told apart: {v.reason}.",
            v.channel,
            v.url,
            {"journey": v.journey, "step": v.step, "cause": "unknown"},
            (v.journey,),
        )
    return None


# --------------------------------------------------------------------------- the check


def analyse(artifacts: Artifacts, options: JourneyHealthOptions | Mapping[str, Any]) -> Analysis:
    """Every judgement of the check, as plain data (no findings, no score yet)."""
    options = _options(options)
    journeys = artifacts.journeys
    visits = {v.id: v for v in artifacts.visits}
    verdicts = [journey_verdict(o) for o in journeys]
    issues = [i for i in map(_verdict_issue, verdicts) if i is not None]
    for outcome in journeys:
        if any(s.skipped and s.places_order for s in outcome.steps):
            issues.append(
                Issue(
                    "order-step-not-run",
                    Severity.INFO,
                    f"Journey {outcome.journey!r} on {outcome.channel}: the order-placing step was not run "
                    "(pass --allow-orders to verify the final button), so the journey's end is unverified.",
                    outcome.channel,
                    None,
                    {"journey": outcome.journey},
                    (outcome.journey,),
                )
            )
        issues.extend(step_issues(outcome))
    issues.extend(error_issues(journeys, options))
    issues.extend(image_issues(journeys, visits, options))
    recorded = [s for o in journeys for s in o.steps if s.effects is not None]
    count: defaultdict[str, int] = defaultdict(int)
    for i in issues:
        count[i.rule] += 1
    metrics = {
        "journeys": len(journeys),
        "journeys_completed": sum(v.kind == "completed" for v in verdicts),
        "journeys_broken_by_site": sum(v.kind == "broken-by-site" for v in verdicts),
        "journeys_config_problem": sum(v.kind == "config-problem" for v in verdicts),
        "steps_with_effects": len(recorded),
        "steps_without_effect": count["no-visible-effect"] + count["add-to-cart-no-effect"],
        "effect_failures": sum(
            count[r]
            for r in ("add-to-cart-no-effect", "wrong-product-opened", "fill-not-kept", "expectation-not-met")
        ),
        "exceptions": count["uncaught-exception"],
        "failed_requests": count["failed-request"],
        "third_party_failures": count["third-party-failure"],
        "broken_images": count["broken-image"],
        "shared_images": count["shared-product-image"],
    }
    return Analysis(issues, verdicts, metrics)


def score_of(analysis: Analysis) -> float:
    """100 minus capped penalties: broken journeys weigh most, then failing and warning findings."""
    broken = analysis.metrics["journeys_broken_by_site"]
    fails = sum(i.severity == Severity.FAIL and not i.rule.startswith("journey-") for i in analysis.issues)
    warns = sum(i.severity == Severity.WARN for i in analysis.issues)
    return max(0.0, 100.0 - min(50.0, 25.0 * broken) - min(40.0, 8.0 * fails) - min(15.0, 3.0 * warns))


class JourneyHealthOptions(CheckOptions):
    """Options of ``journey_health``."""

    shared_image_min_products: int = Field(
        3,
        ge=2,
        description="Distinct products one image must be shown for before it counts as a shared placeholder.",
    )
    console_error_severity: Literal["fail", "warn", "info"] = Field(
        "warn",
        description="Severity of console.error messages (uncaught exceptions always fail).",
    )


def _options(options: JourneyHealthOptions | Mapping[str, Any] | None) -> JourneyHealthOptions:
    if isinstance(options, JourneyHealthOptions):
        return options
    return JourneyHealthOptions(**dict(options or {}))


_OUTCOME_COLUMNS = [
    Column(key="channel", label="Channel"),
    Column(key="journey", label="Journey"),
    Column(key="outcome", label="Outcome"),
    Column(key="step", label="Step", kind="number"),
    Column(key="reason", label="Reason"),
]


def _values(analysis: Analysis, journeys: list[JourneyOutcome]) -> list[MetricValue]:
    """Run-wide counts, and per journey whether it completed and what the site broke on it."""
    m = analysis.metrics
    out = [
        MetricValue(
            name=name,
            label=label,
            unit="count",
            value=m[name],
            direction=Direction.HIGHER
            if name in ("journeys", "journeys_completed", "steps_with_effects")
            else Direction.LOWER,
        )
        for name, label in (
            ("journeys", "Journeys"),
            ("journeys_completed", "Journeys completed"),
            ("journeys_broken_by_site", "Journeys broken by the site"),
            ("journeys_config_problem", "Journeys stopped by the configuration"),
            ("steps_with_effects", "Steps with recorded effects"),
            ("steps_without_effect", "Steps without effect"),
            ("effect_failures", "Actions that did not do what was asked"),
            ("exceptions", "Uncaught JavaScript errors"),
            ("failed_requests", "Failed requests to the site"),
            ("third_party_failures", "Failed third-party resources"),
            ("broken_images", "Broken images"),
            ("shared_images", "Images shared by many products"),
        )
    ]
    broken_by: defaultdict[tuple[str | None, Any], int] = defaultdict(int)
    for i in analysis.issues:
        if i.severity == Severity.FAIL and not i.rule.startswith("journey-"):
            journey = i.evidence.get("journey")
            if journey is not None:
                broken_by[(i.channel, journey)] += 1
    for v in analysis.verdicts:
        scope = Scope(channel=v.channel, journey=v.journey)
        out.append(
            MetricValue(
                name="completed",
                label="Completed",
                unit="count",
                value=1.0 if v.kind == "completed" else 0.0,
                direction=Direction.HIGHER,
                scope=scope,
            )
        )
        out.append(
            MetricValue(
                name="failing_steps",
                label="Steps that failed the shopper",
                unit="count",
                value=broken_by[(v.channel, v.journey)],
                scope=scope,
            )
        )
    out.append(score_value(score_of(analysis)))
    return out


class JourneyHealthCheck(Check):
    id: ClassVar[str] = "journey_health"
    title: ClassVar[str] = "Journey health"
    description: ClassVar[str] = (
        "Did the store do what the shopper asked: actions with visible effects, no script or request "
        "errors, working product images, journeys not broken by the site."
    )
    Options = JourneyHealthOptions

    def run(self, artifacts: Artifacts, options: JourneyHealthOptions | Mapping[str, Any]) -> CheckResult:
        opts = options if isinstance(options, JourneyHealthOptions) else resolve_options(self, options)
        if not artifacts.journeys:
            raise NotApplicable("no journey was recorded")
        return self.build(analyse(artifacts, opts), artifacts.journeys)

    def build(self, analysis: Analysis, journeys: list[JourneyOutcome] | None = None) -> CheckResult:
        """The one place a result is built from the analysis."""
        findings: list[Finding] = [
            finding(
                self.id,
                i.rule,
                i.severity,
                i.message,
                channel=i.channel,
                url=i.url,
                evidence=i.evidence,
                identity=i.identity,
            )
            for i in analysis.issues
        ]
        # the journeys' outcomes first: they say whether the rest could even be reached
        findings.sort(key=lambda f: (not f.rule.startswith("journey-"), -_rank(f.severity)))
        rows = [
            {
                "channel": v.channel,
                "journey": v.journey,
                "outcome": v.kind,
                "step": None if v.step is None else v.step + 1,
                "reason": v.reason,
            }
            for v in analysis.verdicts
        ]
        return self.result(
            score=score_of(analysis),
            findings=findings,
            values=_values(analysis, journeys or []),
            details=[TableDetail(title="Journey outcomes", columns=_OUTCOME_COLUMNS, rows=rows)],
        )


# --------------------------------------------------------------------------- for the summaries


class BrokenJourney(BaseModel):
    """A journey that did not finish, as the terminal summary and the report show it at the top."""

    channel: str
    journey: str
    #: 1-based step number, ``None`` when unknown
    step: int | None = None
    label: str = ""
    reason: str = ""
    #: ``site`` (the store broke it), ``config`` (the journey's configuration did) or ``unknown``
    cause: Literal["site", "config", "unknown"] = "unknown"


_CAUSE = {"broken-by-site": "site", "config-problem": "config", "failed": "unknown"}


def broken_journeys(scorecard: Scorecard) -> list[BrokenJourney]:
    """Journeys the site or the configuration broke, site first; pure, from the scorecard alone.

    Judged from the scorecard's journey outcomes with :func:`journey_verdict` (the same
    judgement the check makes), so it works whether or not journey_health was enabled;
    without recorded step effects, only error pages and unmatched selectors are told apart.
    """
    out: list[BrokenJourney] = []
    for outcome in scorecard.journeys:
        v = journey_verdict(outcome)
        cause = _CAUSE.get(v.kind)
        if cause is None:
            continue
        step = next((s for s in outcome.steps if s.index == v.step), None) if v.step is not None else None
        out.append(
            BrokenJourney(
                channel=v.channel,
                journey=v.journey,
                step=None if v.step is None else v.step + 1,
                label=(step.label or step.action) if step is not None else "",
                reason=v.reason,
                cause=cause,  # type: ignore[arg-type]
            )
        )
    order = {"site": 0, "config": 1, "unknown": 2}
    return sorted(out, key=lambda b: (order[b.cause], b.journey, b.channel))
