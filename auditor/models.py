"""The core types every part of cx-auditor speaks.

The flow is *gather once, judge many times*: the collector (the only code that
touches a browser) records :class:`PageVisit` and :class:`JourneyOutcome`
artifacts; checks read an :class:`Artifacts` bundle and return a
:class:`CheckResult`; the runner folds results into a :class:`Scorecard`.
Everything here is a pydantic model so it round-trips to JSON on disk exactly,
which is what makes ``cx-audit check --from DIR`` possible.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Iterable
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

ARTIFACTS_SCHEMA_VERSION = 1
#: 2: results carry typed ``values`` (:class:`MetricValue`) and ``details``; findings carry ``details``
#: 3: ``values``/``details`` are the whole contract: results no longer write ``metrics`` (a
#: legacy input, converted into values on load), values may carry reported ``stats``
SCORECARD_SCHEMA_VERSION = 3


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# ---------------------------------------------------------------------------
# Artifacts (what the collector saw)
# ---------------------------------------------------------------------------


class Link(_Model):
    """An anchor or link-like control seen on a page."""

    href: str
    text: str = ""
    rel: str = ""
    #: where on the page: ``header``, ``nav``, ``footer``, ``main`` or ``menu``
    #: (``menu`` = inside a collapsed mobile menu, one extra tap away).
    location: str = "main"
    visible: bool = True
    #: position of the link in document order (used for "consistent help").
    order: int = 0


class FormField(_Model):
    """A form control shown to the user (hidden inputs are not recorded)."""

    name: str = ""
    type: str = "text"
    label: str = ""
    required: bool = False
    visible: bool = True
    filled: bool = False


class Resource(_Model):
    """One network response observed while the page loaded."""

    url: str
    type: str = "other"  # document, script, stylesheet, image, font, xhr, fetch, other
    status: int | None = None
    transfer_bytes: int = 0
    duration_ms: float | None = None
    third_party: bool = False


class LayoutShift(_Model):
    value: float
    time_ms: float
    sources: list[str] = Field(default_factory=list)  # CSS-ish selectors of shifted nodes


class Interaction(_Model):
    """Latency of one of the journey's own clicks or key presses (Event Timing)."""

    kind: str  # click, keydown, pointerdown ...
    target: str = ""
    duration_ms: float  # input delay + processing + presentation delay
    start_ms: float | None = None  # event timestamp in the page's own clock (for de-duplication)


class Timings(_Model):
    """Browser-reported timings in milliseconds from navigation start.

    ``None`` means *not measured* (the browser did not report it), never zero.
    """

    ttfb_ms: float | None = None
    fcp_ms: float | None = None
    lcp_ms: float | None = None
    cls: float | None = None
    dom_content_loaded_ms: float | None = None
    load_ms: float | None = None
    tbt_ms: float | None = None
    long_tasks: int | None = None
    inp_ms: float | None = None
    lcp_element: str | None = None
    lcp_url: str | None = None


class PageVisit(_Model):
    """Everything recorded when a journey step landed on (or changed) a page."""

    id: str
    channel: str
    journey: str
    step_index: int
    step_label: str = ""
    url: str
    final_url: str | None = None
    title: str = ""
    status: int | None = None
    run_index: int = 0
    started_at: float | None = None
    elapsed_ms: float | None = None  # wall time of the step that produced the visit
    timings: Timings = Field(default_factory=Timings)
    transfer_bytes: int | None = None
    request_count: int | None = None
    bytes_by_type: dict[str, int] = Field(default_factory=dict)
    requests_by_type: dict[str, int] = Field(default_factory=dict)
    resources: list[Resource] = Field(default_factory=list)
    layout_shifts: list[LayoutShift] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    text: str = ""
    links: list[Link] = Field(default_factory=list)
    fields: list[FormField] = Field(default_factory=list)
    #: notable elements found on the page, e.g. ``{"chat_launcher": "button[...]"}``
    widgets: dict[str, str] = Field(default_factory=dict)
    #: outcomes of probes the collector ran on request, e.g. chat launcher click
    probes: dict[str, Any] = Field(default_factory=dict)
    console_errors: list[str] = Field(default_factory=list)
    screenshot: str | None = None  # path relative to the artifacts folder
    discovered: bool = False  # reached by link discovery, not by a scripted step
    #: ``hard``: a document load (or a snapshot of one); ``soft``: an in-app route change
    #: (History API or hash after an input, then a DOM change) with its own LCP/CLS/INP/TBT
    #: windows and no TTFB or FCP (``auditor/gather/softnav.py``)
    navigation: Literal["hard", "soft"] = "hard"
    #: for checkout accounting: the user actions of the step that led here
    clicks: int = 0
    keypresses: int = 0
    #: texts of elements matched by CSS selectors the config asked for
    #: (custom claims), by claim name
    extracted: dict[str, list[str]] = Field(default_factory=dict)
    #: results of page scripts checks asked for (``requirements.PageScript``), by name
    gathered: dict[str, Any] = Field(default_factory=dict)
    #: schema.org data on the page as the browser saw it (after scripts ran), as
    #: JSON-LD-shaped items: each ``<script type="application/ld+json">`` parsed
    #: (malformed ones skipped), plus microdata/RDFa items if the collector reads them
    #: (``checks._products.structured_products`` on the page HTML gives both). Read by
    #: messaging_consistency's structured-data rules; empty = not recorded.
    structured_data: list[dict[str, Any]] = Field(default_factory=list)


