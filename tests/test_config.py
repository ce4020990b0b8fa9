"""audit.yaml: good files load, every mistake is one readable ConfigError with file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from cx_auditor.config import (
    AuditConfig,
    load_config,
    parse_config,
    validate_check_ids,
    validate_check_options,
)
from cx_auditor.errors import ConfigError, ExitCode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GOOD = textwrap.dedent(
    """\
    site:
      name: Shop
      base_url: https://shop.example.com/
    channels:
      desktop: {preset: desktop}
      phone:
        preset: mobile
        throttling: slow-4g
      mail:
        kind: documents
        path: ./touchpoints
    journeys:
      - name: purchase
        checkout: true
        steps:
          - goto: /
          - click: "#buy"
            label: Buy
          - fill: {selector: "#email", value: "${SHOP_USER}"}
          - fill: {selector: "#pw", value: "${SHOP_PASSWORD}"}
          - click: "#place"
            places_order: true
    checks:
      load_time: {weight: 2}
    collect:
      runs: 3
    """
)


def write(tmp_path: Path, text: str, name: str = "audit.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_for(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return info.value


def test_good_config_loads_with_presets_env_and_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_USER", "qa@example.com")
    monkeypatch.setenv("SHOP_PASSWORD", "s3cret-pass")
    cfg = load_config(write(tmp_path, GOOD))
    assert cfg.site.base_url == "https://shop.example.com"  # trailing slash dropped
    assert [c.name for c in cfg.browser_channels()] == ["desktop", "phone"]
    phone = cfg.channels["phone"].resolved()
    assert phone["is_mobile"] is True and phone["viewport"]["width"] == 412
    assert phone["throttling"].cpu_slowdown == 4 and phone["throttling"].latency_ms == 562.5
    steps = cfg.journeys[0].steps
    assert steps[2].value == "qa@example.com"
    assert steps[4].places_order is True
    # Only the variable whose name says it is secret is treated as one.
    assert cfg.secrets == {"s3cret-pass"}
    assert cfg.checks["load_time"].weight == 2
    assert cfg.collect.runs == 3
    # Relative paths resolve from the config's folder, not the working directory.
    assert cfg.resolve_path(cfg.channels["mail"].path or "") == tmp_path / "touchpoints"
    assert len(cfg.config_hash) == 12


def test_secret_marker_and_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAIN", "token-xyz")
    cfg = parse_config(
        "site: {base_url: 'http://localhost:1'}\n"
        "journeys:\n  - name: j\n    steps:\n"
        "      - fill: {selector: '#a', value: '${secret:PLAIN}'}\n"
        "      - fill: {selector: '#b', value: '${MISSING_ONE:-fallback}'}\n"
    )
    assert cfg.secrets == {"token-xyz"}
    assert cfg.journeys[0].steps[1].value == "fallback"


def test_missing_env_var_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    err = error_for(
        tmp_path, "site: {base_url: 'https://x.example'}\njourneys: [{name: a, start: '${NOPE_TOKEN}'}]\n"
    )
    assert "NOPE_TOKEN" in str(err) and "audit.yaml" in str(err)


def test_unknown_key_names_line_and_suggests(tmp_path: Path) -> None:
    err = error_for(tmp_path, "site:\n  base_url: https://x.example\n  nmae: Shop\n")
    text = str(err)
    assert "line 3" in text and "site.nmae" in text and "did you mean 'name'" in text
    assert err.exit_code == ExitCode.USAGE


def test_unknown_step_key_suggests(tmp_path: Path) -> None:
    err = error_for(
        tmp_path,
        "site: {base_url: 'https://x.example'}\njourneys:\n  - name: a\n    steps:\n      - goto: /\n"
        "        lable: Home\n",
    )
    assert "line 6" in str(err) and "did you mean 'label'" in str(err)


def test_wrong_type_names_field_and_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, "site: {base_url: 'https://x.example'}\ncollect:\n  runs: many\n")
    assert "collect.runs" in str(err) and "line 3" in str(err) and "'many'" in str(err)


def test_bad_base_url(tmp_path: Path) -> None:
    err = error_for(tmp_path, "site:\n  base_url: shop.example.com\n")
    assert "base_url must be an http(s) URL" in str(err) and "line 2" in str(err)


def test_step_needs_exactly_one_action(tmp_path: Path) -> None:
    err = error_for(
        tmp_path,
        "site: {base_url: 'https://x.example'}\njourneys:\n  - name: a\n    steps:\n"
        "      - {goto: /, click: '#a'}\n",
    )
    assert "exactly one action" in str(err) and "goto, click" in str(err) and "line 5" in str(err)


def test_journey_with_unknown_channel(tmp_path: Path) -> None:
    err = error_for(
        tmp_path,
        "site: {base_url: 'https://x.example'}\nchannels: {desktop: {}}\n"
        "journeys:\n  - {name: a, channels: [dekstop]}\n",
    )
    assert "did you mean 'desktop'" in str(err)


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    err = error_for(tmp_path, "site:\n  base_url: https://x.example\n journeys: [\n")
    assert "not valid YAML" in str(err) and "line" in str(err)


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "42\n"])
def test_empty_or_non_mapping(tmp_path: Path, text: str) -> None:
    err = error_for(tmp_path, text)
    assert "audit.yaml" in str(err)


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    assert "cx-audit init" in str(info.value)


def test_unknown_throttling_preset(tmp_path: Path) -> None:
    err = error_for(tmp_path, "site: {base_url: 'https://x.example'}\nchannels:\n  m: {throttling: 3g}\n")
    assert "slow-4g" in str(err) and "line 3" in str(err)


def test_unknown_check_and_option_suggest() -> None:
    cfg = parse_config("site: {base_url: 'https://x.example'}\nchecks:\n  load_tme: {}\n")
    with pytest.raises(ConfigError, match="did you mean 'load_time'"):
        validate_check_ids(cfg, ["load_time", "checkout_steps"])
    cfg = parse_config("site: {base_url: 'https://x.example'}\nchecks:\n  load_time: {threshholds: {}}\n")
    with pytest.raises(ConfigError, match="did you mean 'thresholds'"):
        validate_check_options(cfg, {"load_time": {"thresholds": {}, "weights": {}}})


def test_starter_config_from_init_is_valid() -> None:
    from cx_auditor.demo_config import starter_config

    cfg = parse_config(starter_config("https://shop.example.com"))
    assert isinstance(cfg, AuditConfig) and cfg.journeys[0].checkout


# --- property-based: any malformed input ends in a ConfigError, never another exception ---------

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "site",
                    "base_url",
                    "name",
                    "channels",
                    "journeys",
                    "steps",
                    "goto",
                    "click",
                    "fill",
                    "checks",
                    "budgets",
                    "collect",
                    "runs",
                    "preset",
                    "kind",
                    "path",
                    "x",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=yaml_values)
def test_fuzzed_structures_never_crash(value: object) -> None:
    text = yaml.safe_dump(value)
    try:
        parse_config(text, path="fuzz.yaml")
    except ConfigError as exc:
        msg = str(exc)
        assert msg.startswith("fuzz.yaml") and "\n" not in msg.strip()


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("site:base_url{}[]-'\" \n\t#&*!|>%@`,?")), max_size=80))
def test_fuzzed_text_never_crashes(text: str) -> None:
    try:
        parse_config(text, path="fuzz.yaml")
    except ConfigError as exc:
        assert "fuzz.yaml" in str(exc)


# --- typed check options: validated at load time, file/line/field, exit 2 ----------------------


def _builtin_checks() -> dict[str, object]:
    from cx_auditor.registry import discover

    return {cid: rc.check for cid, rc in discover().items()}


def _options_error(tmp_path: Path, checks_yaml: str) -> ConfigError:
    path = tmp_path / "audit.yaml"
    path.write_text("site: {base_url: 'https://x.example'}\nchecks:\n" + textwrap.indent(checks_yaml, "  "))
    cfg = load_config(path)
    with pytest.raises(ConfigError) as info:
        validate_check_options(cfg, _builtin_checks())
    assert info.value.exit_code == ExitCode.USAGE and str(path.resolve()) in str(info.value)
    return info.value


def test_reversed_load_time_thresholds_are_a_config_error_naming_the_line(tmp_path: Path) -> None:
    err = _options_error(tmp_path, "load_time:\n  thresholds:\n    lcp_ms: [4000, 2500]\n")
    assert err.field == "checks.load_time.thresholds" and err.line in (4, 5)
    assert "0 < good < poor" in str(err) and "4000" in str(err)


@pytest.mark.parametrize(
    ("check_id", "typo", "meant"),
    [
        ("load_time", "max_culprit", "max_culprits"),
        ("checkout_steps", "target_step", "target_steps"),
        ("messaging_consistency", "curency", "currency"),
        ("support_reachability", "max_click", "max_clicks"),
    ],
)
def test_unknown_option_is_a_config_error_on_every_builtin_check(
    tmp_path: Path, check_id: str, typo: str, meant: str
) -> None:
    err = _options_error(tmp_path, f"{check_id}:\n  {typo}: 1\n")
    assert err.field == f"checks.{check_id}.{typo}" and err.line == 4
    assert f"did you mean '{meant}'" in str(err) and "cx-audit checks --options" in err.format_message()


def test_option_types_and_cross_field_rules_are_checked(tmp_path: Path) -> None:
    err = _options_error(tmp_path, "checkout_steps: {target_steps: 9, max_steps: 7}\n")
    assert "target_steps <= max_steps" in str(err)
    err = _options_error(
        tmp_path, "messaging_consistency:\n  custom_claims:\n    - {name: gift, pattern: '(oops'}\n"
    )
    assert "gift" in str(err) and "invalid regex" in str(err)
    err = _options_error(tmp_path, "support_reachability: {consistent_help_severity: loud}\n")
    assert err.field == "checks.support_reachability.consistent_help_severity"


def test_untyped_plugin_without_defaults_rejects_any_option() -> None:
    cfg = parse_config("site: {base_url: 'https://x.example'}\nchecks:\n  legacy: {speed: 3}\n")
    with pytest.raises(ConfigError, match="takes no options"):
        validate_check_options(cfg, {"legacy": {}})


def test_valid_typed_options_reach_the_check_as_the_model() -> None:
    from cx_auditor.checks.load_time import LoadTimeCheck, LoadTimeOptions
    from cx_auditor.checks_api import resolve_options

    got = resolve_options(LoadTimeCheck(), {"thresholds": {"lcp_ms": {"good": 1000, "poor": 1500}}})
    assert isinstance(got, LoadTimeOptions) and got.thresholds == {"lcp_ms": (1000.0, 1500.0)}
    assert got.max_culprits == 3
