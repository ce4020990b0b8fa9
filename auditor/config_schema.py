"""The JSON Schema of ``audit.yaml``, generated from the config's pydantic models.

``cx-audit schema`` prints it and ``cx-audit init`` points YAML editors at it
(the ``# yaml-language-server: $schema=...`` modeline), so keys autocomplete and
mistakes are underlined while typing, before a run reports them.

The models are the single source of truth; this module only adds to what
pydantic generates the few things the loader accepts through ``mode="before"``
validators, which a generated schema cannot see:

* the shorthands ``budgets.overall: 80``, ``budgets.checks.ID: 80`` and
  ``budgets.findings.fail: 0``;
* bare YAML ``on``/``off`` (read as booleans) for ``screenshots.mode`` and
  ``collect.trace``;
* "exactly one action" per journey step, as a ``oneOf``;
* the options of each installed check under ``checks.ID``, from the check's
  options model when it has one, else named (and loosely typed) from its
  ``default_options``.

``${ENV_VAR}`` interpolation happens before validation, so a placeholder in a
number field (``timeout_ms: ${TIMEOUT}``) is flagged by an editor though the
loader accepts it; such configs are rare and the run itself is the judge.
"""

from __future__ import annotations

import copy
from typing import Any

from cx_auditor.config import STEP_ACTIONS, AuditConfig

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:cx-auditor:audit.yaml"
#: file name ``init`` writes beside the config for editors to find
SCHEMA_FILENAME = "audit.schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _with(alternative: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts ``alternative`` (kept flat when it already is an anyOf)."""
    keep = {k: v for k, v in schema.items() if k in ("description", "default", "title")}
    options = (
        list(schema["anyOf"]) if "anyOf" in schema else [{k: v for k, v in schema.items() if k not in keep}]
    )
    return {**keep, "anyOf": [alternative, *options]}


def _loose_type(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int | float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list | tuple):
        return {"type": "array"}
    if isinstance(value, dict):
        return {"type": "object"}
    return {}


def _check_options_schema(check: Any) -> dict[str, Any]:
    """Schema of one check's ``checks.ID`` mapping: enabled, weight and its options."""
    properties: dict[str, Any] = {
        "enabled": {"type": "boolean", "default": True, "description": "Run this check."},
        "weight": {
            "anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}],
            "description": "Weight in the overall score.",
        },
    }
    defs: dict[str, Any] = {}
    model = getattr(check, "options_model", None) or getattr(check, "Options", None)
    if model is not None and hasattr(model, "model_json_schema"):
        sub = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(sub.pop("$defs", {}))
        properties.update(sub.get("properties", {}))
        closed = True
    else:
        defaults = dict(getattr(check, "default_options", {}) or {})
        for name, default in defaults.items():
            properties[name] = {**_loose_type(default), "default": default}
        # the loader lets a check that declares no options take any (it validates them itself)
        closed = bool(defaults)
    schema: dict[str, Any] = {
        "type": "object",
        "description": getattr(check, "title", "") or "",
        "properties": properties,
        "additionalProperties": not closed,
    }
    return {"schema": schema, "defs": defs}


def _installed_checks() -> dict[str, Any]:
    try:
        from cx_auditor.registry import discover

        return {cid: rc.check for cid, rc in discover().items()}
    except Exception:  # noqa: BLE001 - a broken plugin must not stop the schema from printing
        return {}


def config_json_schema(*, checks: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``audit.yaml``.

    ``checks`` maps check ids to check objects (default: the installed checks);
    each gets a typed entry under ``checks:``; other ids are still accepted with
    any options, as the loader reports unknown ids itself with a suggestion.
    """
    schema = copy.deepcopy(AuditConfig.model_json_schema(mode="validation", ref_template="#/$defs/{model}"))
    defs: dict[str, Any] = schema.setdefault("$defs", {})

    budgets = defs["Budgets"]["properties"]
    score = {"type": "number", "minimum": 0, "maximum": 100}
    budgets["overall"] = _with(score, budgets["overall"])
    budgets["checks"]["additionalProperties"] = _with(score, budgets["checks"]["additionalProperties"])
    findings = defs["FindingsBudget"]["properties"]
    for severity in ("fail", "warn", "info"):
        findings[severity] = _with({"type": "integer", "minimum": 0}, findings[severity])
    defs["Screenshots"]["properties"]["mode"] = _with(
        {"type": "boolean"}, defs["Screenshots"]["properties"]["mode"]
    )
    defs["Collect"]["properties"]["trace"] = _with(
        {"type": "boolean"}, defs["Collect"]["properties"]["trace"]
    )
    step = defs["Step"]
    step["oneOf"] = [
        {"required": [action], "properties": {action: {"not": {"type": "null"}}}} for action in STEP_ACTIONS
    ]
    step.setdefault("description", "One journey step: exactly one action key plus common options.")

    installed = _installed_checks() if checks is None else checks
    if installed:
        per_check: dict[str, Any] = {}
        for cid, check in installed.items():
            built = _check_options_schema(check)
            defs.update(built["defs"])
            per_check[cid] = built["schema"]
        schema["properties"]["checks"] = {
            "type": "object",
            "description": "Per-check settings: enabled, weight and the check's options.",
            "properties": per_check,
            "additionalProperties": _ref("CheckSettings"),
        }

    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "cx-auditor audit.yaml",
        "description": "Configuration of a cx-audit run: site, channels, journeys, checks, budgets, collect.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def modeline(schema_location: str) -> str:
    """The first line that makes YAML editors (yaml-language-server) validate against the schema."""
    return f"{MODELINE_PREFIX}{schema_location}\n"
