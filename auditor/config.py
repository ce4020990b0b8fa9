"""``audit.yaml``: the models, the loader and its error messages.

The config is validated with pydantic; every error a user can make is turned
into one paragraph naming the file, the line and the field, with the nearest
valid key when a name was misspelt (``ConfigError``). ``${ENV_VAR}`` is
interpolated on load; values of variables whose names look secret
(``*PASSWORD*``, ``*TOKEN*``, ``*SECRET*``, ``*KEY*``) or written as
``${secret:NAME}`` are remembered in :attr:`AuditConfig.secrets` so the
collector can redact them from everything it records.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from cx_auditor import safe_yaml
from cx_auditor.budgets import Budgets
from cx_auditor.errors import ConfigError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

STEP_ACTIONS = ("goto", "click", "fill", "select", "check", "press", "wait_for", "expect_text", "snapshot")

# Lighthouse's throttling presets, expressed for DevTools (applied, not simulated).
# Mobile: "slow 4G" (150 ms RTT, 1.6 Mbps down, 750 Kbps up) with the 3.75x
# latency and 0.9x throughput factors Lighthouse uses for devtools throttling,
# and a 4x CPU slowdown.
THROTTLING_PRESETS: dict[str, dict[str, float]] = {
    "none": {},
    "slow-4g": {"latency_ms": 562.5, "download_kbps": 1474.56, "upload_kbps": 675.0, "cpu_slowdown": 4},
    "fast-4g": {"latency_ms": 150, "download_kbps": 9000, "upload_kbps": 3000, "cpu_slowdown": 2},
    "desktop-dense": {"latency_ms": 40, "download_kbps": 10240, "upload_kbps": 10240, "cpu_slowdown": 1},
}

DESKTOP_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 cx-auditor"
)
MOBILE_UA = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36 cx-auditor"
)
TABLET_UA = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Safari/604.1 cx-auditor"
)

DEVICE_PRESETS: dict[str, dict[str, Any]] = {
    "desktop": {
        "viewport": {"width": 1350, "height": 940},
        "user_agent": DESKTOP_UA,
        "device_scale_factor": 1,
        "is_mobile": False,
        "has_touch": False,
        "throttling": "none",
    },
    "mobile": {
        "viewport": {"width": 412, "height": 823},
        "user_agent": MOBILE_UA,
        "device_scale_factor": 1.75,
        "is_mobile": True,
        "has_touch": True,
        "throttling": "none",
    },
    "tablet": {
        "viewport": {"width": 820, "height": 1180},
        "user_agent": TABLET_UA,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "throttling": "none",
    },
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Throttling(_Strict):
    """Network and CPU throttling applied through the DevTools protocol."""

    latency_ms: float = Field(0, ge=0)
    download_kbps: float = Field(0, ge=0, description="0 = unthrottled")
    upload_kbps: float = Field(0, ge=0)
    cpu_slowdown: float = Field(1, ge=1, le=20)

    def is_noop(self) -> bool:
        return not (self.latency_ms or self.download_kbps or self.upload_kbps) and self.cpu_slowdown == 1

    def cdp_commands(self) -> list[tuple[str, dict[str, Any]]]:
        """The DevTools commands that apply this profile to a page (empty when it is a no-op)."""
        if self.is_noop():
            return []
        commands: list[tuple[str, dict[str, Any]]] = [
            ("Network.enable", {}),
            (
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": self.latency_ms,
                    "downloadThroughput": self.download_kbps * 1024 / 8 if self.download_kbps else -1,
                    "uploadThroughput": self.upload_kbps * 1024 / 8 if self.upload_kbps else -1,
                },
            ),
        ]
        if self.cpu_slowdown > 1:
            commands.append(("Emulation.setCPUThrottlingRate", {"rate": self.cpu_slowdown}))
        return commands


class Viewport(_Strict):
    width: int = Field(ge=200, le=7680)
    height: int = Field(ge=200, le=7680)


class Channel(_Strict):
    """A way customers meet the brand: a browser device profile or a folder of documents."""

    name: str = ""
    kind: Literal["browser", "documents"] = "browser"
    label: str = ""
    preset: Literal["desktop", "mobile", "tablet"] | None = None
    viewport: Viewport | None = None
    user_agent: str | None = None
    device_scale_factor: float | None = Field(None, gt=0, le=4)
    is_mobile: bool | None = None
    has_touch: bool | None = None
    locale: str = "en-US"
    timezone: str | None = None
    throttling: str | Throttling | None = None
    #: documents channel: folder of email/SMS/app-store/chatbot texts
    path: str | None = None

    @field_validator("throttling")
    @classmethod
    def _known_preset(cls, v: Any) -> Any:
        if isinstance(v, str) and v not in THROTTLING_PRESETS:
            raise ValueError(
                f"unknown throttling preset {v!r}; use one of {', '.join(THROTTLING_PRESETS)} "
                "or a mapping with latency_ms, download_kbps, upload_kbps, cpu_slowdown"
            )
        return v

    @model_validator(mode="after")
    def _documents_need_path(self) -> Channel:
        if self.kind == "documents" and not self.path:
            raise ValueError("a documents channel needs `path:` (a folder of email/SMS/app texts)")
        return self

    def resolved(self) -> dict[str, Any]:
        """The device profile with the preset filled in (browser channels)."""
        base = dict(DEVICE_PRESETS.get(self.preset or self._guess_preset(), DEVICE_PRESETS["desktop"]))
        for key in ("user_agent", "device_scale_factor", "is_mobile", "has_touch"):
            value = getattr(self, key)
            if value is not None:
                base[key] = value
        if self.viewport is not None:
            base["viewport"] = self.viewport.model_dump()
        throttling = self.throttling if self.throttling is not None else base.get("throttling", "none")
        if isinstance(throttling, str):
            throttling = Throttling(**THROTTLING_PRESETS[throttling])
        base["throttling"] = throttling
        base["locale"] = self.locale
        base["timezone"] = self.timezone
        return base

    def _guess_preset(self) -> str:
        lowered = self.name.lower()
        for preset in ("mobile", "tablet"):
            if preset in lowered:
                return preset
        return "desktop"


def _web_url(value: str | None, key: str) -> str | None:
    """Only http(s) pages or site paths: ``file:``/``data:``/``javascript:`` read files or run code."""
    if value is None:
        return value
    m = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", value)
    if m and m.group(1).lower() not in ("http", "https"):
        raise ValueError(
            f"`{key}: {value[:60]}` uses the {m.group(1).lower()}: scheme; cx-audit only opens http(s) pages "
            "(give a path on the site or an http(s) URL)"
        )
    return value


class StepExpect(_Strict):
    """What a step must visibly achieve (``expect:``), checked right after it by journey_health."""

    text: str | None = Field(None, min_length=1, description="text the page shows after the step")
    selector: str | None = Field(None, min_length=1, description="an element visible after the step")
    url: str | None = Field(None, min_length=1, description="a regular expression searched in the URL")
    cart_count_change: int | None = Field(None, description="exact change of the cart count, e.g. 1")

    @model_validator(mode="after")
    def _something(self) -> StepExpect:
        if all(v is None for v in (self.text, self.selector, self.url, self.cart_count_change)):
            raise ValueError("`expect` needs at least one of text, selector, url, cart_count_change")
        if self.url is not None:
            try:
                re.compile(self.url)
            except re.error as exc:
                raise ValueError(f"`expect.url` is not a valid regular expression: {exc}") from None
        return self


class Step(_Strict):
    """One declarative journey step: exactly one action key plus common options."""

    goto: str | None = None
    click: str | None = None
    fill: dict[str, Any] | None = None
    select: dict[str, Any] | None = None
    check: str | None = None
    press: dict[str, Any] | None = None
    wait_for: str | None = None
    expect_text: str | None = None
    snapshot: str | None = None
    label: str | None = None
    timeout_ms: int | None = Field(None, gt=0, le=600_000)
    optional: bool = False
    #: run the step only when this selector matches something on the current page
    #: (cookie banners, steps some variants of a site have and others do not)
    if_present: str | None = None
    #: run the step only when this selector matches a *visible* element right now
    #: (a banner shown on some channels, a field only some variants display)
    if_visible: str | None = None
    #: run the step only on these channels (default: every channel the journey runs on)
    channels: list[str] | None = None
    #: the step that would submit a real order: skipped unless orders are allowed
    places_order: bool = False
    secret: bool = False
    #: what the step must achieve; judged by the journey_health check
    expect: StepExpect | None = None

    @model_validator(mode="after")
    def _exactly_one_action(self) -> Step:
        present = [a for a in STEP_ACTIONS if getattr(self, a) is not None]
        if len(present) != 1:
            raise ValueError(
                f"a step needs exactly one action ({', '.join(STEP_ACTIONS)}); found "
                + (", ".join(present) if present else "none")
            )
        for key in ("fill", "select", "press"):
            value = getattr(self, key)
            if value is not None:
                allowed = {"selector", "value", "key"}
                unknown = set(value) - allowed
                if unknown or "selector" not in value:
                    second = "key" if key == "press" else "value"
                    raise ValueError(
                        f"`{key}` takes a mapping with `selector` and `{second}`"
                        + (f" (unknown: {', '.join(sorted(unknown))})" if unknown else "")
                    )
        return self

    @field_validator("goto")
    @classmethod
    def _web_scheme(cls, value: str | None) -> str | None:
        return _web_url(value, "goto")

    @property
    def action(self) -> str:
        return next(a for a in STEP_ACTIONS if getattr(self, a) is not None)

    @property
    def target(self) -> str:
        value = getattr(self, self.action)
        if isinstance(value, dict):
            return str(value.get("selector", ""))
        return str(value)

    @property
    def value(self) -> str | None:
        value = getattr(self, self.action)
        if isinstance(value, dict):
            v = value.get("value", value.get("key"))
            return None if v is None else str(v)
        return None

    def describe(self) -> str:
        return self.label or f"{self.action} {self.target}"


class Journey(_Strict):
    name: str
    start: str = "/"
    checkout: bool = False
    channels: list[str] | None = None  # default: every browser channel
    #: a journey run once per channel before the others (e.g. a login); the cookies and
    #: storage it leaves are loaded into every other journey of that channel
    setup: bool = False
    steps: list[Step] = Field(default_factory=list)

    _start_scheme = field_validator("start")(classmethod(lambda cls, v: _web_url(v, "start")))

    @model_validator(mode="after")
    def _setup_is_not_checkout(self) -> Journey:
        if self.setup and self.checkout:
            raise ValueError(
                f"journey {self.name!r} is marked both `setup` and `checkout`; a setup journey prepares "
                "the session (for example a login) and is not audited as a checkout: split it in two"
            )
        return self


class CheckSettings(BaseModel):
    """``checks: {id: {enabled, weight, ...options}}``; extra keys are the check's options."""

    model_config = ConfigDict(extra="allow")
    enabled: bool = True
    weight: float | None = Field(None, ge=0)

    def options(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def _yaml_on_off(value: Any) -> Any:
    """YAML 1.1 reads a bare ``on``/``off`` as a boolean; accept what the user meant."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    return value


class Screenshots(_Strict):
    mode: Literal["on", "off", "on-failure"] = "on"

    _on_off = field_validator("mode", mode="before")(classmethod(lambda cls, v: _yaml_on_off(v)))
    format: Literal["jpeg", "png"] = "jpeg"
    quality: int = Field(60, ge=1, le=100)
    full_page: bool = False


class OrderRequest(_Strict):
    """A request that places an order: refused at the network layer unless ``--allow-orders``."""

    method: str = Field("POST", pattern=r"^(\*|[A-Za-z]+)$", description="HTTP method, or * for any")
    url: str = Field(
        ..., min_length=1, description="URL glob (* = anything), absolute or relative to base_url"
    )


class Collect(_Strict):
    runs: int = Field(1, ge=1, le=20)
    workers: int | None = Field(None, ge=1, le=64)
    timeout_ms: int = Field(15_000, gt=0, le=600_000)
    navigation_retries: int = Field(1, ge=0, le=5)
    settle_ms: int = Field(1000, ge=0, le=30_000, description="time a page is kept after its load event")
    screenshots: Screenshots = Field(default_factory=Screenshots)
    probe_chat: bool = True
    probe_links: bool = True
    discover: int = Field(0, ge=0, le=100_000)
    allowed_origins: list[str] = Field(default_factory=list)
    trace: Literal["off", "on", "on-failure"] = "off"
    #: bytes a page may bring in, and memory its scripts may use, before it is stopped (a finding)
    page_budget_mb: int = Field(64, ge=1, le=4096)
    #: order endpoints beyond the one read from each places_order step's form
    order_requests: list[OrderRequest] = Field(default_factory=list)

    _on_off = field_validator("trace", mode="before")(classmethod(lambda cls, v: _yaml_on_off(v)))


class Site(_Strict):
    name: str = ""
    base_url: str

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^/\s]+", v):
            raise ValueError(f"base_url must be an http(s) URL like https://shop.example.com, got {v!r}")
        return v.rstrip("/")


class AuditConfig(_Strict):
    site: Site
    channels: dict[str, Channel] = Field(
        default_factory=lambda: {"desktop": Channel(preset="desktop"), "mobile": Channel(preset="mobile")}
    )
    journeys: list[Journey] = Field(default_factory=list)
    checks: dict[str, CheckSettings] = Field(default_factory=dict)
    budgets: Budgets = Field(default_factory=Budgets)
    collect: Collect = Field(default_factory=Collect)

    _path: Path | None = PrivateAttr(default=None)
    _secrets: set[str] = PrivateAttr(default_factory=set)
    _hash: str = PrivateAttr(default="")
    #: the composed YAML, so errors found after loading (check options) can name the line
    _root: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _name_channels(self) -> AuditConfig:
        for name, ch in self.channels.items():
            ch.name = name
            ch.label = ch.label or name.capitalize()
        names = [j.name for j in self.journeys]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"journey names must be unique; repeated: {', '.join(sorted(dupes))}")
        for j in self.journeys:
            for wanted in j.channels or []:
                if wanted not in self.channels:
                    raise ValueError(
                        f"journey {j.name!r} names channel {wanted!r}, which is not defined"
                        + _suggest(wanted, list(self.channels))
                    )
            for n, step in enumerate(j.steps, start=1):
                for wanted in step.channels or []:
                    if wanted not in self.channels:
                        raise ValueError(
                            f"journey {j.name!r} step {n} names channel {wanted!r}, which is not defined"
                            + _suggest(wanted, list(self.channels))
                        )
                    if j.channels and wanted not in j.channels:
                        raise ValueError(
                            f"journey {j.name!r} step {n} runs on channel {wanted!r}, but the journey "
                            f"itself only runs on {', '.join(j.channels)}: add it to the journey's "
                            "`channels` or remove it from the step's"
                        )
        setups: dict[str, str] = {}
        for j in self.journeys:
            if not j.setup:
                continue
            for name in j.channels or [c.name for c in self.browser_channels()]:
                if name in setups:
                    raise ValueError(
                        f"journeys {setups[name]!r} and {j.name!r} are both `setup` journeys for channel "
                        f"{name!r}; a channel has at most one (merge their steps, or give each `channels:`)"
                    )
                setups[name] = j.name
        return self

    def setup_journey(self, channel: str) -> Journey | None:
        """The journey run first on ``channel`` whose storage state the others reuse, if any."""
        for j in self.journeys:
            if j.setup and (not j.channels or channel in j.channels):
                return j
        return None

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def secrets(self) -> set[str]:
        return set(self._secrets)

    @property
    def config_hash(self) -> str:
        return self._hash

    def browser_channels(self) -> list[Channel]:
        return [c for c in self.channels.values() if c.kind == "browser"]

    def document_channels(self) -> list[Channel]:
        return [c for c in self.channels.values() if c.kind == "documents"]

    def resolve_path(self, value: str) -> Path:
        """Resolve a path from the config's folder (not the working directory)."""
        p = Path(os.path.expanduser(value))
        if not p.is_absolute() and self._path is not None:
            p = self._path.parent / p
        return p

    def absolute_url(self, url: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            return url
        return self.site.base_url + ("" if url.startswith("/") else "/") + url


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

_ENV_RE = re.compile(r"\$\{(?:(secret):)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE", re.I)


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _interpolate(value: Any, secrets: set[str], missing: list[str]) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, secrets, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, secrets, missing) for v in value]
    if isinstance(value, str) and "${" in value:

        def sub(m: re.Match[str]) -> str:
            marked, name, default = m.group(1), m.group(2), m.group(3)
            got = os.environ.get(name)
            if got is None:
                if default is not None:
                    got = default
                else:
                    missing.append(name)
                    return ""
            if (marked or _SECRET_NAME.search(name)) and got:
                secrets.add(got)
            return got

        return _ENV_RE.sub(sub, value)
    return value


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """Walk a composed YAML node tree along a pydantic error location."""
    node = root
    best = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if str(k.value) == str(part):
                    nxt = v
                    best = k
                    break
            if nxt is None:
                return best
            node = nxt
            best = node
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return best
            node = node.value[part]
            best = node
        else:
            # pydantic adds non-key parts (e.g. 'str', union tags): skip them
            continue
    return best


