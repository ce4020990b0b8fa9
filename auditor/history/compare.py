"""``compare BASE HEAD``: what changed between two runs, and whether it got worse.

Each side is a scorecard, from a ``scorecard.json`` on disk or rebuilt from the
history store (``latest``, ``previous``, ``branch:NAME``, a run id). Findings are
matched by fingerprint, so a problem keeps its identity across runs: *new*
(only in HEAD), *fixed* (only in BASE), *still open* (both). Scores are compared
per check and per channel, numeric metrics where both sides have them, and the
baseline rules of :mod:`auditor.history.regression` say what counts as worse.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from cx_auditor.errors import UsageError
from cx_auditor.history.metrics import result_numbers
from cx_auditor.history.regression import MetricRule, RegressionReport, regressions
from cx_auditor.history.store import HistoryStore, RunSummary
from cx_auditor.models import Finding, Scorecard, Severity
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rich.console import Console
from rich.table import Table

__all__ = [
    "ChannelDelta",
    "CheckDelta",
    "Comparison",
    "MetricDelta",
    "Side",
    "compare_scorecards",
    "load_side",
    "print_comparison",
    "render_compare_html",
]

TEMPLATES = Path(__file__).with_name("templates")
_SEVERITIES = ("fail", "warn", "info")


@dataclass
class Side:
    """One side of a comparison and where it came from."""

    ref: str
    scorecard: Scorecard
    source: Literal["file", "history"]
    report_path: str | None = None
    run: RunSummary | None = None

    @property
    def label(self) -> str:
        meta = self.scorecard.meta
        bits = [self.scorecard.run_id]
        if meta.git_branch:
            bits.append(meta.git_branch)
        if meta.git_commit:
            bits.append(meta.git_commit[:8])
        return " · ".join(bits)


def load_side(ref: str, store: HistoryStore | None, *, site: str | None = None) -> Side:
    """Resolve ``ref``: a scorecard file (or a folder holding ``scorecard.json``), else a history ref."""
    if _is_history_ref(ref):
        return _history_side(ref, store, site)
    path = Path(ref)
    if path.is_dir() and (path / "scorecard.json").is_file():
        path = path / "scorecard.json"
    if path.is_file():
        try:
            card = Scorecard.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise UsageError(f"{path} is not a cx-audit scorecard: {str(exc).splitlines()[0]}") from exc
        report = path.with_name("report.html")
        return Side(ref, card, "file", str(report) if report.is_file() else None)
    if ref.endswith(".json") or "/" in ref:
        raise UsageError(f"no scorecard file at {ref}")
    return _history_side(ref, store, site)


def _is_history_ref(ref: str) -> bool:
    """``latest``, ``previous`` and ``branch:NAME`` (with an optional ``~N``) always mean the store."""
    head = ref.split("~", 1)[0]
    return head in ("latest", "previous") or head.startswith("branch:")


def _history_side(ref: str, store: HistoryStore | None, site: str | None) -> Side:
    if store is None:
        raise UsageError(
            f"{ref!r} names a recorded run, but no run history is available",
            hint="Pass --history PATH|URL, or give a scorecard.json path.",
        )
    run = store.resolve(ref, site=site)
    return Side(ref, store.scorecard(run), "history", run.report_path, run)


@dataclass
class CheckDelta:
    check: str
    title: str
    base: float | None
    head: float | None
    base_status: str | None
    head_status: str | None

    @property
    def delta(self) -> float | None:
        return None if self.base is None or self.head is None else round(self.head - self.base, 1)


@dataclass
class ChannelDelta:
    """Per channel: findings by severity on each side, and channel scores where checks publish them."""

    channel: str
    base_counts: dict[str, int]
    head_counts: dict[str, int]
    base_score: float | None = None
    head_score: float | None = None

    @property
    def delta(self) -> float | None:
        if self.base_score is None or self.head_score is None:
            return None
        return round(self.head_score - self.base_score, 1)


@dataclass
class MetricDelta:
    check: str
    key: str
    base: float
    head: float

    @property
    def delta(self) -> float:
        return self.head - self.base

    @property
    def relative(self) -> float | None:
        return None if self.base == 0 else self.delta / abs(self.base)


@dataclass
class Comparison:
    base: Side
    head: Side
    checks: list[CheckDelta]
    channels: list[ChannelDelta]
    metrics: list[MetricDelta]
    new: list[Finding]
    fixed: list[Finding]
    still_open: list[Finding]
    regression: RegressionReport
    unchanged_metrics: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def score_delta(self) -> float | None:
        b, h = self.base.scorecard.score, self.head.scorecard.score
        return None if b is None or h is None else round(h - b, 1)

    def to_dict(self) -> dict[str, Any]:
        def side(s: Side) -> dict[str, Any]:
            m = s.scorecard.meta
            return {
                "ref": s.ref,
                "source": s.source,
                "run_id": s.scorecard.run_id,
                "site": m.site,
                "started_at": m.started_at,
                "git_branch": m.git_branch,
                "git_commit": m.git_commit,
                "score": s.scorecard.score,
                "grade": s.scorecard.grade,
                "report_path": s.report_path,
            }

        def finding(f: Finding) -> dict[str, Any]:
            return {
                "check": f.check,
                "rule": f.rule,
                "severity": f.severity.value,
                "fingerprint": f.fingerprint,
                "channel": f.channel,
                "url": f.url,
                "message": f.message,
            }

        return {
            "base": side(self.base),
            "head": side(self.head),
            "score_delta": self.score_delta,
            "checks": [{**asdict(c), "delta": c.delta} for c in self.checks],
            "channels": [{**asdict(c), "delta": c.delta} for c in self.channels],
            "metrics": [{**asdict(m), "delta": m.delta, "relative": m.relative} for m in self.metrics],
            "unchanged_metrics": self.unchanged_metrics,
            "findings": {
                "new": [finding(f) for f in self.new],
                "fixed": [finding(f) for f in self.fixed],
                "still_open": [finding(f) for f in self.still_open],
            },
            "regression": self.regression.to_dict(),
        }


def _check_deltas(base: Scorecard, head: Scorecard) -> list[CheckDelta]:
    order = [r.check for r in base.results] + [r.check for r in head.results if base.result(r.check) is None]
    out = []
    for check in order:
        b, h = base.result(check), head.result(check)
        out.append(
            CheckDelta(
                check,
                (h or b).title or check,  # type: ignore[union-attr]
                b.score if b else None,
                h.score if h else None,
                b.status.value if b else None,
                h.status.value if h else None,
            )
        )
    return out


def _channel_scores(card: Scorecard) -> dict[str, float]:
    """Mean of each check's channel-scoped ``score`` value."""
    found: dict[str, list[float]] = {}
    for r in card.results:
        for v in r.values:
            if v.name == "score" and v.scope.level == "channel" and v.value is not None:
                found.setdefault(str(v.scope.channel), []).append(float(v.value))
    return {k: round(sum(v) / len(v), 1) for k, v in found.items()}


