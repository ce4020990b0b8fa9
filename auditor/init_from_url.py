"""Zero-config audits: a commented ``audit.yaml`` written from what a visit to the store found.

``cx-audit init --from-url URL`` writes it for a person to review; ``cx-audit run URL``
audits with it directly, as ``lighthouse URL`` does. The browser work is
:func:`cx_auditor.gather.storefront.explore`; this module only turns an
:class:`~cx_auditor.gather.storefront.Exploration` into YAML text, marking what the
explorer was unsure of with ``# UNSURE`` so a reviewer knows where to look first.

Everything taken from the page (names, headings, paths) is written as a JSON-quoted
YAML scalar or inside a comment with control characters removed, so a hostile page
cannot add keys to the config.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from cx_auditor.gather.storefront import Exploration

__all__ = ["render_config", "validate_url"]

_STEP_KEYS = (
    "goto",
    "click",
    "fill",
    "select",
    "check",
    "wait_for",
    "label",
    "channels",
    "places_order",
    "if_visible",
)


def validate_url(url: str) -> str:
    """The store's base URL (scheme and host, plus any path prefix), or a ValueError in words."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) address like https://shop.example.com")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _comment(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]+", " ", text)[:200]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # JSON strings are YAML flow scalars; `${` would be read as an environment variable,
    # so page-derived text never carries one (our own password placeholder is kept).
    text = str(value)
    if "${" in text and not text.startswith("${CX_AUDIT_PASSWORD:-"):
        text = text.replace("${", "$ {")
    return json.dumps(text, ensure_ascii=False)


def _step_lines(step: dict[str, Any]) -> list[str]:
    lines = []
    note = step.get("_note")
    if note:
        lines.append(f"      # {_comment(note)}")
    first = True
    for key in _STEP_KEYS:
        if key not in step:
            continue
        value = step[key]
        if isinstance(value, list):
            rendered = "[" + ", ".join(_scalar(v) for v in value) + "]"
        elif isinstance(value, dict):
            inner = ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
            rendered = f"{{{inner}}}"
        else:
            rendered = _scalar(value)
        lines.append(f"      {'- ' if first else '  '}{key}: {rendered}")
        first = False
    return lines


def render_config(found: Exploration) -> str:
    """The commented audit.yaml for what :func:`explore` found."""
    host = urlsplit(found.base_url).netloc
    out = [
        f"# audit.yaml written by `cx-audit init --from-url {found.base_url}`.",
        "# Every journey below was found by visiting the store; review it before relying on it.",
        "# Lines marked UNSURE were chosen on weak evidence: check those selectors first.",
        "# Clicks and fills act on the first *visible* match, on every channel.",
    ]
    if found.platform:
        out.append(f"# Shop platform recognised: {_comment(found.platform)}.")
    reached = ", ".join(f"{c}: {r}" for c, r in found.reached_by_channel.items()) or found.reached
    out.append(
        f"# The purchase journey reached ({reached}) of home, category, product, cart, checkout, review."
    )
    out.append("# Steps with `channels:` were found on those channels only.")
    for note in found.notes:
        out.append(f"# Note: {_comment(note)}")
    out += [
        "site:",
        f"  name: {_scalar(host)}",
        f"  base_url: {_scalar(found.base_url)}",
        "",
        "channels:",
        "  desktop:",
        "    preset: desktop",
        "  mobile:",
        "    preset: mobile",
        "",
        "journeys:",
    ]
    if len(found.steps) > 1:
        out += [
            "  - name: purchase",
            f"    checkout: {'true' if found.reached in ('checkout', 'review') else 'false'}",
            "    steps:",
        ]
        for step in found.steps:
            out += _step_lines(step)
    pages = [(k, p) for k, p in found.pages.items() if p.href]
    out += ["  - name: help-and-contact", "    steps:", "      - goto: /", "        label: Home"]
    for kind, page in pages:
        parts = urlsplit(page.href or "")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sure = "" if page.score >= 5 else "UNSURE "
        out.append(f"      # {sure}{kind} page: {_comment(page.name)!r} ({_comment('; '.join(page.why))})")
        out.append(f"      - goto: {_scalar(path)}")
        out.append(f"        label: {_scalar(kind.capitalize())}")
    if not pages:
        out.append("      # no contact, help, FAQ or returns page was recognised: add them here")
    out += [
        "",
        "collect:",
        "  runs: 1",
        "",
    ]
    return "\n".join(out)


def config_from_url(url: str, choice: Any, *, timeout_ms: int = 15_000) -> tuple[str, Exploration]:
    """Visit the store at ``url`` and return the audit.yaml text for it, and what was found.

    A store that cannot be reached is an :class:`~cx_auditor.errors.UnreachableError`
    (exit 3 from the CLI), never a traceback.
    """
    from cx_auditor.errors import UnreachableError
    from cx_auditor.gather.storefront import explore_sync

    base = validate_url(url)
    try:
        found = explore_sync(base, choice, timeout_ms=timeout_ms)
    except Exception as exc:  # noqa: BLE001 - a store that is down is a message, not a crash
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnreachableError(
            f"Could not explore {base}: {first}",
            hint="Check that the store is up and the address is right; `cx-audit doctor` checks the browser.",
        ) from None
    return render_config(found), found
