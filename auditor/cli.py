"""``cx-audit``: the command line.

Exit codes (also in ``--help`` and the README):
0 audit passed its gate, 1 gate failed (budgets, --fail-under, --baseline),
2 usage or config error, 3 the browser or the site could not be reached (or the
browser crashed mid-run), 130 interrupted by Ctrl-C or SIGTERM. Interrupted and
crashed runs still write their reports, marked incomplete, and stay out of history.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from cx_auditor import __version__
from cx_auditor.errors import CxAuditError, ExitCode, UsageError
from cx_auditor.pipeline import ALL_FORMATS, AuditOptions, AuditResult, parse_shard
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

EPILOG = (
    "Exit codes: 0 passed · 1 gate failed (budgets, --fail-under, --baseline) · "
    "2 usage or config error · 3 browser or site unreachable, or the browser crashed mid-run · "
    "130 interrupted (Ctrl-C, SIGTERM). An interrupted or crashed run still writes its reports, "
    "marked incomplete, and is not recorded in history."
)

app = typer.Typer(
    name="cx-audit",
    help=(
        "Audit a storefront's customer experience across channels in a real browser: load time, "
        "checkout effort, messaging consistency and support reachability.\n\n"
        "Start with `cx-audit demo` (audits the built-in demo store), then `cx-audit init` to write "
        "an audit.yaml for your own site and `cx-audit run audit.yaml`."
    ),
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)


def _version(value: bool) -> None:
    if value:
        print(f"cx-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """cx-audit: omnichannel customer-experience auditor."""


# ---------------------------------------------------------------------------
# Options shared by `run` and `demo`
# ---------------------------------------------------------------------------
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Folder for reports and artifacts.")]
FormatOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format to write: html, json, junit, md, sarif (repeatable; default all).",
    ),
]
FailUnderOpt = Annotated[
    float | None,
    typer.Option("--fail-under", help="Fail the gate (exit 1) when the overall score is below this."),
]
RunsOpt = Annotated[
    int | None, typer.Option("--runs", min=1, max=20, help="Audit N times; metrics are judged on the median.")
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", "-w", min=1, max=64, help="Browser contexts run at once.")
]
ShardOpt = Annotated[
    str | None,
    typer.Option("--shard", help="Run only slice INDEX/TOTAL of the work, e.g. 2/4; join with `merge`."),
]
DiscoverOpt = Annotated[
    int | None,
    typer.Option(
        "--discover", min=0, help="Also crawl up to N same-site pages breadth-first (robots.txt respected)."
    ),
]
AllowOrdersOpt = Annotated[
    bool, typer.Option("--allow-orders", help="Run steps marked places_order (submits real orders!).")
]
BrowserPathOpt = Annotated[
    str | None,
    typer.Option("--browser-path", envvar="CX_AUDIT_BROWSER", help="Chromium/Chrome executable to launch."),
]
BrowserEndpointOpt = Annotated[
    str | None, typer.Option("--browser-endpoint", help="ws:// URL of a Playwright browser server or grid.")
]
CdpEndpointOpt = Annotated[
    str | None, typer.Option("--cdp-endpoint", help="http:// URL of a running Chromium's DevTools endpoint.")
]
TraceOpt = Annotated[str | None, typer.Option("--trace", help="Playwright traces: off, on, on-failure.")]
BaselineOpt = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        help="Gate only on regressions against REF (run id, latest, previous, branch:NAME, scorecard.json).",
    ),
]
HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history", envvar="CX_AUDIT_HISTORY", help="History database: a SQLite path or postgresql:// URL."
    ),
]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", help="Do not record this run in the history.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout (for machines).")]
HeadedOpt = Annotated[bool, typer.Option("--headed", help="Show the browser window (debugging).")]


def _options(
    *,
    out: Path,
    formats: list[str] | None = None,
    fail_under: float | None = None,
    runs: int | None = None,
    workers: int | None = None,
    shard: str | None = None,
    discover: int | None = None,
    allow_orders: bool = False,
    browser_path: str | None = None,
    browser_endpoint: str | None = None,
    cdp_endpoint: str | None = None,
    trace: str | None = None,
    baseline: str | None = None,
    history: str | None = None,
    no_history: bool = False,
    headed: bool = False,
) -> AuditOptions:
    """The one frozen options object of `run`, `demo`, `check` and `merge`, from their CLI values.

    Keyword-only: each command passes what it offers and the rest keep their defaults.
    """
    chosen = tuple(
        dict.fromkeys(f.strip().lower() for item in (formats or []) for f in item.split(",") if f.strip())
    )
    for f in chosen:
        if f not in ALL_FORMATS:
            raise UsageError(f"--format {f!r} is not a report format; choose from {', '.join(ALL_FORMATS)}.")
    if trace is not None and trace not in ("off", "on", "on-failure"):
        raise UsageError(f"--trace takes off, on or on-failure (got {trace!r}).")
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise UsageError(f"--fail-under takes a score from 0 to 100 (got {fail_under}).")
    return AuditOptions(
        out=out,
        formats=chosen or ALL_FORMATS,
        fail_under=fail_under,
        runs=runs,
        workers=workers,
        shard=parse_shard(shard),
        discover=discover,
        allow_orders=allow_orders,
        browser_path=browser_path,
        browser_endpoint=browser_endpoint,
        cdp_endpoint=cdp_endpoint,
        trace=trace,
        baseline=baseline,
        history=history,
        record_history=not no_history,
        headless=not headed,
    )


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _status_style(status: str) -> str:
    return {"pass": "green", "warn": "yellow", "fail": "red", "error": "magenta", "skipped": "dim"}.get(
        status, ""
    )


def unwrapped(console: Console) -> Console:
    """``console`` itself on a terminal; else a console on the same file that never hard-wraps.

    Rich wraps at 80 columns when it cannot ask a terminal for its width, which splits a URL
    or a finding over two lines in a CI log or a file; lines there are as long as they are.
    """
    if console.is_terminal:
        return console
    return Console(
        file=console.file, width=100_000, soft_wrap=True, highlight=False, no_color=console.no_color
    )


def print_summary(result: AuditResult, *, console: Console, elapsed: float) -> None:
    from cx_auditor.rounding import fmt_budget_value, fmt_score

    console = unwrapped(console)
    sc = result.scorecard
    meta = sc.meta
    console.print(
        f"[bold]cx-audit[/] {meta.site} · channels: {', '.join(c.name for c in meta.channels)} · "
        f"{len(result.artifacts.visits)} page visits · {elapsed:.1f} s"
        + ("" if meta.complete else " · [red]INCOMPLETE run[/]")
    )
    _print_broken_journeys(sc, console)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("check", "score", "status", "fail", "warn", "info"):
        table.add_column(col, justify="right" if col not in ("check", "status") else "left")
    for r in sc.results:
        counts = {s: sum(1 for f in r.findings if f.severity.value == s) for s in ("fail", "warn", "info")}
        status = r.status.value
        table.add_row(
            r.check,
            fmt_score(r.score),
            f"[{_status_style(status)}]{status}[/]"
            + (f" ({r.error})" if r.error and status == "error" else ""),
            str(counts["fail"]),
            str(counts["warn"]),
            str(counts["info"]),
        )
    console.print(table)
    for r in sc.results:  # timings a starved machine cannot vouch for: say so in one line
        for f in r.findings:
            if f.rule == "machine-load":
                console.print(f"[yellow]! {escape(f.message)}[/]")
    console.print(f"Overall score: [bold]{fmt_score(sc.score)}[/] (grade {sc.grade or '—'})")
    failed = [b for b in sc.gate.budgets if not b.passed and b.level == "error"]
    warned = [b for b in sc.gate.budgets if not b.passed and b.level == "warn"]
    for b in failed:
        console.print(
            f"  [red]✗ budget failed:[/] {escape(b.description)} "
            f"(actual {fmt_budget_value(b.id, b.actual)}, limit {fmt_budget_value(b.id, b.limit)})"
        )
    for b in warned:
        console.print(
            f"  [yellow]! budget warning:[/] {escape(b.description)} "
            f"(actual {fmt_budget_value(b.id, b.actual)}, limit {fmt_budget_value(b.id, b.limit)})"
        )
    if not sc.gate.budgets and sc.gate.baseline is None:
        verdict = "no gate set (no budgets; add budgets: to audit.yaml or pass --fail-under)"
    else:
        verdict = "[green]PASSED[/]" if sc.gate.passed else "[red]FAILED[/]"
    console.print(f"Gate: {verdict}")
    for fmt, path in result.paths.items():
        console.print(f"  {fmt:5} {path}")


def _broken(sc: Any) -> list[Any]:
    from cx_auditor.checks.journey_health import broken_journeys

    return broken_journeys(sc)


def _print_broken_journeys(sc: Any, console: Console) -> None:
    """Journeys that did not finish, near the top: the site broke them, or the config did."""
    from rich.markup import escape

    broken = _broken(sc)
    if broken:
        console.print(f"[red]Broken journeys ({len(broken)}):[/]")
    for b in broken:
        head = {
            "site": "[red]✗ journey broken by the site:[/]",
            "config": "[yellow]! journey stopped by the configuration:[/]",
            "unknown": "[yellow]! journey did not finish:[/]",
        }[b.cause]
        # the reason names the step once ("step 5 \"Continue\" failed: ..."): never number it twice
        console.print(f"  {head} {escape(b.journey)} ({escape(b.channel)}): {escape(b.reason)}")


def summary_json(result: AuditResult) -> dict[str, Any]:
    sc = result.scorecard
    return {
        "run_id": sc.run_id,
        "site": sc.meta.site,
        "score": sc.score,
        "grade": sc.grade,
        "passed": sc.gate.passed,
        "complete": sc.meta.complete,
        "incomplete_reason": result.incomplete_reason,
        "exit_code": int(result.exit_code),
        "checks": {
            r.check: {"score": r.score, "status": r.status.value, "findings": len(r.findings)}
            for r in sc.results
        },
        "failed_budgets": [b.model_dump(mode="json") for b in sc.gate.failed],
        "broken_journeys": [b.model_dump(mode="json") for b in _broken(sc)],
        "reports": {k: str(v) for k, v in result.paths.items()},
    }


class _ProgressReporter:
    """Rich progress on a terminal; nothing when quiet, piped or JSON.

    One overall line (units done of planned) and one line per unit in flight, so with
    ``--workers 4`` the reader sees what each of the four browsers is doing and for how
    long, rather than only the unit that happened to start last.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err_console.is_terminal
        self.progress: Progress | None = None
        self.task: Any = None
        self.running: dict[str, Any] = {}

    def __enter__(self) -> _ProgressReporter:
        if self.enabled:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[current]}"),
                console=err_console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("gathering", total=None, current="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        if self.progress is None:
            return
        unit = str(data.get("unit", ""))
        if event == "plan":
            self.progress.update(self.task, total=data.get("units"))
        elif event == "unit-start":
            self.progress.update(self.task, current=f"{len(self.running) + 1} running")
            self.running[unit] = self.progress.add_task(
                f"  {escape(unit)}", total=None, current=str(data.get("step") or "")
            )
        elif event == "unit-step" and unit in self.running:
            self.progress.update(self.running[unit], current=str(data.get("step") or ""))
        elif event == "unit-end":
            task = self.running.pop(unit, None)
            if task is not None:
                self.progress.remove_task(task)
            self.progress.advance(self.task)
            self.progress.update(self.task, current=f"{len(self.running)} running" if self.running else "")
        elif event == "discovered":
            self.progress.update(
                self.task, description="discovering", current=f"{data['count']}/{data['limit']}"
            )


def _run_and_report(runner: Any, opts: AuditOptions, *, quiet: bool, as_json: bool) -> None:
    started = time.perf_counter()
    with _ProgressReporter(not quiet and not as_json) as progress:
        result: AuditResult = runner(dataclasses.replace(opts, progress=progress))
    elapsed = time.perf_counter() - started
    if as_json:
        print(json.dumps(summary_json(result), indent=2))
    elif not quiet:
        print_summary(result, console=out_console, elapsed=elapsed)
    if result.incomplete_reason:
        print(
            f"error: the run stopped early ({result.incomplete_reason}). The reports were written from "
            "what was gathered and are marked incomplete; the run was not recorded in history.",
            file=sys.stderr,
        )
    raise typer.Exit(int(result.exit_code))


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


@app.command(epilog=EPILOG)
def run(
    config: Annotated[
        str,
        typer.Argument(
            help="The audit.yaml describing the site, channels and journeys, or a store's URL "
            "(http://... or https://...) to audit with the journeys `init --from-url` would find."
        ),
    ],
    out: OutOpt = Path("cx-audit-report"),
    formats: FormatOpt = None,
    fail_under: FailUnderOpt = None,
    runs: RunsOpt = None,
    workers: WorkersOpt = None,
    shard: ShardOpt = None,
    discover: DiscoverOpt = None,
    allow_orders: AllowOrdersOpt = False,
    browser_path: BrowserPathOpt = None,
    browser_endpoint: BrowserEndpointOpt = None,
    cdp_endpoint: CdpEndpointOpt = None,
    trace: TraceOpt = None,
    baseline: BaselineOpt = None,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    headed: HeadedOpt = False,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Audit the site described by CONFIG (or found at a URL) and write the scorecard.

    Example: cx-audit run audit.yaml --out report --runs 3 --fail-under 80

    Zero-config: cx-audit run https://shop.example.com visits the store, finds its journeys
    (see `cx-audit init --from-url`), audits them and keeps the config it used in
    OUT/audit.from-url.yaml.
    """
    from cx_auditor.config import load_config
    from cx_auditor.pipeline import audit

    opts = _options(
        out=out,
        formats=formats,
        fail_under=fail_under,
        runs=runs,
        workers=workers,
        shard=shard,
        discover=discover,
        allow_orders=allow_orders,
        browser_path=browser_path,
        browser_endpoint=browser_endpoint,
        cdp_endpoint=cdp_endpoint,
        trace=trace,
        baseline=baseline,
        history=history,
        no_history=no_history,
        headed=headed,
    )
    if re.match(r"^https?://", config, re.I):
        from cx_auditor.browser import find_browser
        from cx_auditor.config import parse_config
        from cx_auditor.init_from_url import config_from_url

        choice = find_browser(
            browser_path=opts.browser_path,
            browser_endpoint=opts.browser_endpoint,
            cdp_endpoint=opts.cdp_endpoint,
        )
        if not quiet and not as_json:
            err_console.print(f"Exploring {config} to find its journeys...")
        try:
            text, _found = config_from_url(config, choice)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        cfg = parse_config(text, path=str(Path.cwd() / "audit.from-url.yaml"))

        def audit_and_keep(o: AuditOptions) -> AuditResult:
            result = audit(cfg, o)
            with contextlib.suppress(OSError):
                (o.out / "audit.from-url.yaml").write_text(text, encoding="utf-8")
            return result

        _run_and_report(audit_and_keep, opts, quiet=quiet, as_json=as_json)
        return
    cfg = load_config(Path(config))
    _run_and_report(lambda o: audit(cfg, o), opts, quiet=quiet, as_json=as_json)


@app.command(epilog=EPILOG)
def demo(
    variant: Annotated[
        str, typer.Option("--variant", help="clean (no defects) or flawed (seeded defects).")
    ] = "flawed",
    products: Annotated[int, typer.Option("--products", min=1, max=100_000, help="Catalogue size.")] = 12,
    spa: Annotated[
        bool, typer.Option("--spa", help="The single-page-app store (History API routing, JSON API).")
    ] = False,
    serve: Annotated[
        bool, typer.Option("--serve", help="Only serve the store until Ctrl-C; do not audit it.")
    ] = False,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port for --serve (0 picks a free one).")
    ] = 8000,
    out: OutOpt = Path("cx-audit-report"),
    formats: FormatOpt = None,
    fail_under: FailUnderOpt = None,
    runs: RunsOpt = None,
    workers: WorkersOpt = None,
    shard: ShardOpt = None,
    discover: DiscoverOpt = None,
    allow_orders: AllowOrdersOpt = False,
    browser_path: BrowserPathOpt = None,
    browser_endpoint: BrowserEndpointOpt = None,
    cdp_endpoint: CdpEndpointOpt = None,
    trace: TraceOpt = None,
    baseline: BaselineOpt = None,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    headed: HeadedOpt = False,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Serve the built-in demo storefront on localhost, audit it, and stop it.

    `--variant flawed` (the default) seeds defects for every check so the report has something to
    show; `--variant clean` should pass. `--spa` serves the single-page-app edition of the store.
    `--serve` only serves the store on 127.0.0.1:`--port` until Ctrl-C, to try it or point
    `cx-audit run` at it. Takes every option of `run`.
    """
    from cx_auditor.demo_config import demo_config
    from cx_auditor.pipeline import audit

    if variant not in ("clean", "flawed"):
        raise UsageError(f"--variant takes clean or flawed (got {variant!r}).")
    if serve:
        from cx_auditor.demo.__main__ import serve_until_interrupted

        try:
            serve_until_interrupted(variant, products=products, port=port, spa=spa, echo=typer.echo)
        except OSError as exc:
            raise UsageError(
                f"cannot serve the demo store on 127.0.0.1:{port} ({exc.strerror or exc}); "
                "choose another port with --port (0 picks a free one)."
            ) from None
        return
    opts = _options(
        out=out,
        formats=formats,
        fail_under=fail_under,
        runs=runs,
        workers=workers,
        shard=shard,
        discover=discover,
        allow_orders=allow_orders,
        browser_path=browser_path,
        browser_endpoint=browser_endpoint,
        cdp_endpoint=cdp_endpoint,
        trace=trace,
        baseline=baseline,
        history=history,
        no_history=no_history,
        headed=headed,
    )
    from cx_auditor.demo import DemoStore

    with DemoStore(variant, products=products, spa=spa) as store:
        cfg = demo_config(store.url, variant, work_dir=opts.out, spa=spa)
        if not quiet and not as_json:
            err_console.print(f"Demo store ({variant}) serving at {store.url}")
        _run_and_report(lambda o: audit(cfg, o), opts, quiet=quiet, as_json=as_json)


@app.command(epilog=EPILOG)
def check(
    from_dir: Annotated[
        Path, typer.Option("--from", help="Artifacts of an earlier run (DIR or DIR/artifacts).")
    ],
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="audit.yaml for check options and budgets.")
    ] = None,
    out: OutOpt = Path("cx-audit-report"),
    formats: FormatOpt = None,
    fail_under: FailUnderOpt = None,
    baseline: BaselineOpt = None,
    history: HistoryOpt = None,
    no_history: Annotated[
        bool, typer.Option("--no-history/--record-history", help="Record in history?")
    ] = True,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Re-judge recorded artifacts without a browser (like Lighthouse's -A)."""
    from cx_auditor.config import load_config
    from cx_auditor.pipeline import rejudge

    cfg = load_config(config) if config else None
    opts = _options(
        out=out,
        formats=formats,
        fail_under=fail_under,
        baseline=baseline,
        history=history,
        no_history=no_history,
    )
    _run_and_report(lambda o: rejudge(from_dir, cfg, o), opts, quiet=quiet, as_json=as_json)


@app.command()
def merge(
    dirs: Annotated[list[Path], typer.Argument(help="Output folders of the shards (each holds artifacts/).")],
    out: OutOpt = Path("cx-audit-report"),
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="audit.yaml for options and budgets.")
    ] = None,
    formats: FormatOpt = None,
    fail_under: FailUnderOpt = None,
    history: HistoryOpt = None,
    no_history: NoHistoryOpt = False,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Join the artifacts of sharded runs (`run --shard i/n`) and judge them as one run."""
    from cx_auditor.config import load_config
    from cx_auditor.merge import merge_artifacts
    from cx_auditor.pipeline import judge

    cfg = load_config(config) if config else None
    opts = _options(out=out, formats=formats, fail_under=fail_under, history=history, no_history=no_history)

    def runner(o: AuditOptions) -> AuditResult:
        from cx_auditor import outdir
        from cx_auditor.artifacts import load_artifacts

        # Like `run`: one writer per --out folder, and the joined artifacts replace the old
        # ones only once they are whole (a merge that fails leaves OUT/artifacts untouched).
        with outdir.locked(o.out):
            with outdir.staged(o.out) as root:
                merge_artifacts(dirs, root)
            merged_dir = o.out / outdir.ARTIFACTS
            return judge(load_artifacts(merged_dir), cfg, o, artifacts_dir=merged_dir)

    _run_and_report(runner, opts, quiet=quiet, as_json=as_json)


@app.command("checks")
def list_checks(
    as_json: JsonOpt = False,
    show_options: Annotated[
        bool,
        typer.Option("--options", help="Also list each check's options: type, default and what it does."),
    ] = False,
) -> None:
    """List installed checks (built-in and plugins) with what they judge.

    Options go under `checks: {<id>: {...}}` in audit.yaml and are validated when it is loaded.
    """
    from cx_auditor.checks_api import option_fields
    from cx_auditor.registry import discover

    found = discover()
    if as_json:
        rows = []
        for c in found.values():
            fields = option_fields(c.check)
            row = {
                "id": c.id,
                "title": c.check.title,
                "description": c.check.description,
                "source": c.source,
                "options": {f["name"]: f["default"] for f in fields},
            }
            if show_options:
                row["option_fields"] = fields
            rows.append(row)
        print(json.dumps(rows, indent=2, default=str))
        return
    table = Table(box=None, header_style="bold")
    table.add_column("id")
    table.add_column("source")
    table.add_column("description")
    for c in found.values():
        table.add_row(c.id, c.source, c.check.description)
    out_console.print(table)
    if not show_options:
        return
    for c in found.values():
        opts = Table(title=f"{c.id} options", title_justify="left", box=None, header_style="bold")
        for col in ("option", "type", "default", "description"):
            opts.add_column(col, overflow="fold")
        for f in option_fields(c.check):
            default = json.dumps(f["default"], default=str, ensure_ascii=False)
            opts.add_row(
                f["name"], f["type"], default if len(default) <= 40 else default[:39] + "…", f["description"]
            )
        out_console.print()
        out_console.print(opts)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter config.")] = Path("audit.yaml"),
    base_url: Annotated[
        str, typer.Option("--base-url", help="Your site's address.")
    ] = "https://shop.example.com",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    from_url: Annotated[
        str | None,
        typer.Option(
            "--from-url",
            help="Visit this store and write the journeys found there (category, product, add to cart, "
            "cart, checkout up to the order button, contact/help/returns pages), marking what is unsure.",
        ),
    ] = None,
    browser_path: BrowserPathOpt = None,
) -> None:
    """Write a commented starter audit.yaml to edit for your site, or one found by visiting it.

    Example: cx-audit init --from-url https://shop.example.com
    """
    from cx_auditor.config_schema import SCHEMA_FILENAME, config_json_schema, modeline
    from cx_auditor.demo_config import starter_config

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it or choose another path.")
    if from_url is not None:
        from cx_auditor.browser import find_browser
        from cx_auditor.init_from_url import config_from_url

        out_console.print(f"Exploring {from_url} ...")
        try:
            text, found = config_from_url(from_url, find_browser(browser_path=browser_path))
        except ValueError as exc:
            raise UsageError(f"--from-url: {exc}") from None
        schema_path = path.parent / SCHEMA_FILENAME
        schema_path.write_text(json.dumps(config_json_schema(), indent=2) + "\n", encoding="utf-8")
        path.write_text(modeline(f"./{SCHEMA_FILENAME}") + text, encoding="utf-8")
        unsure = text.count("# UNSURE")
        out_console.print(
            f"Wrote {path}: the purchase journey reaches {found.reached} ({len(found.steps)} steps), "
            f"{len(found.pages)} help/contact page(s), {unsure} line(s) marked UNSURE, "
            f"in {found.elapsed_s:.1f} s. "
            f"Review it, then: cx-audit run {path}"
        )
        return
    # the schema goes beside the config (editors resolve the modeline relative to the file);
    # it is generated, so refreshing it is always safe: `cx-audit schema > audit.schema.json`
    schema_path = path.parent / SCHEMA_FILENAME
    schema_path.write_text(json.dumps(config_json_schema(), indent=2) + "\n", encoding="utf-8")
    path.write_text(modeline(f"./{SCHEMA_FILENAME}") + starter_config(base_url), encoding="utf-8")
    out_console.print(
        f"Wrote {path} (and {schema_path.name}, for editor completion). "
        f"Edit the journeys' selectors for your site, then: cx-audit run {path}"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of audit.yaml (for editors and CI validation).

    Generated from the config models and the installed checks' options. Editors using the YAML
    language server pick it up from a first line `# yaml-language-server: $schema=audit.schema.json`,
    which `cx-audit init` writes. Example: cx-audit schema > audit.schema.json
    """
    from cx_auditor.config_schema import config_json_schema

    print(json.dumps(config_json_schema(), indent=2))


@app.command("import-codegen")
def import_codegen_cmd(
    script: Annotated[
        Path, typer.Argument(help="A script saved by `playwright codegen --target python` (or python-async).")
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Journey name (default: from the file name).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML here instead of printing it.")
    ] = None,
) -> None:
    """Turn a Playwright codegen recording into a journey for audit.yaml.

    The script is read, never run. Locators (get_by_role, get_by_text, get_by_label, get_by_placeholder,
    get_by_test_id, locator) become selectors Playwright resolves the same way; goto, click, fill,
    select_option, check and press become steps. Recorded passwords become ${SHOP_PASSWORD}, and a click
    that places an order is marked places_order. What cannot be imported is listed as a warning.

    Example: playwright codegen --target python -o flow.py https://shop.example.com &&
    cx-audit import-codegen flow.py >> journeys.yaml
    """
    from cx_auditor.codegen import import_codegen_file

    result = import_codegen_file(script, name=name)
    text = result.to_yaml()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"Wrote the journey {result.journey['name']!r} to {output}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


@app.command()
def doctor() -> None:
    """Show which browser cx-audit would use, and how to get one if none is found."""
    from cx_auditor.browser import find_browser, playwright_chromium, system_chromium

    out_console.print(f"cx-audit {__version__}, Python {sys.version.split()[0]}")
    out_console.print(f"Playwright's Chromium: {playwright_chromium() or 'not installed'}")
    out_console.print(f"System Chromium/Chrome: {system_chromium() or 'not found'}")
    out_console.print(f"CX_AUDIT_BROWSER: {os.environ.get('CX_AUDIT_BROWSER') or 'not set'}")
    choice = find_browser()
    out_console.print(f"Will use: {choice.describe()}")


@app.command("install-browser")
def install_browser_cmd(
    no_apt: Annotated[bool, typer.Option("--no-apt", help="Never fall back to apt-get.")] = False,
) -> None:
    """Get a browser: `playwright install chromium`, else (Debian, root) `apt-get install chromium`."""
    from cx_auditor.install_browser import install_browser

    choice = install_browser(log=lambda m: err_console.print(m), allow_apt=not no_apt)
    out_console.print(f"Ready: {choice.describe()}")


def _mount_history() -> None:
    try:
        from cx_auditor import cli_history
    except ImportError:  # pragma: no cover - during development only
        return
    cli_history.register(app)


def _guarded(fn: Any) -> Any:
    """Show a user error as one paragraph with its exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CxAuditError as exc:
            exc.show()
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            print(
                "error: interrupted; what was gathered so far is in the artifacts folder, marked incomplete.",
                file=sys.stderr,
            )
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:  # noqa: BLE001 - a bug: crash log and exit 70, never a bare traceback
            from cx_auditor.crash import is_cli_exit, report_crash

            if is_cli_exit(exc):
                raise
            raise typer.Exit(report_crash(exc)) from None

    return wrapper


def _guard_all(typer_app: typer.Typer) -> None:
    for command in typer_app.registered_commands:
        if command.callback is not None and not getattr(command.callback, "_cx_guarded", False):
            command.callback = _guarded(command.callback)
            command.callback._cx_guarded = True  # type: ignore[attr-defined,union-attr]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_all(group.typer_instance)


_mount_history()
_guard_all(app)


def main() -> None:
    """Console entry point."""

    def _sigterm(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _sigterm)
    except ValueError:  # pragma: no cover - not the main thread
        pass
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
