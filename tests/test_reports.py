"""The renderers: schema-valid JSON, safe self-contained HTML, JUnit, Markdown, atomic writes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from cx_auditor import reports
from cx_auditor.models import Scorecard
from cx_auditor.reports import (
    FILENAMES,
    FORMATS,
    append_github_step_summary,
    md_escape,
    render_html,
    render_junit,
    render_markdown,
    validate_scorecard_json,
    write_reports,
)
from cx_auditor.reports._view import highlight, safe_href
from cx_auditor.rounding import fmt_score

from tests.scorecard_factory import (
    DEMO_BUDGETS,
    JS_URL,
    XSS,
    XSS_ATTR,
    XSS_IMG,
    make_scorecard,
    write_screenshots,
)


@pytest.fixture
def artifacts_dir(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture
def shots(artifacts_dir: Path) -> dict[str, str]:
    return write_screenshots(artifacts_dir)


@pytest.fixture
def demo(shots: dict[str, str]) -> Scorecard:
    return make_scorecard(screenshots=shots, budgets=DEMO_BUDGETS)


@pytest.fixture
def hostile(shots: dict[str, str]) -> Scorecard:
    return make_scorecard(screenshots=shots, budgets=DEMO_BUDGETS, hostile=True)


# -- JSON -----------------------------------------------------------------------


def test_json_validates_against_published_schema(demo: Scorecard, tmp_path: Path) -> None:
    path = reports.write_json(demo, tmp_path / "scorecard.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 3
    assert validate_scorecard_json(data) == []
    assert reports.load_scorecard(path) == demo


@pytest.mark.parametrize("hostile", [False, True])
def test_json_text_is_the_standard_librarys_indented_form(hostile: bool) -> None:
    """scorecard.json is written by pydantic's serializer (5x faster) and must stay the same text:
    the standard library's indent=2, non-ASCII kept, field order kept (diffs between runs)."""
    card = make_scorecard(hostile=hostile)
    expected = json.dumps(card.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    assert reports.json_report.dumps(card) == expected
    assert reports.json_report.dumps(card.model_dump(mode="json")) == expected  # a mapping too


def test_schema_catches_drift_and_bad_values(demo: Scorecard) -> None:
    data = demo.model_dump(mode="json")
    data["results"][0]["findings"][0]["severity"] = "fatal"
    data["results"][1]["surprise"] = 1
    errors = validate_scorecard_json(data)
    assert any("results/0/findings/0/severity" in e for e in errors)
    assert any("surprise" in e for e in errors)


def test_schema_lists_exactly_the_model_fields() -> None:
    """The hand-written schema must follow the pydantic models (catches an unsynced models.py)."""
    from cx_auditor import models

    schema = reports.json_report.scorecard_schema()
    assert set(schema["properties"]) == set(models.Scorecard.model_fields)
    for name in (
        "RunMeta",
        "ChannelInfo",
        "CheckResult",
        "Finding",
        "Gate",
        "BudgetOutcome",
        "JourneyOutcome",
        "StepRecord",
    ):
        model = getattr(models, name)
        assert set(schema["$defs"][name]["properties"]) == set(model.model_fields), name
        # a result writes the legacy ``metrics`` only when an untyped plugin filled it
        optional = {"metrics"} if name == "CheckResult" else set()
        assert set(schema["$defs"][name]["required"]) == set(model.model_fields) - optional, name


# -- HTML -------------------------------------------------------------------------


def test_html_shows_the_scorecard(demo: Scorecard, artifacts_dir: Path) -> None:
    html = render_html(demo.model_dump(mode="json"), artifacts_dir=artifacts_dir)
    assert "Northwind Outfitters" in html and "Gate failed" in html
    for r in demo.results:
        assert f'id="check-{r.check.replace("_", "-")}"' in html
    # failed budgets with actual vs limit, formatted with their unit
    assert "load_time LCP (median, mobile, /product/*) &lt;= 2500 ms" in html
    assert "4.96 s" in html
    # variants side by side with the claim highlighted inside the sentence
    assert "Free shipping on orders over <mark>$75</mark>" in html
    assert "Call 1-800-555-0123" not in html and "<mark>1-800-555-0123</mark>" in html
    # every finding is present without scripts (filter form starts hidden)
    assert html.count('class="finding ') == len(demo.findings())
    assert re.search(r'<form id="filters"[^>]*\bhidden\b', html)
    # screenshots are inlined once each (a CSS rule per distinct image), nothing is referenced by path
    uris = re.findall(r"url\((data:image/png;base64,[A-Za-z0-9+/=]+)\)", html)
    assert len(uris) >= 4 and len(uris) == len(set(uris))
    assert "screenshots/" not in html


def test_html_is_self_contained(demo: Scorecard, artifacts_dir: Path) -> None:
    html = render_html(demo, artifacts_dir=artifacts_dir)
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    # the only url() is an embedded screenshot
    assert "@import" not in html and not re.search(r"url\((?!data:image/(png|jpeg|gif|webp);base64,)", html)
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert match
    csp = unescape(match.group(1))
    assert "default-src 'none'" in csp and "img-src data:;" in csp and "script-src 'sha256-" in csp
    assert "unsafe" not in csp


def test_csp_hashes_match_inline_blocks(demo: Scorecard) -> None:
    import base64
    import hashlib

    html = render_html(demo)
    csp = unescape(re.search(r'content="(default-src[^"]+)"', html).group(1))  # type: ignore[union-attr]
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", html, re.S).group(1)  # type: ignore[union-attr]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def test_html_neutralises_hostile_site_content(hostile: Scorecard, artifacts_dir: Path) -> None:
    html = render_html(hostile.model_dump(mode="json"), artifacts_dir=artifacts_dir)
    for payload in (XSS, XSS_IMG, "<b>", XSS_ATTR):
        assert payload not in html, payload
    assert "&lt;script&gt;window.__pwned=1" in html
    # escaped text only: as an attribute-looking string (&#34;) or inside the raw JSON view (\&#34;)
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=\\&#34;", "").replace(
        "onerror=window", ""
    )
    # javascript: URLs are shown as text, never as a link
    assert not re.search(r'href="\s*javascript:', html, re.I)
    assert JS_URL in html
    # exactly one script element: ours
    assert len(re.findall(r"<script\b", html, re.I)) == 1


