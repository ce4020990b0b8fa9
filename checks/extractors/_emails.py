"""Support email addresses, and the context that makes an address someone else's."""

from __future__ import annotations

import re

from cx_auditor.checks.extractors._model import EMAIL, Claim

_EMAIL_RE = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})\b")
_NOT_EMAIL_TLD = {"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "avif"}
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|bounce)", re.I)


#: Words just before an address that mark it as the customer's own, echoed back by the shop.
_ECHO_BEFORE = re.compile(
    r"(?:password for|signed in as|logged in as|log(?:ged)? in with|sent (?:[\w-]+ ){0,3}to|"
    r"we(?:'ll|’ll| will) (?:e-?mail|write to)|your e-?mail(?: address)?(?: is)?|account(?: e-?mail)?|"
    r"receipts? (?:to|at)|(?:confirmation|updates?|tracking(?: link)?|notifications?)s? (?:to|at)|"
    r"registered (?:with|as)|subscribed (?:as|with)|not you\W*|welcome back)\W*$",
    re.I,
)
#: Wording that offers an address as a way to reach the shop.
_EMAIL_SUPPORT_CUE = re.compile(
    r"\b(?:contact (?:us|our|the|customer)|customer (?:service|support|care)|support|help|questions?|"
    r"queries|query|reach us|e-?mail us|write to us|get in touch|enquir\w*|inquir\w*|drop us|"
    r"talk to us|assistance|care team|call(?: us)?|phone us|chat with us)\b",
    re.I,
)


#: Words just before an address or number that give it as someone else's: a checkout partner's, the
#: carrier's, the maker's ("send every question to the partner at help@partner.example", "contact the
#: manufacturer on ..."): whose it is the sentence tells, and it is not the shop's (README, session 5,
#: round 7, writer C).
_THIRD_PARTY_BEFORE = re.compile(
    r"\b(?:the|our|their|its)\s+(?:[\w-]+\s+){0,2}?(?:partners?|carriers?|couriers?|manufacturers?|makers?|"
    r"suppliers?|vendors?|insurers?|processors?|providers?)(?:['’]s?)?\s+(?:directly\s+)?(?:at|on|via|by)\s*:?\s*$",
    re.I,
)


def third_party_contact(sentence: str, start: int) -> bool:
    """Whether the address or number at ``sentence[start:]`` is given as a named third party's."""
    return bool(_THIRD_PARTY_BEFORE.search(sentence[max(0, start - 60) : start]))


def email_context(sentence: str, start: int, end: int) -> str:
    """How the address at ``sentence[start:end]`` is offered: "echo", "support" or "".

    Checkout and account pages repeat the shopper's own address ("Create a
    password for shopper@example.com"): that is user data, never a support
    claim. The support cue is looked for with the addresses removed, so the
    "support" in "support@shop.example" does not vouch for itself.
    """
    if _ECHO_BEFORE.search(sentence[max(0, start - 40) : start]):
        return "echo"
    return "support" if _EMAIL_SUPPORT_CUE.search(_EMAIL_RE.sub(" ", sentence)) else ""


def extract_emails(sentence: str) -> list[Claim]:
    """Email addresses a customer could write to (lower-cased; no-reply senders and echoes skipped).

    ``extra["context"]`` is ``"support"`` when the sentence offers the address
    as a way to reach the shop; the messaging check also accepts addresses
    with a ``mailto:`` link or from a documents channel.
    """
    claims: list[Claim] = []
    for m in _EMAIL_RE.finditer(sentence):
        address = m.group(1).rstrip(".").lower()
        local, _, domain = address.partition("@")
        if domain.rsplit(".", 1)[-1] in _NOT_EMAIL_TLD or _NO_REPLY.match(local) or ".." in address:
            continue
        context = email_context(sentence, m.start(1), m.end(1))
        if context == "echo" or third_party_contact(sentence, m.start(1)):
            continue
        claims.append(
            Claim(kind=EMAIL, value=address, display=address, sentence=sentence, extra={"context": context})
        )
    return claims
