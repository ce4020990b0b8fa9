"""``cx-audit history | compare | trend`` and the baseline gate for ``run --baseline``.

The lead's CLI mounts these with :func:`register`. What ``cx-audit run`` calls
after judging (:func:`record_run`, :func:`apply_baseline`) lives in
:mod:`cx_auditor.recording`, so the pipeline never imports a CLI module; the names
are re-exported here. ``--history`` takes a file path (SQLite) or a ``postgresql://`` URL and
defaults to ``$CX_AUDIT_HISTORY`` or ``.cx-audit/history.db``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from cx_auditor.errors import CxAuditError, UsageError
from cx_auditor.history.compare import compare_scorecards, load_side, print_comparison, render_compare_html
from cx_auditor.history.db import DEFAULT_HISTORY_PATH
from cx_auditor.history.store import HistoryStore, RunSummary
from cx_auditor.history.trend import render_trend_html
from cx_auditor.recording import apply_baseline, needs_store, record_run
from rich.console import Console
from rich.table import Table

__all__ = [
    "apply_baseline",
    "compare_command",
    "history_app",
    "parse_duration",
    "record_run",
    "register",
    "trend_command",
]

history_app = typer.Typer(help="List and prune recorded runs.", no_args_is_help=False)

HistoryOpt = Annotated[
    str,
    typer.Option(
        "--history", envvar="CX_AUDIT_HISTORY", help="History database: a file path or postgresql:// URL."
    ),
]
SiteOpt = Annotated[str | None, typer.Option("--site", help="Only runs of this site.")]
BranchOpt = Annotated[str | None, typer.Option("--branch", help="Only runs of this git branch.")]
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@contextmanager
def _user_errors() -> Iterator[None]:
    """Show a user error the cx-audit way and exit with its code, without a traceback."""
    try:
        yield
    except CxAuditError as exc:
        exc.show()
        raise typer.Exit(int(exc.exit_code)) from None


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``2w``, ``30m``, ``45s`` -> timedelta."""
    m = _DURATION.match(text)
    if not m:
        raise UsageError(f"cannot read duration {text!r}", hint="Use a number and a unit: 30d, 12h, 2w.")
    return timedelta(**{_UNITS[m[2]]: float(m[1])})


# ---------------------------------------------------------------------------
# history
# ---------------------------------------------------------------------------


def _runs_table(runs: list[RunSummary]) -> Table:
    table = Table(title=f"{len(runs)} run(s)", title_justify="left")
    for col, justify in (
        ("#", "right"),
        ("when (UTC)", "left"),
        ("site", "left"),
        ("branch", "left"),
        ("commit", "left"),
        ("score", "right"),
        ("grade", "center"),
        ("gate", "center"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in runs:
        gate = "–" if r.gate_passed is None else ("[green]pass[/]" if r.gate_passed else "[red]fail[/]")
        table.add_row(
            str(r.id),
            r.started_at.strftime("%Y-%m-%d %H:%M"),
            r.site,
            r.git_branch or "–",
            (r.git_commit or "–")[:8],
            "–" if r.score is None else f"{r.score:g}",
            r.grade or "–",
            gate,
        )
    return table


def _list_runs(site: str | None, branch: str | None, limit: int, as_json: bool, history: str) -> None:
    with _user_errors(), HistoryStore.open(history, create=False) as store:
        runs = store.runs(site=site, branch=branch, limit=limit)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in runs], indent=2))
        return
    if not runs:
        typer.echo("No runs recorded yet." if not (site or branch) else "No runs match.")
        return
    Console().print(_runs_table(runs))


@history_app.callback(invoke_without_command=True)
def history_command(
    ctx: typer.Context,
    site: SiteOpt = None,
    branch: BranchOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many runs, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    history: HistoryOpt = DEFAULT_HISTORY_PATH,
) -> None:
    """List recorded runs, newest first (id, when, branch, commit, score, grade, gate)."""
    if ctx.invoked_subcommand is None:
        _list_runs(site, branch, limit, as_json, history)