def test_screenshot_outside_artifacts_dir_is_not_read(tmp_path: Path) -> None:
    from cx_auditor.reports.html import _ImageStore

    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    inside = tmp_path / "art"
    inside.mkdir()
    (inside / "ok.png").write_bytes(outside.read_bytes())
    (inside / "fake.png").write_bytes(b"<svg onload=alert(1)>")
    store = _ImageStore(inside)
    assert store.data_uri(
        "ok.png",
    ).startswith("data:image/png;base64,")  # type: ignore[union-attr]
    assert store.data_uri("../secret.png") is None
    assert store.data_uri(str(outside)) is None
    assert store.data_uri("fake.png") is None  # not a raster image: never inlined


def test_highlight_and_safe_href_units() -> None:
    assert highlight("Over $50 today, $50!", ["$50"]) == [
        ("Over ", False),
        ("$50", True),
        (" today, ", False),
        ("$50", True),
        ("!", False),
    ]
    assert highlight("no claim here", ["$75", "75"]) == [("no claim here", False)]
    assert safe_href("https://a.test/x") == "https://a.test/x"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil",
        None,
    ):
        assert safe_href(bad) is None


def test_unknown_metric_shapes_fall_back_to_raw_view(demo: Scorecard) -> None:
    demo.results[2].metrics["claims_by_kind"] = {"price": [{"weird": {"deep": [1, 2]}}]}
    demo.results[0].metrics["pages"] = "not a list"
    html = render_html(demo)
    assert "More metrics (raw)" in html and "&#34;deep&#34;" in html


def test_html_renders_minimal_and_empty_scorecards() -> None:
    html = render_html({"schema_version": 1, "run_id": "x", "meta": {"site": "S"}, "results": []})
    assert "No budgets configured" in html and "<main" in html


# -- JUnit ------------------------------------------------------------------------


def test_junit_suite_per_check_with_right_counts(demo: Scorecard, tmp_path: Path) -> None:
    root = ET.parse(reports.write_junit(demo, tmp_path / "junit.xml")).getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {r.check for r in demo.results} | {"budgets"}
    for r in demo.results:
        suite = suites[r.check]
        fails = sum(1 for f in r.findings if f.severity.value == "fail")
        assert int(suite.get("failures")) == fails == len(suite.findall("testcase/failure"))  # type: ignore[arg-type]
        assert int(suite.get("tests")) == len(suite.findall("testcase"))  # type: ignore[arg-type]
    assert suites["plugin_example"].find("testcase/error") is not None
    assert suites["accessibility_lite"].find("testcase/skipped") is not None
    budget_failures = suites["budgets"].findall("testcase/failure")
    assert len(budget_failures) == len(demo.gate.failed)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites.values())  # type: ignore[arg-type]
    warn_out = [c for c in suites["load_time"].findall("testcase") if c.find("system-out") is not None]
    assert len(warn_out) == sum(1 for f in demo.result("load_time").findings if f.severity.value == "warn")  # type: ignore[union-attr]


