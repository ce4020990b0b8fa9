"""Presentation helpers shared by the renderers, working on scorecard JSON only.

Everything from the audited site (texts, URLs, selectors) is untrusted here:
helpers return plain strings and structured pieces and leave escaping to the
output format (Jinja autoescape, xml.etree, the Markdown escaper), and URLs are
only ever offered as links when their scheme is http or https.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

# re-exported: every renderer formats scores by the one rule
from cx_auditor.rounding import fmt_score as fmt_score

SEVERITIES = ("fail", "warn", "info")


def safe_href(url: Any) -> str | None:
    """``url`` if it may become a link (http/https only), else ``None`` (render it as text)."""
    if not isinstance(url, str) or not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") and not any(c in url for c in "\r\n\t") else None


def short_url(url: Any, base_url: str = "") -> str:
    """A compact label for a URL: drop the audited site's own origin."""
    if not isinstance(url, str):
        return ""
    if base_url and url.startswith(base_url.rstrip("/")):
        rest = url[len(base_url.rstrip("/")) :]
        return rest or "/"
    return url


def severity_counts(findings: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts = Counter(str(f.get("severity")) for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def highlight(sentence: str, needles: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``sentence`` into (text, is_match) pieces around the first needle found in it.

    The renderer escapes each piece and wraps matches in ``<mark>``; no HTML is
    ever built from the sentence itself.
    """
    for needle in needles:
        if not needle or not needle.strip():
            continue
        rx = re.compile(re.escape(needle.strip()), re.IGNORECASE)
        pieces: list[tuple[str, bool]] = []
        pos = 0
        for m in rx.finditer(sentence):
            if m.start() > pos:
                pieces.append((sentence[pos : m.start()], False))
            pieces.append((m.group(0), True))
            pos = m.end()
        if pieces:
            if pos < len(sentence):
                pieces.append((sentence[pos:], False))
            return pieces
    return [(sentence, False)]


def stat_value(value: Any, stat: str = "median") -> float | None:
    """A number from a number or a mapping of statistics (``median`` then ``value``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        for key in (stat, "value", "p75"):
            got = value.get(key)
            if isinstance(got, (int, float)) and not isinstance(got, bool) and math.isfinite(got):
                return float(got)
    return None


def fmt_number(value: Any, key: str = "") -> str:
    """Human formatting: ms as s past a second, CLS with 2-3 decimals, thousands separated."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, (int, float)):
        return str(value)
    if key.endswith("_ms"):
        return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"
    if key == "cls":
        return f"{value:.3f}"
    if key.endswith("bytes"):
        return f"{value / 1024:.0f} KB" if value >= 1024 else f"{value:.0f} B"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


#: the check's rating (``MetricValue.rating``) as the report's CSS class
_RATING_CLASS = {"good": "good", "needs-improvement": "ni", "poor": "poor"}


def rating_class(rating: Any) -> str:
    """``good`` / ``ni`` / ``poor`` for a rating the check gave, else empty (never re-rated here)."""
    return _RATING_CLASS.get(str(rating), "") if rating else ""


def metric_label(key: str) -> str:
    """Label for an untyped metric key; typed values carry their own label from the check."""
    # values are rendered with their unit ("9.7 s"), so a "_ms" suffix would only mislabel them
    return key.removesuffix("_ms").replace("_", " ")


def fmt_value(value: Any, unit: str = "") -> str:
    """A typed value with its unit: ``ms`` as s past a second, ``bytes`` as KB, scores whole."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return fmt_number(value)
    if unit == "ms":
        return fmt_number(value, "x_ms")
    if unit == "bytes":
        return fmt_number(value, "bytes")
    if unit == "":
        return f"{value:.3f}" if abs(value) < 1 else fmt_number(value)
    if unit == "ratio":
        return f"{value:.0%}"
    return fmt_number(value)


def _scope_row_key(scope: Mapping[str, Any]) -> tuple[str, str, int, str]:
    step = scope.get("step_index")
    return (
        str(scope.get("channel") or ""),
        str(scope.get("journey") or ""),
        step if isinstance(step, int) else -1,
        str(scope.get("page") or ""),
    )


def values_table(values: Any, level: str = "page") -> dict[str, Any] | None:
    """Typed values of one scope level as a table: a row per scope, a column per metric name.

    Labels, units, thresholds and ratings are the check's own (``MetricValue``);
    nothing is looked up or re-rated here, so the report always agrees with the check.
    """
    if not isinstance(values, list):
        return None
    rows: dict[tuple[str, str, int, str], dict[str, Any]] = {}
    columns: dict[str, dict[str, Any]] = {}
    for val in values:
        if not isinstance(val, Mapping) or not isinstance(val.get("name"), str):
            continue
        scope = _mapping_or_empty(val.get("scope"))
        if _scope_level(scope) != level:
            continue
        name = val["name"]
        col = columns.setdefault(name, {"key": name, "label": str(val.get("label") or metric_label(name))})
        if isinstance(val.get("thresholds"), Mapping) and "thresholds" not in col:
            col["thresholds"] = dict(val["thresholds"])
            col["unit"] = str(val.get("unit") or "")
        row = rows.setdefault(
            _scope_row_key(scope),
            {
                "channel": str(scope.get("channel") or ""),
                "url": scope.get("url") or scope.get("page") or "",
                "journey": str(scope.get("journey") or ""),
                "by_name": {},
            },
        )
        num = stat_value(val.get("value"))
        row["by_name"][name] = {
            "text": fmt_value(num, str(val.get("unit") or "")),
            "rating": rating_class(val.get("rating")),
            "value": num,
        }
    if not rows:
        return None
    names = list(columns)
    body = []
    for row in rows.values():
        by_name = row.pop("by_name")
        row["cells"] = [by_name.get(n, {"text": "–", "rating": "", "value": None}) for n in names]
        body.append(row)
    return {"columns": [columns[n] for n in names], "rows": body}


def run_values(values: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Run-wide typed values as ``(label, formatted value)`` for a check's key figures."""
    return [
        (
            str(val.get("label") or metric_label(str(val.get("name")))),
            fmt_value(stat_value(val.get("value")), str(val.get("unit") or "")),
        )
        for val in values
        if _scope_level(_mapping_or_empty(val.get("scope"))) == "run"
    ]


def journey_value_tables(values: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Journey-scoped typed values as one channel table per journey."""
    journeys = dict.fromkeys(
        str(_mapping_or_empty(val.get("scope")).get("journey"))
        for val in values
        if _scope_level(_mapping_or_empty(val.get("scope"))) == "journey"
    )
    out = []
    for name in journeys:
        mine = [val for val in values if str(_mapping_or_empty(val.get("scope")).get("journey")) == name]
        table = values_table(mine, "journey")
        if table is not None:
            out.append({"journey": name, **table})
    return out


def _mapping_or_empty(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _scope_level(scope: Mapping[str, Any]) -> str:
    if scope.get("page") is not None:
        return "page"
    if scope.get("journey") is not None:
        return "journey"
    if scope.get("channel") is not None:
        return "channel"
    return "run"


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def raw_json(value: Any) -> str:
    """Readable JSON for the raw fallback view of unknown structures."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str, sort_keys=False)


def broken_journeys(journeys: Any) -> list[dict[str, Any]]:
    """Journeys that did not complete, each with the step that stopped it and why.

    A pure reading of the scorecard's ``journeys`` (``JourneyOutcome`` as JSON), shared by
    the HTML report and the terminal so both name the same step the same way: the step
    number is 1-based (the first step is "step 1"), the label is the step's own, and the
    reason is the step's error, else the journey's. Until journey_health classifies a
    break (site vs config problem), this is the one place that decides what "broken" means.
    """
    out: list[dict[str, Any]] = []
    for j in journeys if isinstance(journeys, list) else []:
        if not isinstance(j, Mapping) or j.get("completed") is not False:
            continue
        steps = [s for s in j.get("steps") or [] if isinstance(s, Mapping)]
        failed = j.get("failed_step")
        step = None
        if isinstance(failed, int) and not isinstance(failed, bool):
            step = next((s for s in steps if s.get("index") == failed), None)
        if step is None:
            step = next((s for s in steps if s.get("ok") is False and not s.get("skipped")), None)
        index = step.get("index") if step is not None else failed
        if not isinstance(index, int) or isinstance(index, bool):
            index = len(steps)
        reason = (step.get("error") if step is not None else None) or j.get("error")
        cause = _break_cause(j)
        out.append(
            {
                "journey": str(j.get("journey") or "journey"),
                "channel": str(j.get("channel") or ""),
                "run_index": j.get("run_index") if isinstance(j.get("run_index"), int) else 0,
                "step_number": index + 1,
                "step_label": str(
                    (step.get("label") or step.get("action") or "") if step is not None else ""
                ),
                "reason": str(reason) if reason else "the step failed without an error message",
                "cause": cause,
            }
        )
    return out


def _break_cause(journey: Mapping[str, Any]) -> str:
    """``site``, ``config`` or ``unknown``: journey_health's own verdict on why a journey stopped."""
    from cx_auditor.checks.journey_health import _CAUSE, journey_verdict
    from cx_auditor.models import JourneyOutcome
    from pydantic import ValidationError

    try:
        outcome = JourneyOutcome.model_validate(journey)
    except ValidationError:
        return "unknown"
    return _CAUSE.get(journey_verdict(outcome).kind, "unknown")
