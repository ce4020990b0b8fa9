"""Untyped ``metrics`` (schema-1 scorecards, old history rows, older plugins) as typed values.

Before :class:`~cx_auditor.models.MetricValue` a check published a free-form
``metrics`` dict, and budgets, history, the baseline gate and the reports each
dug into it by guesswork. Those dicts still arrive: scorecards written by older
versions, history rows recorded before typed values, and third-party checks
that return ``metrics=``. This module is the *one* place they are read: when a
:class:`~cx_auditor.models.CheckResult` is built or loaded, :func:`values_from_metrics`
turns the numbers into typed values, and every consumer reads only ``values``
and ``details`` from then on.

The shapes understood are those the budgets documentation promised:

* ``pages``: a list of rows (``channel``, ``journey``, ``step_index``, ``url``
  or ``path``), each metric in the row itself or in its ``metrics`` mapping
  -> values scoped to the page;
* ``channels.<channel>.<name>`` -> values scoped to the channel;
* ``journeys.<journey>.<channel>.<name>`` -> values scoped to the journey and channel;
* anything else -> a run-wide value named by its dotted path (``claims_per_kind.price``).

A leaf is a number, a list of numbers (samples), or a mapping of statistics
(``{"median": 1800, "p75": 2100, "n": 3}``, optionally with ``samples`` and
``rating``). A list of numbers counts as *repeat runs* (which the baseline gate
compares run against run) only under a ``samples`` key or as a mapping's
``samples``, so settings such as ``thresholds: {lcp_ms: [2500, 4000]}`` are
never mistaken for measurements. ``thresholds`` (``[good, poor]`` or
``{good, poor}`` per name) become the values' thresholds. Booleans, texts and
other structures are not numbers: they are returned as the *remainder*, which
the caller keeps as a raw detail so no data is hidden.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cx_auditor.models import Direction, MetricValue, Rating, Scope, Thresholds
from cx_auditor.urls import path_of

__all__ = ["LEGACY_DETAIL_TITLE", "STAT_KEYS", "values_from_metrics"]

#: the title of the raw detail that keeps what is not a number
LEGACY_DETAIL_TITLE = "More metrics"
#: statistics a legacy mapping may carry (besides ``value``, ``n`` and ``samples``)
STAT_KEYS = ("median", "mean", "min", "max", "p75", "p90", "p95")
#: keys that identify a page row rather than measure it
_ROW_KEYS = frozenset({"channel", "journey", "step_index", "step_label", "url", "path", "metrics", "rating"})
#: substrings of a metric name that mean higher is better (what the baseline gate used to guess)
_HIGHER_IS_BETTER = ("score",)
_MAX_DEPTH = 6

_Leaf = dict[str, Any]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numbers(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(_number(v) for v in value)


def _leaf(value: Any, *, runs: bool) -> _Leaf | None:
    """The MetricValue fields for one legacy leaf, or ``None`` when it is not a measurement."""
    if _number(value):
        return {"value": float(value)}
    if _numbers(value):
        return {"samples": [float(v) for v in value], "samples_of": "runs" if runs else "pages"}
    if not isinstance(value, Mapping):
        return None
    samples = value.get("samples")
    stats = {k: float(value[k]) for k in (*STAT_KEYS, "value", "n") if _number(value.get(k))}
    if isinstance(samples, list) and _numbers(samples):
        out: _Leaf = {"samples": [float(v) for v in samples]}
    elif any(k in stats for k in (*STAT_KEYS, "value")):
        headline = next(stats[k] for k in ("value", "median", "p75", *STAT_KEYS) if k in stats)
        out = {"value": headline, "stats": stats}
    else:
        return None
    rating = value.get("rating")
    if isinstance(rating, str) and rating in {r.value for r in Rating}:
        out["rating"] = rating
    return out


def _unit(name: str) -> str:
    """The unit a legacy name implied (the old reports formatted values by their key)."""
    low = name.rsplit(".", 1)[-1].lower()
    if low.endswith("_ms"):
        return "ms"
    if low.endswith("bytes"):
        return "bytes"
    if low.endswith("_s"):
        return "s"
    return ""


def _direction(name: str) -> Direction:
    low = name.rsplit(".", 1)[-1].lower()
    return Direction.HIGHER if any(t in low for t in _HIGHER_IS_BETTER) else Direction.LOWER


def _thresholds(raw: Any) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for name, limits in raw.items() if isinstance(raw, Mapping) else ():
        if isinstance(limits, list | tuple) and len(limits) == 2 and all(_number(x) for x in limits):
            out[str(name)] = (float(limits[0]), float(limits[1]))
        elif isinstance(limits, Mapping) and _number(limits.get("good")) and _number(limits.get("poor")):
            out[str(name)] = (float(limits["good"]), float(limits["poor"]))
    return out


class _Converter:
    def __init__(self, metrics: Mapping[str, Any], skip: frozenset[str]) -> None:
        self.skip = skip
        self.thresholds = _thresholds(metrics.get("thresholds"))
        self.values: list[MetricValue] = []

    def add(self, name: str, fields: _Leaf, scope: Scope) -> None:
        if name in self.skip:
            return
        direction = _direction(name)
        limits = self.thresholds.get(name)
        if limits is not None:
            good, poor = limits
            ordered = good < poor if direction is Direction.LOWER else good > poor
            if ordered:
                fields = {**fields, "thresholds": Thresholds(good=good, poor=poor)}
        self.values.append(
            MetricValue(name=name, unit=_unit(name), direction=direction, scope=scope, **fields)
        )

    def walk(self, value: Any, name: str, scope: Scope, *, runs: bool, depth: int = 0) -> Any:
        """Add the measurements under ``value``; return what is not one (``None`` if nothing)."""
        leaf = _leaf(value, runs=runs) if name else None
        if leaf is not None:
            self.add(name, leaf, scope)
            return None
        if isinstance(value, Mapping) and depth < _MAX_DEPTH:
            rest = {}
            for key, sub in value.items():
                under = runs or key == "samples"
                left = self.walk(
                    sub, f"{name}.{key}" if name else str(key), scope, runs=under, depth=depth + 1
                )
                if left is not None:
                    rest[str(key)] = left
            return rest or None
        return value

    def page_rows(self, rows: list[Any]) -> list[Any]:
        """Page rows as page-scoped values; rows that identify no page are returned as they are."""
        rest: list[Any] = []
        for row in rows:
            url = row.get("url") if isinstance(row.get("url"), str) else None
            path = row.get("path") if isinstance(row.get("path"), str) else None
            if url is None and path is None:
                rest.append(row)
                continue
            step = row.get("step_index")
            scope = Scope(
                channel=_text(row.get("channel")),
                journey=_text(row.get("journey")),
                step_index=step if isinstance(step, int) and not isinstance(step, bool) else None,
                page=path or (path_of(url) if url and "://" in url else url),
                url=url,
            )
            nested = row.get("metrics") if isinstance(row.get("metrics"), Mapping) else {}
            measured = {**{k: v for k, v in row.items() if k not in _ROW_KEYS}, **nested}
            left = {k: x for k, sub in measured.items() if (x := self.walk(sub, str(k), scope, runs=False))}
            if left:
                rest.append(
                    {**{k: row[k] for k in ("channel", "journey", "url", "path") if k in row}, **left}
                )
        return rest


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _is_table(value: Any) -> bool:
    """``{name: {…}, …}``: a mapping of mappings (channels, or one journey's channels)."""
    return isinstance(value, Mapping) and all(isinstance(v, Mapping) for v in value.values())


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, Mapping) for r in value)


