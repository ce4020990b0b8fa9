"""The HTML scorecard: one self-contained file a CX lead can open anywhere.

Rendered with Jinja2 from the scorecard JSON *alone* (as Lighthouse renders from
its JSON result), plus screenshots inlined as ``data:`` URIs from the artifacts
folder. No CDN, no web fonts, no external requests: CSS and SVG are inline, and
a strict Content-Security-Policy (hash-pinned script and style) guarantees that
nothing copied from the audited site can ever execute. Filtering is a small
progressive enhancement: with scripts off every finding is visible.

Per-channel scores in the channel x check matrix are the check's typed ``score``
values: the one scoped to the channel, else the mean of the channel's page or
journey scores; where a check publishes none, the cell shows that channel's
finding counts by severity only. The report reads only typed ``values`` and
``details``: a scorecard (or a dict) is loaded through :class:`Scorecard` first,
which types the ``metrics`` of untyped checks and older files
(:mod:`cx_auditor.legacy_metrics`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from cx_auditor.models import Scorecard
from cx_auditor.reports import _view as v
from cx_auditor.reports._atomic import write_atomic
from cx_auditor.rounding import fmt_budget_value, is_score_budget
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

TEMPLATE = "report.html.j2"
#: screenshots larger than this are not inlined (the report stays mailable)
MAX_IMAGE_BYTES = 4 * 1024 * 1024
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_STATUS_LABEL = {
    "pass": "Passed",
    "warn": "Warnings",
    "fail": "Failed",
    "error": "Error",
    "skipped": "Skipped",
}
_SEVERITY_LABEL = {"fail": "Failures", "warn": "Warnings", "info": "Notes"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cx_auditor.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "xml"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = v.fmt_number
    env.filters["safe_href"] = v.safe_href
    env.globals["gauge"] = gauge
    return env


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    folder = Path(__file__).parent / "templates"
    return (folder / "report.css").read_text(encoding="utf-8"), (folder / "report.js").read_text(
        encoding="utf-8"
    )


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(scorecard_json: Mapping[str, Any] | Scorecard, *, artifacts_dir: Path | None = None) -> str:
    """The report as one HTML string (deterministic for a given input)."""
    data = _typed(scorecard_json)
    css, js = _assets()
    view = build_view(data, artifacts_dir=artifacts_dir)
    # screenshots ride in the hash-pinned style block, one rule per distinct image
    css_block, js_block = "\n" + css + view["image_css"], "\n" + js
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css_block)}; script-src {_csp_hash(js_block)}; "
        "base-uri 'none'; form-action 'none'"
    )
    return _environment().get_template(TEMPLATE).render(r=view, css=css_block, js=js_block, csp=csp)


def _typed(scorecard: Mapping[str, Any] | Scorecard) -> Mapping[str, Any]:
    """The scorecard as JSON, loaded through the model so untyped ``metrics`` are typed.

    A dict that is not a valid scorecard is drawn as it is, as far as it goes.
    """
    data = scorecard.model_dump(mode="json") if isinstance(scorecard, Scorecard) else scorecard
    try:
        return Scorecard.model_validate(data).model_dump(mode="json")
    except ValidationError:
        return data


def write_html(
    scorecard_json: Mapping[str, Any] | Scorecard, path: Path, *, artifacts_dir: Path | None = None
) -> Path:
    """Render and write the report atomically."""
    return write_atomic(Path(path), render_html(scorecard_json, artifacts_dir=artifacts_dir))


# ---------------------------------------------------------------------------
# View model: everything the template needs, computed once in Python
# ---------------------------------------------------------------------------


def build_view(data: Mapping[str, Any], *, artifacts_dir: Path | None = None) -> dict[str, Any]:
    meta = data.get("meta") or {}
    base_url = str(meta.get("base_url") or "")
    results = [r for r in data.get("results") or [] if isinstance(r, Mapping)]
    images = _ImageStore(artifacts_dir)
    channels = _channels(meta, results)
    checks = [_check_view(r, base_url, images) for r in results]
    all_findings = [f for c in checks for f in c["findings"]]
    journeys = data.get("journeys") or []
    gate = _mapping(data.get("gate"))
    budgets = [b for b in gate.get("budgets") or [] if isinstance(b, Mapping)]
    return {
        "site": str(meta.get("site") or "Unnamed site"),
        "base_url": base_url,
        "base_href": v.safe_href(base_url),
        "started_at": str(meta.get("started_at") or ""),
        "date": str(meta.get("started_at") or "")[:10],
        "meta": meta,
        "run_id": str(data.get("run_id") or ""),
        "schema_version": data.get("schema_version"),
        "score": _num(data.get("score")),
        "score_text": v.fmt_score(data.get("score")),
        "grade": data.get("grade") or "–",
        "channels": channels,
        "checks": checks,
        "totals": v.severity_counts(all_findings),
        "finding_total": len(all_findings),
        "gate": {
            "passed": bool(gate.get("passed", True)),
            "has_budgets": bool(budgets) or bool(gate.get("baseline")),
            "failed": [
                _budget_view(b, base_url)
                for b in budgets
                if not b.get("passed") and b.get("level", "error") == "error"
            ],
            "warnings": [
                _budget_view(b, base_url) for b in budgets if not b.get("passed") and b.get("level") == "warn"
            ],
            "passed_budgets": [_budget_view(b, base_url) for b in budgets if b.get("passed")],
        },
        "matrix": _matrix(results, channels),
        "load_table": _load_table(results, base_url),
        "journeys": _journeys(journeys, base_url, images, _visit_screenshots(artifacts_dir)),
        "broken": v.broken_journeys(journeys),
        "top_findings": _top_findings(checks),
        "image_css": images.css(),
        "image_count": len(images.images),
        "filter_channels": sorted({c for f in all_findings for c in f["channels"].split()}),
        "severity_labels": _SEVERITY_LABEL,
    }


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one: the JSON may come from anywhere."""
    return value if isinstance(value, Mapping) else {}


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _channels(meta: Mapping[str, Any], results: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Channels in config order, then channels only findings mention (e.g. ``email`` documents)."""
    declared = [c for c in meta.get("channels") or [] if isinstance(c, Mapping) and c.get("name")]
    seen = {str(f.get("channel")) for r in results for f in r.get("findings") or [] if f.get("channel")}
    names = [str(c["name"]) for c in declared]
    extra = sorted(seen - set(names))
    out = []
    for c in declared:
        if c.get("kind") == "documents" and extra and c["name"] not in seen:
            continue  # documents are reported under their own channels (email, sms...)
        out.append(
            {
                "name": str(c["name"]),
                "label": str(c.get("label") or c["name"]),
                "kind": str(c.get("kind") or "browser"),
                "mobile": bool(c.get("mobile")),
            }
        )
    out.extend({"name": n, "label": n, "kind": "documents", "mobile": False} for n in extra)
    return out


def _finding_view(f: Mapping[str, Any], base_url: str, images: _ImageStore) -> dict[str, Any]:
    evidence = _mapping(f.get("evidence"))
    details = [d for d in f.get("details") or [] if isinstance(d, Mapping)]
    typed_variants = next((d for d in details if d.get("type") == "variants"), None)
    if typed_variants is not None:
        variants = _variants_from_detail(typed_variants, base_url)
    else:  # a finding without typed details (untyped plugin, schema-1 file)
        variants = _variants(evidence.get("variants"), base_url)
    # what is drawn above (the variants) is not repeated in the raw view
    rest = {str(k): val for k, val in evidence.items() if not (k == "variants" and variants)}
    url = f.get("url")
    return {
        "severity": str(f.get("severity") or "info"),
        "message": str(f.get("message") or ""),
        "rule": str(f.get("rule") or ""),
        "check": str(f.get("check") or ""),
        "channel": str(f.get("channel") or ""),
        "channels": " ".join(sorted(_finding_channels(f))),
        "url": url if isinstance(url, str) else "",
        "url_label": v.short_url(url, base_url),
        "href": v.safe_href(url),
        "fingerprint": str(f.get("fingerprint") or ""),
        "variants": variants,
        "details": [_detail_view(d, base_url) for d in details if d is not typed_variants],
        # the raw record, for tools and the curious only: behind a toggle, as JSON
        "raw_evidence": v.raw_json(rest) if rest else None,
        "pages": _finding_pages(f, base_url),
        "screenshot": images.image(f.get("screenshot") or evidence.get("screenshot")),
    }


_SEVERITY_RANK = {"fail": 0, "warn": 1, "info": 2}


def _finding_pages(f: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
    """The pages a finding concerns: its own URL and the ``pages`` its evidence lists."""
    seen: dict[str, dict[str, Any]] = {}
    urls: list[Any] = [f.get("url")]
    pages = _mapping(f.get("evidence")).get("pages")
    for page in pages if isinstance(pages, list) else []:
        urls.append(page.get("url") if isinstance(page, Mapping) else page)
    for url in urls:
        if isinstance(url, str) and url and url not in seen:
            seen[url] = {"label": v.short_url(url, base_url), "href": v.safe_href(url)}
    return list(seen.values())


def _rule_groups(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings grouped by rule, worst first: count, worst severity, channels and pages affected."""
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_rule.setdefault(f["rule"] or "(no rule)", []).append(f)
    groups = []
    for rule, items in by_rule.items():
        items.sort(key=lambda f: _SEVERITY_RANK.get(f["severity"], 3))
        pages: dict[str, dict[str, Any]] = {}
        for f in items:
            for page in f["pages"]:
                pages.setdefault(page["label"], page)
        groups.append(
            {
                "rule": rule,
                "severity": items[0]["severity"],
                "findings": items,
                "counts": v.severity_counts(items),
                "channels": sorted({c for f in items for c in f["channels"].split()}),
                "pages": list(pages.values()),
            }
        )
    groups.sort(key=lambda g: (_SEVERITY_RANK.get(g["severity"], 3), -len(g["findings"]), g["rule"]))
    return groups


#: how many findings the report's opening lists before the per-check sections
TOP_FINDINGS = 5


def _top_findings(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings with the most impact: failures first, then from the lowest-scoring checks,
    then those touching the most pages; one per rule so the list is not one rule repeated."""
    picked: list[dict[str, Any]] = []
    rules: set[tuple[str, str]] = set()
    ranked = sorted(
        ((f, c) for c in checks for f in c["findings"] if f["severity"] in ("fail", "warn")),
        key=lambda fc: (
            _SEVERITY_RANK.get(fc[0]["severity"], 3),
            fc[1]["score"] if fc[1]["score"] is not None else 100.0,
            -len(fc[0]["pages"]),
        ),
    )
    for f, c in ranked:
        if (c["id"], f["rule"]) in rules:
            continue
        rules.add((c["id"], f["rule"]))
        picked.append({**f, "check_title": c["title"], "anchor": c["anchor"]})
        if len(picked) == TOP_FINDINGS:
            break
    return picked


def _quote_view(q: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    return {
        "channel": str(q.get("channel") or ""),
        "url": str(q.get("url") or ""),
        "url_label": v.short_url(q.get("url"), base_url) or str(q.get("source") or ""),
        "href": v.safe_href(q.get("url")),
        "pieces": v.highlight(str(q.get("text") or ""), [str(q.get("highlight") or "")]),
    }


def _variants_from_detail(detail: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
    """A typed ``variants`` detail in the same side-by-side view as the untyped evidence."""
    out = []
    for variant in detail.get("variants") or []:
        if not isinstance(variant, Mapping):
            continue
        seen = [_quote_view(q, base_url) for q in variant.get("quotes") or [] if isinstance(q, Mapping)]
        out.append(
            {
                "display": str(variant.get("value") or ""),
                "seen": seen,
                "channels": sorted({s["channel"] for s in seen if s["channel"]}),
            }
        )
    return out


def _cell_view(value: Any, kind: str, base_url: str) -> dict[str, Any]:
    if kind == "url":
        return {
            "text": v.short_url(value, base_url) if isinstance(value, str) else "–",
            "href": v.safe_href(value),
        }
    if kind in ("ms", "bytes"):
        return {"text": v.fmt_value(value, kind), "href": None}
    return {"text": "–" if value is None else v.fmt_number(value), "href": None}


def _detail_view(d: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """Any typed detail, drawn generically: a table, quotes, variants, or raw JSON for the rest."""
    kind = str(d.get("type") or "raw")
    title = str(d.get("title") or "")
    if kind == "table":
        columns = [c for c in d.get("columns") or [] if isinstance(c, Mapping) and c.get("key")]
        rows = [r for r in d.get("rows") or [] if isinstance(r, Mapping)]
        return {
            "type": "table",
            "title": title,
            "columns": [str(c.get("label") or c["key"]) for c in columns],
            "rows": [
                [_cell_view(r.get(c["key"]), str(c.get("kind") or "text"), base_url) for c in columns]
                for r in rows
            ],
        }
    if kind == "evidence":
        quotes = [_quote_view(q, base_url) for q in d.get("quotes") or [] if isinstance(q, Mapping)]
        return {"type": "evidence", "title": title, "quotes": quotes}
    if kind == "variants":
        return {"type": "variants", "title": title, "variants": _variants_from_detail(d, base_url)}
    return {"type": "raw", "title": title, "text": v.raw_json(d.get("data", d))}


def _variants(raw: Any, base_url: str) -> list[dict[str, Any]]:
    """Messaging variants, each with the sentences it was seen in, claim highlighted."""
    if not isinstance(raw, list):
        return []
    out = []
    for variant in raw:
        if not isinstance(variant, Mapping):
            continue
        display = str(variant.get("display") or variant.get("value") or "")
        needles = [display, str(variant.get("value") or "")]
        seen = []
        for s in variant.get("seen") or []:
            if not isinstance(s, Mapping):
                continue
            sentence = str(s.get("sentence") or "")
            seen.append(
                {
                    "channel": str(s.get("channel") or ""),
                    "url": str(s.get("url") or ""),
                    "url_label": v.short_url(s.get("url"), base_url),
                    "href": v.safe_href(s.get("url")),
                    "pieces": v.highlight(sentence, needles),
                }
            )
        out.append(
            {
                "display": display,
                "seen": seen,
                "channels": sorted({s["channel"] for s in seen if s["channel"]}),
            }
        )
    return out


def _check_view(r: Mapping[str, Any], base_url: str, images: _ImageStore) -> dict[str, Any]:
    findings = [_finding_view(f, base_url, images) for f in r.get("findings") or [] if isinstance(f, Mapping)]
    # the typed contract: labels, units and ratings are the check's; untyped ``metrics``
    # were typed when the scorecard was loaded (what is not a number is a raw detail)
    values = [val for val in r.get("values") or [] if isinstance(val, Mapping)]
    details = [d for d in r.get("details") or [] if isinstance(d, Mapping)]
    status = str(r.get("status") or "pass")
    return {
        "id": str(r.get("check") or ""),
        "anchor": "check-" + _slug(str(r.get("check") or "")),
        "title": str(r.get("title") or r.get("check") or ""),
        "description": str(r.get("description") or ""),
        "score": _num(r.get("score")),
        "score_text": v.fmt_score(r.get("score")),
        "status": status,
        "status_label": _STATUS_LABEL.get(status, status),
        "error": r.get("error"),
        "weight": r.get("weight"),
        "duration_ms": _num(r.get("duration_ms")),
        "findings": findings,
        "groups": _rule_groups(findings),
        "counts": v.severity_counts(findings),
        "key_metrics": v.run_values(values),
        "details": [_detail_view(d, base_url) for d in details],
        "channel_table": v.values_table(values, "channel"),
        "journey_tables": v.journey_value_tables(values),
    }


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()) or "x"


def _budget_view(b: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    key = _budget_metric_key(str(b.get("id") or ""))
    return {
        "description": str(b.get("description") or b.get("id") or ""),
        "actual": _budget_value(
            b.get("actual"), key, failed=not b.get("passed"), budget_id=str(b.get("id") or "")
        ),
        "limit": _budget_value(b.get("limit"), key, budget_id=str(b.get("id") or "")),
        "url_label": v.short_url(b.get("url"), base_url) if b.get("url") else "",
        "level": str(b.get("level") or "error"),
    }


def _budget_metric_key(budget_id: str) -> str:
    """``metric:load_time.lcp_ms[mobile]`` -> ``lcp_ms`` (to format values with their unit)."""
    if not budget_id.startswith("metric:"):
        return ""
    return budget_id[len("metric:") :].split("[", 1)[0].rsplit(".", 1)[-1]


def _budget_value(value: Any, key: str = "", *, failed: bool = False, budget_id: str = "") -> str:
    if value is None:
        return "no score" if failed else "not measured"
    if is_score_budget(budget_id):  # scores by the one rule the terminal and Markdown use
        return fmt_budget_value(budget_id, value)
    if isinstance(value, list):
        return " – ".join(_budget_value(x, key) for x in value)
    return v.fmt_number(value, key)


def _matrix(results: list[Mapping[str, Any]], channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in results:
        findings = [f for f in r.get("findings") or [] if isinstance(f, Mapping)]
        cells = []
        for ch in channels:
            counts = v.severity_counts(f for f in findings if ch["name"] in _finding_channels(f))
            score = _typed_channel_score(r.get("values"), ch["name"])
            applies = score is not None or any(counts.values()) or _measures(r, ch)
            cells.append(
                {
                    "score": v.fmt_score(score) if score is not None else None,
                    "counts": counts,
                    "channel": ch["label"],
                    "tone": _tone(score, counts, str(r.get("status") or "")) if applies else "muted",
                    "applies": applies,
                }
            )
        rows.append(
            {
                "title": str(r.get("title") or r.get("check")),
                "anchor": "check-" + _slug(str(r.get("check"))),
                "status": str(r.get("status") or ""),
                "cells": cells,
            }
        )
    return rows


def _measures(r: Mapping[str, Any], channel: Mapping[str, Any]) -> bool:
    """Whether a check looked at a channel it has neither a score nor a finding for.

    Browser channels are what every check reads, so "no findings" there is a real result.
    A documents channel (email, SMS copy) only counts when the check published some value
    scoped to it; otherwise the check does not apply there (load time of an email) and the
    matrix says "n/a" rather than a reassuring "no findings".
    """
    if channel.get("kind") != "documents":
        return True
    values = r.get("values")
    return (
        any(
            isinstance(val, Mapping) and _mapping(val.get("scope")).get("channel") == channel.get("name")
            for val in values
            if isinstance(values, list)
        )
        if isinstance(values, list)
        else False
    )


def _finding_channels(f: Mapping[str, Any]) -> set[str]:
    """The channels a finding concerns: its own, or, for cross-channel findings (a claim that
    reads differently on mobile and in email), every channel named in its evidence."""
    if f.get("channel"):
        return {str(f["channel"])}
    found: set[str] = set()
    evidence = _mapping(f.get("evidence"))
    for variant in evidence.get("variants") or []:
        if isinstance(variant, Mapping):
            for seen in variant.get("seen") or []:
                if isinstance(seen, Mapping) and seen.get("channel"):
                    found.add(str(seen["channel"]))
    for key in ("pages", "occurrences"):
        for item in evidence.get(key) or []:
            if isinstance(item, Mapping) and item.get("channel"):
                found.add(str(item["channel"]))
    for key in ("channels", "seen_on"):
        value = evidence.get(key)
        if isinstance(value, list):
            found.update(str(c) for c in value if isinstance(c, str))
    return found


def _typed_channel_score(values: Any, channel: str) -> float | None:
    """The check's ``score`` value for ``channel``: channel-scoped, else the mean of its
    page- or journey-scoped scores."""
    own: list[float] = []
    nested: list[float] = []
    for val in values if isinstance(values, list) else []:
        if not isinstance(val, Mapping) or val.get("name") != "score":
            continue
        scope = _mapping(val.get("scope"))
        score = v.stat_value(val.get("value"))
        if scope.get("channel") != channel or score is None:
            continue
        (nested if scope.get("page") is not None or scope.get("journey") is not None else own).append(score)
    if own:
        return own[0]
    return sum(nested) / len(nested) if nested else None


def _tone(score: float | None, counts: dict[str, int], status: str) -> str:
    if status in ("error", "skipped"):
        return "muted"
    if score is not None:
        return "good" if score >= 90 else ("ni" if score >= 50 else "poor")
    if counts["fail"]:
        return "poor"
    if counts["warn"]:
        return "ni"
    return "good"


def _load_table(results: list[Mapping[str, Any]], base_url: str) -> dict[str, Any] | None:
    """Per page/channel load metrics from the ``load_time`` result, with an LCP chart when present."""
    result = next((r for r in results if r.get("check") == "load_time"), None)
    if result is None:
        return None
    # typed values carry the check's own labels, units, thresholds and ratings
    table = v.values_table(result.get("values"), "page")
    if table is None:
        return None
    for row in table["rows"]:
        row["url_label"] = v.short_url(row["url"], base_url)
        row["href"] = v.safe_href(row["url"])
    return {"table": table, "raw": None, "chart": _bar_chart(table, "lcp_ms")}


def _bar_chart(table: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Horizontal bars of one metric per row, with the good/poor thresholds drawn as lines."""
    cols = [c["key"] for c in table["columns"]]
    if key not in cols:
        return None
    idx = cols.index(key)
    column = table["columns"][idx]
    limits = column.get("thresholds") or {}
    good, poor = float(limits.get("good") or 0), float(limits.get("poor") or 0)
    unit = str(column.get("unit") or "")
    bars = [
        (row, row["cells"][idx]["value"]) for row in table["rows"] if row["cells"][idx]["value"] is not None
    ]
    if not bars:
        return None
    top = max(max(val for _, val in bars), poor) * 1.08
    width, label_w, row_h = 640, 230, 22
    scale = (width - label_w - 70) / top if top > 0 else 0
    items = [
        {
            "label": f"{row['channel']} · {row['url_label']}"[:42],
            "y": i * row_h + 6,
            "w": max(1.0, round(val * scale, 1)),
            "text": v.fmt_value(val, unit) if unit or limits else v.fmt_number(val, key),
            "rating": row["cells"][idx]["rating"],  # the check's rating of this very cell
        }
        for i, (row, val) in enumerate(bars)
    ]
    return {
        "title": f"{column['label']} by page and channel (median)",
        "bars": items,
        "height": len(items) * row_h + 30,
        "width": width,
        "x0": label_w,
        "lines": [
            {
                "x": label_w + round(t * scale, 1),
                "label": v.fmt_value(t, unit) if limits else v.fmt_number(t, key),
            }
            for t in (good, poor)
            if t
        ],
        "bottom": len(items) * row_h + 8,
    }


def _journeys(
    raw: Any, base_url: str, images: _ImageStore, visit_shots: Mapping[str, str]
) -> list[dict[str, Any]]:
    out = []
    raw = raw if isinstance(raw, list) else []
    for j in raw:
        if not isinstance(j, Mapping):
            continue
        steps = [s for s in j.get("steps") or [] if isinstance(s, Mapping)]
        longest = max((_num(s.get("elapsed_ms")) or 0.0 for s in steps), default=0.0) or 1.0
        out.append(
            {
                "title": f"{j.get('journey') or 'journey'} · {j.get('channel') or ''}",
                "channel": str(j.get("channel") or ""),
                "run_index": j.get("run_index") or 0,
                "completed": bool(j.get("completed")),
                "checkout": bool(j.get("checkout")),
                "error": j.get("error"),
                "elapsed_ms": _num(j.get("elapsed_ms")),
                "steps": [_step_view(s, longest, base_url, images, visit_shots) for s in steps],
            }
        )
    return out


def _step_view(
    s: Mapping[str, Any], longest: float, base_url: str, images: _ImageStore, visit_shots: Mapping[str, str]
) -> dict[str, Any]:
    elapsed = _num(s.get("elapsed_ms"))
    state = "skipped" if s.get("skipped") else ("ok" if s.get("ok", True) else "failed")
    return {
        "index": s.get("index"),
        "action": str(s.get("action") or ""),
        "label": str(s.get("label") or s.get("action") or ""),
        "state": state,
        "error": s.get("error"),
        "elapsed": v.fmt_number(elapsed, "elapsed_ms") if elapsed is not None else "",
        "bar": round(120 * elapsed / longest, 1) if elapsed else 0,
        "url_label": v.short_url(s.get("url"), base_url),
        "href": v.safe_href(s.get("url")),
        "places_order": bool(s.get("places_order")),
        "number": s["index"] + 1 if isinstance(s.get("index"), int) else None,
        # the step's own screenshot (taken on failure), else the page it left the browser on
        "screenshot": images.image(s.get("screenshot"))
        or images.image(visit_shots.get(s["visit_id"]) if isinstance(s.get("visit_id"), str) else None),
    }


def gauge(score: float | None, size: int = 120, label: str = "") -> dict[str, Any]:
    """Geometry for a circular score gauge (rendered as inline SVG by the template)."""
    radius = size / 2 - size / 12
    circumference = 2 * math.pi * radius
    value = max(0.0, min(100.0, score)) if score is not None else 0.0
    tone = "muted" if score is None else ("good" if value >= 90 else ("ni" if value >= 50 else "poor"))
    return {
        "size": size,
        "c": size / 2,
        "r": round(radius, 2),
        "stroke": round(size / 12, 2),
        "circ": round(circumference, 2),
        "dash": round(circumference * value / 100, 2),
        "tone": tone,
        "text": v.fmt_score(score),
        "label": label or ("not scored" if score is None else f"score {v.fmt_score(score)} out of 100"),
        "font": round(size * (0.3 if len(v.fmt_score(score)) <= 3 else 0.24)),
    }


class _ImageStore:
    """Screenshots read once from the artifacts folder and embedded once each.

    Paths come from the scorecard and are treated as untrusted: only files inside
    the artifacts folder with a known raster image signature are embedded. Each
    distinct image (by content hash: journeys on two channels often capture the
    same page) becomes one CSS rule with its data URI, and every place that shows
    it refers to that rule's class, so the report carries each image once.
    """

    def __init__(self, root: Path | None) -> None:
        self.root = Path(root).resolve() if root else None
        self.cache: dict[str, dict[str, Any] | None] = {}
        #: class name -> (data URI, width, height), in first-use order
        self.images: dict[str, tuple[str, int, int]] = {}

    def image(self, rel: Any) -> dict[str, Any] | None:
        """``{"cls", "ratio"}`` for a screenshot path, or ``None`` when it cannot be embedded."""
        if not self.root or not isinstance(rel, str) or not rel:
            return None
        if rel not in self.cache:
            self.cache[rel] = self._load(rel)
        return self.cache[rel]

    def data_uri(self, rel: Any) -> str | None:
        """The data URI of a screenshot (kept for callers that need the bytes themselves)."""
        got = self.image(rel)
        return self.images[got["cls"]][0] if got else None

    def css(self) -> str:
        """One rule per distinct image; the template refers to them by class."""
        return "".join(
            f"\n.{cls}{{background-image:url({uri})}}.shot-big.{cls}{{aspect-ratio:{w}/{h}}}"
            for cls, (uri, w, h) in self.images.items()
        )

    def _load(self, rel: str) -> dict[str, Any] | None:
        assert self.root is not None
        try:
            path = (self.root / rel).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                return None
            if path.stat().st_size > MAX_IMAGE_BYTES:
                return None
            blob = path.read_bytes()
        except (OSError, ValueError):
            return None
        mime = next((m for magic, m in _IMAGE_MAGIC if blob.startswith(magic)), None)
        if mime is None and blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
            mime = "image/webp"
        if mime is None:
            return None
        cls = "img-" + hashlib.sha256(blob).hexdigest()[:16]
        width, height = _image_size(blob)
        if cls not in self.images:
            uri = "data:" + mime + ";base64," + base64.b64encode(blob).decode("ascii")
            self.images[cls] = (uri, width, height)
        return {"cls": cls, "width": width, "height": height}


def _image_size(blob: bytes) -> tuple[int, int]:
    """Pixel size of a PNG, GIF or JPEG from its header; a 16:10 guess for anything else."""
    if blob.startswith(b"\x89PNG") and len(blob) >= 24:
        return int.from_bytes(blob[16:20], "big") or 16, int.from_bytes(blob[20:24], "big") or 10
    if blob.startswith(b"GIF") and len(blob) >= 10:
        return int.from_bytes(blob[6:8], "little") or 16, int.from_bytes(blob[8:10], "little") or 10
    if blob.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(blob) and blob[pos] == 0xFF:
            marker, length = blob[pos + 1], int.from_bytes(blob[pos + 2 : pos + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height = int.from_bytes(blob[pos + 5 : pos + 7], "big")
                width = int.from_bytes(blob[pos + 7 : pos + 9], "big")
                return (width or 16), (height or 10)
            pos += 2 + length
    return 16, 10


def _visit_screenshots(root: Path | None) -> dict[str, str]:
    """``visit id -> screenshot path`` from the artifacts' ``visits.jsonl``, so journey
    timelines show the page after every step, not only after a failed one."""
    if root is None:
        return {}
    out: dict[str, str] = {}
    try:
        with (Path(root) / "visits.jsonl").open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    visit = json.loads(line)
                except ValueError:
                    continue
                if isinstance(visit, dict) and isinstance(visit.get("id"), str):
                    shot = visit.get("screenshot")
                    if isinstance(shot, str) and shot:
                        out[visit["id"]] = shot
    except OSError:
        return {}
    return out
