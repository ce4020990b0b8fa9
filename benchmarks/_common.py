"""Helpers shared by the benchmark scripts: the demo config, Lighthouse, medians and tables.

The benchmarks are scripts, not part of the package: they put the repository
root on ``sys.path`` themselves so they run from a plain checkout with
``.venv/bin/python benchmarks/<script>.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cx_auditor.config import AuditConfig, parse_config  # noqa: E402
from cx_auditor.demo_config import demo_yaml  # noqa: E402

HERE = Path(__file__).resolve().parent
BROWSER_CHANNELS = ("desktop", "mobile", "tablet")
DOCUMENT_CHANNELS = ("email",)

#: Flags Lighthouse's Chrome needs here: headless, no sandbox (containers), and
#: none of the background traffic a closed network answers slowly.
LIGHTHOUSE_CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


# ---------------------------------------------------------------- configs
def demo_config_data(url: str, variant: str, documents: Path) -> dict[str, Any]:
    """The demo template as a plain mapping, so a benchmark can reshape a copy of it."""
    data = yaml.safe_load(demo_yaml(url, variant, documents))
    assert isinstance(data, dict)
    return data


def parse_channels(value: str) -> list[str]:
    """``all`` or a comma list of channel names (desktop, mobile, tablet, email)."""
    if value.strip().lower() == "all":
        return [*BROWSER_CHANNELS, *DOCUMENT_CHANNELS]
    names = [v.strip() for v in value.split(",") if v.strip()]
    known = {*BROWSER_CHANNELS, *DOCUMENT_CHANNELS}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise SystemExit(f"--channels: unknown {unknown or value!r}; use all or a subset of {sorted(known)}")
    return names


def with_channels(data: dict[str, Any], channels: Sequence[str]) -> dict[str, Any]:
    """A copy of the demo config keeping only ``channels``; adds the tablet channel the template lacks."""
    out = json.loads(json.dumps(data))
    defined = dict(out.get("channels") or {})
    defined.setdefault("tablet", {"preset": "tablet"})
    out["channels"] = {name: defined[name] for name in channels if name in defined}
    return out


def config_from(data: dict[str, Any], work_dir: Path) -> AuditConfig:
    """Validate a config mapping the same way ``cx-audit`` validates a file."""
    return parse_config(yaml.safe_dump(data, sort_keys=False), path=str(work_dir / "bench.audit.yaml"))


def bench_dir(prefix: str) -> Path:
    """A scratch folder for one benchmark's reports and artifacts (removed by the caller)."""
    return Path(tempfile.mkdtemp(prefix=f"cx-bench-{prefix}-"))


# ------------------------------------------------------------- Lighthouse
def lighthouse_bin() -> str | None:
    """``$LIGHTHOUSE_BIN``, else ``benchmarks/node_modules/.bin/lighthouse``, else one on PATH."""
    explicit = os.environ.get("LIGHTHOUSE_BIN")
    if explicit:
        return explicit if Path(explicit).exists() else None
    local = HERE / "node_modules" / ".bin" / "lighthouse"
    if local.exists():
        return str(local)
    return shutil.which("lighthouse")


def chrome_path() -> str | None:
    """The Chromium cx-audit itself would use, so both tools run the same browser build."""
    from cx_auditor.browser import find_browser

    try:
        choice = find_browser()
    except Exception:  # noqa: BLE001 - no browser: the caller reports it
        return None
    return choice.executable


@dataclass
class LighthouseRun:
    """One Lighthouse invocation: its wall time and the metrics we compare."""

    url: str
    wall_s: float
    ok: bool
    metrics: dict[str, float | None] = field(default_factory=dict)
    error: str = ""
    lighthouse_total_ms: float | None = None


LH_AUDITS = {
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "cls": "cumulative-layout-shift",
    "tbt_ms": "total-blocking-time",
}


def run_lighthouse(url: str, extra_args: Iterable[str] = (), *, timeout_s: float = 180) -> LighthouseRun:
    """Run the Lighthouse CLI once on ``url`` and read its JSON result.

    Wall time covers the whole CLI: Node start-up, Chrome launch, the run and the report,
    which is what a user waits for.
    """
    binary = lighthouse_bin()
    if binary is None:
        return LighthouseRun(url, 0.0, False, error="lighthouse is not installed")
    env = dict(os.environ)
    chrome = chrome_path()
    if chrome and "CHROME_PATH" not in env:
        env["CHROME_PATH"] = chrome
    with tempfile.TemporaryDirectory(prefix="cx-bench-lh-") as tmp:
        report = Path(tmp) / "lh.json"
        cmd = [
            binary,
            url,
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
            *extra_args,
        ]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
            )
        except subprocess.TimeoutExpired:
            return LighthouseRun(
                url, time.perf_counter() - t0, False, error=f"timed out after {timeout_s:.0f} s"
            )
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not report.exists():
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            return LighthouseRun(url, wall, False, error=" | ".join(tail) or f"exit code {proc.returncode}")
        data = json.loads(report.read_text(encoding="utf-8"))
    return _lighthouse_result(url, wall, data)


def _lighthouse_result(url: str, wall: float, data: dict[str, Any]) -> LighthouseRun:
    audits = data.get("audits") or {}
    metrics: dict[str, float | None] = {}
    for key, audit_id in LH_AUDITS.items():
        value = (audits.get(audit_id) or {}).get("numericValue")
        metrics[key] = None if value is None else float(value)
    # TTFB from navigation start, as ours: the `metrics` audit's timeToFirstByte. (The
    # `server-response-time` audit is request-sent to headers-received, a different figure.)
    items = ((audits.get("metrics") or {}).get("details") or {}).get("items") or [{}]
    ttfb = items[0].get("timeToFirstByte")
    metrics["ttfb_ms"] = None if ttfb is None else float(ttfb)
    error = ""
    if data.get("runtimeError"):
        error = str(data["runtimeError"].get("message") or data["runtimeError"])
    warnings = data.get("runWarnings") or []
    if warnings and not error:
        error = "; ".join(str(w) for w in warnings)[:300]
    total = (data.get("timing") or {}).get("total")
    return LighthouseRun(url, wall, not data.get("runtimeError"), metrics, error, total)


# ----------------------------------------------------------------- numbers
def median(values: Iterable[float | None]) -> float | None:
    """Median of the measured values; ``None`` (not measured) is left out, never counted as 0."""
    got = [v for v in values if v is not None]
    return statistics.median(got) if got else None


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min), {os.cpu_count()} CPUs"


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def diff_pct(ours: float | None, theirs: float | None) -> float | None:
    """How far our figure is from the reference, in percent of the reference."""
    if ours is None or theirs is None or theirs == 0:
        return None
    return (ours - theirs) / theirs * 100


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Iterable[int] = ()) -> str:
    """A plain fixed-width text table (Markdown-compatible pipes), readable in a terminal and a PR."""
    align_right = set(right)
    widths = [
        max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
        for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            text = str(cell)
            out.append(text.rjust(widths[i]) if i in align_right else text.ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    sep = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i in align_right else ("-" * (w + 2)) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])
