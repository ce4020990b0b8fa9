"""Turning a check's free-form ``metrics`` into things history can store and compare.

Checks publish whatever shape suits their report (nested dicts, per-page rows,
spreads of repeat runs). History needs three views of it:

* a *summary* small enough to keep for every run (numbers, short strings,
  numeric sample lists; no blobs, no screenshots);
* the *numeric leaves* under stable dotted keys, for metric deltas in ``compare``;
* the *sample series* (repeat-run measurements), for the noise-aware regression rule.

Rows of a list (``metrics["pages"]``) are keyed by what identifies them
(channel, journey, step, URL *path*), never by position or by host/port, so
the same page keeps the same key from run to run.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cx_auditor.models import CheckResult
from cx_auditor.urls import url_path

__all__ = ["Series", "flatten_numeric", "result_numbers", "sample_series", "summarise_metrics"]

#: keys that identify a row of a list of mappings, in the order they appear in the key
_IDENTITY_KEYS = ("channel", "journey", "step_index", "path", "url", "id", "name", "check", "metric")
_MAX_STR = 240
_MAX_SAMPLES = 1000
_MAX_ROWS = 500
_MAX_DEPTH = 6
_DROP = object()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _numeric_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_number(v) for v in value)


def _path_of(url: str) -> str:
    """URL without scheme/host/port (demo servers change ports between runs); other text as is."""
    return url_path(url) if urlsplit(url).scheme in ("http", "https") else url


def row_key(row: Mapping[str, Any], index: int) -> str:
    """A stable label for one row of a list of mappings."""
    parts: list[str] = []
    for key in _IDENTITY_KEYS:
        if key == "url" and "path" in row:
            continue
        value = row.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            parts.append(_path_of(value) if key == "url" and isinstance(value, str) else str(value))
    return " ".join(parts) if parts else str(index)


def summarise_metrics(value: Any, depth: int = 0) -> Any:
    """A bounded copy of ``value`` fit for storing with every run.

    Keeps numbers, booleans, short strings, numeric sample lists and small
    nested structures; drops NaN/inf, long texts and anything too deep. What
    is dropped is what history never compares.
    """
    out = _summarise(value, depth)
    return {} if out is _DROP else out


def _summarise(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, str):
        return value if len(value) <= _MAX_STR else value[: _MAX_STR - 1] + "…"
    if depth >= _MAX_DEPTH:
        return _DROP
    if isinstance(value, Mapping):
        items = ((str(k), _summarise(v, depth + 1)) for k, v in value.items())
        return {k: v for k, v in items if v is not _DROP}
    if isinstance(value, list | tuple):
        if _numeric_list(list(value)):
            return list(value)[:_MAX_SAMPLES]
        items = (_summarise(v, depth + 1) for v in list(value)[:_MAX_ROWS])
        return [v for v in items if v is not _DROP]
    return _DROP


def _walk(value: Any, prefix: str, depth: int = 0):  # type: ignore[no-untyped-def]
    """Yield ``(dotted_key, leaf)`` for every leaf, list rows keyed by identity."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, Mapping):
        yield prefix, value
        for k, v in value.items():
            yield from _walk(v, f"{prefix}.{k}" if prefix else str(k), depth + 1)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        seen: dict[str, int] = {}
        for i, row in enumerate(value):
            label = row_key(row, i)
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                label = f"{label} #{seen[label]}"
            yield from _walk(row, f"{prefix}[{label}]", depth + 1)
    else:
        yield prefix, value


def flatten_numeric(metrics: Mapping[str, Any]) -> dict[str, float]:
    """Every finite number in ``metrics`` under a stable dotted key (booleans excluded)."""
    return {k: float(v) for k, v in _walk(metrics, "") if _is_number(v)}


def result_numbers(result: CheckResult) -> dict[str, float]:
    """A result's numbers by stable key, for ``compare`` and ``trend``.

    Typed values are the contract: each under :meth:`MetricValue.key`, as the
    median of its samples when it has some, else its value. Only results
    without typed values (untyped plugins, runs recorded before them) fall back
    to the numeric leaves of the free-form ``metrics``.
    """
    if not result.values:
        return flatten_numeric(result.metrics)
    out: dict[str, float] = {}
    for v in result.values:
        number = v.stat("median")
        if number is not None and _is_number(number):
            out[v.key()] = float(number)
    return out


@dataclass(frozen=True)
class Series:
    """Repeat-run measurements of one metric: raw samples, or only their median."""

    samples: tuple[float, ...]
    median: float
    n: int
    summary_only: bool = False


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def _under_samples(key: str) -> bool:
    """A bare numeric list counts as samples only inside a ``samples`` mapping (not thresholds etc.)."""
    segments = key.replace("[", ".").split(".")
    return "samples" in segments[:-1]


def sample_series(metrics: Mapping[str, Any]) -> dict[str, Series]:
    """Repeat-run series found in ``metrics``.

    Recognised shapes: a mapping with ``samples`` (``{"samples": [...], "median": ...}``,
    keyed by the mapping), numeric lists inside a ``samples`` mapping
    (``"samples": {"lcp_ms": [1200, 1350, ...]}``), and a spread without samples
    (``{"median": .., "n": ..}``), which can only be compared by its median.
    """
    out: dict[str, Series] = {}
    for key, leaf in _walk(metrics, ""):
        if isinstance(leaf, Mapping):
            samples = leaf.get("samples")
            if isinstance(samples, list) and _numeric_list(samples):
                floats = [float(v) for v in samples]
                out[key or "samples"] = Series(tuple(floats), _median(floats), len(floats))
            elif _is_number(leaf.get("median")) and _is_number(leaf.get("n")):
                out[key] = Series((), float(leaf["median"]), int(leaf["n"]), summary_only=True)
        elif _numeric_list(leaf) and _under_samples(key):
            floats = [float(v) for v in leaf]
            out[key] = Series(tuple(floats), _median(floats), len(floats))
    return out
