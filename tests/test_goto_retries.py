"""Navigation retries: which failures earn another try, and the late error page's echo.

``goto_with_retries`` is driven here with a stand-in page whose ``goto`` fails in a scripted
order, so each rule is checked without a browser; ``tests/test_faults.py`` runs the real thing
against a server that drops connections.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from cx_auditor.gather.steps import goto_with_retries

RESET = "Page.goto: net::ERR_CONNECTION_RESET at http://127.0.0.1:1/flaky"
ECHO = (
    'Page.goto: Navigation to "http://127.0.0.1:1/flaky" is interrupted by another navigation to '
    '"chrome-error://chromewebdata/"'
)
REFUSED = "Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/"
TIMEOUT = "Page.goto: Timeout 30000ms exceeded."


class ScriptedPage:
    """A page whose n-th ``goto`` raises the n-th scripted message, or answers once they run out."""

    def __init__(self, *failures: str) -> None:
        self.failures = list(failures)
        self.calls = 0

    async def goto(self, url: str, **kwargs: Any) -> str:
        self.calls += 1
        if self.failures:
            raise RuntimeError(self.failures.pop(0))
        return f"response for {url}"


def _go(page: ScriptedPage, retries: int) -> str:
    return asyncio.run(goto_with_retries(page, "http://127.0.0.1:1/flaky", None, retries))


def test_a_broken_connection_is_tried_again() -> None:
    page = ScriptedPage(RESET, RESET)
    assert _go(page, retries=2) == "response for http://127.0.0.1:1/flaky"
    assert page.calls == 3


def test_the_retries_run_out() -> None:
    page = ScriptedPage(RESET, RESET, RESET)
    with pytest.raises(RuntimeError, match="ERR_CONNECTION_RESET"):
        _go(page, retries=2)
    assert page.calls == 3


@pytest.mark.parametrize("failure", [REFUSED, TIMEOUT])
def test_a_refusal_or_a_timeout_is_not_tried_again(failure: str) -> None:
    page = ScriptedPage(failure)
    with pytest.raises(RuntimeError):
        _go(page, retries=2)
    assert page.calls == 1


def test_the_earlier_error_page_cutting_off_a_retry_costs_no_retry() -> None:
    """Seen in CI under load: the last retry was cut off by the previous try's error page."""
    page = ScriptedPage(RESET, RESET, ECHO)
    assert _go(page, retries=2) == "response for http://127.0.0.1:1/flaky"
    assert page.calls == 4


def test_the_echo_is_forgiven_once_and_never_on_a_first_try() -> None:
    with pytest.raises(RuntimeError, match="chrome-error"):
        _go(ScriptedPage(ECHO), retries=2)
    page = ScriptedPage(RESET, ECHO, ECHO)
    with pytest.raises(RuntimeError, match="chrome-error"):
        _go(page, retries=2)
    assert page.calls == 3
