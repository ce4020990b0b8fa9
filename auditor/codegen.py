"""Turn a ``playwright codegen --target python`` script into journey steps.

A QA engineer records a flow with Playwright's code generator and gets a
script of ``page.goto(...)``, ``page.get_by_role(...).click()`` and friends
(sync or async target). :func:`import_codegen` reads that script with
:mod:`ast` (it is never executed) and returns the equivalent ``journeys:``
entry of ``audit.yaml``.

Locators become selector strings Playwright itself resolves with the same
semantics as the locator methods: ``get_by_role("button", name="Pay")`` is
``internal:role=button[name="Pay"i]``, the selector Playwright builds for that
call; chained locators are joined with ``>>``; ``.first``/``.nth(i)``/``.last``
become ``nth=`` parts. Calls the journey model cannot express (``uncheck``,
file uploads, a second tab...) are reported as warnings with their line
number, never silently dropped.

Two safety rules apply to what is written: a value typed into a password
field becomes an environment placeholder (``${SHOP_PASSWORD}``), so a
recorded secret never lands in the YAML, and a click that looks like it
submits an order is marked ``places_order: true`` so it only runs with
``--allow-orders``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from cx_auditor.errors import UsageError

#: attribute codegen's ``get_by_test_id`` reads unless the script sets another one
DEFAULT_TEST_ID_ATTRIBUTE = "data-testid"
PASSWORD_ENV = "SHOP_PASSWORD"
_ORDER_WORDS = re.compile(
    r"\b(place|submit|complete|confirm)\s+(my\s+|your\s+)?(order|purchase|payment)\b|\bpay\s+now\b|\bbuy\s+now\b",
    re.I,
)
_ROLE_BOOL_PROPS = ("checked", "disabled", "selected", "expanded", "include_hidden", "pressed")


@dataclass
class CodegenResult:
    """The imported journey and what could not be imported."""

    journey: dict[str, Any]
    base_url: str | None
    warnings: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        header = [
            "# Imported from a Playwright codegen script by `cx-audit import-codegen`.",
            "# Paste the journey into the `journeys:` list of your audit.yaml.",
        ]
        if self.base_url:
            header.append(f"# Recorded against {self.base_url} (set it as site.base_url).")
        header += [f"# warning: {w}" for w in self.warnings]
        body = yaml.safe_dump({"journeys": [self.journey]}, sort_keys=False, allow_unicode=True, width=1000)
        return "\n".join(header) + "\n" + body


class _Unsupported(Exception):
    """An expression the journey model cannot express (becomes a warning)."""


# ---------------------------------------------------------------------------
# Selector text, in the syntax Playwright's own locator methods produce
# ---------------------------------------------------------------------------


def _regex_selector(pattern: str, flags: int) -> str:
    # quotes end the selector's string, and ">>" would start a new chain part
    body = re.sub(r"""(^|[^\\])(\\\\)*(["'`])""", r"\1\2\\\3", pattern).replace(">>", "\\>\\>")
    return (
        f"/{body}/"
        + ("i" if flags & re.I else "")
        + ("s" if flags & re.S else "")
        + ("m" if flags & re.M else "")
    )


def _text_value(value: str | re.Pattern[str], exact: bool) -> str:
    if isinstance(value, re.Pattern):
        return _regex_selector(value.pattern, value.flags)
    return json.dumps(value, ensure_ascii=False) + ("s" if exact else "i")


def _attr_value(value: str | re.Pattern[str], exact: bool) -> str:
    if isinstance(value, re.Pattern):
        return _regex_selector(value.pattern, value.flags)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' + ("s" if exact else "i")


def role_selector(role: str, **props: Any) -> str:
    """``internal:role=ROLE[prop=value]...`` as ``get_by_role`` builds it."""
    exact = bool(props.get("exact"))
    parts = []
    for key in ("checked", "disabled", "selected", "expanded", "include_hidden", "level"):
        if props.get(key) is not None:
            value = props[key]
            parts.append((key.replace("_", "-"), json.dumps(value)))
    if props.get("name") is not None:
        parts.append(("name", _attr_value(props["name"], exact)))
    if props.get("pressed") is not None:
        parts.append(("pressed", json.dumps(props["pressed"])))
    return f"internal:role={role}" + "".join(f"[{k}={v}]" for k, v in parts)


def text_selector(kind: str, value: str | re.Pattern[str], exact: bool = False) -> str:
    """Selectors of the ``get_by_text``/``label``/``placeholder``/``alt_text``/``title`` methods."""
    if kind == "text":
        return "internal:text=" + _text_value(value, exact)
    if kind == "label":
        return "internal:label=" + _text_value(value, exact)
    attr = {"placeholder": "placeholder", "alt_text": "alt", "title": "title"}[kind]
    return f"internal:attr=[{attr}={_attr_value(value, exact)}]"


def test_id_selector(value: str | re.Pattern[str], attribute: str = DEFAULT_TEST_ID_ATTRIBUTE) -> str:
    name = json.dumps(attribute) if "," in attribute else attribute
    return f"internal:testid=[{name}={_attr_value(value, True)}]"


# ---------------------------------------------------------------------------
# The AST walk
# ---------------------------------------------------------------------------


def _literal(node: ast.AST) -> Any:
    """A constant, or ``re.compile("...", re.I)`` as a compiled pattern."""
    if isinstance(node, ast.Call) and _dotted(node.func) in ("re.compile", "compile"):
        if not node.args:
            raise _Unsupported("re.compile() without a pattern")
        pattern = _literal(node.args[0])
        flags = 0
        flag_nodes = list(node.args[1:2]) + [k.value for k in node.keywords if k.arg == "flags"]
        for flag_node in flag_nodes:
            for name in re.findall(r"(IGNORECASE|I|MULTILINE|M|DOTALL|S)\b", ast.unparse(flag_node)):
                flags |= getattr(re, name)
        return re.compile(pattern, flags)
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise _Unsupported(f"`{ast.unparse(node)}` is not a literal value") from None


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _kwargs(call: ast.Call) -> dict[str, Any]:
    return {k.arg: _literal(k.value) for k in call.keywords if k.arg}


class _Importer:
    def __init__(self) -> None:
        self.pages: set[str] = {"page"}
        self.steps: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.origin: str | None = None
        self.test_id_attribute = DEFAULT_TEST_ID_ATTRIBUTE

    # -- locators ----------------------------------------------------------
    def locator(self, node: ast.AST) -> str:
        """The selector string of a locator expression rooted at a page variable."""
        if isinstance(node, ast.Name):
            if node.id in self.pages:
                return ""
            raise _Unsupported(f"`{node.id}` is not a page this script opened")
        if isinstance(node, ast.Attribute):
            base = self.locator(node.value)
            if node.attr == "first":
                return _chain(base, "nth=0")
            if node.attr == "last":
                return _chain(base, "nth=-1")
            if node.attr == "main_frame":
                return base
            raise _Unsupported(f"`.{node.attr}` is not supported in a locator")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            base = self.locator(node.func.value)
            method = node.func.attr
            args = [_literal(a) for a in node.args]
            kwargs = _kwargs(node)
            return _chain(base, self._locator_part(method, args, kwargs))
        raise _Unsupported(f"`{ast.unparse(node)}` is not a locator")

    def _locator_part(self, method: str, args: list[Any], kwargs: dict[str, Any]) -> str:
        if method == "locator":
            if kwargs:
                raise _Unsupported(f"locator() options {', '.join(kwargs)} are not supported")
            return str(args[0])
        if method == "get_by_role":
            return role_selector(str(args[0]), **kwargs)
        if method in ("get_by_text", "get_by_label", "get_by_placeholder", "get_by_alt_text", "get_by_title"):
            return text_selector(method.removeprefix("get_by_"), args[0], bool(kwargs.get("exact")))
        if method == "get_by_test_id":
            return test_id_selector(args[0], self.test_id_attribute)
        if method == "nth":
            return f"nth={int(args[0])}"
        if method == "filter":
            parts = []
            for key, engine in (("has_text", "has-text"), ("has_not_text", "has-not-text")):
                if key in kwargs:
                    parts.append(f"internal:{engine}={_text_value(kwargs.pop(key), False)}")
            if kwargs:
                raise _Unsupported(f"filter() options {', '.join(kwargs)} are not supported")
            return " >> ".join(parts)
        if method == "frame_locator" or method == "content_frame":
            raise _Unsupported("locators inside frames are not supported by journey steps")
        raise _Unsupported(f"`{method}()` is not a supported locator method")

    # -- statements ----------------------------------------------------------
    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            self._with(stmt)
            return
        if isinstance(stmt, ast.Assign):
            self._assign(stmt)
            return
        if not isinstance(stmt, ast.Expr):
            return
        call = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
        if not isinstance(call, ast.Call):
            return
        try:
            self._call(call)
        except _Unsupported as exc:
            self.warnings.append(f"line {stmt.lineno}: skipped `{ast.unparse(call)}`: {exc}")
        except (IndexError, TypeError, ValueError) as exc:
            self.warnings.append(
                f"line {stmt.lineno}: skipped `{ast.unparse(call)}`: unexpected arguments ({exc})"
            )

    def _with(self, stmt: ast.With | ast.AsyncWith) -> None:
        for item in stmt.items:
            expr = item.context_expr
            name = (
                expr.func.attr if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) else ""
            )
            if name in ("expect_popup", "expect_page"):
                self.warnings.append(
                    f"line {stmt.lineno}: the recorded flow opens a new tab or window; journeys stay in one "
                    "tab, so the steps after it run on the page the click led to (check them)"
                )
                if isinstance(item.optional_vars, ast.Name):
                    self.pages.add(item.optional_vars.id)
        for inner in stmt.body:
            self.statement(inner)

    def _assign(self, stmt: ast.Assign) -> None:
        value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
        text = ast.unparse(value)
        targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        # page = context.new_page(), page1 = page1_info.value: more names for the (one) page
        if text.endswith(".new_page()") or re.fullmatch(r"\w+_info\.value", text):
            self.pages.update(targets)
        if isinstance(value, ast.Call) and _dotted(value.func).endswith("selectors.set_test_id_attribute"):
            self.test_id_attribute = str(_literal(value.args[0]))

    def _call(self, call: ast.Call) -> None:
        func = call.func
        dotted = _dotted(func)
        if dotted.endswith("selectors.set_test_id_attribute"):
            self.test_id_attribute = str(_literal(call.args[0]))
            return
        # expect(locator).to_contain_text("...") / to_be_visible() / expect(page).to_have_url(...)
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Call)
            and _dotted(func.value.func) == "expect"
        ):
            self._expect(func.value.args[0], func.attr, call)
            return
        if not isinstance(func, ast.Attribute):
            return
        target, action = func.value, func.attr
        if isinstance(target, ast.Name) and target.id in self.pages:
            self._page_call(action, call)
            return
        if not self._rooted_at_page(target):
            return  # browser.close(), context.close(), playwright.chromium.launch() ...
        selector = self.locator(target)
        args = [_literal(a) for a in call.args]
        self._locator_action(action, selector, args, _kwargs(call))

    def _rooted_at_page(self, node: ast.AST) -> bool:
        while isinstance(node, (ast.Attribute, ast.Call)):
            node = node.value if isinstance(node, ast.Attribute) else node.func
        return isinstance(node, ast.Name) and node.id in self.pages

    def _page_call(self, action: str, call: ast.Call) -> None:
        if action == "goto":
            url = str(_literal(call.args[0]))
            self.steps.append({"goto": self._relative(url)})
        elif action in ("close", "wait_for_load_state", "wait_for_timeout", "set_default_timeout", "pause"):
            return  # navigation settling is the collector's job
        elif action == "wait_for_url":
            return
        elif action in ("go_back", "go_forward", "reload"):
            raise _Unsupported(f"page.{action}() has no journey step (add a `goto:` instead)")
        else:
            raise _Unsupported(f"page.{action}() is not supported")

    def _locator_action(self, action: str, selector: str, args: list[Any], kwargs: dict[str, Any]) -> None:
        if action in ("click", "dblclick", "tap"):
            step: dict[str, Any] = {"click": selector}
            if _ORDER_WORDS.search(selector):
                step["places_order"] = True
            self.steps.append(step)
        elif action in ("fill", "type", "press_sequentially"):
            value = str(args[0]) if args else str(kwargs.get("value", ""))
            step = {"fill": {"selector": selector, "value": value}}
            if re.search(r"password|passwort|passcode|\bpin\b", selector, re.I):
                step["fill"]["value"] = "${" + PASSWORD_ENV + "}"
                step["secret"] = True
                self.warnings.append(
                    f"a password typed into {selector} was replaced by ${{{PASSWORD_ENV}}}; "
                    "export it before the run"
                )
            self.steps.append(step)
        elif action == "press":
            self.steps.append({"press": {"selector": selector, "key": str(args[0])}})
        elif action == "select_option":
            option: Any = args[0] if args else kwargs.get("value", kwargs.get("label"))
            if isinstance(option, list | tuple):
                if len(option) != 1:
                    raise _Unsupported("selecting several options at once is not supported")
                option = option[0]
            self.steps.append({"select": {"selector": selector, "value": str(option)}})
        elif action in ("check", "set_checked"):
            if action == "set_checked" and args and not args[0]:
                raise _Unsupported("unchecking has no journey step")
            self.steps.append({"check": selector})
        elif action in ("hover", "focus", "scroll_into_view_if_needed", "highlight"):
            return  # no user effort to account for, and the next action waits for its own target
        elif action == "wait_for":
            self.steps.append({"wait_for": selector})
        else:
            raise _Unsupported(f"`.{action}()` has no journey step")

    def _expect(self, subject: ast.AST, matcher: str, call: ast.Call) -> None:
        args = [_literal(a) for a in call.args]
        if isinstance(subject, ast.Name) and subject.id in self.pages:
            return  # to_have_url / to_have_title: the journey's own navigation checks cover it
        selector = self.locator(subject)
        if matcher in ("to_contain_text", "to_have_text") and args and isinstance(args[0], str):
            self.steps.append({"expect_text": args[0]})
        elif matcher == "to_be_visible":
            self.steps.append({"wait_for": selector})
        else:
            raise _Unsupported(f"expect(...).{matcher}() is not supported")

    def _relative(self, url: str) -> str:
        parts = urlsplit(url)
        if not parts.scheme:
            return url
        origin = f"{parts.scheme}://{parts.netloc}"
        if self.origin is None:
            self.origin = origin
        if origin != self.origin:
            return url
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _chain(base: str, part: str) -> str:
    return f"{base} >> {part}" if base and part else base or part


