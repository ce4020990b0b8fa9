"""A minimal step interpreter driving :class:`StepRecorder` the way the collector will.

Used by the browser tests of the recorder and of the journey_health check: it shows the
integration API end to end (attach, before_step, step, after_step / after_failure,
finish) without depending on the collector, which is being split into a package.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cx_auditor.browser import find_browser
from cx_auditor.gather.step_effects import StepRecorder
from cx_auditor.models import Artifacts, ChannelInfo, JourneyOutcome, RunMeta, StepRecord


@dataclass
class HStep:
    """One step: ``action`` in goto/click/fill/select/press, a selector or URL, a value."""

    action: str
    target: str
    value: str | None = None
    label: str = ""
    expect: dict[str, Any] | None = None
    places_order: bool = False
    timeout_ms: int = 3000


@dataclass
class HJourney:
    name: str
    steps: list[HStep] = field(default_factory=list)
    checkout: bool = False


async def _perform(page: Any, base: str, step: HStep) -> None:
    if step.action == "goto":
        await page.goto(base + step.target, wait_until="load", timeout=10_000)
        return
    loc = page.locator(step.target).first
    if step.action == "click":
        await loc.click(timeout=step.timeout_ms)
    elif step.action == "fill":
        await loc.fill(step.value or "", timeout=step.timeout_ms)
    elif step.action == "select":
        await loc.select_option(step.value, timeout=step.timeout_ms)
    elif step.action == "press":
        await loc.press(step.value or "Enter", timeout=step.timeout_ms)
    else:  # pragma: no cover - the tests use the actions above
        raise ValueError(step.action)


async def run_journeys(
    base: str,
    journeys: list[HJourney],
    *,
    channel: str = "desktop",
    origins: tuple[str, ...] = (),
    user_agent: str | None = None,
    redact: Callable[[str], str] | None = None,
) -> Artifacts:
    """Run journeys in a fresh context each, recording every step; return the artifacts."""
    from playwright.async_api import async_playwright

    choice = find_browser()
    outcomes: list[JourneyOutcome] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=choice.executable, args=choice.args)
        try:
            for journey in journeys:
                ctx = await browser.new_context(**({"user_agent": user_agent} if user_agent else {}))
                page = await ctx.new_page()
                rec = StepRecorder(page, origins=origins, settle_ms=250, redact=redact)
                await rec.attach()
                outcome = JourneyOutcome(channel=channel, journey=journey.name, checkout=journey.checkout)
                for i, step in enumerate(journey.steps):
                    record = StepRecord(
                        index=i,
                        action=step.action,
                        label=step.label or f"{step.action} {step.target}",
                        target=step.target,
                        places_order=step.places_order,
                    )
                    outcome.steps.append(record)
                    await rec.before_step(record, action=step.action, target=step.target, value=step.value)
                    try:
                        await _perform(page, base, step)
                    except Exception as exc:  # noqa: BLE001 - a failing step is recorded, as the collector does
                        record.ok = False
                        record.error = str(exc).splitlines()[0]
                        await rec.after_failure(record, step.target if step.action != "goto" else None)
                        outcome.failed_step = i
                        outcome.error = f"step {i + 1}: {record.error}"
                        break
                    record.url = page.url
                    await rec.after_step(record, expect=step.expect)
                else:
                    outcome.completed = True
                await asyncio.sleep(0.2)  # late errors land on the last step
                rec.finish()
                rec.detach()
                await ctx.close()
                outcomes.append(outcome)
        finally:
            await browser.close()
    return Artifacts(
        meta=RunMeta(site="harness", base_url=base, channels=[ChannelInfo(name=channel)]),
        journeys=outcomes,
    )


# --------------------------------------------------------------------------- tiny local servers

Handler = Callable[[str, str, bytes], tuple[int, str, bytes]]


@contextlib.contextmanager
def serve(routes: dict[str, tuple[int, str, str | bytes]] | Handler) -> Iterator[str]:
    """Serve ``{path: (status, content_type, body)}`` (or a handler) on 127.0.0.1, a free port."""

    class H(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body_in = self.rfile.read(length) if length else b""
            path = self.path.split("?")[0]
            if callable(routes):
                status, ctype, body = routes(method, path, body_in)
            else:
                status, ctype, raw = routes.get(path, (404, "text/plain", "not found"))
                body = raw.encode() if isinstance(raw, str) else raw
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
