"""Report renderers: HTML scorecard, JSON (the source of truth), JUnit XML, Markdown, SARIF.

``write_reports`` writes every requested format atomically; the JSON is
rendered first and every other format renders from the same data, so all
reports of a run agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from cx_auditor.models import Scorecard
from cx_auditor.reports._atomic import write_atomic
from cx_auditor.reports.html import render_html, write_html
from cx_auditor.reports.json_report import (
    dumps,
    load_scorecard,
    scorecard_to_json,
    validate_scorecard_json,
    write_json,
)
from cx_auditor.reports.junit import render_junit, write_junit
from cx_auditor.reports.markdown import append_github_step_summary, md_escape, render_markdown, write_markdown
from cx_auditor.reports.sarif import build_sarif, render_sarif, write_sarif

__all__ = [
    "FORMATS",
    "FILENAMES",
    "append_github_step_summary",
    "build_sarif",
    "load_scorecard",
    "md_escape",
    "render_html",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "scorecard_to_json",
    "validate_scorecard_json",
    "write_atomic",
    "write_html",
    "write_json",
    "write_junit",
    "write_markdown",
    "write_sarif",
    "write_reports",
]

#: every format ``--format`` accepts
FORMATS: frozenset[str] = frozenset({"html", "json", "junit", "md", "sarif"})
#: file name of each format inside the output folder
FILENAMES: dict[str, str] = {
    "json": "scorecard.json",
    "html": "report.html",
    "junit": "junit.xml",
    "md": "summary.md",
    "sarif": "report.sarif",
}
_ORDER = ("json", "html", "junit", "md", "sarif")


def write_reports(
    scorecard: Scorecard,
    out_dir: Path,
    *,
    formats: Iterable[str] = FORMATS,
    artifacts_dir: Path | None = None,
) -> dict[str, Path]:
    """Render the requested ``formats`` into ``out_dir``; returns format -> written path.

    Each file is replaced atomically, so a renderer that fails leaves the previous
    report of that format intact and no temporary file behind; the error propagates
    after the formats rendered before it were written.
    """
    wanted = set(formats)
    unknown = wanted - FORMATS
    if unknown:
        raise ValueError(
            f"unknown report format(s): {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(sorted(FORMATS))}"
        )
    out = Path(out_dir)
    data = scorecard_to_json(scorecard)
    renderers: dict[str, Callable[[], str]] = {
        "json": lambda: dumps(data),
        "html": lambda: render_html(data, artifacts_dir=artifacts_dir),
        "junit": lambda: render_junit(scorecard),
        "md": lambda: render_markdown(scorecard),
        "sarif": lambda: render_sarif(scorecard),
    }
    written: dict[str, Path] = {}
    for fmt in _ORDER:
        if fmt in wanted:
            written[fmt] = write_atomic(out / FILENAMES[fmt], renderers[fmt]())
    return written