@history_app.command("prune")
def prune_command(
    keep: Annotated[
        int | None, typer.Option("--keep", min=0, help="Keep the newest N runs of each site.")
    ] = None,
    older_than: Annotated[
        str | None, typer.Option("--older-than", help="Delete runs older than this (30d, 12h, 2w).")
    ] = None,
    site: SiteOpt = None,
    history: HistoryOpt = DEFAULT_HISTORY_PATH,
) -> None:
    """Delete old runs with their results and findings.

    With both options a run is kept if *either* rule keeps it (newest N, or newer than the age).
    """
    with _user_errors():
        if keep is None and older_than is None:
            raise UsageError("say what to delete: --keep N and/or --older-than AGE")
        age = parse_duration(older_than) if older_than else None
        with HistoryStore.open(history, create=False) as store:
            deleted = store.prune(keep=keep, older_than=age, site=site)
            left = store.count()
    typer.echo(f"Deleted {deleted} run(s); {left} left.")


# ---------------------------------------------------------------------------
# compare / trend
# ---------------------------------------------------------------------------


def compare_command(
    base: Annotated[str, typer.Argument(help="Run id, latest, previous, branch:NAME, or a scorecard.json.")],
    head: Annotated[str, typer.Argument(help="Same forms as BASE.")] = "latest",
    html: Annotated[Path | None, typer.Option("--html", help="Also write an HTML diff report here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    site: SiteOpt = None,
    tolerance: Annotated[float, typer.Option("--tolerance", help="Allowed score drop, in points.")] = 2.0,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when HEAD regressed against BASE.")
    ] = False,
    history: HistoryOpt = DEFAULT_HISTORY_PATH,
) -> None:
    """Compare two runs: score deltas per check and channel, metric deltas, new/fixed/open findings."""
    with _user_errors():
        store = HistoryStore.open(history, create=False) if needs_store(base, head) else None
        try:
            head_side = load_side(head, store, site=site)
            base_side = load_side(base, store, site=site or head_side.scorecard.meta.site)
        finally:
            if store is not None:
                store.close()
        comparison = compare_scorecards(base_side, head_side, score_tolerance=tolerance)
        if html is not None:
            _write(html, render_compare_html(comparison))
    if as_json:
        typer.echo(json.dumps(comparison.to_dict(), indent=2, default=str))
    else:
        print_comparison(comparison, Console())
        if html is not None:
            typer.echo(f"HTML diff report: {html}")
    if fail_on_regression and comparison.regression.regressed:
        raise typer.Exit(1)


def trend_command(
    site: SiteOpt = None,
    branch: BranchOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the HTML page.")] = Path(
        "trend.html"
    ),
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many recent runs.")] = 60,
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="Chart metrics matching CHECK:KEY (glob), e.g. 'load_time:channels.*.lcp_ms.p75'.",
        ),
    ] = None,
    history: HistoryOpt = DEFAULT_HISTORY_PATH,
) -> None:
    """Write an HTML page of overall, per-check and key-metric trends over recorded runs."""
    with _user_errors():
        with HistoryStore.open(history, create=False) as store:
            page = render_trend_html(
                store, site=site, branch=branch, limit=limit, out=out, metrics=metric or None
            )
        _write(out, page)
    typer.echo(f"Trend page: {out}")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        from cx_auditor.atomic import write_atomic

        write_atomic(path, text)  # whole or not at all, any Unicode
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def register(app: typer.Typer) -> None:
    """Mount ``history`` (with ``prune``), ``compare`` and ``trend`` on the main CLI."""
    app.add_typer(history_app, name="history")
    app.command("compare")(compare_command)
    app.command("trend")(trend_command)


#: a stand-alone app with the three commands (tests, and ``python -m`` use)
app = typer.Typer(help="cx-audit run history.", no_args_is_help=True)
register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
