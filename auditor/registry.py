"""Find installed checks through the ``cx_auditor.checks`` entry point group.

Built-in checks are registered through the very same group as third-party
ones (see ``pyproject.toml``), so the plugin path is exercised on every run.
Like pytest's ``PYTEST_DISABLE_PLUGIN_AUTOLOAD``, setting
``CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD=1`` loads only the built-ins.
A malformed or duplicate plugin fails loudly here, at load time, by name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from cx_auditor.checks_api import Check
from cx_auditor.errors import PluginError

GROUP = "cx_auditor.checks"
#: built-in checks are told by the distribution that provides them, never by a
#: module name (a third-party package may well be called ``checks``)
BUILTIN_DISTRIBUTION = "cx-auditor"


@dataclass(frozen=True)
class RegisteredCheck:
    id: str
    check: Check
    source: str  # "builtin" or the distribution/module that provided it
    entry_point: str


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _is_builtin(ep: EntryPoint) -> bool:
    dist = ep.dist
    return dist is not None and _normalise(dist.name) == BUILTIN_DISTRIBUTION


def _instantiate(ep: EntryPoint) -> Check:
    try:
        obj = ep.load()
    except Exception as exc:  # noqa: BLE001 - any import error is the plugin's fault
        raise PluginError(
            f"The check plugin {ep.name!r} ({ep.value}) failed to import: {exc}. "
            "Fix or uninstall the package that provides it, or set "
            "CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD=1 to load only the built-in checks."
        ) from exc
    inst = obj() if isinstance(obj, type) else obj
    missing = [a for a in ("id", "title", "run") if not getattr(inst, a, None)]
    if missing:
        raise PluginError(
            f"The check plugin {ep.name!r} ({ep.value}) is not a check: it lacks "
            f"{', '.join(missing)}. A check subclasses auditor.checks_api.Check and sets "
            "id, title, description, Options (or default_options) and run()."
        )
    model = getattr(inst, "Options", None)
    if model is not None:
        from pydantic import BaseModel, ValidationError

        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise PluginError(
                f"The check plugin {ep.name!r} ({ep.value}) sets Options to {model!r}, which is not a "
                "pydantic model. Subclass auditor.checks_api.CheckOptions."
            )
        try:
            model()
        except ValidationError as exc:
            raise PluginError(
                f"The check plugin {ep.name!r} ({ep.value}) has options without usable defaults: "
                f"{exc.errors(include_url=False)[0]['loc']}. Give every option a default."
            ) from exc
    if inst.id != ep.name:
        raise PluginError(
            f"The check plugin entry point {ep.name!r} loads a check whose id is {inst.id!r}; "
            "they must match."
        )
    return inst  # type: ignore[no-any-return]


def discover(*, autoload: bool | None = None) -> dict[str, RegisteredCheck]:
    """Return installed checks by id, built-ins first, in a stable order."""
    if autoload is None:
        autoload = os.environ.get("CX_AUDIT_DISABLE_PLUGIN_AUTOLOAD", "") in ("", "0")
    eps = sorted(entry_points(group=GROUP), key=lambda e: (not _is_builtin(e), e.name))
    found: dict[str, RegisteredCheck] = {}
    for ep in eps:
        builtin = _is_builtin(ep)
        if not builtin and not autoload:
            continue
        if ep.name in found:
            if found[ep.name].entry_point == ep.value:
                continue  # the same distribution seen twice on sys.path
            raise PluginError(
                f"Two checks claim the id {ep.name!r}: {found[ep.name].entry_point} and {ep.value}. "
                "Uninstall one of them."
            )
        inst = _instantiate(ep)
        source = "builtin" if builtin else (ep.dist.name if ep.dist else ep.module)
        found[ep.name] = RegisteredCheck(ep.name, inst, source, ep.value)
    return found
