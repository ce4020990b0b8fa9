"""The claim model every rule shares: the kinds, :class:`Claim`, :class:`Money` and small helpers.

Kept free of rules so every other module can import it without a cycle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cx_auditor.checks import _claims as cl

PRICE = "price"
THRESHOLD = "free_shipping_threshold"
RETURN_WINDOW = "return_window"
DISPATCH_TIME = "dispatch_time"
DELIVERY_TIME = "delivery_time"
PROMO_CODE = "promo_code"
WARRANTY = "warranty"
SUPPORT_HOURS = "support_hours"
PHONE = "phone"
EMAIL = "email"
ORDER_CUTOFF = "order_cutoff"

#: Human names of the claim kinds, used in finding messages.
KIND_LABELS: dict[str, str] = {
    PRICE: "Price",
    THRESHOLD: "Free-shipping threshold",
    RETURN_WINDOW: "Return window",
    DISPATCH_TIME: "Dispatch time",
    DELIVERY_TIME: "Delivery time",
    PROMO_CODE: "Promo code terms",
    WARRANTY: "Warranty period",
    SUPPORT_HOURS: "Support hours",
    PHONE: "Support phone number",
    EMAIL: "Support email address",
    ORDER_CUTOFF: "Order cut-off time",
}


@dataclass(frozen=True)
class Claim:
    """One promise read from one sentence.

    ``key`` separates claims that legitimately differ: the promo code for
    promo terms, a qualifier ("express", "member", "international") for
    thresholds and windows, the product for prices (set by the check).
    """

    kind: str
    value: str
    display: str
    sentence: str
    key: str = ""
    amount: Decimal | None = None
    currency: str | None = None
    #: thresholds: True for "$50 or more" / "$50+", False for "over $50"
    inclusive: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Money:
    """A money amount found in text, with its span (for reading its context)."""

    amount: Decimal
    currency: str
    start: int
    end: int
    raw: str


# Number words ("thirty", "forty-five") are rewritten to digits by :func:`_claims.normalise_text`
# (``text2num``) before any extractor below reads a sentence; patterns only see digits.
_NUMBER = r"\d{1,3}"
_DURATION = rf"(?P<n>{_NUMBER})[\s-]*(?P<unit>days?|weeks?|months?|years?|yrs?)\b"


def _to_int(token: str) -> int:
    return int(token)


def _normalised(func: Callable[..., list[Claim]]) -> Callable[..., list[Claim]]:
    """Run an extractor on the normalised sentence; its claims keep the sentence as written."""

    @functools.wraps(func)
    def wrapper(sentence: str, *args: object, **kwargs: object) -> list[Claim]:
        text = cl.normalise_text(sentence)
        claims = func(text, *args, **kwargs)
        if text == sentence:
            return claims
        return [replace(c, sentence=sentence) for c in claims]

    return wrapper


def _duration_text(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _window_before(sentence: str, start: int, floor: int = 0, size: int = 40) -> str:
    return sentence[max(floor, start - size) : start].lower()