class StepEffects(_Model):
    """What a step visibly did, from a snapshot before and after it (``auditor.step_effects``).

    Every field is optional: ``None`` means *not observed*, never "nothing happened".
    Typed values are never stored: a fill is described by whether the read-back
    matches and which other fields received the value, so secrets stay out.
    """

    url_before: str | None = None
    url_after: str | None = None
    #: a new document was loaded (full navigation)
    navigated: bool = False
    #: the URL changed without a new document (History API or hash)
    soft_navigation: bool = False
    #: DOM mutations observed in the same document during the step (None after a navigation)
    dom_mutations: int | None = None
    #: requests the page started during the step (any kind, any origin)
    requests_started: int = 0
    cart_count_before: int | None = None
    cart_count_after: int | None = None
    #: the product named on the page before the step (structured data, then the main heading)
    product_before: str | None = None
    #: the product(s) named on the page after the step
    product_after: list[str] = Field(default_factory=list)
    #: did the before-step product's name appear on the page after the step
    product_before_on_after: bool | None = None
    #: what the element acted on looks like: ``add-to-cart``, ``product-link``, ``control``, ``field``
    target_kind: str | None = None
    #: the name of the element acted on (a card's product name, a button's text)
    target_name: str | None = None
    #: is ``target_name`` among the names (heading, structured data, title) of the landed page
    target_name_on_after: bool | None = None
    heading_after: str | None = None
    title_after: str | None = None
    #: HTTP status of the document when the step navigated
    status_after: int | None = None
    #: for fill/select: the key (id or name) of the field acted on
    field: str | None = None
    #: for fill: the field reads back exactly the typed value
    field_readback_ok: bool | None = None
    #: keys of *other* fields whose value changed during the step
    other_fields_changed: list[str] = Field(default_factory=list)
    #: keys of other fields that now hold exactly the typed value
    value_landed_in: list[str] = Field(default_factory=list)
    #: validation/alert messages the step brought up (a blocked native form submission included)
    validation_messages: list[str] = Field(default_factory=list)


class ExpectCheck(_Model):
    """One assertion of a step's ``expect:`` and whether it held."""

    kind: Literal["text", "selector", "url", "cart_count_change"]
    expected: str
    actual: str | None = None
    ok: bool


class ExpectOutcome(_Model):
    ok: bool
    checks: list[ExpectCheck] = Field(default_factory=list)


class PageError(_Model):
    """An error the page raised or met, attributed to the step (and page) it happened in."""

    #: ``exception`` (uncaught), ``console`` (console.error), ``request`` (same-origin
    #: fetch/XHR/document answered 4xx/5xx or failed), ``third_party`` (a resource of
    #: another origin that failed or answered 4xx/5xx)
    kind: Literal["exception", "console", "request", "third_party"]
    message: str
    page_url: str | None = None
    resource_url: str | None = None
    resource_type: str | None = None
    status: int | None = None
    #: happened after the step ended and before the next one started
    late: bool = False


class ImageFact(_Model):
    """One ``<img>`` as the shopper saw it after a step."""

    src: str
    natural_width: int = 0
    natural_height: int = 0
    rendered_width: float = 0
    rendered_height: float = 0
    complete: bool = True
    status: int | None = None
    #: width and height attributes (or a CSS aspect-ratio/size) reserve its space
    has_dimensions: bool = True
    visible: bool = True
    #: the product the image illustrates (card or page product name), when known
    product: str | None = None
    #: a short selector-ish description, to match layout-shift sources
    selector: str = ""


