"""``checkout_steps``: how much effort the purchase journey asks of a shopper.

For each checkout journey and channel the check measures the span from the
cart to the order-review step (both included, as Baymard Institute counts):
the steps, the form fields shown, required and filled, the clicks, key
presses and time spent, and whether a guest can buy without creating an
account. It judges them against Baymard's benchmark (5.1 steps and 11.3 form
fields on average; 19 % of US shoppers abandoned an order because the site
wanted them to create an account), compares channels with each other (a
mobile checkout should not ask more than the desktop one) and says where a
journey broke. See ``docs/checks/checkout_steps.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cx_auditor.checks._cart import cart_findings
from cx_auditor.checks_api import (
    Check,
    CheckOptions,
    NotApplicable,
    RegexPattern,
    finding,
    score_value,
    url_path,
)
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Column,
    Finding,
    FormField,
    JourneyOutcome,
    MetricValue,
    PageVisit,
    Scope,
    Severity,
    StepRecord,
    TableDetail,
    Thresholds,
)
from pydantic import Field, NonNegativeFloat, model_validator

__all__ = ["CheckoutStepsCheck", "CheckoutAnalysis", "CheckoutStep", "analyse_checkout", "BAYMARD"]

#: Published benchmarks the defaults and messages refer to (Baymard Institute, 2024).
BAYMARD = {"steps": 5.1, "fields": 11.3, "abandon_forced_account_pct": 19}

_PASSWORD = re.compile(r"pass(word|code)|pwd", re.I)
_FORCED_PENALTY = 40.0
_UNNECESSARY_PENALTY = 5.0  # per required unnecessary field, capped below
_UNNECESSARY_CAP = 15.0
_STEPS_PENALTY_CAP = 30.0
_FIELDS_PENALTY_CAP = 40.0


@dataclass
class CheckoutStep:
    """One counted step of the checkout: a distinct page (or a single-page stage)."""

    path: str
    url: str
    label: str
    title: str
    visits: list[PageVisit]

    @property
    def visit(self) -> PageVisit:
        return self.visits[0]

    @property
    def screenshot(self) -> str | None:
        return next((v.screenshot for v in self.visits if v.screenshot), None)


@dataclass
class CountedField:
    """A field as the shopper meets it: deduplicated by page path and name."""

    path: str
    key: str
    field: FormField
    step: CheckoutStep
    required: bool
    filled: bool

    def describe(self) -> str:
        name = self.field.label or self.field.name or self.field.type
        return f"{name} ({self.path})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.field.name,
            "label": self.field.label,
            "type": self.field.type,
            "required": self.required,
            "filled": self.filled,
        }


@dataclass
class CheckoutAnalysis:
    """Everything measured for one checkout journey on one channel (one chosen run)."""

    journey: str
    channel: str
    run_index: int
    runs: int
    completed_runs: int
    outcome: JourneyOutcome
    steps: list[CheckoutStep] = field(default_factory=list)
    fields: list[CountedField] = field(default_factory=list)
    clicks: int = 0
    keypresses: int = 0
    time_ms: float = 0.0
    span_found: bool = True
    forced_account: dict[str, Any] | None = None
    guest_option_seen: bool = False

    @property
    def completed(self) -> bool:
        return self.outcome.completed

    @property
    def required_fields(self) -> int:
        return sum(1 for f in self.fields if f.required)

    @property
    def filled_fields(self) -> int:
        return sum(1 for f in self.fields if f.filled)

    @property
    def paths(self) -> list[str]:
        return [s.path for s in self.steps]

    def row(self) -> dict[str, Any]:
        """What is not a number about this journey on this channel, as a row of the journeys table."""
        failed = failed_step(self.outcome)
        return {
            "journey": self.journey,
            "channel": self.channel,
            "run_index": self.run_index,
            "completed": self.completed,
            "guest_checkout": self.forced_account is None,
            "forced_account": self.forced_account is not None,
            "span_found": self.span_found,
            "failed_step": None if failed is None else (failed.label or failed.action),
            "error": self.outcome.error,
        }


# ---------------------------------------------------------------------------
# Analysis (pure functions over one journey run)
# ---------------------------------------------------------------------------


def failed_step(outcome: JourneyOutcome) -> StepRecord | None:
    if outcome.completed:
        return None
    by_index = {s.index: s for s in outcome.steps}
    if outcome.failed_step is not None and outcome.failed_step in by_index:
        return by_index[outcome.failed_step]
    return next((s for s in outcome.steps if not s.ok and not s.skipped), None)


def _unusable_order_step(outcome: JourneyOutcome) -> StepRecord | None:
    """The order-placing step when it was inspected (not clicked) and a customer could not use it."""
    return next(
        (s for s in outcome.steps if s.places_order and s.skipped and s.order_target_ready is False),
        None,
    )


def _step_info(step: StepRecord) -> dict[str, Any]:
    return {
        "index": step.index,
        "action": step.action,
        "label": step.label,
        "url": step.url,
        "target": step.target,
        "error": step.error,
        "screenshot": step.screenshot,
    }


def _span(
    visits: list[PageVisit], outcome: JourneyOutcome, opts: CheckoutStepsOptions
) -> tuple[list[PageVisit], bool]:
    """The visits from the cart (first cart/basket/bag/checkout page) to the order-placing step.

    Returns the span and whether a cart/checkout start was actually found (if
    not, the whole journey is used and the analysis says so).
    """
    start_re = re.compile(opts.start_path_pattern, re.I)
    title_re = re.compile(opts.start_title_pattern, re.I)
    confirm_re = re.compile(opts.confirmation_pattern, re.I)
    start = next(
        (
            i
            for i, v in enumerate(visits)
            if start_re.search(url_path(v.url)) or title_re.search(v.title or "")
        ),
        None,
    )
    found = start is not None
    start = start or 0
    by_id = {v.id: i for i, v in enumerate(visits)}
    order_step = next((s for s in outcome.steps if s.places_order and s.visit_id in by_id), None)
    if order_step is not None:
        end = by_id[order_step.visit_id]  # type: ignore[index]
    else:
        end = len(visits) - 1
    # the confirmation page (if the order was placed) is an outcome, not a step
    for i in range(start, end + 1):
        if i > start and confirm_re.search(url_path(visits[i].url)):
            end = i - 1
            break
    return visits[start : end + 1], found


def _field_key(f: FormField, i: int) -> str:
    return f.name or f.label or f"{f.type}#{i}"


def _countable(f: FormField, exclude: re.Pattern[str]) -> bool:
    if not f.visible or f.type in {"hidden", "submit", "button", "image", "reset"}:
        return False
    return not (f.type == "search" or exclude.search(f.name or "") or exclude.search(f.label or ""))


def _signature(v: PageVisit, exclude: re.Pattern[str]) -> tuple[str, frozenset[str]]:
    names = frozenset(_field_key(f, i) for i, f in enumerate(v.fields) if _countable(f, exclude))
    return (v.title or "", names)


def _group_steps(
    span: list[PageVisit], actions: Mapping[str, str], exclude: re.Pattern[str]
) -> list[CheckoutStep]:
    """Distinct page paths in order; on a path already seen, a same-document change
    (a ``snapshot`` step, or a visit without navigation) that shows a different
    stage (title or field set) is a step of a single-page checkout."""
    steps: list[CheckoutStep] = []
    seen_sigs: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for v in span:
        path = url_path(v.url)
        sig = _signature(v, exclude)
        same_document = actions.get(v.id) == "snapshot" or v.status is None
        new_step = path not in seen_sigs or (same_document and sig not in seen_sigs[path])
        if new_step:
            steps.append(CheckoutStep(path, v.url, v.step_label, v.title, [v]))
            seen_sigs.setdefault(path, []).append(sig)
        else:
            # a revisit of a known stage: attach it to the latest step on that path
            owner = next(s for s in reversed(steps) if s.path == path)
            owner.visits.append(v)
    return steps


def _count_fields(steps: list[CheckoutStep], exclude: re.Pattern[str]) -> list[CountedField]:
    counted: dict[tuple[str, str], CountedField] = {}
    for step in steps:
        for v in step.visits:
            for i, f in enumerate(v.fields):
                if not _countable(f, exclude):
                    continue
                key = (step.path, _field_key(f, i))
                if key in counted:
                    c = counted[key]
                    c.required = c.required or f.required
                    c.filled = c.filled or f.filled
                else:
                    counted[key] = CountedField(step.path, key[1], f, step, f.required, f.filled)
    return list(counted.values())


def _snippet(text: str, m: re.Match[str], width: int = 60) -> str:
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return " ".join(text[a:b].split())


def _forced_account(
    steps: list[CheckoutStep], opts: CheckoutStepsOptions
) -> tuple[dict[str, Any] | None, bool]:
    """Is creating an account the only way through? And was a guest option seen anywhere?

    A step forces an account when it asks for a required password, or its text
    says an account is needed, and it offers no guest alternative.
    """
    guest_re = re.compile(opts.guest_pattern, re.I)
    no_guest_re = re.compile(opts.no_guest_pattern, re.I)
    account_re = re.compile(opts.account_required_pattern, re.I)
    guest_seen = False
    for step in steps:
        text = "\n".join(v.text for v in step.visits)
        guest = guest_re.search(text) if not no_guest_re.search(text) else None
        guest_seen = guest_seen or guest is not None
        passwords = [
            f
            for v in step.visits
            for f in v.fields
            if f.visible and f.required and (f.type == "password" or _PASSWORD.search(f"{f.name} {f.label}"))
        ]
        wording = account_re.search(text)
        if (passwords or wording) and not guest:
            evidence: dict[str, Any] = {
                "path": step.path,
                "url": step.url,
                "step_label": step.label,
                "password_fields": list(dict.fromkeys(f.label or f.name for f in passwords)),
            }
            if wording:
                evidence["text"] = _snippet(text, wording)
            return evidence, guest_seen
    return None, guest_seen


def _effort(span: list[PageVisit], outcome: JourneyOutcome) -> tuple[int, int, float]:
    """Clicks, key presses and time in the span, from the step records (visits as fallback)."""
    ids = {v.id for v in span}
    records = [s for s in outcome.steps if s.visit_id in ids and not s.skipped]
    if records:
        return (
            sum(s.clicks for s in records),
            sum(s.keypresses for s in records),
            sum(s.elapsed_ms or 0.0 for s in records),
        )
    return (
        sum(v.clicks for v in span),
        sum(v.keypresses for v in span),
        sum(v.elapsed_ms or 0.0 for v in span),
    )


def analyse_checkout(
    visits: list[PageVisit],
    outcome: JourneyOutcome,
    opts: CheckoutStepsOptions,
    *,
    runs: int = 1,
    completed_runs: int = 1,
) -> CheckoutAnalysis:
    """Measure one checkout journey run (``visits`` of that channel, journey and run)."""
    visits = sorted(visits, key=lambda v: v.step_index)
    exclude = re.compile(opts.exclude_fields_pattern, re.I)
    producers: dict[str, str] = {}
    for s in outcome.steps:
        if s.visit_id:
            producers.setdefault(s.visit_id, s.action)
    span, found = _span(visits, outcome, opts)
    steps = _group_steps(span, producers, exclude)
    clicks, keys, time_ms = _effort(span, outcome)
    forced, guest_seen = _forced_account(steps, opts)
    return CheckoutAnalysis(
        journey=outcome.journey,
        channel=outcome.channel,
        run_index=outcome.run_index,
        runs=runs,
        completed_runs=completed_runs,
        outcome=outcome,
        steps=steps,
        fields=_count_fields(steps, exclude),
        clicks=clicks,
        keypresses=keys,
        time_ms=time_ms,
        span_found=found,
        forced_account=forced,
        guest_option_seen=guest_seen,
    )


def _penalty(excess: float, scale: float, cap: float) -> float:
    """Saturating penalty: grows smoothly from 0, reaches ~63 % of ``cap`` at ``scale`` excess."""
    if excess <= 0:
        return 0.0
    return cap * (1.0 - math.exp(-excess / max(scale, 1.0)))


def score_analysis(a: CheckoutAnalysis, opts: CheckoutStepsOptions, unnecessary: int) -> float:
    if not a.completed:
        return 0.0
    target_steps, max_steps = opts.target_steps, opts.max_steps
    target_fields, max_fields = opts.target_fields, opts.max_fields
    score = 100.0
    score -= _penalty(len(a.steps) - target_steps, max_steps - target_steps, _STEPS_PENALTY_CAP)
    score -= _penalty(len(a.fields) - target_fields, max_fields - target_fields, _FIELDS_PENALTY_CAP)
    if a.forced_account is not None:
        score -= _FORCED_PENALTY
    score -= min(_UNNECESSARY_CAP, _UNNECESSARY_PENALTY * unnecessary)
    return max(0.0, score)


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------


class CheckoutStepsOptions(CheckOptions):
    """Options of ``checkout_steps``: Baymard-based targets and the patterns that find the checkout."""

    target_steps: int = Field(
        5, gt=0, description="Steps from cart to review before a warning (Baymard average 5.1)."
    )
    max_steps: int = Field(7, gt=0, description="Steps beyond which the checkout fails.")
    target_fields: int = Field(12, gt=0, description="Form fields before a warning (Baymard average 11.3).")
    max_fields: int = Field(20, gt=0, description="Form fields beyond which the checkout fails.")
    forbid_forced_account: bool = Field(True, description="Forced account creation fails (else warns).")
    compare_channels: bool = Field(
        True, description="Flag channels whose checkout is longer than the best one."
    )
    start_path_pattern: RegexPattern = Field(
        r"(?:^|/)(?:(?:shopping[-_]?)?(?:cart|basket|bag)|checkout[\w-]*)(?:$|[/.?#])",
        description="URL path segment that starts the checkout (the cart or checkout).",
    )
    start_title_pattern: RegexPattern = Field(
        r"(?:^|[|–—:·-])\s*(?:(?:shopping|your|my) )?(?:cart|basket|bag)\s*(?:$|[|–—:·-])|"
        r"(?:^|[|–—:·-])\s*(?:secure )?checkout\b",
        description="Title segment naming the cart or checkout.",
    )
    confirmation_pattern: RegexPattern = Field(
        r"confirmation|thank|receipt|order[-_/]?(?:complete|placed|received|success)|success",
        description="URL or title of the order confirmation page.",
    )
    exclude_fields_pattern: RegexPattern = Field(
        r"search|^q$|newsletter|subscribe|^qty|quantity", description="Fields that are not checkout effort."
    )
    unnecessary_fields_pattern: RegexPattern = Field(
        r"company|organi[sz]ation|\bfax\b|birth|\bdob\b|hear about|heard about|referr|how did you|"
        r"alt(ernative|ernate)?[ _-]?phone|secondary[ _-]?phone|salutation|gender",
        description="Fields a purchase does not need.",
    )
    guest_pattern: RegexPattern = Field(
        r"guest|without (?:an |creating an )?account|no account needed|skip sign",
        description="Text offering guest checkout.",
    )
    no_guest_pattern: RegexPattern = Field(
        r"(?:no|not|without) guest|guest (?:checkout )?(?:is )?(?:not available|unavailable|disabled)",
        description="Text refusing guest checkout.",
    )
    account_required_pattern: RegexPattern = Field(
        r"create (?:an|your) account to (?:continue|check ?out|proceed)|account (?:is )?required|"
        r"(?:sign|log) ?in (?:is required|to (?:continue|check ?out|proceed))|"
        r"register to (?:continue|check ?out)",
        description="Text saying an account is required.",
    )

    check_carts: bool = Field(
        True, description="Check cart arithmetic: lines x quantities = subtotal, and the summary adds up."
    )
    cart_labels: dict[str, list[str]] = Field(
        default_factory=dict,
        description='A site\'s own cart row labels by role, e.g. {"total": ["Total TTC"]} (checks/_cart.py).',
    )
    cart_penalty: NonNegativeFloat = Field(
        0.2, description="Score factor exp(-penalty) per kind of cart arithmetic error."
    )

    @model_validator(mode="after")
    def _targets_within_limits(self) -> CheckoutStepsOptions:
        for target, limit in (("target_steps", "max_steps"), ("target_fields", "max_fields")):
            if getattr(self, target) > getattr(self, limit):
                got = f"{getattr(self, target)}, {getattr(self, limit)}"
                raise ValueError(f"checkout_steps needs 0 < {target} <= {limit}, got {got}")
        return self


class CheckoutStepsCheck(Check):
    id = "checkout_steps"
    title = "Checkout effort"
    description = (
        "Steps, form fields, clicks and time from cart to order review per channel, guest checkout, "
        "and where the purchase journey broke; judged against Baymard Institute's benchmark."
    )
    Options = CheckoutStepsOptions

    def run(self, artifacts: Artifacts, options: CheckoutStepsOptions) -> CheckResult:
        opts = options
        analyses = self._analyses(artifacts, opts)
        if not analyses:
            raise NotApplicable("no checkout journey (checkout: true) was recorded")
        findings: list[Finding] = []
        scores: list[float] = []
        unnecessary_re = re.compile(opts.unnecessary_fields_pattern, re.I)
        for a in analyses:
            own, unnecessary = self._judge(a, opts, unnecessary_re)
            findings.extend(own)
            scores.append(score_analysis(a, opts, unnecessary))
        if opts.compare_channels:
            findings.extend(self._compare_channels(analyses))
        carts, cart_found = 0, []
        if opts.check_carts:
            in_checkout = {(a.journey, a.channel) for a in analyses}
            visits = [v for v in artifacts.visits if (v.journey, v.channel) in in_checkout]
            cart_found, carts = cart_findings(visits, self.id, opts.cart_labels)
            findings.extend(cart_found)
        # Money that does not add up costs trust whatever the step count: each kind of cart
        # arithmetic error takes a fifth off (cart_penalty).
        score = sum(scores) / len(scores) * math.exp(-float(opts.cart_penalty) * len(cart_found))
        values = _journey_values(analyses, scores, opts)
        values.append(MetricValue(name="carts_checked", label="Carts checked", unit="count", value=carts))
        return self.result(score=score, findings=findings, values=values, details=_details(analyses, opts))

    # -- gathering ---------------------------------------------------------------
    def _analyses(self, artifacts: Artifacts, opts: CheckoutStepsOptions) -> list[CheckoutAnalysis]:
        """One analysis per (journey, channel): the first completed run, else the first run."""
        groups: dict[tuple[str, str], list[JourneyOutcome]] = {}
        for o in artifacts.journeys:
            if o.checkout:
                groups.setdefault((o.journey, o.channel), []).append(o)
        out = []
        for (journey, channel), outcomes in groups.items():
            outcomes.sort(key=lambda o: o.run_index)
            chosen = next((o for o in outcomes if o.completed), outcomes[0])
            visits = [
                v
                for v in artifacts.visits
                if v.channel == channel and v.journey == journey and v.run_index == chosen.run_index
            ]
            done = sum(1 for o in outcomes if o.completed)
            out.append(analyse_checkout(visits, chosen, opts, runs=len(outcomes), completed_runs=done))
        return out

    # -- judging one channel -----------------------------------------------------
    def _judge(
        self, a: CheckoutAnalysis, opts: CheckoutStepsOptions, unnecessary_re: re.Pattern[str]
    ) -> tuple[list[Finding], int]:
        out: list[Finding] = []
        if not a.completed:
            out.append(self._incomplete(a))
        if not a.span_found and a.steps:
            out.append(
                finding(
                    self.id,
                    "no-cart-found",
                    Severity.INFO,
                    f"No cart or checkout page was recognised in journey '{a.journey}' on {a.channel}; "
                    "steps were counted over the whole journey.",
                    channel=a.channel,
                    identity=(a.journey,),
                )
            )
        if a.forced_account is not None:
            out.append(self._forced(a, bool(opts.forbid_forced_account)))
        order = _unusable_order_step(a.outcome)
        if order is not None:
            out.append(self._order_step(a, order))
        if a.completed and a.steps:
            out.extend(self._length_findings(a, opts))
        unnecessary = [
            f for f in a.fields if f.required and unnecessary_re.search(f"{f.field.name} {f.field.label}")
        ]
        out.extend(self._unnecessary(a, unnecessary))
        return out, len(unnecessary)

    def _incomplete(self, a: CheckoutAnalysis) -> Finding:
        step = failed_step(a.outcome)
        where = ""
        screenshot = None
        url = a.steps[-1].url if a.steps else None
        if step is not None:
            where = f" at step {step.index} '{step.label or step.action}' ({step.action})"
            url = step.url or url
            screenshot = step.screenshot
        if screenshot is None and a.steps:
            screenshot = a.steps[-1].screenshot
        error = a.outcome.error or (step.error if step else None) or "unknown error"
        return finding(
            self.id,
            "checkout-incomplete",
            Severity.FAIL,
            f"Checkout journey '{a.journey}' on {a.channel} did not complete{where}"
            f"{f' on {url_path(url)}' if url else ''}: {error}",
            channel=a.channel,
            url=url,
            evidence={
                "journey": a.journey,
                "run_index": a.run_index,
                "failed_step": None if step is None else _step_info(step),
                "error": error,
                "steps_reached": a.paths,
                "completed_runs": a.completed_runs,
                "runs": a.runs,
            },
            identity=(a.journey,),
            screenshot=screenshot,
        )

    def _order_step(self, a: CheckoutAnalysis, step: StepRecord) -> Finding:
        """The final button, inspected but not clicked, could not have been used by a customer."""
        if not step.target_matches:
            why = "is missing: nothing on the page matches its target"
        elif not step.target_visible:
            why = f"is not visible ({step.target_matches} match(es), none shown)"
        elif step.target_enabled is False:
            why = "is visible but disabled"
        else:
            why = "could not be read"
        return finding(
            self.id,
            "order-button-unusable",
            Severity.FAIL,
            f"Checkout journey '{a.journey}' on {a.channel} reached its last step, but the order-placing "
            f"control '{step.label or step.target}' {why}{f' on {url_path(step.url)}' if step.url else ''}: "
            "a customer could not place the order. (It was inspected, not clicked; pass --allow-orders "
            "to submit real orders.)",
            channel=a.channel,
            url=step.url,
            evidence={
                "journey": a.journey,
                "run_index": a.run_index,
                "step": _step_info(step),
                "target": step.target,
                "matches": step.target_matches,
                "visible": step.target_visible,
                "enabled": step.target_enabled,
            },
            identity=(a.journey,),
            screenshot=step.screenshot,
        )

    def _forced(self, a: CheckoutAnalysis, forbid: bool) -> Finding:
        ev = a.forced_account or {}
        step = next(s for s in a.steps if s.path == ev.get("path"))
        why = (
            f"requires {', '.join(ev['password_fields'])}"
            if ev.get("password_fields")
            else "says an account is needed"
        )
        return finding(
            self.id,
            "forced-account",
            Severity.FAIL if forbid else Severity.WARN,
            f"Checkout on {a.channel} forces account creation at {step.path} ('{step.label}'): "
            f"the step {why} and offers no guest option. About {BAYMARD['abandon_forced_account_pct']}% "
            "of US shoppers have abandoned an order because a site wanted an account (Baymard).",
            channel=a.channel,
            url=step.url,
            evidence={"journey": a.journey, **ev},
            identity=(a.journey,),
            screenshot=step.screenshot,
        )

    def _length_findings(self, a: CheckoutAnalysis, opts: CheckoutStepsOptions) -> list[Finding]:
        out = []
        n_steps, n_fields = len(a.steps), len(a.fields)
        first = a.steps[0]
        step_list = " → ".join(a.paths)
        if n_steps > opts.target_steps:
            fail = n_steps > opts.max_steps
            limit = opts.max_steps if fail else opts.target_steps
            out.append(
                finding(
                    self.id,
                    "too-many-steps",
                    Severity.FAIL if fail else Severity.INFO,
                    f"Checkout on {a.channel} takes {n_steps} steps from cart to review ({step_list}); "
                    f"{'more than the maximum' if fail else 'above the target'} of {limit} "
                    f"(Baymard average: {BAYMARD['steps']}).",
                    channel=a.channel,
                    url=first.url,
                    evidence={"journey": a.journey, "steps": n_steps, "limit": limit, "pages": a.paths},
                    identity=(a.journey, "steps"),
                    screenshot=first.screenshot,
                )
            )
        if n_fields > opts.target_fields:
            fail = n_fields > opts.max_fields
            limit = opts.max_fields if fail else opts.target_fields
            heaviest = max(a.steps, key=lambda s: sum(1 for f in a.fields if f.step is s))
            per_page = {s.path: sum(1 for f in a.fields if f.step is s) for s in a.steps}
            per_page = {p: n for p, n in per_page.items() if n}
            out.append(
                finding(
                    self.id,
                    "too-many-fields",
                    Severity.FAIL if fail else Severity.INFO,
                    f"Checkout on {a.channel} shows {n_fields} form fields ({a.required_fields} required); "
                    f"{'more than the maximum' if fail else 'above the target'} of {limit} "
                    f"(Baymard average: {BAYMARD['fields']}). Most on {heaviest.path}: "
                    + ", ".join(f.field.label or f.field.name for f in a.fields if f.step is heaviest)
                    + ".",
                    channel=a.channel,
                    url=heaviest.url,
                    evidence={
                        "journey": a.journey,
                        "fields": n_fields,
                        "required": a.required_fields,
                        "limit": limit,
                        "per_page": per_page,
                    },
                    identity=(a.journey, "fields"),
                    screenshot=heaviest.screenshot,
                )
            )
        return out

    def _unnecessary(self, a: CheckoutAnalysis, fields: list[CountedField]) -> list[Finding]:
        out = []
        for step in a.steps:
            mine = [f for f in fields if f.step is step]
            if not mine:
                continue
            out.append(
                finding(
                    self.id,
                    "unnecessary-fields",
                    Severity.WARN,
                    f"{step.path} on {a.channel} requires fields most checkouts do without: "
                    + ", ".join(f.field.label or f.field.name for f in mine)
                    + ". Remove them or make them optional and collapsed.",
                    channel=a.channel,
                    url=step.url,
                    evidence={
                        "journey": a.journey,
                        "step_label": step.label,
                        "fields": [f.as_dict() for f in mine],
                    },
                    identity=(a.journey,),
                    screenshot=step.screenshot,
                )
            )
        return out

    # -- comparing channels ------------------------------------------------------
    def _compare_channels(self, analyses: list[CheckoutAnalysis]) -> list[Finding]:
        """A channel asking more than the leanest other channel of the same journey is a finding."""
        out: list[Finding] = []
        done = [a for a in analyses if a.completed and a.steps]
        for a in done:
            others = [b for b in done if b.journey == a.journey and b.channel != a.channel]
            if not others:
                continue
            best = min(others, key=lambda b: (len(b.steps), b.channel))
            if len(a.steps) > len(best.steps):
                out.append(self._extra_steps(a, best))
            best_f = min(others, key=lambda b: (len(b.fields), b.channel))
            if len(a.fields) > len(best_f.fields):
                out.append(self._extra_fields(a, best_f))
        return out

    def _extra_steps(self, a: CheckoutAnalysis, best: CheckoutAnalysis) -> Finding:
        extra = [s for s in a.steps if s.path not in set(best.paths)]
        names = ", ".join(f"{s.path} ('{s.label}')" if s.label else s.path for s in extra)
        diff = len(a.steps) - len(best.steps)
        shown = extra[0] if extra else a.steps[0]
        return finding(
            self.id,
            "channel-extra-steps",
            Severity.WARN,
            f"Checkout on {a.channel} takes {len(a.steps)} steps, {diff} more than on {best.channel} "
            f"({len(best.steps)})" + (f": extra page(s) {names}." if extra else "."),
            channel=a.channel,
            url=shown.url,
            evidence={
                "journey": a.journey,
                "steps": len(a.steps),
                "compared_with": best.channel,
                "other_steps": len(best.steps),
                "extra_pages": [{"path": s.path, "label": s.label} for s in extra],
            },
            identity=(a.journey,),
            screenshot=shown.screenshot,
        )

    def _extra_fields(self, a: CheckoutAnalysis, best: CheckoutAnalysis) -> Finding:
        theirs = {(f.path, f.key) for f in best.fields}
        extra = [f for f in a.fields if (f.path, f.key) not in theirs]
        diff = len(a.fields) - len(best.fields)
        shown = extra[0].step if extra else a.steps[0]
        return finding(
            self.id,
            "channel-extra-fields",
            Severity.WARN,
            f"Checkout on {a.channel} shows {len(a.fields)} form fields, {diff} more than on {best.channel} "
            f"({len(best.fields)})" + (": " + ", ".join(f.describe() for f in extra) + "." if extra else "."),
            channel=a.channel,
            url=shown.url,
            evidence={
                "journey": a.journey,
                "fields": len(a.fields),
                "compared_with": best.channel,
                "other_fields": len(best.fields),
                "extra_fields": [f.as_dict() for f in extra],
            },
            identity=(a.journey,),
            screenshot=shown.screenshot,
        )


def _journey_values(
    analyses: list[CheckoutAnalysis], scores: list[float], opts: CheckoutStepsOptions
) -> list[MetricValue]:
    """Per journey and channel: effort counts (steps and fields rated against the targets) and score."""
    out: list[MetricValue] = []
    for a, score in zip(analyses, scores, strict=True):
        scope = Scope(channel=a.channel, journey=a.journey)
        out += [
            MetricValue(
                name="steps",
                label="Steps",
                unit="count",
                value=len(a.steps),
                thresholds=Thresholds(good=opts.target_steps, poor=opts.max_steps),
                scope=scope,
            ),
            MetricValue(
                name="fields",
                label="Form fields",
                unit="count",
                value=len(a.fields),
                thresholds=Thresholds(good=opts.target_fields, poor=opts.max_fields),
                scope=scope,
            ),
            MetricValue(
                name="required_fields",
                label="Required fields",
                unit="count",
                value=a.required_fields,
                scope=scope,
            ),
            MetricValue(
                name="filled_fields", label="Fields filled", unit="count", value=a.filled_fields, scope=scope
            ),
            MetricValue(name="clicks", label="Clicks", unit="count", value=a.clicks, scope=scope),
            MetricValue(
                name="keypresses", label="Key presses", unit="count", value=a.keypresses, scope=scope
            ),
            MetricValue(name="time_ms", label="Time", unit="ms", value=round(a.time_ms, 1), scope=scope),
            score_value(score, scope),
            MetricValue(name="runs", label="Runs", unit="count", value=a.runs, scope=scope),
            MetricValue(
                name="completed_runs",
                label="Completed runs",
                unit="count",
                value=a.completed_runs,
                scope=scope,
            ),
        ]
    return out


_JOURNEY_COLUMNS = [
    Column(key="journey", label="Journey"),
    Column(key="channel", label="Channel"),
    Column(key="run_index", label="Run", kind="number"),
    Column(key="completed", label="Completed"),
    Column(key="guest_checkout", label="Guest checkout"),
    Column(key="forced_account", label="Forced account"),
    Column(key="span_found", label="Cart to review found"),
    Column(key="failed_step", label="Failed step"),
    Column(key="error", label="Error"),
]
_STEP_COLUMNS = [
    Column(key="journey", label="Journey"),
    Column(key="channel", label="Channel"),
    Column(key="path", label="Page"),
    Column(key="url", label="URL", kind="url"),
    Column(key="label", label="Step"),
    Column(key="title", label="Title"),
]
_FIELD_COLUMNS = [
    Column(key="journey", label="Journey"),
    Column(key="channel", label="Channel"),
    Column(key="path", label="Page"),
    Column(key="name", label="Name"),
    Column(key="label", label="Label"),
    Column(key="type", label="Type"),
    Column(key="required", label="Required"),
    Column(key="filled", label="Filled"),
]


def _details(analyses: list[CheckoutAnalysis], opts: CheckoutStepsOptions) -> list[TableDetail]:
    """The journeys, the steps counted and the fields counted, and the targets they were held to."""
    where = [{"journey": a.journey, "channel": a.channel} for a in analyses]
    return [
        TableDetail(title="Checkout journeys", columns=_JOURNEY_COLUMNS, rows=[a.row() for a in analyses]),
        TableDetail(
            title="Checkout steps counted",
            columns=_STEP_COLUMNS,
            rows=[
                {**w, "path": s.path, "url": s.url, "label": s.label, "title": s.title}
                for w, a in zip(where, analyses, strict=True)
                for s in a.steps
            ],
        ),
        TableDetail(
            title="Checkout fields counted",
            columns=_FIELD_COLUMNS,
            rows=[{**w, **f.as_dict()} for w, a in zip(where, analyses, strict=True) for f in a.fields],
        ),
        TableDetail(
            title="Targets",
            columns=[
                Column(key="what", label=""),
                Column(key="target", label="Target", kind="number"),
                Column(key="max", label="Most allowed", kind="number"),
                Column(key="benchmark", label="Baymard Institute average", kind="number"),
            ],
            rows=[
                {
                    "what": "Steps",
                    "target": opts.target_steps,
                    "max": opts.max_steps,
                    "benchmark": BAYMARD["steps"],
                },
                {
                    "what": "Form fields",
                    "target": opts.target_fields,
                    "max": opts.max_fields,
                    "benchmark": BAYMARD["fields"],
                },
            ],
        ),
    ]
