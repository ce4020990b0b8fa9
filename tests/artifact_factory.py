"""Small builders for :class:`~auditor.models.Artifacts` fixtures.

Checks are pure functions over artifacts, so their tests build the few visits
and journey outcomes a case needs, in a line or two, instead of loading JSON
recorded from a browser. Everything has a sensible default; pass only what the
test is about. Any check's tests may use this module.

    from tests.artifact_factory import artifacts, visit

    arts = artifacts([visit("/", lcp_ms=2600), visit("/", lcp_ms=2400, run_index=1)])

:class:`JourneyBuilder` scripts one journey on one channel and run, producing
visits and the matching :class:`~auditor.models.StepRecord` list, the way the
collector records them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from cx_auditor.models import (
    Artifacts,
    ChannelInfo,
    Document,
    FormField,
    Interaction,
    JourneyOutcome,
    LayoutShift,
    Link,
    PageVisit,
    Resource,
    RunMeta,
    StepRecord,
    Timings,
)

__all__ = [
    "BASE_URL",
    "JourneyBuilder",
    "absolute",
    "artifacts",
    "channel_info",
    "form_field",
    "interaction",
    "layout_shift",
    "link",
    "meta",
    "resource",
    "visit",
]

BASE_URL = "https://shop.test"
_TIMING_KEYS = set(Timings.model_fields)
_ids = itertools.count(1)


def absolute(path_or_url: str) -> str:
    """``/cart`` -> ``https://shop.test/cart``; absolute URLs and ``tel:``/``mailto:`` pass through."""
    if "://" in path_or_url or path_or_url.startswith(("tel:", "mailto:")):
        return path_or_url
    return BASE_URL + (path_or_url if path_or_url.startswith("/") else "/" + path_or_url)


def channel_info(name: str, **kwargs: Any) -> ChannelInfo:
    """A channel; ``mobile``/``documents`` names get the matching kind and flag by default."""
    defaults: dict[str, Any] = {"label": name.title(), "mobile": name == "mobile"}
    if name == "documents":
        defaults["kind"] = "documents"
    return ChannelInfo(name=name, **{**defaults, **kwargs})


def meta(channels: Iterable[str | ChannelInfo] = ("desktop",), **kwargs: Any) -> RunMeta:
    infos = [c if isinstance(c, ChannelInfo) else channel_info(c) for c in channels]
    defaults: dict[str, Any] = {
        "site": "test-shop",
        "base_url": BASE_URL,
        "started_at": "2024-01-01T00:00:00",
    }
    return RunMeta(channels=infos, **{**defaults, **kwargs})


def form_field(name: str, *, type: str = "text", label: str | None = None, **kwargs: Any) -> FormField:  # noqa: A002
    """A visible form field; the label defaults to the name, capitalised."""
    return FormField(
        name=name, type=type, label=label if label is not None else name.replace("_", " ").title(), **kwargs
    )


def link(href: str, text: str = "", **kwargs: Any) -> Link:
    return Link(href=absolute(href), text=text, **kwargs)


def resource(url: str, type: str = "other", **kwargs: Any) -> Resource:  # noqa: A002
    return Resource(url=absolute(url), type=type, **kwargs)


def layout_shift(value: float, *sources: str, time_ms: float = 500.0) -> LayoutShift:
    return LayoutShift(value=value, time_ms=time_ms, sources=list(sources))


def interaction(duration_ms: float, target: str = "button", kind: str = "click") -> Interaction:
    return Interaction(kind=kind, target=target, duration_ms=duration_ms)


def visit(path: str = "/", **kwargs: Any) -> PageVisit:
    """A page visit. Timing fields (``lcp_ms=``, ``cls=`` ...) may be passed directly.

    Defaults: channel ``desktop``, journey ``browse``, step 0, run 0, status 200,
    a unique id, and no timings at all (every metric *not measured*).
    """
    timing_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in _TIMING_KEYS}
    timings = kwargs.pop("timings", None) or Timings()
    if timing_kwargs:
        timings = timings.model_copy(update=timing_kwargs)
    defaults: dict[str, Any] = {
        "id": f"v{next(_ids)}",
        "channel": "desktop",
        "journey": "browse",
        "step_index": 0,
        "status": 200,
    }
    return PageVisit(url=absolute(path), timings=timings, **{**defaults, **kwargs})


