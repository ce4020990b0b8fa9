"""The step interpreter's adapter to the step-effects recorder (gather/journey_effects.py).

No browser: the recorder is replaced by a fake that logs calls (or raises), to pin the
contract the interpreter relies on: one before/after (or before/failed) pair per step it
runs, the step's typed value passed only for fills, selectors only for steps that act on
an element, and a recorder error never reaching the journey.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cx_auditor.config import Step
from cx_auditor.gather.journey_effects import JourneyEffects
from cx_auditor.models import StepRecord


class FakeRecorder:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail = fail

    def _log(self, name: str, data: Any) -> None:
        self.calls.append((name, data))
        if self.fail:
            raise RuntimeError("recorder bug")

    async def attach(self) -> None:
        self._log("attach", None)

    async def before_step(self, record: StepRecord, **kw: Any) -> None:
        self._log("before", kw)

    async def after_step(self, record: StepRecord, *, expect: Any = None) -> None:
        self._log("after", expect)

    async def after_failure(self, record: StepRecord, selector: str | None = None) -> None:
        self._log("failed", selector)

    def finish(self) -> None:
        self._log("finish", None)

    def detach(self) -> None:
        self.calls.append(("detach", None))


def _fx(fail: bool = False) -> tuple[JourneyEffects, FakeRecorder]:
    fx = JourneyEffects(object(), origins=[], redact=str)
    fake = FakeRecorder(fail)
    fx.recorder = fake  # type: ignore[assignment]
    return fx, fake


def test_one_pair_of_calls_per_step_with_the_right_arguments() -> None:
    fx, fake = _fx()
    fill = Step(fill={"selector": "#email", "value": "a@b.c"})
    click = Step(click="#go", expect={"text": "Thanks"})
    goto = Step(goto="/x")
    r1, r2, r3 = (StepRecord(index=i, action=a) for i, a in enumerate(("fill", "click", "goto")))

    async def go() -> None:
        await fx.attach()
        await fx.before(fill, r1, "LOC")
        await fx.after(fill, r1)
        await fx.after(fill, r1)  # a second call for the same step is ignored
        await fx.before(click, r2)
        await fx.failed(click, r2)
        await fx.before(goto, r3)
        await fx.failed(goto, r3)
        fx.end()

    asyncio.run(go())
    names = [n for n, _ in fake.calls]
    assert names == ["attach", "before", "after", "before", "failed", "before", "failed", "finish", "detach"]
    before_fill = fake.calls[1][1]
    assert before_fill == {"action": "fill", "target": "#email", "value": "a@b.c", "locator": "LOC"}
    assert fake.calls[3][1]["value"] is None  # only a fill's value is handed over
    assert fake.calls[4][1] == "#go" and fake.calls[6][1] is None  # goto has no selector to count
    assert fake.calls[5][1]["target"] is None
    assert fake.calls[2][1] is None and fill.expect is None


def test_after_without_before_does_nothing() -> None:
    fx, fake = _fx()

    async def go() -> None:
        await fx.after(Step(click="#a"), StepRecord(index=0, action="click"))
        await fx.failed(Step(click="#a"), StepRecord(index=0, action="click"))

    asyncio.run(go())
    assert fake.calls == []


def test_a_recorder_error_never_reaches_the_journey() -> None:
    fx, fake = _fx(fail=True)
    step, record = Step(click="#a"), StepRecord(index=0, action="click")

    async def go() -> None:
        await fx.attach()
        await fx.before(step, record)
        await fx.after(step, record)
        fx.end()

    asyncio.run(go())
    assert [n for n, _ in fake.calls] == ["attach", "before", "after", "finish", "detach"]
