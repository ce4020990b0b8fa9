"""What the HTML report, the Markdown summary and the terminal put first, and how they agree.

Rendered from the factory scorecard (no browser): the verdict, broken journeys, top findings,
rule groups, the gate with no budgets, n/a cells, screenshots embedded once, one score rule.
"""

from __future__ import annotations

import base64
import io
import json
import re
from html import unescape
from pathlib import Path

from cx_auditor.cli import _ProgressReporter, print_summary
from cx_auditor.errors import ExitCode
from cx_auditor.models import Artifacts, Finding, MetricValue, Scope, Severity, StepRecord, TableDetail
from cx_auditor.pipeline import AuditResult
from cx_auditor.reports import render_html, render_junit, render_markdown
from rich.console import Console
from rich.progress import Progress

from tests.scorecard_factory import DEMO_BUDGETS, make_scorecard, mock_page_png, write_screenshots


def _text(html: str) -> str:
    """Visible-ish text: tags and the raw JSON views (``<pre>``) removed."""
    html = re.sub(r"<(style|script|pre)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _terminal(card, width_hint: int = 80) -> str:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    result = AuditResult(scorecard=card, artifacts=Artifacts(meta=card.meta), paths={}, exit_code=ExitCode.OK)
    print_summary(result, console=Console(file=buf, width=width_hint, highlight=False), elapsed=1.0)
    return buf.getvalue()


def test_without_budgets_every_output_says_no_gate_is_set() -> None:
    card = make_scorecard()  # no budgets
    assert card.gate.budgets == []
    html = render_html(card)
    verdict = re.search(r'<div class="verdict card ([^"]+)" id="gate">(.*?)</h3>', html, re.S)
    assert verdict and verdict.group(1) == "verdict-none"
    assert "No gate set" in verdict.group(2) and "✓" not in verdict.group(2)
    assert "Gate passed" not in html
    md = render_markdown(card)
    assert "No gate set" in md and "gate passed" not in md.lower()
    out = _terminal(card)
    assert "Gate: no gate set" in out and "PASSED" not in out


def test_a_broken_journey_is_named_with_its_step_and_reason_before_the_checks() -> None:
    card = make_scorecard(budgets=DEMO_BUDGETS)  # mobile purchase stops at its fifth step
    mobile = next(j for j in card.journeys if not j.completed)
    mobile.steps.append(
        StepRecord(index=4, action="click", label="Continue to payment", ok=False, error=mobile.error)
    )
    html = render_html(card)
    broken = html.index('id="broken-h"')
    assert broken < html.index('id="findings-h"') and broken < html.index('id="journeys-h"')
    section = _text(html[broken : html.index("</section>", broken)])
    assert "purchase" in section and "mobile" in section
    assert "stopped at step 5 “Continue to payment”" in section
    assert "Timeout 10000 ms waiting for button[data-testid=continue]" in section
    out = _terminal(card)
    assert "Broken journeys (1):" in out
    assert (
        'purchase (mobile): step 5 "Continue to payment" failed: '
        "Timeout 10000 ms waiting for button[data-testid=continue]"
    ) in out


def test_top_findings_come_first_failures_before_warnings_one_per_rule() -> None:
    card = make_scorecard(budgets=DEMO_BUDGETS)
    html = render_html(card)
    top = html[html.index('id="top-h"') : html.index("</section>", html.index('id="top-h"'))]
    severities = re.findall(r'<li><span class="pill sev-(\w+)">', top)
    assert 1 <= len(severities) <= 5 and severities == sorted(severities, key=["fail", "warn"].index)
    fails = [f for f in card.findings() if f.severity == Severity.FAIL]
    assert severities.count("fail") == min(5, len({(f.check, f.rule) for f in fails}))
    assert html.index('id="top-h"') < html.index('id="findings-h"')


def test_findings_are_grouped_by_rule_collapsed_with_counts_and_pages() -> None:
    card = make_scorecard(budgets=DEMO_BUDGETS)
    html = render_html(card)
    groups = re.findall(
        r'<details class="sev-group rule-group sev-\w+"[^>]*>\s*<summary>(.*?)</summary>', html, re.S
    )
    rules = {(f.check, f.rule) for f in card.findings()}
    assert len(groups) == len(rules)  # one group per rule of each check
    assert not re.search(r'<details class="sev-group[^"]*"[^>]*\bopen\b', html)  # collapsed by default
    lcp = next(g for g in groups if "<code>lcp</code>" in g)
    count = sum(1 for f in card.findings() if f.rule == "lcp")
    assert f"{count} finding{'s' if count != 1 else ''}" in lcp and " page" in lcp


def test_evidence_is_drawn_for_people_raw_json_only_behind_a_toggle() -> None:
    card = make_scorecard()
    result = card.results[1]
    result.findings.append(
        Finding(
            check=result.check,
            rule="forced-account",
            severity=Severity.FAIL,
            message="Checkout forces an account",
            evidence={"password_fields": [], "guest_option": False, "runs": {"median": 3, "n": 1}},
            details=[
                TableDetail(
                    title="Fields",
                    columns=[{"key": "name", "label": "Field"}, {"key": "required", "label": "Required"}],
                    rows=[{"name": "email", "required": True}, {"name": "company", "required": False}],
                )
            ],
        )
    )
    html = render_html(card)
    visible = _text(html)
    assert not re.search(r"\b(True|False)\b", visible)  # no Python booleans for people
    assert "password_fields" not in visible and "guest_option" not in visible  # no key/value dumps
    assert "Required" in visible and " no " in visible
    raws = re.findall(r"<summary>Evidence \(raw JSON\)</summary><pre>(.*?)</pre>", html, re.S)
    assert any('"guest_option": false' in unescape(raw) for raw in raws)  # JSON, behind a toggle


def test_each_distinct_screenshot_is_embedded_once_and_steps_fall_back_to_their_visit(
    tmp_path: Path,
) -> None:
    art = tmp_path / "artifacts"
    shots = write_screenshots(art)
    same = mock_page_png(320, 200, (46, 125, 200))
    assert (art / shots["desktop-home"]).read_bytes() == same  # a copy under another name
    (art / "screenshots" / "copy.png").write_bytes(same)
    (art / "screenshots" / "visit.png").write_bytes(mock_page_png(100, 300, (10, 200, 10)))
    card = make_scorecard(screenshots=shots)
    steps = card.journeys[0].steps
    steps[2].screenshot = "screenshots/copy.png"  # the same bytes as step 0's screenshot
    steps[3].screenshot, steps[3].visit_id = None, "v-3"
    (art / "visits.jsonl").write_text(json.dumps({"id": "v-3", "screenshot": "screenshots/visit.png"}) + "\n")
    html = render_html(card, artifacts_dir=art)
    uris = re.findall(r"url\((data:image/[a-z]+;base64,[^)]+)\)", html)
    assert len(uris) == len(set(uris))  # each distinct image once
    visit_uri = (
        "data:image/png;base64," + base64.b64encode((art / "screenshots" / "visit.png").read_bytes()).decode()
    )
    assert visit_uri in uris
    journey = html[html.index('id="journeys-h"') :]
    first = journey[: journey.index("</article>")]
    classes = re.findall(r'class="shot-img (img-[0-9a-f]+)"', first)
    assert classes[0] == classes[2]  # the copy is the same image, referenced again
    assert len(classes) == 4  # every step with a screenshot, the fourth from its visit
    assert "Screenshot after step 4 “Checkout” on desktop" in unescape(first)


def test_checks_that_do_not_apply_to_a_documents_channel_say_n_a() -> None:
    card = make_scorecard()
    html = render_html(card)
    matrix = html[html.index('id="matrix-h"') : html.index("</table>", html.index('id="matrix-h"'))]
    rows = {
        re.sub(r"<[^>]+>", "", m.group(1)).strip(): m.group(2)
        for m in re.finditer(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', matrix, re.S)
    }
    load = next(v for k, v in rows.items() if "Load" in k)
    cells = re.findall(r'<td class="cell[^"]*">(.*?)</td>', load, re.S)
    assert "n/a" in cells[-1] and "no findings" not in cells[-1]  # load time of an email
    assert all("n/a" not in c for c in cells[:-1])  # browser channels are measured
    messaging = next(v for k, v in rows.items() if "essaging" in k)
    assert "n/a" not in messaging  # messaging reads the documents and found something there
    # a value scoped to the documents channel makes the check apply there
    card.results[0].values.append(MetricValue(name="score", value=80, scope=Scope(channel="documents")))
    assert "n/a" not in _matrix_row(render_html(card), "Load")


def _matrix_row(html: str, title: str) -> str:
    matrix = html[html.index('id="matrix-h"') : html.index("</table>", html.index('id="matrix-h"'))]
    return next(
        m.group(2)
        for m in re.finditer(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', matrix, re.S)
        if title in m.group(1)
    )


def test_one_rounding_rule_for_scores_in_terminal_markdown_junit_and_html() -> None:
    card = make_scorecard(budgets={"overall": {"min": 60}})
    card.score = 54.46
    card.results[0].score = 87.25
    card.gate.budgets[0].actual, card.gate.budgets[0].passed = 54.46, False
    card.gate.passed = False
    out = _terminal(card)
    assert "Overall score: 54.5" in out and "actual 54.5, limit 60" in out
    assert re.search(r"load_time\s+87\.3\s", out)
    md = render_markdown(card)
    assert "Overall score 54.5/100" in md and "| 54.5 | 60 |" in md and "| 87.3 |" in md
    junit = render_junit(card)
    assert 'name="score" value="87.3"' in junit and "actual 54.5, limit 60" in junit
    html = render_html(card)
    assert "Overall score 54.5 out of 100" in html and ">87.3<" in html
    assert '<td class="num bad">54.5</td><td class="num">60</td>' in html  # the failed budget


def test_terminal_output_is_not_hard_wrapped_when_not_a_terminal() -> None:
    card = make_scorecard()
    card.meta.site = "A storefront with a very long name " * 5
    out = _terminal(card, width_hint=80)
    line = next(x for x in out.splitlines() if x.startswith("cx-audit "))
    assert card.meta.site.strip() in line and len(line) > 80


def test_progress_shows_one_line_per_unit_in_flight() -> None:
    reporter = _ProgressReporter(False)
    reporter.progress = Progress(console=Console(file=io.StringIO()))
    reporter.task = reporter.progress.add_task("gathering", total=None, current="")
    reporter("plan", {"units": 3})
    reporter("unit-start", {"unit": "desktop/purchase/r0"})
    reporter("unit-start", {"unit": "mobile/purchase/r0"})
    reporter("unit-step", {"unit": "mobile/purchase/r0", "step": "step 3/7: Add to cart"})
    lines = {t.description.strip(): t.fields.get("current") for t in reporter.progress.tasks}
    assert lines["desktop/purchase/r0"] == "" and lines["mobile/purchase/r0"] == "step 3/7: Add to cart"
    reporter("unit-end", {"unit": "desktop/purchase/r0", "ok": True})
    names = [t.description.strip() for t in reporter.progress.tasks]
    assert names == ["gathering", "mobile/purchase/r0"]
    overall = reporter.progress.tasks[0]
    assert overall.completed == 1 and overall.total == 3 and overall.fields["current"] == "1 running"
