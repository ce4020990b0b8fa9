"""A short Markdown summary for a pull-request comment or a CI step summary.

Texts from the audited site are untrusted: :func:`md_escape` neutralises
Markdown syntax, HTML tags and table pipes so a hostile page cannot inject
links, images or markup into a PR comment.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from cx_auditor.models import BudgetOutcome, Scorecard, Severity, Status
from cx_auditor.reports._atomic import write_atomic
from cx_auditor.reports._view import short_url
from cx_auditor.rounding import fmt_budget_value, fmt_score

MAX_TOP_FINDINGS = 10
_STATUS_ICON = {"pass": "✅", "warn": "⚠️", "fail": "❌", "error": "💥", "skipped": "⏭️"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def md_escape(text: Any, *, limit: int = 300) -> str:
    """Escape untrusted text for inline Markdown (also inside table cells)."""
    s = "" if text is None else str(text)
    s = " ".join(s.split())  # newlines would break tables and lists
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def render_markdown(scorecard: Scorecard | dict[str, Any]) -> str:
    """The summary as Markdown text."""
    card = scorecard if isinstance(scorecard, Scorecard) else Scorecard.model_validate(scorecard)
    lines = [f"## CX audit: {md_escape(card.meta.site)}", ""]
    score = fmt_score(card.score)
    lines.append(
        f"**Overall score {score}/100 · grade {card.grade or '–'}** · "
        f"{_verdict(card)} · {len(card.findings())} findings · run `{md_escape(card.run_id)}`"
    )
    lines.append("")
    if not card.meta.complete:
        reason = f" ({md_escape(card.meta.incomplete_reason)})" if card.meta.incomplete_reason else ""
        lines += [
            f"> ⚠️ **Incomplete run**{reason}: scores judge only what was gathered before it stopped.",
            "",
        ]
    lines += _budget_lines("Failed budgets", card.gate.failed, card.meta.base_url)
    lines += _budget_lines("Budget warnings", card.gate.warnings, card.meta.base_url)
    lines += _check_table(card)
    lines += _top_findings(card)
    return "\n".join(lines).rstrip() + "\n"


def _verdict(card: Scorecard) -> str:
    if not card.gate.budgets:
        return "No gate set (no budgets)"
    return "✅ gate passed" if card.gate.passed else "❌ **gate failed**"


def _short(url: str | None, base_url: str) -> str:
    return short_url(url, base_url) if url else ""


def _budget_lines(title: str, budgets: list[BudgetOutcome], base_url: str = "") -> list[str]:
    if not budgets:
        return []
    out = [f"### {title}", "", "| Budget | Actual | Limit |", "|---|---:|---:|"]
    for b in budgets:
        where = f" ({md_escape(_short(b.url, base_url))})" if b.url else ""
        actual, limit = (md_escape(fmt_budget_value(b.id, x)) for x in (b.actual, b.limit))
        out.append(f"| {md_escape(b.description)}{where} | {actual} | {limit} |")
    return out + [""]


def _check_table(card: Scorecard) -> list[str]:
    out = [
        "### Checks",
        "",
        "| Check | Score | Status | Fail | Warn | Info |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for r in card.results:
        counts = {s: sum(1 for f in r.findings if f.severity == s) for s in Severity}
        score = fmt_score(r.score)
        status = f"{_STATUS_ICON.get(r.status.value, '')} {r.status.value}"
        out.append(
            f"| {md_escape(r.title or r.check)} | {score} | {status} | {counts[Severity.FAIL]} | "
            f"{counts[Severity.WARN]} | {counts[Severity.INFO]} |"
        )
    errored = [r for r in card.results if r.status == Status.ERROR]
    out.append("")
    for r in errored:
        out.append(f"> 💥 `{md_escape(r.check)}` errored: {md_escape(r.error)}")
    return out + ([""] if errored else [])


def _top_findings(card: Scorecard) -> list[str]:
    fails = [f for f in card.findings() if f.severity == Severity.FAIL]
    if not fails:
        return []
    out = [f"### Top failures ({min(len(fails), MAX_TOP_FINDINGS)} of {len(fails)})", ""]
    for f in fails[:MAX_TOP_FINDINGS]:
        where = " · ".join(md_escape(p) for p in (f.channel, _short(f.url, card.meta.base_url)) if p)
        out.append(f"- **{md_escape(f.check)}**: {md_escape(f.message)}" + (f" ({where})" if where else ""))
    return out + [""]


def write_markdown(scorecard: Scorecard | dict[str, Any], path: Path) -> Path:
    """Write the Markdown summary atomically."""
    return write_atomic(Path(path), render_markdown(scorecard))


def append_github_step_summary(markdown: str) -> Path | None:
    """Append to ``$GITHUB_STEP_SUMMARY`` when running in GitHub Actions; returns the file or ``None``."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return path
