"""One audit from config to verdict: collect, judge, gate, write, record.

The CLI is a thin layer over :func:`audit` and :func:`judge`, so tests and
other programs can run an audit without going through the command line.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cx_auditor import outdir, registry
from cx_auditor.artifacts import load_artifacts
from cx_auditor.browser import find_browser
from cx_auditor.budgets import evaluate
from cx_auditor.checks_api import resolve_options
from cx_auditor.config import AuditConfig, validate_check_ids, validate_check_options
from cx_auditor.errors import ExitCode, UsageError
from cx_auditor.gather import CollectOptions, Collector
from cx_auditor.models import Artifacts, BudgetOutcome, Scorecard
from cx_auditor.requirements import Requirements, union
from cx_auditor.runner import build_scorecard

ALL_FORMATS = ("html", "json", "junit", "md", "sarif")


@dataclass(frozen=True)
class AuditOptions:
    """Everything a run, demo, re-judge or merge is told from outside the config; resolved once.

    Frozen: the pipeline reads it and derives variants with :func:`dataclasses.replace`.
    ``None`` means "the config (or built-in default) decides".
    """

    out: Path = Path("cx-audit-report")
    formats: tuple[str, ...] = ALL_FORMATS
    fail_under: float | None = None
    runs: int | None = None
    workers: int | None = None
    shard: tuple[int, int] | None = None
    discover: int | None = None
    allow_orders: bool = False
    browser_path: str | None = None
    browser_endpoint: str | None = None
    cdp_endpoint: str | None = None
    trace: str | None = None
    baseline: str | None = None
    history: str | None = None
    record_history: bool = True
    headless: bool = True
    progress: Callable[[str, dict[str, Any]], None] | None = None
    extra_outcomes: tuple[BudgetOutcome, ...] = ()


@dataclass
class AuditResult:
    scorecard: Scorecard
    artifacts: Artifacts
    paths: dict[str, Path]
    exit_code: ExitCode
    run_db_id: int | None = None
    #: why the run stopped early (Ctrl-C, SIGTERM, a browser crash); ``None`` for a whole run
    incomplete_reason: str | None = None


def enabled_checks(
    cfg: AuditConfig | None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, float]]:
    """Installed checks filtered by the config, with their options and weights."""
    installed = registry.discover()
    if cfg is not None:
        validate_check_ids(cfg, list(installed))
        validate_check_options(cfg, {cid: rc.check for cid, rc in installed.items()})
    checks: dict[str, Any] = {}
    options: dict[str, dict[str, Any]] = {}
    weights: dict[str, float] = {}
    for cid, rc in installed.items():
        settings = cfg.checks.get(cid) if cfg is not None else None
        if settings is not None and not settings.enabled:
            continue
        checks[cid] = rc.check
        if settings is not None:
            options[cid] = settings.options()
            if settings.weight is not None:
                weights[cid] = settings.weight
    return checks, options, weights


def gather_requirements(checks: Mapping[str, Any], options: Mapping[str, Mapping[str, Any]]) -> Requirements:
    """What the enabled checks ask the collector to gather: the union of their requirements.

    Each check sees its options exactly as its run will (:func:`resolve_options`). A check
    whose declaration raises (say, a malformed option) gathers nothing extra; its own run
    reports the problem as its ``error`` result, and the audit goes on.
    """
    parts = []
    for cid, check in checks.items():
        declare = getattr(check, "requirements", None)
        if declare is None:  # a plugin object that is not a Check subclass
            continue
        try:
            wanted = declare(resolve_options(check, options.get(cid)))
        except Exception:  # noqa: BLE001 - judged (and reported) when the check runs
            continue
        if isinstance(wanted, Requirements):
            parts.append(wanted)
    return union(parts)


def load_time_confirmation(cfg: AuditConfig) -> dict[str, Any]:
    """How the collector confirms load-time failures: ``load_time``'s own pure page choice.

    Empty (no confirmation pass) when the check is disabled or its options do not validate
    (its run reports those).
    """
    checks, options, _ = enabled_checks(cfg)
    check = checks.get("load_time")
    if check is None:
        return {}
    from cx_auditor.checks.load_time import pages_to_confirm

    try:
        opts = resolve_options(check, options.get("load_time"))
    except Exception:  # noqa: BLE001 - judged (and reported) when the check runs
        return {}
    browser = [c.name for c in cfg.browser_channels()]
    return {
        "confirm": lambda visits: pages_to_confirm(visits, opts, browser),
        "confirm_runs": opts.confirm_runs,
    }


def parse_shard(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        i, n = (int(x) for x in value.split("/", 1))
    except ValueError:
        raise UsageError(f"--shard takes INDEX/TOTAL like 2/4 (got {value!r}).") from None
    if n < 1 or not 1 <= i <= n:
        raise UsageError(f"--shard {value}: INDEX must be between 1 and TOTAL (e.g. 1/4 .. 4/4).")
    return (i, n)


def check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".cx-audit-write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise UsageError(
            f"The output folder {out} cannot be written ({exc.strerror or exc}). "
            "Choose another with --out, or fix its permissions."
        ) from None


def judge(
    artifacts: Artifacts,
    cfg: AuditConfig | None,
    opts: AuditOptions,
    *,
    artifacts_dir: Path | None = None,
) -> AuditResult:
    """Run the checks, apply budgets and baseline, write reports, record history.

    Artifacts marked incomplete (an interrupted run, re-judged with ``check --from``) are
    reported but never recorded: a half run would skew trends and baselines.
    """
    checks, options, weights = enabled_checks(cfg)
    scorecard = build_scorecard(artifacts, checks, options, weights=weights)
    budgets = cfg.budgets if cfg is not None else None
    scorecard.gate = evaluate(scorecard, budgets, fail_under=opts.fail_under)
    if opts.baseline:
        _apply_baseline(scorecard, opts)
    scorecard.gate.budgets.extend(opts.extra_outcomes)
    scorecard.gate.decide()
    from cx_auditor.reports import write_reports

    paths = write_reports(
        scorecard, opts.out, formats=set(opts.formats), artifacts_dir=artifacts_dir or opts.out / "artifacts"
    )
    if "md" in paths and os.environ.get("GITHUB_STEP_SUMMARY"):
        from cx_auditor.reports import append_github_step_summary

        append_github_step_summary(paths["md"].read_text(encoding="utf-8"))
    run_db_id = None
    if opts.record_history and artifacts.meta.complete:  # a half run never enters history
        run_db_id = _record(scorecard, opts, paths.get("html"))
    code = ExitCode.OK if scorecard.gate.passed else ExitCode.GATE_FAILED
    return AuditResult(scorecard, artifacts, paths, code, run_db_id)


def audit(cfg: AuditConfig, opts: AuditOptions) -> AuditResult:
    """Collect in a real browser, then :func:`judge`."""
    checks, options, _ = enabled_checks(cfg)  # fail on a bad `checks:` section before launching anything
    check_writable(opts.out)
    with outdir.locked(opts.out):  # one writer per --out folder (auditor/outdir.py)
        return _audit_locked(cfg, opts, gather_requirements(checks, options))


def _audit_locked(cfg: AuditConfig, opts: AuditOptions, requirements: Requirements) -> AuditResult:
    from cx_auditor.documents import scan_documents

    scan_documents(cfg)  # a missing or system documents folder is a config error, found up front
    choice = find_browser(
        browser_path=opts.browser_path, browser_endpoint=opts.browser_endpoint, cdp_endpoint=opts.cdp_endpoint
    )
    staging = outdir.Staging(opts.out).prepare()  # gathered apart, swapped in at the end
    collector = Collector(
        cfg,
        choice,
        CollectOptions(
            out=staging.root,
            allow_orders=opts.allow_orders,
            workers=opts.workers,
            runs=opts.runs,
            shard=opts.shard,
            discover=opts.discover,
            trace=opts.trace,
            headless=opts.headless,
            progress=opts.progress,
            requirements=requirements,
            **load_time_confirmation(cfg),
        ),
    )
    artifacts = outdir.gather(staging, collector.run)
    _git_meta(artifacts)
    if collector.interrupted is None:
        return judge(artifacts, cfg, opts)
    return _judge_interrupted(
        artifacts, cfg, opts, collector.interrupted, browser_lost=collector.browser_lost
    )


def _judge_interrupted(
    artifacts: Artifacts, cfg: AuditConfig, opts: AuditOptions, reason: str, *, browser_lost: bool
) -> AuditResult:
    """Report what an interrupted run gathered, marked incomplete, without touching history.

    The reports replace the previous ones atomically (each file is whole, old or new)
    and say ``complete: false``. The run is *not* recorded in history: a half run would
    skew trends and become a misleading ``--baseline``. Exit code: 130 after Ctrl-C or
    SIGTERM, 3 after a browser crash (the browser could not be kept), whatever the gate says.
    """
    artifacts.meta.complete = False
    artifacts.meta.incomplete_reason = reason
    result = judge(artifacts, cfg, dataclasses.replace(opts, record_history=False))
    result.incomplete_reason = reason
    result.exit_code = ExitCode.UNREACHABLE if browser_lost else ExitCode.INTERRUPTED
    return result


def rejudge(from_dir: Path, cfg: AuditConfig | None, opts: AuditOptions) -> AuditResult:
    """Judge earlier artifacts; empty ones are an error, incomplete ones never pass (see :mod:`.outdir`)."""
    artifacts = load_artifacts(from_dir)
    art_dir = from_dir / "artifacts" if (from_dir / "artifacts").is_dir() else from_dir
    outdir.require_something(artifacts, art_dir)
    with outdir.locked(opts.out):
        if artifacts.meta.complete:
            return judge(artifacts, cfg, opts, artifacts_dir=art_dir)
        result = judge(artifacts, cfg, dataclasses.replace(opts, record_history=False), artifacts_dir=art_dir)
        result.incomplete_reason = outdir.incomplete_reason(artifacts)
        result.exit_code = ExitCode.INTERRUPTED  # like the run that wrote them: never a pass
        return result


def _git_meta(artifacts: Artifacts) -> None:
    try:
        from cx_auditor.history.gitinfo import detect_git

        info = detect_git()
    except Exception:  # noqa: BLE001 - git info is a nicety
        return
    artifacts.meta.git_commit = artifacts.meta.git_commit or info.commit
    artifacts.meta.git_branch = artifacts.meta.git_branch or info.branch


def default_history() -> str:
    """Where history lives when ``--history`` is not given: ``$CX_AUDIT_HISTORY``, else the default path."""
    from cx_auditor.history.db import DEFAULT_HISTORY_PATH

    return os.environ.get("CX_AUDIT_HISTORY") or DEFAULT_HISTORY_PATH


def _record(scorecard: Scorecard, opts: AuditOptions, report: Path | None) -> int | None:
    from cx_auditor.recording import record_run

    return record_run(
        scorecard,
        history=opts.history or default_history(),
        report_path=str(report.resolve()) if report else None,
    )


def _apply_baseline(scorecard: Scorecard, opts: AuditOptions) -> None:
    """Gate only on what got worse than REF; must run before this run is recorded."""
    from cx_auditor.recording import apply_baseline

    apply_baseline(scorecard, opts.baseline or "", history=opts.history or default_history())
