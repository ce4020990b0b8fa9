"""Pure converters of gathering: no browser, no I/O, unit-tested on plain data.

What the page script (``instrument.js``) reports arrives as JSON-like dicts; these
functions turn it into :class:`~cx_auditor.models.PageVisit` fields, plan the units
of a run and slice them into shards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from cx_auditor.config import AuditConfig, Journey
from cx_auditor.models import (
    FormField,
    Interaction,
    JourneyOutcome,
    LayoutShift,
    Link,
    PageVisit,
    Resource,
    Timings,
)
from cx_auditor.requirements import Requirements
from cx_auditor.urls import origin_of, without_fragment

__all__ = [
    "Unit",
    "apply_content",
    "apply_interactions",
    "apply_metrics",
    "first_line",
    "http_reason",
    "mark_interrupted",
    "merge_interaction",
    "page_template",
    "plan_units",
    "probe_targets",
    "shard_slice",
]


@dataclass(frozen=True)
class Unit:
    """One independent piece of gathering: a journey on a channel, one repeat."""

    channel: str
    journey: str
    run_index: int = 0

    @property
    def key(self) -> str:
        return f"{self.channel}/{self.journey}/{self.run_index}"


def plan_units(cfg: AuditConfig, runs: int) -> list[Unit]:
    """Every (channel, journey, repeat) the config asks for, in a deterministic order."""
    units = []
    for r in range(runs):
        for journey in cfg.journeys:
            for ch in cfg.browser_channels():
                if journey.channels and ch.name not in journey.channels:
                    continue
                units.append(Unit(ch.name, journey.name, r))
    return units


#: Step actions that usually load or redraw a page (the costly steps of a journey).
_PAGE_STEPS = frozenset({"goto", "click", "press", "snapshot"})


def unit_order(journey: Journey) -> tuple[bool, float]:
    """Sort key of a journey's units: which to start first when there are more units than workers.

    Browsing journeys first: their pages are probed for a chat launcher on the way (in place,
    or in a second tab beside the journey), while a checkout journey may not load its pages
    again and probes what is left once it ends, holding its worker; run later, it finds most
    templates probed already. Then the longest first, since the longest unit bounds the wall
    time: counted in page loads (a conditional step as half of one), not in steps, as fills
    cost little.
    """
    loads = sum(
        (0.5 if step.if_present or step.if_visible else 1.0)
        for step in journey.steps
        if step.action in _PAGE_STEPS and not step.places_order
    )
    return (journey.checkout or journey.setup, -loads)


def shard_slice(items: list[Any], shard: tuple[int, int] | None) -> list[Any]:
    """Deterministic round-robin slice ``i/n`` (1-based) of an ordered list."""
    if not shard:
        return items
    index, total = shard
    return [item for pos, item in enumerate(items) if pos % total == index - 1]


def page_template(url: str) -> str:
    """A page's template, guessed from its path: the first segment, then ``*``.

    ``/product/CAM-1001`` and ``/product/CAM-1002`` -> ``/product/*``; ``/help`` stays.
    Used to probe one page per template rather than every page.
    """
    segments = [seg for seg in urlsplit(url).path.split("/") if seg]
    if len(segments) <= 1:
        return "/" + "/".join(segments)
    return f"/{segments[0]}/*"


def apply_content(visit: PageVisit, content: dict[str, Any], redact: Callable[[str], str]) -> None:
    """Title, text, links, fields and widgets as the page reported them, secrets redacted."""
    visit.title = redact(content.get("title") or "")
    visit.text = redact(content.get("text") or "")
    visit.links = [
        Link(
            href=redact(link["href"]),
            text=redact(link.get("text") or ""),
            rel=link.get("rel") or "",
            location=link.get("location") or "main",
            visible=bool(link.get("visible", True)),
            order=int(link.get("order") or 0),
        )
        for link in content.get("links") or []
    ]
    visit.fields = [FormField(**f) for f in content.get("fields") or []]
    visit.widgets = {k: str(v) for k, v in (content.get("widgets") or {}).items()}


def probe_targets(visit: PageVisit, requirements: Requirements) -> set[str]:
    """The page's same-site http(s) links some check asked to probe, without fragments.

    Same-site only: the tool never sends a request off the audited site.
    """
    if not requirements.link_probes:
        return set()
    page_origin = origin_of(visit.url)
    out = set()
    for link in visit.links:
        if not link.href.startswith(("http://", "https://")) or origin_of(link.href) != page_origin:
            continue
        if requirements.wants_probe(link):
            out.add(without_fragment(link.href))
    return out


def apply_metrics(visit: PageVisit, data: dict[str, Any]) -> None:
    """Resources, byte and request totals, timings and layout shifts from ``__cx.metrics()``."""
    resources = [Resource(**r) for r in data.get("resources") or []]
    doc_bytes = int(data.get("doc_bytes") or 0)
    if data.get("navigated"):
        resources.insert(
            0,
            Resource(
                url=visit.url,
                type="document",
                status=data.get("status"),
                transfer_bytes=doc_bytes,
                duration_ms=data.get("ttfb_ms"),
            ),
        )
    by_type_bytes: dict[str, int] = {}
    by_type_count: dict[str, int] = {}
    for r in resources:
        by_type_bytes[r.type] = by_type_bytes.get(r.type, 0) + r.transfer_bytes
        by_type_count[r.type] = by_type_count.get(r.type, 0) + 1
    visit.resources = resources
    visit.transfer_bytes = sum(by_type_bytes.values())
    visit.request_count = len(resources)
    visit.bytes_by_type = by_type_bytes
    visit.requests_by_type = by_type_count
    r1 = lambda v: None if v is None else round(float(v), 1)  # noqa: E731
    visit.timings = Timings(
        ttfb_ms=r1(data.get("ttfb_ms")),
        fcp_ms=r1(data.get("fcp_ms")),
        lcp_ms=r1(data.get("lcp_ms")),
        cls=None if data.get("cls") is None else round(float(data["cls"]), 4),
        dom_content_loaded_ms=r1(data.get("dom_content_loaded_ms")),
        load_ms=r1(data.get("load_ms")),
        tbt_ms=r1(data.get("tbt_ms")),
        long_tasks=data.get("long_tasks"),
        lcp_element=data.get("lcp_element"),
        lcp_url=data.get("lcp_url"),
    )
    visit.layout_shifts = [LayoutShift(**s) for s in data.get("shifts") or []]
    if visit.status is None and data.get("status"):
        visit.status = int(data["status"])
    apply_interactions(visit, data)


def apply_interactions(visit: PageVisit, data: dict[str, Any]) -> None:
    """Event Timing entries and the listener's fallback records, merged into ``visit``."""
    for item in list(data.get("events") or []) + list(data.get("fallback") or []):
        merge_interaction(visit, item)


def merge_interaction(visit: PageVisit, item: dict[str, Any]) -> None:
    """Add an interaction, merging the Event Timing entry and the listener's record of the same input."""
    start = float(item.get("start") or 0)
    duration = round(float(item.get("duration_ms") or 0), 1)
    kind = str(item.get("kind") or "click")
    family = "key" if kind.startswith("key") else "pointer"
    for existing in visit.interactions:
        efam = "key" if existing.kind.startswith("key") else "pointer"
        if efam == family and existing.start_ms is not None and abs(existing.start_ms - start) < 100:
            if duration > existing.duration_ms:
                existing.duration_ms = duration
            break
    else:
        visit.interactions.append(
            Interaction(kind=kind, target=str(item.get("target") or ""), duration_ms=duration, start_ms=start)
        )
    worst = max((i.duration_ms for i in visit.interactions), default=None)
    visit.timings.inp_ms = worst


def mark_interrupted(outcome: JourneyOutcome, reason: str) -> None:
    """A unit cut short mid-journey: not completed, and the step it was in is not a success."""
    if outcome.completed or outcome.failed_step is not None:
        return  # it finished, or already failed with its own reason, before the stop
    outcome.error = outcome.error or f"the journey did not finish: {reason}"
    if outcome.steps and outcome.steps[-1].ok and outcome.steps[-1].elapsed_ms is None:
        outcome.steps[-1].ok = False
        outcome.steps[-1].error = reason


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (the browser's own words), at most 400 characters."""
    text = str(exc).strip() or type(exc).__name__
    line = text.splitlines()[0]
    return line[:400]


def http_reason(code: int) -> str:
    """The standard phrase of an HTTP status in brackets, e.g. 503 -> '(Service Unavailable)'."""
    try:
        return f"({HTTPStatus(code).phrase})"
    except ValueError:
        return ""


def cancelling() -> bool:
    """Is the current task being cancelled (Ctrl-C / SIGTERM reached it)?"""
    task = asyncio.current_task()
    return bool(task is not None and task.cancelling())
