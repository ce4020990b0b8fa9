"""Why a step failed, in words a person understands; which failures are worth a retry.

Playwright reports failures as exceptions whose messages carry Chromium's network
error codes; this module maps them once, here, to a reason and a decision.
"""

from __future__ import annotations

from cx_auditor.config import Step
from cx_auditor.gather.convert import first_line

__all__ = ["ANSWERED_ERRORS", "TRANSIENT_ERRORS", "StepFailure", "explain"]

#: Network errors worth one more try: the connection broke, the server did not refuse it.
TRANSIENT_ERRORS = (
    "ERR_CONNECTION_RESET",
    "ERR_EMPTY_RESPONSE",
    "ERR_NETWORK_CHANGED",
    "ERR_CONNECTION_CLOSED",
)
#: Failures that still prove a server answered (the site is up, just broken).
ANSWERED_ERRORS = (
    "ERR_TOO_MANY_REDIRECTS",
    "Download is starting",
    "ERR_INVALID_RESPONSE",
    "ERR_INVALID_REDIRECT",
)
_NET_REASONS = (
    ("ERR_CONNECTION_REFUSED", "connection refused: nothing answers at this address"),
    ("ERR_NAME_NOT_RESOLVED", "DNS lookup failed: the host name does not resolve"),
    ("ERR_TOO_MANY_REDIRECTS", "redirect loop: the server keeps redirecting and the page never arrives"),
    ("ERR_CERT", "TLS certificate error: the browser does not trust the site's certificate"),
    ("ERR_SSL", "TLS error: the secure connection could not be set up"),
    ("ERR_CONNECTION_RESET", "the connection was reset by the server"),
    ("ERR_EMPTY_RESPONSE", "the server closed the connection without answering"),
    ("ERR_CONNECTION_CLOSED", "the server closed the connection without answering"),
    ("ERR_CONNECTION_TIMED_OUT", "the connection timed out: nothing answered at this address"),
    ("ERR_ADDRESS_UNREACHABLE", "the address is unreachable from this machine"),
    ("ERR_INTERNET_DISCONNECTED", "this machine has no network connection"),
    ("ERR_INVALID_RESPONSE", "the server sent an answer the browser could not read"),
    ("Download is starting", "the address starts a file download instead of showing a page"),
)


class StepFailure(Exception):
    """A step that ran but did not do what the journey needs (an HTTP error page, an off-site hop)."""


def explain(exc: Exception, step: Step, default_timeout_ms: int) -> str:
    """A reason a person understands, then the browser's own words in brackets."""
    if isinstance(exc, StepFailure):
        return str(exc)
    msg = first_line(exc)
    name = type(exc).__name__
    timeout = step.timeout_ms or default_timeout_ms
    if "ERR_BLOCKED_BY_CLIENT" in msg:
        return f"navigation off the audited site was refused ({msg})"
    if "has been closed" in msg or "Target closed" in msg or "Browser closed" in msg:
        return f"the browser closed or crashed during this step ({msg})"
    if name == "TimeoutError" or "Timeout" in msg:
        what = {
            "goto": "the page did not finish loading",
            "wait_for": "the element never appeared",
            "expect_text": f"the text {step.target!r} never appeared",
        }.get(step.action, f"the element {step.target!r} was not found or not actionable")
        return f"{what} within {timeout} ms ({msg})"
    for code, reason in _NET_REASONS:
        if code in msg:
            return f"{reason} ({msg})"
    return msg