class StepRecord(_Model):
    """One executed journey step, successful or not."""

    index: int
    action: str
    label: str = ""
    ok: bool = True
    error: str | None = None
    elapsed_ms: float | None = None
    visit_id: str | None = None
    url: str | None = None
    screenshot: str | None = None
    skipped: bool = False  # e.g. the guarded order step without --allow-orders
    places_order: bool = False  # the step that would submit a real order
    target: str | None = None  # selector or URL the step acted on
    clicks: int = 0
    keypresses: int = 0
    #: journey-health facts, recorded by ``auditor.step_effects`` (absent in older artifacts)
    effects: StepEffects | None = None
    expect: ExpectOutcome | None = None
    errors: list[PageError] = Field(default_factory=list)
    images: list[ImageFact] = Field(default_factory=list)
    #: when the step failed: how many elements matched its target and how many were visible
    target_matches: int | None = None
    target_visible: int | None = None
    #: whether the first visible match was enabled (read for the order step, never clicked)
    target_enabled: bool | None = None
    #: the order-placing step, not run: could a customer have used its target?
    #: ``None`` when not inspected (older artifacts, or the step ran with --allow-orders)
    order_target_ready: bool | None = None


class JourneyOutcome(_Model):
    channel: str
    journey: str
    checkout: bool = False
    completed: bool = False
    failed_step: int | None = None
    error: str | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    elapsed_ms: float | None = None
    run_index: int = 0


class Document(_Model):
    """A non-browser touchpoint (email template, SMS copy, app-store text...)."""

    id: str
    channel: str
    path: str
    kind: str = "text"  # email, sms, listing, chatbot, text
    title: str = ""
    text: str = ""
    links: list[Link] = Field(default_factory=list)


class ChannelInfo(_Model):
    name: str
    kind: Literal["browser", "documents"] = "browser"
    label: str = ""
    viewport: dict[str, int] | None = None
    mobile: bool = False
    throttling: dict[str, Any] | None = None


class Remeasure(_Model):
    """One extra load of a page whose load time failed, to tell a slow page from a noisy run."""

    channel: str
    journey: str
    step_index: int
    path: str
    url: str
    sample: int = 1
    timings: Timings = Field(default_factory=Timings)


class RunMeta(_Model):
    site: str
    base_url: str = ""
    tool_version: str = ""
    config_hash: str = ""
    started_at: str = ""
    finished_at: str = ""
    channels: list[ChannelInfo] = Field(default_factory=list)
    runs: int = 1
    browser: str = ""
    complete: bool = True
    #: why the run stopped early (Ctrl-C, SIGTERM, browser crash) when ``complete`` is false
    incomplete_reason: str | None = None
    shard: str | None = None
    git_commit: str | None = None
    git_branch: str | None = None
    #: CPU the browser got at the start of the run (rounds/s of a fixed loop, higher is faster),
    #: the one-minute load average and the CPU count: how far timings can be trusted
    benchmark_index: float | None = None
    load_average: float | None = None
    cpu_count: int | None = None
    #: share of all CPUs' time that *other* processes took while the pages were timed (0..1;
    #: Linux ``/proc``, ``None`` elsewhere): the load the audit did not make itself
    other_cpu_share: float | None = None
    #: pages re-measured to confirm a load-time failure (fresh context, same channel)
    remeasures: list[Remeasure] = Field(default_factory=list)


class Artifacts(_Model):
    """The whole recorded run: what checks read, and nothing else."""

    schema_version: int = ARTIFACTS_SCHEMA_VERSION
    meta: RunMeta
    visits: list[PageVisit] = Field(default_factory=list)
    journeys: list[JourneyOutcome] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    #: HTTP status of same-site help/contact/policy link targets the collector
    #: probed (absolute URL -> status; ``None`` = could not be reached)
    link_status: dict[str, int | None] = Field(default_factory=dict)

    def channels(self) -> list[str]:
        names = [c.name for c in self.meta.channels]
        for v in self.visits:
            if v.channel not in names:
                names.append(v.channel)
        return names

    def browser_channels(self) -> list[str]:
        kinds = {c.name: c.kind for c in self.meta.channels}
        return [c for c in self.channels() if kinds.get(c, "browser") == "browser"]

    def visits_for(self, channel: str) -> list[PageVisit]:
        return [v for v in self.visits if v.channel == channel]