def values_from_metrics(
    metrics: Mapping[str, Any], *, skip: frozenset[str] | set[str] = frozenset()
) -> tuple[list[MetricValue], dict[str, Any]]:
    """Typed values for the numbers of a legacy ``metrics`` dict, and the remainder.

    ``skip`` holds names the result already publishes as typed values: those are
    not converted again (a check's own typed value wins over its free-form copy,
    and converting a loaded scorecard twice adds nothing).
    """
    conv = _Converter(metrics, frozenset(skip))
    rest: dict[str, Any] = {}
    for key, value in metrics.items():
        left: Any
        if key == "pages" and _is_rows(value):
            left = conv.page_rows(value)
        elif key == "channels" and _is_table(value):
            left = {
                ch: x
                for ch, sub in value.items()
                if (x := conv.walk(sub, "", Scope(channel=str(ch)), runs=False)) is not None
            }
        elif key == "journeys" and isinstance(value, Mapping) and all(_is_table(v) for v in value.values()):
            left = {}
            for journey, per_channel in value.items():
                for ch, sub in per_channel.items():
                    scope = Scope(journey=str(journey), channel=str(ch))
                    x = conv.walk(sub, "", scope, runs=False)
                    if x is not None:
                        left.setdefault(journey, {})[ch] = x
        elif key == "thresholds":
            left = value  # settings: applied to the values above, kept for people reading them
        else:
            left = conv.walk(value, str(key), Scope(), runs=key == "samples")
        if left:
            rest[str(key)] = left
    return conv.values, rest
