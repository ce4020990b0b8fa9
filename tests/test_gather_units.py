"""The pure parts of gathering, without a browser: converters, redaction, requirements, planning."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck
from cx_auditor.checks.support_reachability import SupportReachabilityCheck
from cx_auditor.config import Step, parse_config
from cx_auditor.gather.convert import (
    Unit,
    apply_content,
    apply_metrics,
    mark_interrupted,
    merge_interaction,
    page_template,
    plan_units,
    probe_targets,
    shard_slice,
    unit_order,
)
from cx_auditor.gather.failures import StepFailure, explain
from cx_auditor.gather.guards import OriginGuard
from cx_auditor.gather.redaction import REDACTED, Redactor, secret_variants
from cx_auditor.models import JourneyOutcome, Link, PageVisit, StepRecord
from cx_auditor.pipeline import gather_requirements
from cx_auditor.requirements import LinkProbe, PageScript, Requirements, SelectorText, union


def _visit(url: str = "https://shop.test/p/1") -> PageVisit:
    return PageVisit(id="v", channel="desktop", journey="j", step_index=0, url=url)


# -- metrics from raw entries -------------------------------------------------


def test_metrics_from_raw_entries_count_the_document_and_group_by_type() -> None:
    v = _visit()
    apply_metrics(
        v,
        {
            "navigated": True,
            "status": 200,
            "doc_bytes": 1000,
            "ttfb_ms": 120.04,
            "lcp_ms": 1999.96,
            "cls": 0.123456,
            "resources": [
                {"url": "https://shop.test/a.js", "type": "script", "transfer_bytes": 300},
                {"url": "https://shop.test/b.js", "type": "script", "transfer_bytes": 200},
                {"url": "https://shop.test/c.png", "type": "img", "transfer_bytes": 50},
            ],
            "shifts": [{"value": 0.1, "time_ms": 500.0}],
        },
    )
    assert v.request_count == 4 and v.transfer_bytes == 1550
    assert v.bytes_by_type == {"document": 1000, "script": 500, "img": 50}
    assert v.requests_by_type == {"document": 1, "script": 2, "img": 1}
    assert v.resources[0].type == "document" and v.resources[0].url == v.url
    assert v.timings.ttfb_ms == 120.0 and v.timings.lcp_ms == 2000.0 and v.timings.cls == 0.1235
    assert v.status == 200 and len(v.layout_shifts) == 1


def test_metrics_of_a_page_not_navigated_to_add_no_document() -> None:
    v = _visit()
    v.status = 404
    apply_metrics(v, {"navigated": False, "status": 200, "resources": []})
    assert v.request_count == 0 and v.resources == [] and v.status == 404  # an earlier status stays


# -- interaction merging --------------------------------------------------------


def test_event_timing_and_listener_records_of_one_input_merge_into_one() -> None:
    v = _visit()
    merge_interaction(v, {"kind": "pointerdown", "start": 1000.0, "duration_ms": 80, "target": "#buy"})
    merge_interaction(v, {"kind": "click", "start": 1040.0, "duration_ms": 240.04})  # same tap, 40 ms later
    merge_interaction(v, {"kind": "keydown", "start": 1050.0, "duration_ms": 30})  # a key: another family
    merge_interaction(v, {"kind": "click", "start": 3000.0, "duration_ms": 10})  # a later tap
    assert [(i.kind, i.duration_ms) for i in v.interactions] == [
        ("pointerdown", 240.0),
        ("keydown", 30.0),
        ("click", 10.0),
    ]
    assert v.timings.inp_ms == 240.0


# -- content and link probes ------------------------------------------------------


def test_content_is_redacted_and_only_same_site_links_checks_asked_for_are_probe_targets() -> None:
    v = _visit("https://shop.test/cart")
    redact = Redactor(["s3cret"])
    apply_content(
        v,
        {
            "title": "Cart s3cret",
            "text": "Hello",
            "links": [
                {"href": "https://shop.test/kundendienst#top", "text": "Kundendienst", "location": "footer"},
                {"href": "https://other.test/help", "text": "Help"},
                {"href": "https://shop.test/shoes", "text": "Shoes"},
                {"href": "tel:+15551234567", "text": "Call"},
            ],
            "widgets": {"chat_launcher": "#chat"},
        },
        redact,
    )
    assert v.title == f"Cart {REDACTED}" and v.widgets == {"chat_launcher": "#chat"}
    asks = Requirements(
        link_probes=(LinkProbe("t", lambda link: "kundendienst" in link.href or "help" in link.href),)
    )
    assert probe_targets(v, asks) == {"https://shop.test/kundendienst"}  # off-site help is never probed
    assert probe_targets(v, Requirements()) == set()


def test_a_faulty_predicate_never_breaks_gathering() -> None:
    def boom(link: Link) -> bool:
        raise RuntimeError("plugin bug")

    asks = Requirements(link_probes=(LinkProbe("bad", boom), LinkProbe("good", lambda link: True)))
    assert asks.wants_probe(Link(href="https://shop.test/x"))
    assert not Requirements(link_probes=(LinkProbe("bad", boom),)).wants_probe(
        Link(href="https://shop.test/x")
    )


# -- requirements declared by the built-in checks ---------------------------------


def test_the_support_check_asks_for_its_own_help_words_not_a_collector_list() -> None:
    asks = SupportReachabilityCheck().requirements(SupportReachabilityCheck.default_options)
    kundendienst = Link(href="https://shop.test/service", text="Kundendienst")  # a word only the check knows
    shoes = Link(href="https://shop.test/shoes", text="Shoes")
    assert asks.wants_probe(kundendienst) and not asks.wants_probe(shoes)


def test_the_messaging_check_asks_for_its_selector_claims_only() -> None:
    opts = {
        "custom_claims": [
            {"name": "eco", "selector": ".eco-badge"},
            {"name": "warranty", "pattern": r"(\d+)-year warranty"},  # read from text: nothing to gather
        ]
    }
    asks = MessagingConsistencyCheck().requirements(opts)
    assert asks.selector_texts == (SelectorText(name="eco", selector=".eco-badge"),)
    # Beyond its selector claims: product identity (product boxes, structured data), nothing else.
    plain = MessagingConsistencyCheck().requirements({"custom_claims": []})
    assert not plain.selector_texts and not plain.link_probes
    assert [s.name for s in plain.page_scripts] == ["product_boxes"] and plain.structured_data
    assert union([Requirements(), plain]).structured_data and not union([Requirements()]).structured_data


def test_union_keeps_each_request_once_and_the_pipeline_merges_options() -> None:
    a = Requirements(selector_texts=(SelectorText("x", ".x"),), page_scripts=(PageScript("n", "() => 1"),))
    b = Requirements(selector_texts=(SelectorText("x", ".x"), SelectorText("y", ".y")))
    assert union([a, b]).selector_texts == (SelectorText("x", ".x"), SelectorText("y", ".y"))
    assert union([a, b]).page_scripts == (PageScript("n", "() => 1"),)
    checks = {
        "messaging_consistency": MessagingConsistencyCheck(),
        "support_reachability": SupportReachabilityCheck(),
    }
    opts = {"messaging_consistency": {"custom_claims": [{"name": "eco", "selector": ".eco"}]}}
    wanted = gather_requirements(checks, opts)
    assert [s.name for s in wanted.selector_texts] == ["eco"]
    assert [p.name for p in wanted.link_probes] == ["support_reachability.help"]


def test_a_check_whose_declaration_fails_gathers_nothing_extra() -> None:
    class Broken(SupportReachabilityCheck):
        def requirements(self, options):  # type: ignore[no-untyped-def]
            raise ValueError("bad option")

    assert not gather_requirements({"support_reachability": Broken()}, {})


# -- redaction ----------------------------------------------------------------------


def test_secret_variants_cover_url_encodings_longest_first() -> None:
    variants = secret_variants(["p@ss word/1", ""])
    assert {"p@ss word/1", quote("p@ss word/1", safe=""), "p%40ss+word%2F1"} <= set(variants)
    assert [len(x) for x in variants] == sorted((len(x) for x in variants), reverse=True)
    redact = Redactor(["p@ss word/1"])
    assert redact("q=p%40ss%20word%2F1&x=1") == f"q={REDACTED}&x=1"
    assert not Redactor([]) and Redactor([])("p@ss") == "p@ss"


# -- planning, shards, templates, guards, failures ----------------------------------------

CFG = """
site: {base_url: "https://shop.test"}
channels: {desktop: {preset: desktop}, mobile: {preset: mobile}}
collect: {allowed_origins: ["https://pay.test"]}
journeys:
  - {name: home, steps: [{goto: /}]}
  - {name: buy, channels: [mobile], steps: [{goto: /cart}]}