# ---------------------------------------------------------------------------
# Typed results: what a check measured and how it rated it
# ---------------------------------------------------------------------------


class Direction(str, Enum):
    """Which way is better for a metric."""

    LOWER = "lower"
    HIGHER = "higher"


class Rating(str, Enum):
    """The check's verdict on one value against its thresholds (Core Web Vitals wording)."""

    GOOD = "good"
    NEEDS_IMPROVEMENT = "needs-improvement"
    POOR = "poor"


class Thresholds(_Model):
    """The good and poor limits of a metric, as the check applied them in this run.

    For a lower-is-better metric a value up to and including ``good`` is good and
    one strictly beyond ``poor`` is poor; for higher-is-better, mirrored.
    """

    good: float
    poor: float

    def rate(self, value: float, direction: Direction = Direction.LOWER) -> Rating:
        if direction is Direction.HIGHER:
            value, good, poor = -value, -self.good, -self.poor
        else:
            good, poor = self.good, self.poor
        if value <= good:
            return Rating.GOOD
        if value <= poor:
            return Rating.NEEDS_IMPROVEMENT
        return Rating.POOR


class Scope(_Model):
    """What a value is about. All empty = the whole run; a ``page`` is a URL path."""

    channel: str | None = None
    journey: str | None = None
    page: str | None = None
    url: str | None = None
    step_index: int | None = None

    @property
    def level(self) -> Literal["run", "channel", "journey", "page"]:
        if self.page is not None:
            return "page"
        if self.journey is not None:
            return "journey"
        if self.channel is not None:
            return "channel"
        return "run"


#: statistics a summary offers, by name (what budgets call ``stat``)
SUMMARY_STATS = ("median", "mean", "min", "max", "p75", "p90", "p95")


class Summary(_Model):
    """Order statistics of a value's samples, computed with the standard library."""

    n: int
    median: float
    mean: float
    min: float
    max: float
    q1: float
    q3: float
    p75: float
    p90: float
    p95: float
    stdev: float | None = None

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @classmethod
    def of(cls, samples: Iterable[float]) -> Summary | None:
        """Summarise measured samples (``None``/NaN dropped); ``None`` when nothing was measured.

        Quantiles use ``statistics.quantiles(method="inclusive")``: linear
        interpolation between ranks (NumPy's default), so a value moves smoothly
        as samples move.
        """
        data = sorted(float(x) for x in samples if x is not None and not math.isnan(float(x)))
        if not data:
            return None
        if len(data) == 1:
            cuts = [data[0]] * 99
        else:
            cuts = statistics.quantiles(data, n=100, method="inclusive")
        return cls(
            n=len(data),
            median=statistics.median(data),
            mean=statistics.fmean(data),
            min=data[0],
            max=data[-1],
            q1=cuts[24],
            q3=cuts[74],
            p75=cuts[74],
            p90=cuts[89],
            p95=cuts[94],
            stdev=statistics.stdev(data) if len(data) > 1 else None,
        )

    def stat(self, name: str) -> float | None:
        return float(getattr(self, name)) if name in SUMMARY_STATS else None