def artifacts(
    visits: Iterable[PageVisit] = (),
    journeys: Iterable[JourneyOutcome] = (),
    *,
    channels: Iterable[str | ChannelInfo] | None = None,
    documents: Iterable[Document] = (),
    link_status: dict[str, int | None] | None = None,
    **meta_kwargs: Any,
) -> Artifacts:
    """An artifacts bundle; channels default to those the visits and journeys use, in order."""
    visits = list(visits)
    journeys = list(journeys)
    if channels is None:
        seen: dict[str, None] = {}
        for name in [v.channel for v in visits] + [j.channel for j in journeys]:
            seen.setdefault(name, None)
        channels = list(seen) or ["desktop"]
    return Artifacts(
        meta=meta(channels, **meta_kwargs),
        visits=visits,
        journeys=journeys,
        documents=list(documents),
        link_status=dict(link_status or {}),
    )


class JourneyBuilder:
    """Script one journey run on one channel: pages visited and actions taken.

    ``page()`` records a step that lands on a page (a visit plus its step);
    ``act()`` records an action on the current page (fill, select, click that
    does not navigate); ``place_order()`` the guarded order step (skipped by
    default, as without ``--allow-orders``); ``fail()`` a step that broke.
    """

    def __init__(
        self, name: str = "checkout", channel: str = "desktop", *, run_index: int = 0, checkout: bool = True
    ) -> None:
        self.name = name
        self.channel = channel
        self.run_index = run_index
        self.checkout = checkout
        self.visits: list[PageVisit] = []
        self.steps: list[StepRecord] = []
        self._failed: StepRecord | None = None

    @property
    def current(self) -> PageVisit | None:
        return self.visits[-1] if self.visits else None

    def page(
        self,
        path: str,
        *,
        label: str = "",
        action: str = "goto",
        fields: Sequence[FormField] = (),
        elapsed_ms: float = 1000.0,
        clicks: int | None = None,
        **visit_kwargs: Any,
    ) -> PageVisit:
        """Land on ``path``; a ``click`` that navigates counts one click unless told otherwise."""
        index = len(self.steps)
        label = label or f"{action} {path}"
        n_clicks = clicks if clicks is not None else (1 if action == "click" else 0)
        v = visit(
            path,
            channel=self.channel,
            journey=self.name,
            step_index=index,
            step_label=label,
            run_index=self.run_index,
            elapsed_ms=elapsed_ms,
            fields=list(fields),
            clicks=n_clicks,
            **visit_kwargs,
        )
        self.visits.append(v)
        self.steps.append(
            StepRecord(
                index=index,
                action=action,
                label=label,
                elapsed_ms=elapsed_ms,
                visit_id=v.id,
                url=v.url,
                target=path,
                clicks=n_clicks,
            )
        )
        return v

    def act(
        self,
        action: str = "fill",
        label: str = "",
        *,
        clicks: int = 0,
        keypresses: int = 0,
        elapsed_ms: float = 200.0,
        **step_kwargs: Any,
    ) -> StepRecord:
        """An action on the current page; its clicks/key presses also land on that visit."""
        v = self.current
        if v is None:
            raise ValueError("act() needs a page() first")
        v.clicks += clicks
        v.keypresses += keypresses
        step = StepRecord(
            index=len(self.steps),
            action=action,
            label=label or action,
            elapsed_ms=elapsed_ms,
            visit_id=v.id,
            url=v.url,
            clicks=clicks,
            keypresses=keypresses,
            **step_kwargs,
        )
        self.steps.append(step)
        return step

    def place_order(self, label: str = "Place order", *, skipped: bool = True) -> StepRecord:
        return self.act("click", label, places_order=True, skipped=skipped, clicks=0 if skipped else 1)

    def fail(
        self, label: str, error: str, *, action: str = "click", screenshot: str | None = None
    ) -> StepRecord:
        step = self.act(action, label, ok=False, error=error, screenshot=screenshot)
        self._failed = step
        return step

    def build(self) -> tuple[list[PageVisit], JourneyOutcome]:
        failed = self._failed
        outcome = JourneyOutcome(
            channel=self.channel,
            journey=self.name,
            checkout=self.checkout,
            completed=failed is None,
            failed_step=None if failed is None else failed.index,
            error=None if failed is None else failed.error,
            steps=list(self.steps),
            elapsed_ms=sum(s.elapsed_ms or 0.0 for s in self.steps),
            run_index=self.run_index,
        )
        return list(self.visits), outcome