def _known_keys(model: type[BaseModel] | None) -> list[str]:
    return list(model.model_fields) if model is not None else []


_MODELS_BY_FIELD: dict[str, type[BaseModel]] = {
    "site": Site,
    "collect": Collect,
    "screenshots": Screenshots,
    "viewport": Viewport,
}


def _explain(
    err: Mapping[str, Any], path: str, root: yaml.Node | None, *, known_keys: list[str] | None = None
) -> ConfigError:
    """One pydantic error as a :class:`ConfigError`; ``known_keys`` lists valid keys for an unknown one."""
    loc = tuple(err.get("loc", ()))
    clean_loc = [p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"str", "Throttling"}))]
    field = ".".join(str(p) for p in clean_loc) or "(top level)"
    node = _node_at(root, tuple(clean_loc))
    line = node.start_mark.line + 1 if node is not None else None
    kind = err.get("type", "")
    msg = err.get("msg", "invalid value")
    hint = None
    if kind == "extra_forbidden":
        bad = str(clean_loc[-1]) if clean_loc else ""
        parent = str(clean_loc[-2]) if len(clean_loc) >= 2 else ""
        options = known_keys if known_keys is not None else _parent_keys(clean_loc[:-1])
        msg = f"unknown key {bad!r}{_suggest(bad, options)}"
        if options:
            hint = f"Valid keys here: {', '.join(options)}."
        del parent
    elif kind == "missing":
        msg = "this required field is missing"
    elif kind.startswith("value_error"):
        msg = msg.removeprefix("Value error, ")
    else:
        got = err.get("input")
        if got is not None and not isinstance(got, (dict, list)):
            msg = f"{msg} (got {got!r})"
    return ConfigError(msg, path=path, line=line, field=field, hint=hint)