def _severity_counts(card: Scorecard) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for f in card.findings():
        counts.setdefault(f.channel or "(site-wide)", Counter())[f.severity.value] += 1
    return counts


def _channel_deltas(base: Scorecard, head: Scorecard) -> list[ChannelDelta]:
    names = [c.name for c in head.meta.channels] + [c.name for c in base.meta.channels]
    b_counts, h_counts = _severity_counts(base), _severity_counts(head)
    b_scores, h_scores = _channel_scores(base), _channel_scores(head)
    names += sorted(set(b_counts) | set(h_counts) | set(b_scores) | set(h_scores))
    out = []
    for name in dict.fromkeys(names):
        bc, hc = b_counts.get(name, Counter()), h_counts.get(name, Counter())
        out.append(
            ChannelDelta(
                name,
                {s: bc[s] for s in _SEVERITIES},
                {s: hc[s] for s in _SEVERITIES},
                b_scores.get(name),
                h_scores.get(name),
            )
        )
    return out


def _metric_deltas(base: Scorecard, head: Scorecard) -> tuple[list[MetricDelta], int]:
    changed, unchanged = [], 0
    for hr in head.results:
        br = base.result(hr.check)
        if br is None:
            continue
        b_vals = result_numbers(br)
        for key, h_val in result_numbers(hr).items():
            if key not in b_vals:
                continue
            if b_vals[key] == h_val:
                unchanged += 1
            else:
                changed.append(MetricDelta(hr.check, key, b_vals[key], h_val))
    changed.sort(
        key=lambda m: (-(abs(m.relative) if m.relative is not None else float("inf")), m.check, m.key)
    )
    return changed, unchanged


def _by_fingerprint(card: Scorecard) -> dict[str, Finding]:
    out: dict[str, Finding] = {}
    for f in card.findings():
        out.setdefault(f.fingerprint or f"{f.check}|{f.rule}|{f.channel}|{f.url}|{f.message}", f)
    return out


def _severity_rank(f: Finding) -> tuple[int, str, str]:
    return (_SEVERITIES.index(f.severity.value), f.check, f.message)


