"""The step interpreter's side of the journey-health recorder, kept out of ``steps.py``.

:class:`JourneyEffects` owns one :class:`~cx_auditor.gather.step_effects.StepRecorder`
per journey page and turns the interpreter's moments (a step starts, succeeds, fails,
the journey ends) into the recorder's calls. Everything here is best effort: the
recorder only *observes*, so a recorder error is swallowed and never fails a step
the shopper could have completed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from cx_auditor.config import Step
from cx_auditor.gather.step_effects import StepRecorder
from cx_auditor.models import StepRecord

__all__ = ["JourneyEffects"]

#: actions whose target is a selector of something the shopper acts on
_ACTS_ON = ("click", "fill", "select", "check", "press")


class JourneyEffects:
    """Calls the recorder around each step the interpreter really runs."""

    def __init__(self, page: Any, *, origins: list[str], redact: Callable[[str], str]) -> None:
        self.recorder = StepRecorder(page, origins=origins, redact=redact)
        self._open: StepRecord | None = None

    async def attach(self) -> None:
        """Before the page's first navigation (the init script must be in every document)."""
        with contextlib.suppress(Exception):
            await self.recorder.attach()

    async def before(self, step: Step, record: StepRecord, loc: Any = None) -> None:
        """Just before the step acts; ``loc`` is the element it acts on (the typed value is not stored)."""
        self._open = record
        with contextlib.suppress(Exception):
            await self.recorder.before_step(
                record,
                action=step.action,
                target=step.target if step.action in _ACTS_ON else None,
                value=step.value if step.action == "fill" else None,
                locator=loc,
            )

    async def after(self, step: Step, record: StepRecord) -> None:
        """The step succeeded (its navigation, if any, is over)."""
        if self._open is not record:
            return
        self._open = None
        with contextlib.suppress(Exception):
            await self.recorder.after_step(record, expect=step.expect)

    async def failed(self, step: Step, record: StepRecord) -> None:
        """The step raised: count what its selector matches (0 means a config problem)."""
        if self._open is not record:
            return
        self._open = None
        selector = step.target if step.action in (*_ACTS_ON, "wait_for") else None
        with contextlib.suppress(Exception):
            await self.recorder.after_failure(record, selector)

    def end(self) -> None:
        """After the journey: later events belong to no step."""
        self._open = None
        with contextlib.suppress(Exception):
            self.recorder.finish()
        with contextlib.suppress(Exception):
            self.recorder.detach()
