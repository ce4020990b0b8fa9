"""journey_health as a pure function of recorded artifacts.

The fixture ``fixtures/journey_health/flawed.json`` is hand-written in the shape the
step-effects recorder writes (``test_check_journey_health_browser.py`` proves the
recorder writes every key it uses). It is a different store from the demo: other
URLs, other names, other wording, so the rules are not tuned to the demo's markup.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from cx_auditor import registry
from cx_auditor.checks.journey_health import (
    JourneyHealthCheck,
    has_no_effect,
    journey_verdict,
    normalise_message,
)
from cx_auditor.checks_api import NotApplicable
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Finding,
    JourneyOutcome,
    PageError,
    RunMeta,
    Severity,
    Status,
    StepEffects,
    StepRecord,
)
from cx_auditor.runner import build_scorecard

FIXTURE = Path(__file__).parent / "fixtures" / "journey_health" / "flawed.json"


def raw() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def run(data: dict[str, Any] | Artifacts, **options: Any) -> CheckResult:
    arts = data if isinstance(data, Artifacts) else Artifacts.model_validate(data)
    check = JourneyHealthCheck()
    return check.run(arts, {**check.default_options, **options})


def rules(result: CheckResult, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def one_journey(*steps: StepRecord, **kw: Any) -> Artifacts:
    outcome = JourneyOutcome(channel="desktop", journey="j", completed=True, steps=list(steps), **kw)
    return Artifacts(meta=RunMeta(site="s"), journeys=[outcome])


def click(index: int = 1, **effects: Any) -> StepRecord:
    base = {"url_before": "https://s.test/a", "url_after": "https://s.test/a", "dom_mutations": 0}
    return StepRecord(index=index, action="click", label="Go", effects=StepEffects(**{**base, **effects}))


@pytest.fixture(scope="module")
def flawed() -> CheckResult:
    return run(raw())


# --------------------------------------------------------------------------- effects of actions


def test_add_to_cart_that_changes_nothing_fails(flawed: CheckResult) -> None:
    (f,) = rules(flawed, "add-to-cart-no-effect")
    assert f.severity == Severity.FAIL and f.channel == "desktop" and "count stayed 0" in f.message
    assert f.url == "https://shop.test/p/ultralight-solo"
    assert f.evidence["effects"]["cart_count_after"] == 0


def test_add_to_cart_that_works_is_silent(flawed: CheckResult) -> None:
    # the purchase journey's add to cart raised the count 0 -> 1: no effect finding for it
    assert not [f for f in flawed.findings if f.rule == "add-to-cart-no-effect" and "purchase" in f.message]


@pytest.mark.parametrize(
    ("effects", "found"),
    [
        ({"cart_count_before": 2, "cart_count_after": 3}, False),
        ({"cart_count_before": 2, "cart_count_after": 2, "requests_started": 1, "dom_mutations": 5}, True),
        ({"requests_started": 0}, True),  # nothing at all happened and no count is shown
        ({"requests_started": 1, "dom_mutations": 3}, False),  # a drawer opened, no count shown: unknowable
        (  # landed on a cart that lists the product: works even without a count
            {
                "navigated": True,
                "url_after": "https://s.test/basket",
                "product_before_on_after": True,
                "dom_mutations": None,
            },
            False,
        ),
        (
            {
                "navigated": True,
                "url_after": "https://s.test/basket",
                "product_before_on_after": False,
                "product_before": "Blue Mug",
                "dom_mutations": None,
            },
            True,
        ),
    ],
)
def test_add_to_cart_evidence_rules(effects: dict[str, Any], found: bool) -> None:
    step = click(target_kind="add-to-cart", **effects)
    assert bool(rules(run(one_journey(step)), "add-to-cart-no-effect")) is found


def test_product_card_opening_another_product(flawed: CheckResult) -> None:
    (f,) = rules(flawed, "wrong-product-opened")
    assert "'Basecamp Tunnel 4'" in f.message and "'Ultralight Solo'" in f.message
    assert f.severity == Severity.FAIL


def test_product_click_is_judged_only_on_product_pages() -> None:
    # a card whose name is unknown on the landed page, but the landed page names no product
    step = click(
        target_kind="product-link", navigated=True, target_name="Gift card", target_name_on_after=False
    )
    assert not rules(run(one_journey(step)), "wrong-product-opened")


def test_fill_into_another_field(flawed: CheckResult) -> None:
    (f,) = rules(flawed, "fill-not-kept")
    assert "#last-name" in f.message and "#first-name" in f.message and f.severity == Severity.FAIL
    (w,) = rules(flawed, "fill-changed-other-field")
    assert w.severity == Severity.WARN and "#city" in w.message


def test_click_without_effect_warns_and_the_final_one_fails(flawed: CheckResult) -> None:
    by_label = {f.message.split('"')[1]: f for f in rules(flawed, "no-visible-effect")}
    assert by_label["Open size guide"].severity == Severity.WARN
    assert by_label["Place order"].severity == Severity.FAIL and "threw" in by_label["Place order"].message
    assert "Subscribe" not in by_label  # it changed the page and sent a request


def test_has_no_effect_needs_all_three_signals() -> None:
    quiet = StepEffects(dom_mutations=0, requests_started=0)
    assert has_no_effect(quiet)
    assert not has_no_effect(quiet.model_copy(update={"requests_started": 1}))
    assert not has_no_effect(quiet.model_copy(update={"dom_mutations": 2}))
    assert not has_no_effect(quiet.model_copy(update={"soft_navigation": True}))
    assert not has_no_effect(StepEffects(dom_mutations=None))  # not observed is not "nothing"


def test_expectations(flawed: CheckResult) -> None:
    (f,) = rules(flawed, "expectation-not-met")
    assert "cart_count_change '+1' (got '+0')" in f.message and "'Added to your cart' not found" in f.message
    assert [c["kind"] for c in f.evidence["failed"]] == ["cart_count_change", "text"]


# --------------------------------------------------------------------------- errors


def test_errors_are_grouped_by_message_and_attributed(flawed: CheckResult) -> None:
    (console,) = rules(flawed, "console-error")
    assert console.evidence["count"] == 2 and len(console.evidence["places"]) == 2
    assert {p["page"] for p in console.evidence["places"]} == {"/", "/search?q=stove"}
    exceptions = rules(flawed, "uncaught-exception")
    assert len(exceptions) == 2 and all(f.severity == Severity.FAIL for f in exceptions)
    search = next(f for f in exceptions if "facets" in f.message)
    assert search.evidence["places"] == [
        {"journey": "shop", "step": 4, "label": "Search", "page": "/search?q=stove"}
    ]
    (req,) = rules(flawed, "failed-request")
    assert req.evidence["status"] == 500 and "late" not in req.evidence["places"][0]


def test_late_errors_say_so() -> None:
    step = click(dom_mutations=1)
    step.errors = [PageError(kind="exception", message="Error: x", page_url="https://s.test/a", late=True)]
    (f,) = rules(run(one_journey(step)), "uncaught-exception")
    assert f.evidence["places"][0]["late"] is True


def test_a_click_blocked_by_validation_is_not_a_dead_button() -> None:
    blocked = click(
        target_kind="control", requests_started=0, validation_messages=["Please fill out this field."]
    )
    assert not rules(run(one_journey(blocked)), "no-visible-effect")


def test_third_party_failures_are_apart_and_never_fail(flawed: CheckResult) -> None:
    third = rules(flawed, "third-party-failure")
    assert len(third) == 2 and all(f.severity == Severity.INFO for f in third)
    only_third = raw()
    for j in only_third["journeys"]:
        for s in j["steps"]:
            s.pop("images", None)
            s.pop("expect", None)
            s["errors"] = [e for e in s.get("errors", []) if e["kind"] == "third_party"]
            s.pop("effects", None)
        j.update(completed=True, failed_step=None, error=None)
        j["steps"] = [s for s in j["steps"] if s.get("ok", True)]
    result = run(only_third)
    assert result.status == Status.PASS and result.score == 100.0
    assert {f.rule for f in result.findings} == {"third-party-failure"}


def test_client_errors_warn_and_server_errors_fail() -> None:
    def with_status(status: int) -> Severity:
        step = click(dom_mutations=1)
        step.errors = [PageError(kind="request", message=f"HTTP {status} for fetch /api/x", status=status)]
        return rules(run(one_journey(step)), "failed-request")[0].severity

    assert with_status(404) == Severity.WARN and with_status(503) == Severity.FAIL


def test_message_normalisation_groups_what_varies_between_runs() -> None:
    a = "Error at http://127.0.0.1:43121/static/app.js:12:7 order 123456"
    b = "Error at http://127.0.0.1:51000/static/app.js:12:9 order 998877"
    assert normalise_message(a) == normalise_message(b) == "Error at /static/app.js order #"
    assert normalise_message("HTTP 500 for fetch /api/x") == "HTTP 500 for fetch /api/x"


def test_console_error_severity_option() -> None:
    step = click(dom_mutations=1)
    step.errors = [PageError(kind="console", message="oops")]
    assert rules(run(one_journey(step), console_error_severity="fail"), "console-error")[0].severity == "fail"
    with pytest.raises(ValueError, match="console_error_severity"):
        run(one_journey(step), console_error_severity="loud")


# --------------------------------------------------------------------------- images


def test_broken_shared_and_undimensioned_images(flawed: CheckResult) -> None:
    (broken,) = rules(flawed, "broken-image")
    assert broken.severity == Severity.FAIL and "HTTP 404" in broken.message and "Tarp XL" in broken.message
    (shared,) = rules(flawed, "shared-product-image")
    assert shared.evidence["src"] == "/media/coming-soon.jpg" and len(shared.evidence["products"]) == 3
    (dims,) = rules(flawed, "image-without-dimensions")
    assert dims.severity == Severity.WARN and "CLS 0.31" in dims.message and "load_time" in dims.message


def test_shared_image_threshold_option() -> None:
    assert not rules(run(raw(), shared_image_min_products=4), "shared-product-image")
    with pytest.raises(ValueError):
        run(raw(), shared_image_min_products=1)


def test_undimensioned_images_without_a_shift_are_only_info() -> None:
    data = raw()
    data["visits"] = []
    (dims,) = rules(run(data), "image-without-dimensions")
    assert dims.severity == Severity.INFO


def test_lazy_images_not_yet_loaded_are_not_broken() -> None:
    data = raw()
    step = data["journeys"][0]["steps"][1]
    step["images"] = [
        {
            "src": "https://shop.test/m/x.jpg",
            "natural_width": 0,
            "complete": False,
            "product": "X",
            "selector": "img",
        }
    ]
    assert not rules(run(data), "broken-image")


# --------------------------------------------------------------------------- journey outcome


def test_outcomes_tell_the_site_from_the_config(flawed: CheckResult) -> None:
    [table] = [d for d in flawed.details if d.title == "Journey outcomes"]
    outcomes = {(o["channel"], o["journey"]): o for o in table.rows}
    assert outcomes[("desktop", "shop")]["outcome"] == "completed"
    assert outcomes[("desktop", "purchase")]["outcome"] == "broken-by-site"
    assert "threw" in outcomes[("desktop", "purchase")]["reason"]
    assert outcomes[("mobile", "purchase")]["outcome"] == "config-problem"
    assert outcomes[("mobile", "help")]["outcome"] == "broken-by-site"
    assert "HTTP 500" in outcomes[("mobile", "help")]["reason"]
    assert outcomes[("mobile", "signup")]["outcome"] == "broken-by-site"
    assert "18 or over" in outcomes[("mobile", "signup")]["reason"]
    config = rules(flawed, "journey-config-problem")
    assert len(config) == 1 and config[0].severity == Severity.WARN and "'#continue'" in config[0].message
    assert "not the site" in config[0].message
    assert len(rules(flawed, "journey-broken-by-site")) == 3
    # outcomes come first in the result
    leading = [f.rule for f in flawed.findings[:4]]
    assert all(r.startswith("journey-") for r in leading)


def test_a_click_that_did_nothing_explains_the_next_failure() -> None:
    dead = click(index=1, target_kind="control", requests_started=0)
    failed = StepRecord(
        index=2,
        action="click",
        label="Pay",
        ok=False,
        target="#pay",
        target_matches=0,
        error="the element '#pay' was not found",
    )
    v = journey_verdict(JourneyOutcome(channel="d", journey="j", failed_step=2, steps=[dead, failed]))
    assert v.kind == "broken-by-site" and "did nothing" in v.reason


def test_hidden_only_targets_and_unknown_causes() -> None:
    hidden = StepRecord(
        index=0,
        action="click",
        ok=False,
        target=".buy",
        target_matches=2,
        target_visible=0,
        error="not actionable",
    )
    v = journey_verdict(JourneyOutcome(channel="d", journey="j", failed_step=0, steps=[hidden]))
    assert v.kind == "config-problem" and "hidden" in v.reason
    legacy = StepRecord(index=0, action="click", ok=False, target=".buy", error="Timeout 15000ms exceeded")
    v = journey_verdict(JourneyOutcome(channel="d", journey="j", failed_step=0, steps=[legacy]))
    assert v.kind == "failed" and "Timeout" in v.reason


def test_skipped_order_step_is_noted() -> None:
    order = StepRecord(index=1, action="click", places_order=True, skipped=True, label="Place order")
    result = run(one_journey(click(index=0, dom_mutations=3), order))
    (f,) = rules(result, "order-step-not-run")
    assert f.severity == Severity.INFO and "--allow-orders" in f.message


# --------------------------------------------------------------------------- contract


def test_old_artifacts_without_effects_still_load_and_judge_outcomes() -> None:
    data = raw()
    for j in data["journeys"]:
        for s in j["steps"]:
            for key in ("effects", "errors", "images", "expect", "target_matches", "target_visible"):
                s.pop(key, None)
    arts = Artifacts.model_validate(data)
    assert all(s.effects is None and s.errors == [] for j in arts.journeys for s in j.steps)
    result = run(arts)
    assert result.values_named("steps_with_effects")[0].value == 0
    # an error page is still told from the run's own words; the rest cannot be told apart
    assert {f.rule for f in result.findings} == {"journey-broken-by-site", "journey-failed"}
    assert len(rules(result, "journey-broken-by-site")) == 1


def test_not_applicable_without_journeys() -> None:
    with pytest.raises(NotApplicable):
        run(Artifacts(meta=RunMeta(site="s")))


def test_score_improves_as_problems_are_fixed(flawed: CheckResult) -> None:
    healthier = raw()
    healthier["journeys"] = healthier["journeys"][:1]
    fixed = copy.deepcopy(healthier)
    for s in fixed["journeys"][0]["steps"]:
        s.pop("errors", None)
        s.pop("images", None)
        s.pop("expect", None)
        if s.get("effects"):
            s["effects"].update(
                dom_mutations=5,
                requests_started=1,
                target_name_on_after=True,
                field_readback_ok=True,
                other_fields_changed=[],
                value_landed_in=[],
            )
            if s["effects"].get("target_kind") == "add-to-cart":
                s["effects"]["cart_count_after"] = 1
    scores = [flawed.score, run(healthier).score, run(fixed).score]
    assert scores == sorted(scores) and scores[-1] == 100.0 and scores[0] < scores[1]
    assert run(fixed).status == Status.PASS and not run(fixed).findings


def test_fingerprints_do_not_depend_on_host_or_port() -> None:
    a = run(raw())
    moved = json.loads(json.dumps(raw()).replace("https://shop.test", "http://127.0.0.1:50123"))
    b = run(moved)
    assert sorted(f.fingerprint for f in a.findings) == sorted(f.fingerprint for f in b.findings)
    assert len({f.fingerprint for f in a.findings}) == len(a.findings)


def test_registered_through_the_entry_point_and_scored_by_the_runner() -> None:
    found = registry.discover()
    entry = found["journey_health"]
    assert entry.source == "builtin" and isinstance(entry.check, JourneyHealthCheck)
    sc = build_scorecard(Artifacts.model_validate(raw()), {"journey_health": entry.check})
    result = sc.result("journey_health")
    assert result is not None and result.status == Status.FAIL and result.score == 0.0


# --------------------------------------------------------------------------- typed contract


def test_options_are_a_typed_model_validated_by_the_loader() -> None:
    from cx_auditor.checks.journey_health import JourneyHealthOptions
    from cx_auditor.checks_api import option_fields, resolve_options
    from pydantic import ValidationError

    check = JourneyHealthCheck()
    opts = resolve_options(check, {"console_error_severity": "fail"})
    assert isinstance(opts, JourneyHealthOptions) and opts.shared_image_min_products == 3
    assert {f["name"] for f in option_fields(check)} == {
        "shared_image_min_products",
        "console_error_severity",
    }
    with pytest.raises(ValidationError, match="shared_image_min_products"):
        resolve_options(check, {"shared_image_min_products": 1})
    with pytest.raises(ValidationError, match="extra"):
        resolve_options(check, {"console_errors": "fail"})
    # the model and the equivalent mapping judge alike
    a, b = check.run(Artifacts.model_validate(raw()), opts), run(raw(), console_error_severity="fail")
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]


def test_values_and_outcome_table_are_typed(flawed: CheckResult) -> None:
    from cx_auditor.models import TableDetail

    values = {(v.name, v.scope.channel, v.scope.journey): v for v in flawed.values}
    assert values[("journeys_broken_by_site", None, None)].value == 3
    assert values[("journeys_config_problem", None, None)].value == 1
    assert values[("completed", "desktop", "shop")].value == 1.0
    assert values[("completed", "desktop", "purchase")].value == 0.0
    assert values[("score", None, None)].value == flawed.score
    (table,) = [d for d in flawed.details if isinstance(d, TableDetail)]
    rows = {(r["channel"], r["journey"]): r for r in table.rows}
    assert (
        rows[("mobile", "purchase")]["outcome"] == "config-problem" and rows[("mobile", "purchase")]["step"]
    )
    assert {c.key for c in table.columns} == {"channel", "journey", "outcome", "step", "reason"}


def test_broken_journeys_site_first_then_config_from_the_scorecard_alone() -> None:
    from cx_auditor.checks.journey_health import broken_journeys

    arts = Artifacts.model_validate(raw())
    for checks in ({"journey_health": JourneyHealthCheck()}, {}):  # with or without the check enabled
        sc = build_scorecard(arts, checks)
        broken = broken_journeys(sc)
        assert [b.cause for b in broken] == ["site", "site", "site", "config"]
        desktop = next(b for b in broken if (b.channel, b.journey) == ("desktop", "purchase"))
        assert desktop.step is not None and desktop.label and "threw" in desktop.reason
        config = broken[-1]
        assert (config.channel, config.journey) == ("mobile", "purchase") and "'#continue'" in config.reason
    done = arts.model_copy(update={"journeys": [j for j in arts.journeys if j.journey == "shop"]})
    assert broken_journeys(build_scorecard(done, {})) == []


def test_terminal_summary_names_broken_journeys_near_the_top() -> None:
    import io

    from cx_auditor.cli import print_summary, summary_json
    from cx_auditor.errors import ExitCode
    from cx_auditor.pipeline import AuditResult
    from rich.console import Console

    arts = Artifacts.model_validate(raw())
    sc = build_scorecard(arts, {"journey_health": JourneyHealthCheck()})
    result = AuditResult(scorecard=sc, artifacts=arts, paths={}, exit_code=ExitCode(1))
    buf = io.StringIO()
    print_summary(result, console=Console(file=buf, width=200, color_system=None), elapsed=1.0)
    lines = buf.getvalue().splitlines()
    site = [i for i, line in enumerate(lines) if "journey broken by the site" in line]
    config = [i for i, line in enumerate(lines) if "journey stopped by the configuration" in line]
    table = next(i for i, line in enumerate(lines) if line.lstrip().startswith("check"))
    assert len(site) == 3 and len(config) == 1 and max(site) < min(config) < table
    data = summary_json(result)
    assert [b["cause"] for b in data["broken_journeys"]] == ["site", "site", "site", "config"]