class MetricValue(_Model):
    """One measured number, typed: the single source of its label, unit, thresholds and rating.

    A check builds it once (``value`` and/or repeat-run ``samples``); the
    summary and, when thresholds are given and no rating was set, the rating
    are derived here so that every consumer (budgets, history, the baseline
    gate, every report) reads the same verdict the check reached.
    """

    name: str
    label: str = ""
    #: ``ms``, ``bytes``, ``count``, ``score`` (0-100), ``ratio`` (0-1), ``s`` or ``""`` (unitless)
    unit: str = ""
    value: float | None = None
    samples: list[float] = Field(default_factory=list)
    summary: Summary | None = None
    #: statistics reported without their samples (``median``, ``p75``, ... and ``n``): only
    #: values converted from untyped ``metrics`` (:mod:`cx_auditor.legacy_metrics`) carry them
    stats: dict[str, float] = Field(default_factory=dict)
    direction: Direction = Direction.LOWER
    thresholds: Thresholds | None = None
    rating: Rating | None = None
    scope: Scope = Field(default_factory=Scope)
    #: what one sample is: ``runs`` (repeat runs of the same measurement, which the
    #: baseline gate compares run against run) or ``pages`` (one value per page)
    samples_of: Literal["runs", "pages"] = "runs"

    @model_validator(mode="after")
    def _derive(self) -> MetricValue:
        if self.summary is None and self.samples:
            self.summary = Summary.of(self.samples)
        if self.value is None and self.summary is not None:
            self.value = self.summary.median
        if self.thresholds is not None:
            t = self.thresholds
            ordered = t.good < t.poor if self.direction is Direction.LOWER else t.good > t.poor
            if not ordered:
                better = "below" if self.direction is Direction.LOWER else "above"
                raise ValueError(f"{self.name}: the good threshold must be {better} the poor one")
            if self.rating is None and self.value is not None:
                self.rating = t.rate(self.value, self.direction)
        if not self.label:
            self.label = self.name.removesuffix("_ms").replace("_", " ")
        return self

    def stat(self, name: str = "median") -> float | None:
        """``value`` for ``"value"``, a summary statistic by name, else the value itself.

        A value with reported ``stats`` but no samples answers only the statistics it
        reported (else its ``value`` entry): a p90 nobody computed is not measured.
        """
        if name != "value" and self.summary is not None:
            got = self.summary.stat(name)
            if got is not None:
                return got
        if name != "value" and self.stats:
            return self.stats.get(name, self.stats.get("value"))
        if name in ("value", "median", "mean", "min", "max", "p75", "p90", "p95"):
            return self.value
        return None

    def key(self) -> str:
        """A stable dotted key (no host, no port) for history, compare and trend.

        ``lcp_ms`` (run), ``channels.mobile.lcp_ms``, ``journeys.purchase.mobile.steps``,
        ``pages[mobile purchase 2 /product/x].lcp_ms``: the same places the untyped
        ``metrics`` of earlier versions used, so ``--metric`` patterns read alike.
        """
        s = self.scope
        level = s.level
        if level == "page":
            parts = [s.channel, s.journey, None if s.step_index is None else str(s.step_index), s.page]
            return f"pages[{' '.join(p for p in parts if p)}].{self.name}"
        if level == "journey":
            return ".".join(p for p in ("journeys", s.journey, s.channel, self.name) if p)
        if level == "channel":
            return f"channels.{s.channel}.{self.name}"
        return self.name


# -- details: typed, rendered generically -----------------------------------------


class Column(_Model):
    key: str
    label: str = ""
    #: how cells are shown: ``text``, ``url`` (a link when http/https), ``number``, ``ms``, ``bytes``
    kind: str = "text"


class TableDetail(_Model):
    """Rows under named columns (Lighthouse's ``table`` details)."""

    type: Literal["table"] = "table"
    title: str = ""
    columns: list[Column] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)


class Quote(_Model):
    """A sentence the page (or document) really said, and where."""

    text: str
    #: the part of ``text`` that is the claim, highlighted by renderers
    highlight: str = ""
    channel: str | None = None
    url: str | None = None
    source: str = ""


class EvidenceDetail(_Model):
    """Quoted evidence for a finding."""

    type: Literal["evidence"] = "evidence"
    title: str = ""
    quotes: list[Quote] = Field(default_factory=list)


class Variant(_Model):
    """One of several values the same thing was given, with where it was seen."""

    value: str
    count: int = 0
    quotes: list[Quote] = Field(default_factory=list)


class VariantsDetail(_Model):
    """Variants side by side (e.g. two shipping thresholds on two channels)."""

    type: Literal["variants"] = "variants"
    title: str = ""
    variants: list[Variant] = Field(default_factory=list)


class RawDetail(_Model):
    """Anything else: renderers show it as JSON (the generic fallback)."""

    type: Literal["raw"] = "raw"
    title: str = ""
    data: Any = None


Detail = Annotated[TableDetail | EvidenceDetail | VariantsDetail | RawDetail, Field(discriminator="type")]


def _raw_if_unknown(items: Any) -> Any:
    """Details of a type this version does not know load as :class:`RawDetail`, never fail."""
    if not isinstance(items, list):
        return items
    known = {"table", "evidence", "variants", "raw"}
    return [
        d
        if not isinstance(d, dict) or d.get("type") in known
        else {"type": "raw", "title": str(d.get("title") or d.get("type") or ""), "data": d}
        for d in items
    ]


#: a list of details; entries of unknown types load as :class:`RawDetail`
Details = Annotated[list[Detail], BeforeValidator(_raw_if_unknown)]


# ---------------------------------------------------------------------------
# Judgements
# ---------------------------------------------------------------------------