def _body(tree: ast.Module) -> list[ast.stmt]:
    """The statements of codegen's ``run(playwright)`` (sync or async), else the whole module."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "run":
            return node.body
    for node in tree.body:  # pytest target: def test_example(page: Page) -> None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            return node.body
    return tree.body


def _describe(step: dict[str, Any]) -> str:
    action = next(iter(step))
    value = step[action]
    target = value["selector"] if isinstance(value, dict) else value
    match = re.search(r'name="([^"]+)"|internal:(?:text|label)="([^"]+)"|=\[[\w-]+="([^"]+)"', str(target))
    noun = next((g for g in match.groups() if g), None) if match else None
    return f"{action} {noun}" if noun else ""


def import_codegen(source: str, *, name: str = "recorded", path: str = "<script>") -> CodegenResult:
    """The journey a codegen script records; raises :class:`UsageError` when there is none."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise UsageError(
            f"{path}, line {exc.lineno}: not a Python script ({exc.msg}). Pass the file "
            "`playwright codegen --target python` (or python-async) saved."
        ) from None
    importer = _Importer()
    for stmt in _body(tree):
        importer.statement(stmt)
    if not importer.steps:
        raise UsageError(
            f"{path}: no page.goto() or locator actions found. Record a flow with "
            "`playwright codegen --target python URL` and save the generated script."
        )
    if "goto" not in importer.steps[0]:
        importer.steps.insert(0, {"goto": "/"})
        importer.warnings.append("the script does not start with page.goto(); the journey starts at /")
    for step in importer.steps:
        label = _describe(step)
        if label and "label" not in step:
            step["label"] = label[:80]
    return CodegenResult(
        journey={"name": name, "steps": importer.steps},
        base_url=importer.origin,
        warnings=importer.warnings,
    )


def import_codegen_file(path: Path, *, name: str | None = None) -> CodegenResult:
    try:
        source = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file. Pass the script `playwright codegen` saved.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read ({exc}).") from None
    journey_name = name or re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-") or "recorded"
    return import_codegen(source, name=journey_name, path=str(path))
