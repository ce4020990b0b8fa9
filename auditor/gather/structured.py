"""Structured data as the browser saw it: schema.org items of a page, for ``PageVisit.structured_data``.

Single-page stores inject their JSON-LD by script, so it is read from the live DOM
when the journey leaves the page (after scripts ran), not from the served HTML.
JSON-LD blocks are parsed one by one in the page (a malformed block costs only
itself); microdata is read from the page's HTML with ``extruct`` (``uniform``
output is JSON-LD-shaped), only when the page uses ``itemscope``.  Served on
request (``Requirements.structured_data``), so runs whose checks do not read it
pay nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["STRUCTURED_JS", "MAX_ITEMS", "MAX_CHARS", "items_from_page", "redact_items"]

#: at most this many items per page, and this many characters of JSON in all
MAX_ITEMS = 50
MAX_CHARS = 200_000

#: the page's parsed JSON-LD blocks and, when it has microdata, its HTML
STRUCTURED_JS = """() => {
  const blocks = [];
  for (const s of document.querySelectorAll('script[type="application/ld+json" i]')) {
    let raw = (s.textContent || "").trim();
    if (raw.startsWith("<!--")) raw = raw.slice(4).replace(/-->\\s*$/, "");
    try { blocks.push(JSON.parse(raw)); } catch (e) { /* malformed: skipped */ }
    if (blocks.length >= 50) break;
  }
  const html = document.querySelector("[itemscope]") ? document.documentElement.outerHTML : null;
  return { blocks, html: html && html.length <= 3000000 ? html : null };
}"""


def items_from_page(data: dict[str, Any] | None, base_url: str | None = None) -> list[dict[str, Any]]:
    """JSON-LD-shaped items from what :data:`STRUCTURED_JS` returned, capped in count and size."""
    if not data:
        return []
    items: list[Any] = []
    for block in data.get("blocks") or []:
        items.extend(block if isinstance(block, list) else [block])
    html = data.get("html")
    if html:
        items += _microdata(html, base_url)
    out: list[dict[str, Any]] = []
    size = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        size += len(json.dumps(item, default=str))
        if size > MAX_CHARS or len(out) >= MAX_ITEMS:
            break
        out.append(item)
    return out


def _microdata(html: str, base_url: str | None) -> list[Any]:
    try:
        import extruct

        data = extruct.extract(html, base_url=base_url, syntaxes=["microdata"], uniform=True, errors="ignore")
    except Exception:  # noqa: BLE001 - extruct/lxml raise many kinds on hostile markup
        return []
    return list(data.get("microdata") or [])


def redact_items(value: Any, redact: Callable[[str], str], depth: int = 0) -> Any:
    """Every string of the items redacted (secrets never land in artifacts); nesting capped."""
    if depth > 20:
        return None
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_items(v, redact, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): redact_items(v, redact, depth + 1) for k, v in value.items()}
    return value