class Severity(str, Enum):
    FAIL = "fail"
    WARN = "warn"
    INFO = "info"


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"


def make_fingerprint(*parts: object) -> str:
    """A stable identity for a finding: same problem, same fingerprint, run after run.

    Callers pass what *identifies* the problem (check id, rule, channel, a
    normalised URL path, the claim kind) and never what varies between runs
    (timings, ports, dates).
    """
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


class Finding(_Model):
    check: str = ""
    rule: str = ""
    severity: Severity
    message: str
    channel: str | None = None
    url: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)
    fingerprint: str = ""
    screenshot: str | None = None
    #: typed evidence for renderers (tables, quotes, variants); ``evidence`` stays the raw record
    details: Details = Field(default_factory=list)


class CheckResult(_Model):
    check: str
    title: str = ""
    description: str = ""
    score: float | None = None
    status: Status = Status.PASS
    #: typed measurements: the one contract budgets, history, the baseline gate and reports read
    values: list[MetricValue] = Field(default_factory=list)
    #: typed result-level details (tables, variants), rendered generically
    details: Details = Field(default_factory=list)
    #: legacy input only: the free-form numbers of third-party checks written before
    #: ``values`` and of scorecards/history rows recorded by older versions. Converted into
    #: ``values`` (and a raw detail for what is not a number) when the result is built or
    #: loaded; no consumer reads it. Built-in checks leave it empty, and an empty one is
    #: not written to JSON.
    metrics: dict[str, Any] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None
    duration_ms: float | None = None
    weight: float = 1.0

    @model_validator(mode="after")
    def _type_legacy_metrics(self) -> CheckResult:
        """The one place untyped ``metrics`` become typed values (see :mod:`cx_auditor.legacy_metrics`).

        Names the result already publishes as typed values are not converted again,
        so loading a scorecard this version wrote adds nothing.
        """
        if not self.metrics:
            return self
        from cx_auditor.legacy_metrics import LEGACY_DETAIL_TITLE, values_from_metrics

        values, rest = values_from_metrics(self.metrics, skip={v.name for v in self.values})
        self.values.extend(values)
        if rest and not any(
            isinstance(d, RawDetail) and d.title == LEGACY_DETAIL_TITLE for d in self.details
        ):
            self.details.append(RawDetail(title=LEGACY_DETAIL_TITLE, data=rest))
        return self

    @model_serializer(mode="wrap")
    def _drop_empty_metrics(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not self.metrics:
            data.pop("metrics", None)
        return data

    def values_named(self, name: str) -> list[MetricValue]:
        return [v for v in self.values if v.name == name]


class BudgetOutcome(_Model):
    """One budget as applied to this run: the gate's reasons, in data."""

    id: str
    description: str
    level: Literal["error", "warn"] = "error"
    passed: bool
    actual: Any = None
    limit: Any = None
    check: str | None = None
    channel: str | None = None
    url: str | None = None


class Gate(_Model):
    passed: bool = True
    budgets: list[BudgetOutcome] = Field(default_factory=list)
    baseline: dict[str, Any] | None = None

    @property
    def failed(self) -> list[BudgetOutcome]:
        return [b for b in self.budgets if not b.passed and b.level == "error"]

    def decide(self) -> bool:
        """Set and return the verdict: the gate passes unless an error-level entry failed.

        The one place the verdict is computed; call it after adding entries
        (budgets, the baseline's, extra outcomes). Warn-level entries never fail it.
        """
        self.passed = not self.failed
        return self.passed

    @property
    def warnings(self) -> list[BudgetOutcome]:
        return [b for b in self.budgets if not b.passed and b.level == "warn"]


class Scorecard(_Model):
    schema_version: int = SCORECARD_SCHEMA_VERSION
    run_id: str
    meta: RunMeta
    score: float | None = None
    grade: str | None = None
    results: list[CheckResult] = Field(default_factory=list)
    gate: Gate = Field(default_factory=Gate)
    journeys: list[JourneyOutcome] = Field(default_factory=list)

    @model_validator(mode="after")
    def _upgrade(self) -> Scorecard:
        """Older files load as the current version: their ``metrics`` were typed on load."""
        if self.schema_version < SCORECARD_SCHEMA_VERSION:
            self.schema_version = SCORECARD_SCHEMA_VERSION
        return self

    def result(self, check_id: str) -> CheckResult | None:
        for r in self.results:
            if r.check == check_id:
                return r
        return None

    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]