def test_junit_check_without_findings_has_a_passing_case_per_channel(demo: Scorecard) -> None:
    demo.results[1].findings = []
    root = ET.fromstring(render_junit(demo))
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "checkout_steps")
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names == [f"checkout_steps [{c.name}]" for c in demo.meta.channels]
    assert suite.get("failures") == "0"


def test_junit_survives_hostile_text(hostile: Scorecard) -> None:
    hostile.results[0].findings[0].message += "\x00\x1b]8;;bad\x07"
    root = ET.fromstring(render_junit(hostile))  # parses: escaped and control chars removed
    assert any(XSS in (c.get("name") or "") for c in root.iter("testcase"))


# -- Markdown -----------------------------------------------------------------------


def test_markdown_summary_has_verdict_budgets_and_table(demo: Scorecard) -> None:
    md = render_markdown(demo)
    assert "gate failed" in md and "### Failed budgets" in md
    # the scores are what the real checks gave the recorded store (scorecard_factory)
    checkout, messaging = (
        fmt_score(demo.result(c).score) for c in ("checkout_steps", "messaging_consistency")
    )  # type: ignore[union-attr]
    assert f"checkout\\_steps score &gt;= 60 | {checkout} | 60 |" in md
    assert f"| Messaging consistency | {messaging} |" in md
    assert md.count("\n- **") == min(10, sum(1 for f in demo.findings() if f.severity.value == "fail"))


def test_markdown_escapes_untrusted_text(hostile: Scorecard) -> None:
    hostile.results[0].findings[0].message = "a | b `code` <img src=x> [link](http://evil)"
    md = render_markdown(hostile)
    assert "<script>" not in md and "<img" not in md and "](http://evil)" not in md
    assert "a \\| b \\`code\\` &lt;img src=x&gt;" in md
    for line in md.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 7), line  # no extra cells injected
    assert md_escape("x\ny") == "x y"


