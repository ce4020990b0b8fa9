"""Chat probes off the journey's path, without a browser: who probes which template, and when.

The probe itself (clicking a launcher in a real page) is covered end to end by the demo
tests; here the scheduling is: one probe per (channel, template) for the whole run, run
beside the journey on a page of its own, the last page probed in place, and a unit that
meets a template another unit is probing told to wait for it rather than probing again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cx_auditor.config import Collect, Step
from cx_auditor.gather.probes import ChatProber
from cx_auditor.gather.steps import _next_step
from cx_auditor.models import PageVisit


class FakePage:
    """Records what a probe asked of it; the launcher "opens" unless told otherwise."""

    def __init__(self, log: list[tuple[str, str]], name: str, *, delay: float = 0.0) -> None:
        self.log = log
        self.name = name
        self.delay = delay
        self.url = "about:blank"
        self.closed = False

    async def goto(self, url: str, wait_until: str = "load") -> None:
        await asyncio.sleep(self.delay)
        self.url = url
        self.log.append((self.name, f"goto {url}"))

    async def evaluate(self, script: str, selector: str) -> dict[str, Any]:
        self.log.append((self.name, f"click {selector} on {self.url}"))
        return {"clicked": True, "opened": True, "detail": "opened div#chat"}

    async def close(self) -> None:
        self.closed = True


class FakeContext:
    def __init__(self, log: list[tuple[str, str]], *, delay: float = 0.0) -> None:
        self.log = log
        self.delay = delay
        self.pages: list[FakePage] = []

    async def new_page(self) -> FakePage:
        page = FakePage(self.log, f"tab{len(self.pages)}", delay=self.delay)
        self.pages.append(page)
        return page


def visit(url: str, *, launcher: bool = True, status: int = 200, n: int = 0) -> PageVisit:
    v = PageVisit(id=f"v{n}-{url}", channel="desktop", journey="j", step_index=n, url=url, status=status)
    if launcher:
        v.widgets["chat_launcher"] = "#chat"
    return v


def prober(**collect: Any) -> ChatProber:
    return ChatProber(Collect(**collect), lambda s: s.replace("secret", "[REDACTED]"))


def test_pages_are_probed_beside_the_journey_once_per_template() -> None:
    async def scenario() -> tuple[list[tuple[str, str]], dict[str, Any]]:
        log: list[tuple[str, str]] = []
        chat = prober()
        unit = chat.for_unit(FakeContext(log), "desktop")
        await unit.open()
        home, p1, p2, plain = (
            visit("https://shop.test/"),
            visit("https://shop.test/product/1", n=1),
            visit("https://shop.test/product/2", n=2),
            visit("https://shop.test/about", launcher=False, n=3),
        )
        for v in (home, p1, p2, plain):
            unit.offer(v)  # returns at once: the journey never waits for a probe
        assert not chat.result_for("desktop", home)
        await unit.finish([home, p1, p2, plain])
        results = {v.url: chat.result_for("desktop", v) for v in (home, p1, p2, plain)}
        return log, results

    log, results = asyncio.run(scenario())
    # one load per template, on the probes' own tab; /product/2 shares /product/1's probe
    assert [entry for _, entry in log if entry.startswith("goto")] == [
        "goto https://shop.test/",
        "goto https://shop.test/product/1",
    ]
    assert {tab for tab, _ in log} == {"tab0"}
    assert results["https://shop.test/product/2"] == results["https://shop.test/product/1"]
    assert results["https://shop.test/product/1"]["probed_url"] == "https://shop.test/product/1"
    assert results["https://shop.test/"]["opened"] is True
    assert results["https://shop.test/about"] is None  # no launcher, no probe result


def test_the_page_the_journey_ends_on_is_probed_in_place_and_the_rest_loaded() -> None:
    async def scenario() -> list[tuple[str, str]]:
        log: list[tuple[str, str]] = []
        chat = prober()
        ctx = FakeContext(log)
        unit = chat.for_unit(ctx, "desktop")  # a checkout journey: nothing offered, no own tab
        journey_page = FakePage(log, "journey")
        journey_page.url = "https://shop.test/checkout/review"
        cart = visit("https://shop.test/cart")
        step1 = visit("https://shop.test/checkout/email", n=1)
        review = visit("https://shop.test/checkout/review", n=2)
        await unit.finish([cart, step1, review], page=journey_page, shown=review)
        for v in (cart, step1, review):
            assert chat.result_for("desktop", v) is not None
        assert chat.result_for("desktop", step1)["probed_url"] == "https://shop.test/checkout/review"
        assert all(p.closed for p in ctx.pages)
        return log

    log = asyncio.run(scenario())
    assert ("journey", "click #chat on https://shop.test/checkout/review") in log
    assert not any(tab == "journey" and entry.startswith("goto") for tab, entry in log)
    loads = [entry for tab, entry in log if entry.startswith("goto")]
    assert loads == ["goto https://shop.test/cart"]


def test_a_page_the_journey_leaves_by_loading_another_url_is_probed_in_place() -> None:
    class Popup:
        def __init__(self, opener: Any) -> None:
            self._opener = opener

        async def opener(self) -> Any:
            return self._opener

    async def scenario() -> tuple[list[tuple[str, str]], list[bool]]:
        log: list[tuple[str, str]] = []
        chat = prober()
        ctx = FakeContext(log)
        unit = chat.for_unit(ctx, "desktop")
        await unit.open()
        journey_page = FakePage(log, "journey")
        popups: list[bool] = []

        async def click_opens_a_window(script: str, selector: str) -> dict[str, Any]:
            # while probed in place, a window the launcher opens is the probe's, not the journey's
            popups.append(await unit.opened_by_probe(Popup(journey_page)))
            return {"clicked": True, "opened": True, "detail": "opened a window"}

        journey_page.evaluate = click_opens_a_window  # type: ignore[method-assign]
        p1 = visit("https://shop.test/product/1", n=1)
        p2 = visit("https://shop.test/product/2", n=2)
        journey_page.url = p1.url
        await unit.in_place(journey_page, p1)
        journey_page.url = p2.url
        await unit.in_place(journey_page, p2)  # same template: already probed, no second click
        popups.append(await unit.opened_by_probe(Popup(journey_page)))  # after the probe: the journey's
        await unit.finish([p1, p2])
        assert chat.result_for("desktop", p2) == chat.result_for("desktop", p1)
        assert chat.result_for("desktop", p1)["detail"] == "opened a window"
        return log, popups

    log, popups = asyncio.run(scenario())
    assert popups == [True, False]
    assert not [entry for _, entry in log if entry.startswith("goto")]  # no page loaded again


def test_the_next_step_on_the_unit_channel_says_how_a_page_is_left() -> None:
    steps = [
        Step(goto="/"),
        Step(click="#a", channels=["mobile"]),
        Step(goto="/help"),
        Step(click="#b"),
    ]
    assert _next_step(steps, 0, "desktop") == steps[2]  # the mobile-only click is not desktop's
    assert _next_step(steps, 0, "mobile") == steps[1]
    assert _next_step(steps, 2, "desktop") == steps[3]
    assert _next_step(steps, 3, "desktop") is None


def test_a_template_another_unit_probes_is_waited_for_not_probed_twice() -> None:
    async def scenario() -> tuple[int, int, dict[str, Any] | None]:
        log: list[tuple[str, str]] = []
        chat = prober()
        slow = chat.for_unit(FakeContext(log, delay=0.05), "desktop")
        await slow.open()
        other = chat.for_unit(FakeContext(log), "desktop")
        home_a, home_b = visit("https://shop.test/"), visit("https://shop.test/", n=1)
        slow.offer(home_a)
        await other.finish([home_b])  # the other unit ends first: it does not load the page again
        waiting = len(chat.pending_for("desktop", [home_b]))
        await slow.finish([home_a])
        after = len(chat.pending_for("desktop", [home_b]))
        return waiting, after, chat.result_for("desktop", home_b)

    waiting, after, result = asyncio.run(scenario())
    assert (waiting, after) == (1, 0)
    assert result is not None and result["opened"] is True


def test_error_pages_and_a_switched_off_probe_are_left_alone_and_cancel_says_not_probed() -> None:
    async def scenario() -> tuple[Any, ...]:
        log: list[tuple[str, str]] = []
        off = prober(probe_chat=False)
        unit_off = off.for_unit(FakeContext(log), "desktop")
        await unit_off.open()
        unit_off.offer(visit("https://shop.test/"))
        await unit_off.finish([visit("https://shop.test/")])

        chat = prober()
        unit = chat.for_unit(FakeContext(log, delay=10), "mobile")
        await unit.open()
        broken = visit("https://shop.test/gone", status=404)
        unit.offer(broken)
        queued = [visit("https://shop.test/a"), visit("https://shop.test/b", n=1)]
        for v in queued:
            unit.offer(v)
        await asyncio.sleep(0)
        unit.cancel()
        await asyncio.sleep(0)
        return log, chat.result_for("mobile", broken), [chat.result_for("mobile", v) for v in queued]

    log, broken, cancelled = asyncio.run(scenario())
    assert log == []  # nothing loaded or clicked: probe switched off, 404 skipped, the rest cancelled
    assert broken is None
    assert all(r is not None and r["detail"] == "not probed" for r in cancelled)


def test_opening_the_probes_tab_brings_the_journeys_tab_back_to_front() -> None:
    """The newest tab is the active one. Left behind it, the journey's tab made every screenshot
    wait about a second for a frame (benchmarks/README.md, "bench_audit.py")."""

    class JourneyPage(FakePage):
        async def bring_to_front(self) -> None:
            self.log.append((self.name, f"to front after {len(ctx.pages)} probe tab(s)"))

    log: list[tuple[str, str]] = []
    ctx = FakeContext(log)
    unit = prober().for_unit(ctx, "desktop")
    asyncio.run(unit.open(JourneyPage(log, "journey")))
    assert unit.page is ctx.pages[0]
    assert log == [("journey", "to front after 1 probe tab(s)")]
    off = prober(probe_chat=False).for_unit(FakeContext(log), "desktop")
    asyncio.run(off.open(JourneyPage(log, "journey")))
    assert off.page is None and len(log) == 1  # probes off: no tab, nothing to bring back