"""


def test_units_are_planned_in_order_and_shards_partition_them() -> None:
    units = plan_units(parse_config(CFG), 2)
    assert units[:3] == [Unit("desktop", "home", 0), Unit("mobile", "home", 0), Unit("mobile", "buy", 0)]
    assert len(units) == 6
    shards = [shard_slice(units, (i, 3)) for i in (1, 2, 3)]
    assert sorted((u for s in shards for u in s), key=units.index) == units
    assert all(len(s) == 2 for s in shards) and shard_slice(units, None) == units


def test_browsing_journeys_start_first_then_the_most_page_loads() -> None:
    cfg = parse_config(
        CFG.split("journeys:")[0]
        + """journeys:
  - name: buy
    checkout: true
    steps: [{goto: /}, {click: "#a"}, {click: "#b"}, {click: "#c"}, {click: "#d"}, {click: "#e"}]
  - name: forms
    steps: [{goto: /contact}, {fill: {selector: "#n", value: x}}, {fill: {selector: "#m", value: y}},
            {fill: {selector: "#o", value: z}}, {select: {selector: "#s", value: a}}]
  - name: browse
    steps: [{goto: /}, {click: "#a"}, {goto: /help}, {click: "#x", if_present: "#x"}]
"""
    )
    ranked = sorted(cfg.journeys, key=unit_order)
    # many cheap fills do not make a long journey; a conditional click counts as half a load
    assert [j.name for j in ranked] == ["browse", "forms", "buy"]
    assert unit_order(ranked[0]) == (False, -3.5)


def test_page_template_and_origin_guard() -> None:
    assert page_template("https://shop.test/product/CAM-1") == "/product/*"
    assert page_template("https://shop.test/help") == "/help" and page_template("https://shop.test/") == "/"
    guard = OriginGuard({"https://shop.test", "https://pay.test"})
    assert not guard.offsite("https://pay.test/3ds") and guard.offsite("https://evil.test/")
    assert not guard.offsite("about:blank") and not guard.offsite("data:text/html,x")


def test_failures_are_explained_in_words_then_the_browsers() -> None:
    class TimeoutError(Exception):  # noqa: A001 - the name Playwright's error has
        pass

    click = Step(click="#buy")
    assert explain(TimeoutError("Timeout 800ms exceeded"), click, 15000).startswith(
        "the element '#buy' was not found or not actionable within 15000 ms"
    )
    refused = explain(Exception("net::ERR_CONNECTION_REFUSED at http://x"), Step(goto="/"), 1)
    assert refused.startswith("connection refused")
    assert explain(StepFailure("HTTP 503"), click, 1) == "HTTP 503"


def test_an_interrupted_unit_is_not_completed_and_its_running_step_not_a_success() -> None:
    outcome = JourneyOutcome(channel="d", journey="j", steps=[StepRecord(index=0, action="goto")])
    mark_interrupted(outcome, "stopped")
    assert outcome.error == "the journey did not finish: stopped" and not outcome.steps[0].ok
    finished = JourneyOutcome(channel="d", journey="j", completed=True)
    mark_interrupted(finished, "stopped")
    assert finished.error is None


@pytest.mark.parametrize("shard", [(1, 1), (2, 2)])
def test_a_single_item_list_goes_to_the_first_shard_only(shard: tuple[int, int]) -> None:
    assert shard_slice(["a"], shard) == (["a"] if shard[0] == 1 else [])