def compare_scorecards(
    base: Side | Scorecard,
    head: Side | Scorecard,
    *,
    score_tolerance: float = 2.0,
    rule: MetricRule | None = None,
) -> Comparison:
    """Everything that differs between two runs, with the baseline verdict."""
    b = base if isinstance(base, Side) else Side(base.run_id, base, "file")
    h = head if isinstance(head, Side) else Side(head.run_id, head, "file")
    bf, hf = _by_fingerprint(b.scorecard), _by_fingerprint(h.scorecard)
    metrics, unchanged = _metric_deltas(b.scorecard, h.scorecard)
    notes = []
    if b.scorecard.meta.site != h.scorecard.meta.site:
        notes.append(
            f"The runs audited different sites: {b.scorecard.meta.site!r} and {h.scorecard.meta.site!r}."
        )
    return Comparison(
        base=b,
        head=h,
        checks=_check_deltas(b.scorecard, h.scorecard),
        channels=_channel_deltas(b.scorecard, h.scorecard),
        metrics=metrics,
        new=sorted((f for k, f in hf.items() if k not in bf), key=_severity_rank),
        fixed=sorted((f for k, f in bf.items() if k not in hf), key=_severity_rank),
        still_open=sorted((f for k, f in hf.items() if k in bf), key=_severity_rank),
        regression=regressions(b.scorecard, h.scorecard, score_tolerance=score_tolerance, rule=rule),
        unchanged_metrics=unchanged,
        notes=notes,
    )


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------


def fmt_num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def fmt_delta(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + fmt_num(abs(value), digits)


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1%}".replace("-", "−")


def _style(delta: float | None, higher_is_better: bool = True) -> str:
    if not delta:
        return "dim"
    return "green" if (delta > 0) == higher_is_better else "red"


def print_comparison(c: Comparison, console: Console | None = None, *, max_rows: int = 20) -> None:
    """The comparison as rich tables for the terminal."""
    console = console or Console()
    b, h = c.base.scorecard, c.head.scorecard
    console.print(f"[bold]BASE[/] {c.base.label}  [dim]({c.base.source})[/]")
    console.print(f"[bold]HEAD[/] {c.head.label}  [dim]({c.head.source})[/]")
    for note in c.notes:
        console.print(f"[yellow]{note}[/]")
    scores = Table(title="Scores", title_justify="left")
    for col in ("check", "base", "head", "Δ"):
        scores.add_column(col, justify="left" if col == "check" else "right")
    scores.add_row(
        "[bold]overall[/]",
        fmt_num(b.score),
        fmt_num(h.score),
        f"[{_style(c.score_delta)}]{fmt_delta(c.score_delta)}[/]",
    )
    for cd in c.checks:
        scores.add_row(
            cd.title,
            fmt_num(cd.base) if cd.base is not None else (cd.base_status or "–"),
            fmt_num(cd.head) if cd.head is not None else (cd.head_status or "–"),
            f"[{_style(cd.delta)}]{fmt_delta(cd.delta)}[/]",
        )
    console.print(scores)
    channels = Table(title="Channels (findings fail/warn)", title_justify="left")
    for col in ("channel", "base", "head", "score Δ"):
        channels.add_column(col, justify="left" if col == "channel" else "right")
    for ch in c.channels:
        channels.add_row(
            ch.channel,
            f"{ch.base_counts['fail']}/{ch.base_counts['warn']}",
            f"{ch.head_counts['fail']}/{ch.head_counts['warn']}",
            f"[{_style(ch.delta)}]{fmt_delta(ch.delta)}[/]",
        )
    console.print(channels)
    if c.metrics:
        metrics = Table(
            title=f"Metric changes (top {min(max_rows, len(c.metrics))} of {len(c.metrics)})",
            title_justify="left",
        )
        for col in ("check", "metric", "base", "head", "change"):
            metrics.add_column(
                col, justify="right" if col in ("base", "head", "change") else "left", overflow="fold"
            )
        for m in c.metrics[:max_rows]:
            metrics.add_row(m.check, m.key, fmt_num(m.base, 3), fmt_num(m.head, 3), fmt_pct(m.relative))
        console.print(metrics)
    findings = Table(title="Findings", title_justify="left")
    for col in ("", "sev", "check", "channel", "message"):
        findings.add_column(col, overflow="fold")
    for label, style, items in (("new", "red", c.new), ("fixed", "green", c.fixed)):
        for f in items[:max_rows]:
            findings.add_row(f"[{style}]{label}[/]", f.severity.value, f.check, f.channel or "", f.message)
    findings.add_row("[dim]still open[/]", "", "", "", f"[dim]{len(c.still_open)} finding(s)[/]")
    console.print(findings)
    _print_verdict(c.regression, console)


def _print_verdict(report: RegressionReport, console: Console) -> None:
    if not report.items:
        console.print("[green]No regressions against the baseline.[/]")
        return
    for item in report.items:
        colour = "red" if item.level == "error" else "yellow"
        console.print(f"[{colour}]{item.kind}[/] {item.message}")
    if report.regressed:
        console.print(f"[bold red]{sum(1 for i in report.items if i.level == 'error')} regression(s).[/]")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=fmt_num, delta=fmt_delta, pct=fmt_pct)
    env.globals["Severity"] = Severity
    return env


def render_compare_html(c: Comparison) -> str:
    """A self-contained HTML diff report (inline CSS, no scripts, autoescaped)."""
    return _environment().get_template("compare.html.j2").render(c=c)