def _parent_keys(loc: list[Any]) -> list[str]:
    if not loc:
        return _known_keys(AuditConfig)
    last = loc[-1]
    if isinstance(last, int) and len(loc) >= 2 and loc[-2] == "steps":
        return list(Step.model_fields)
    if isinstance(last, int) and len(loc) >= 2 and loc[-2] == "journeys":
        return list(Journey.model_fields)
    if len(loc) >= 2 and loc[-2] == "channels":
        return list(Channel.model_fields)
    if str(last) in _MODELS_BY_FIELD:
        return list(_MODELS_BY_FIELD[str(last)].model_fields)
    if str(last) == "budgets":
        return list(Budgets.model_fields)
    if str(last) == "throttling":
        return list(Throttling.model_fields)
    return []


def load_config(path: str | os.PathLike[str], *, overrides: dict[str, Any] | None = None) -> AuditConfig:
    """Load, interpolate and validate an ``audit.yaml``; raise :class:`ConfigError` on any mistake."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:  # capped read: a huge file is refused before it is parsed
            raw = fh.read(safe_yaml.MAX_BYTES + 1)
        if len(raw) > safe_yaml.MAX_BYTES:
            raise ConfigError(
                f"is larger than {safe_yaml.MAX_BYTES:,} bytes, the limit for an audit config. "
                "Split large journey lists or generated data out of it.",
                path=str(p),
            )
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no such file. Create one with `cx-audit init` or pass the path to an existing audit.yaml.",
            path=str(p),
        ) from None
    except IsADirectoryError:
        raise ConfigError("is a folder, not a YAML file.", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc}", path=str(p)) from None
    return parse_config(text, path=str(p), overrides=overrides)


def parse_config(
    text: str, *, path: str = "audit.yaml", overrides: dict[str, Any] | None = None
) -> AuditConfig:
    try:
        root, data = safe_yaml.load(text)
    except safe_yaml.YamlLimitError as exc:
        raise ConfigError(exc.message + ".", path=path, line=exc.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(
            f"is not valid YAML: {problem}. Check the indentation and quoting near that line.",
            path=path,
            line=mark.line + 1 if mark else None,
        ) from None
    if data is None:
        raise ConfigError(
            "is empty. It needs at least `site: {base_url: https://...}`; `cx-audit init` writes a starter.",
            path=path,
        )
    if not isinstance(data, dict):
        raise ConfigError(
            f"must be a mapping of sections (site, channels, journeys, checks, budgets, collect), "
            f"not a {type(data).__name__}.",
            path=path,
            line=1,
        )
    secrets: set[str] = set()
    missing: list[str] = []
    data = _interpolate(data, secrets, missing)
    if missing:
        names = ", ".join(sorted(set(missing)))
        raise ConfigError(
            f"uses environment variable(s) {names}, which are not set. Export them, or write "
            "${NAME:-default} to give a default.",
            path=path,
        )
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value)
    try:
        cfg = AuditConfig.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        error = _explain(errors[0], path, root)
        for secret in sorted(secrets, key=len, reverse=True):  # "(got '...')" must not show a password
            error.message = error.message.replace(secret, "[redacted]")
            error.args = (error.message,)
        raise error from None
    cfg._path = Path(path).resolve() if path else None
    cfg._root = root
    cfg._secrets = secrets
    cfg._hash = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return cfg


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    cur = data
    parts = dotted.split(".")
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value


def validate_check_ids(cfg: AuditConfig, known: list[str]) -> None:
    """Unknown check ids in ``checks:`` are a config error with a suggestion."""
    for check_id in cfg.checks:
        if check_id not in known:
            raise ConfigError(
                f"unknown check {check_id!r}{_suggest(check_id, known)}. "
                f"Installed checks: {', '.join(known)} (see `cx-audit checks`).",
                path=str(cfg.path) if cfg.path else None,
                field=f"checks.{check_id}",
            )


def validate_check_options(cfg: AuditConfig, checks: Mapping[str, Any]) -> None:
    """Each configured check's options validate against what the check declares.

    ``checks`` maps a check id to the check (its typed ``Options`` model is
    validated: types, ranges, cross-field rules such as good < poor, unknown
    keys) or, for checks without a model, to its ``default_options`` dict (only
    unknown names are caught). Errors name the file, line and field, with a
    did-you-mean, like every other config error.
    """
    path = str(cfg.path) if cfg.path else None
    for check_id, settings in cfg.checks.items():
        check = checks.get(check_id)
        model = getattr(check, "Options", None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            try:
                model.model_validate(settings.options())
            except ValidationError as exc:
                first = exc.errors(include_url=False)[0]
                err: dict[str, Any] = {**first, "loc": ("checks", check_id, *first["loc"])}
                error = _explain(err, path or "", cfg._root, known_keys=list(model.model_fields))
                if error.hint and "Valid keys" in error.hint:
                    names = ", ".join(model.model_fields)
                    error.hint = f"Options of {check_id!r}: {names} (see `cx-audit checks --options`)."
                raise error from None
            continue
        defaults = check if isinstance(check, Mapping) else getattr(check, "default_options", None) or {}
        known = list(defaults)
        for opt in settings.options():
            if opt not in known:
                raise ConfigError(
                    f"check {check_id!r} has no option {opt!r}{_suggest(opt, known)}. "
                    + (f"Its options: {', '.join(known)}." if known else "It takes no options."),
                    path=path,
                    line=_line_of(cfg._root, ("checks", check_id, opt)),
                    field=f"checks.{check_id}.{opt}",
                )


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    node = _node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else None