def test_github_step_summary_appends_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert append_github_step_summary("# hi") is None
    target = tmp_path / "summary.md"
    target.write_text("before\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    assert append_github_step_summary("# hi") == target
    assert target.read_text() == "before\n# hi\n"


# -- write_reports --------------------------------------------------------------------


def test_write_reports_writes_every_format(demo: Scorecard, tmp_path: Path, artifacts_dir: Path) -> None:
    out = write_reports(demo, tmp_path / "out", artifacts_dir=artifacts_dir)
    assert set(out) == FORMATS
    assert {p.name for p in out.values()} == set(FILENAMES.values())
    assert all(p.stat().st_size > 0 for p in out.values())
    with pytest.raises(ValueError, match="unknown report format"):
        write_reports(demo, tmp_path / "out", formats={"pdf"})


def test_write_reports_is_atomic_when_a_renderer_fails(
    demo: Scorecard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    write_reports(demo, out_dir)
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    demo.score = 12.0

    def explode(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer crashed mid-way")

    monkeypatch.setattr(reports, "render_html", explode)
    with pytest.raises(RuntimeError):
        write_reports(demo, out_dir)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(before)  # no temp files left
    assert (out_dir / "report.html").read_bytes() == before["report.html"]  # earlier report survives
    assert b'"score": 12.0' in (out_dir / "scorecard.json").read_bytes()  # formats before it were written


def test_atomic_write_cleans_up_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cx_auditor import atomic as _atomic

    target = tmp_path / "report.html"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        _atomic.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_cross_channel_findings_count_in_every_channel_they_involve() -> None:
    """A claim that reads $50 on desktop and $75 on mobile has no single channel; the matrix and the
    channel filter must still show it under both channels (it was invisible there before)."""
    from cx_auditor.models import CheckResult, Finding, RunMeta, Scorecard, Severity
    from cx_auditor.reports.html import render_html

    def variant(value, ch):
        return {
            "value": value,
            "display": value,
            "seen": [{"channel": ch, "url": "https://s.example/", "sentence": f"over {value}"}],
        }

    finding = Finding(
        check="messaging_consistency",
        rule="inconsistent-free-shipping-threshold",
        severity=Severity.FAIL,
        message="threshold differs",
        channel=None,
        evidence={"variants": [variant("$50", "desktop"), variant("$75", "mobile")]},
        fingerprint="f1",
    )
    card = Scorecard(
        run_id="r",
        meta=RunMeta(site="s", channels=[{"name": "desktop"}, {"name": "mobile"}, {"name": "tablet"}]),
        results=[CheckResult(check="messaging_consistency", score=50, status="fail", findings=[finding])],
    )
    html = render_html(card.model_dump(mode="json"))
    assert 'data-channel="desktop mobile"' in html
    matrix = html.split('id="matrix-h"', 1)[1].split("</table>", 1)[0]
    assert matrix.count("1 fail") == 2  # desktop and mobile, not tablet


def test_incomplete_runs_say_so_in_html_and_markdown() -> None:
    from cx_auditor.models import RunMeta, Scorecard
    from cx_auditor.reports.html import render_html
    from cx_auditor.reports.markdown import render_markdown

    card = Scorecard(
        run_id="r", meta=RunMeta(site="s", complete=False, incomplete_reason="<b>interrupted</b>")
    )
    html = render_html(card.model_dump(mode="json"))
    assert (
        "Incomplete run" in html and "&lt;b&gt;interrupted&lt;/b&gt;" in html and "<b>interrupted" not in html
    )
    assert "Incomplete run" in render_markdown(card)
    complete = Scorecard(run_id="r", meta=RunMeta(site="s"))
    assert "Incomplete run" not in render_html(complete.model_dump(mode="json"))
    assert "Incomplete run" not in render_markdown(complete)


# -- the report agrees with the check -------------------------------------------------


def _cell_ratings(html: str) -> dict[tuple[str, str], str]:
    """(channel, page) -> CSS rating class of the LCP cell in the "Load time by page" table."""
    section = html.split('id="load-h"', 1)[1].split("</section>", 1)[0]
    head = re.search(r"<thead>(.*?)</thead>", section, re.S).group(1)  # type: ignore[union-attr]
    labels = re.findall(r'<th scope="col">([^<]*)</th>', head)
    lcp = labels.index("LCP") - 2  # Channel and Page come first
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>", 1)[1], re.S):
        channel = re.search(r"<td>([^<]*)</td>", row).group(1)  # type: ignore[union-attr]
        page = re.search(r'<td class="page">.*?>([^<]*)</(?:a|span)>', row).group(1)  # type: ignore[union-attr]
        cells = re.findall(r'<td class="num ?([^"]*)">', row)
        out[(channel, page)] = cells[lcp].removeprefix("rate-")
    return out


def test_html_colours_cells_as_the_check_rated_them_with_custom_thresholds() -> None:
    """The bug: ``thresholds: {lcp_ms: [1000, 1500]}`` made the check fail pages the report coloured good."""
    from tests.scorecard_factory import load_time_result

    options = {"thresholds": {"lcp_ms": [1000, 1500]}}
    result = load_time_result(options=options)
    card = make_scorecard()
    card.results[0] = result
    ratings = _cell_ratings(render_html(card.model_dump(mode="json")))
    expected = {
        (v.scope.channel, v.scope.page): {"good": "good", "needs-improvement": "ni", "poor": "poor"}[
            v.rating.value
        ]
        for v in result.values_named("lcp_ms")
        if v.scope.level == "page" and v.rating is not None
    }
    assert ratings == expected and len(expected) == 12
    # with these limits the 1.3-1.4 s desktop pages are no longer good, as the check says
    assert ratings[("desktop", "/")] == "ni" and ratings[("desktop", "/cart")] == "good"
    assert ratings[("mobile", "/")] == "poor"
    # and the same pages are rated differently under the default thresholds
    default = _cell_ratings(render_html(make_scorecard().model_dump(mode="json")))
    assert default[("desktop", "/")] == "good"
    # the chart draws the check's own limits, not the Core Web Vitals defaults
    html = render_html(card.model_dump(mode="json"))
    assert "1.50 s" in html.split('id="load-h"', 1)[1].split("</svg>", 1)[0]


def test_typed_details_render_generically_and_unknown_types_fall_back_to_raw(demo: Scorecard) -> None:
    from cx_auditor.models import EvidenceDetail, Quote, RawDetail

    lt = demo.result("load_time")
    assert lt is not None
    cls = next(f for f in lt.findings if f.rule == "cls")
    # the real check's culprit table, drawn from its typed details
    assert [d.title for d in cls.details] == ["Elements that shifted"]
    data = demo.model_dump(mode="json")
    finding = data["results"][0]["findings"][0]
    finding["details"] += [
        EvidenceDetail(
            title="Seen on",
            quotes=[Quote(text="Ships in 2 days <b>", highlight="2 days", url="javascript:x")],
        ).model_dump(mode="json"),
        {"type": "sparkline", "title": "From the future", "points": [1, 2]},
    ]
    html = render_html(Scorecard.model_validate(data).model_dump(mode="json"))
    assert "Elements that shifted" in html and "<td>div.flash-sale</td>" in html
    assert "<q>Ships in <mark>2 days</mark> &lt;b&gt;</q>" in html
    assert 'href="javascript' not in html
    # an unknown detail type loads as raw and is shown as JSON, never dropped
    assert isinstance(Scorecard.model_validate(data).results[0].findings[0].details[-1], RawDetail)
    assert "From the future" in html and "&#34;sparkline&#34;" in html
