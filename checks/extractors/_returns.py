"""Return windows: "30-day returns", "return within 14 days of delivery"."""

from __future__ import annotations

import re

from cx_auditor.checks import _claims as cl
from cx_auditor.checks.extractors._model import (
    _DURATION,
    RETURN_WINDOW,
    Claim,
    _duration_text,
    _normalised,
    _to_int,
    _window_before,
)
from cx_auditor.checks.extractors._places import _CLAUSE_BREAK, qualifier_near

# ---------------------------------------------------------------------------
# Return windows
# ---------------------------------------------------------------------------

_RETURN_CUE = re.compile(
    r"\b(returns?|returned|returning|returnable|refunds?|exchanges?|exchanged|money[- ]back|"
    r"change[- ]of[- ]mind|"
    r"(?:send|sent|ship|mail)(?:\s+(?:it|them|items?|\w+)){0,2}\s+back|"
    # the right of withdrawal of EU shops' terms ("withdraw from this contract within 30 days") is the
    # window to send a purchase back, whatever the law behind it
    r"right (?:of|to) withdraw(?:al)?|withdrawal period|"
    r"withdraw from (?:the|this|your|a|an) (?:contract|purchase|order))\b",
    re.I,
)
#: "21 calendar days" is 21 days: the adjective says only that weekends count, as plain days do.
_CALENDAR_DURATION = _DURATION.replace(r"[\s-]*(?P<unit>", r"[\s-]*(?:calendar[\s-]+)?(?P<unit>")
_RETURN_DURATION = re.compile(rf"(?<![\d–-])\b{_CALENDAR_DURATION}(?![\s-]*(?:business|working))", re.I)
_NOT_RETURN_BEFORE = re.compile(
    # ("the return process within 35 days" names the return, not a processing time)
    r"(?<!return )process|issued?|credit|appear|post(?:ed)?\b|reflect|deliver|ship|dispatch|arriv|warrant|"
    r"\bin \d|\bopen\b|\d\s*(?:-|–|to)\s*$"
)
#: A window stated by its end ("no refund or exchange after 30 days", "If 30 days have gone by since
#: your purchase, we can't offer a refund"): the duration follows "after", "more than", "beyond"…, or
#: is one that "has passed". Such a duration is the window only where the sentence refuses the return;
#: without a refusal it is what happens past the window ("Returns after 30 days pay a restocking fee",
#: "a partial refund for items sent back more than 30 days after delivery").
_WINDOW_END_BEFORE = re.compile(
    # "has passed the 20 day return time", "exceeded your 30-day window": the window's end, reached
    r"\b(?:after|more than|over|beyond|past|exceeding|older than|"
    r"(?:passed|exceeded|missed|outside)\s+(?:the|your|our|its|this)(?:\s+original)?)\s*$",
    re.I,
)
_WINDOW_END_CONDITION = re.compile(r"\b(?:once|if|when|after)\s*$", re.I)
_HAS_PASSED = re.compile(r"^\s*(?:have|has)\s+(?:passed|gone by|elapsed|expired)\b", re.I)
_REFUSED = re.compile(
    r"\b(?:not|no|nothing|none|cannot|unable|never|refused?)\b|n['’]t\b",
    re.I,
)
#: A deadline counted from a label or an authorisation being issued ("send it back within 7 days of the
#: return label being issued"): a step after the return was accepted, not the window to ask for one.
_AFTER_RETURN_STARTED = re.compile(
    r"^\s*(?:of|after|from)\s+(?:the\s+|your\s+|its\s+)?(?:return\s+|shipping\s+|prepaid\s+)?"
    r"(?:label|authori[sz]ation|rma(?:\s+number)?|return\s+number)\s+(?:being\s+|is\s+|was\s+)?"
    r"(?:issued|approved|sent|created|generated|emailed|received)",
    re.I,
)
#: A window for store credit or an exchange only ("Up to 60 days: returnable for store credit ONLY",
#: "send items back for an exchange or a credit voucher up to 3 months from receipt"): not the window
#: to return a purchase for its money.
_CREDIT_WORD = re.compile(
    r"\b(?:(?:store|merchandise|shop)\s+credit|credit\s+(?:notes?|vouchers?)|gift\s+cards?|exchanges?)\b",
    re.I,
)
#: "return your item for a gift card or exchange it": a return whose outcome is credit, not money.
_RETURN_FOR_CREDIT = re.compile(
    r"\breturn\w*\s+(?:[\w'’]+\s+){0,3}?for\s+(?:an?\s+)?(?:gift\s+card|(?:store\s+|merchandise\s+)?credit|exchange)",
    re.I,
)
#: A fault and its remedy ("if any part breaks within the first 30 days, send it back and we'll replace
#: it", "wrong or defective within 7 days of purchase"): a guarantee against faults, not the window to
#: send back what the shopper does not want.
_FAULT_BEFORE = re.compile(
    r"\b(?:breaks?|broken|fails?|faulty|defective|stops?\s+working|develops?\s+a\s+fault)\b[^,;.]*$", re.I
)
#: The cue nearest a window is an exchange alone ("and exchanges within 60 days"): an exchange window.
_EXCHANGE_ONLY_CUE = re.compile(r"^exchange", re.I)
_EXCHANGE_WITH_RETURN = re.compile(
    r"\b(?:returns?|refunds?)\s*(?:or|and|&|/)\s*(?:an?\s+)?exchange|"
    r"\bexchanges?\s*(?:or|and|&|/)\s*(?:an?\s+)?(?:returns?|refunds?)\b",
    re.I,
)
_MONEY_BACK_WORD = re.compile(
    r"\b(?:refunds?|refunded|returns?|returned|money[- ]back|purchase price)\b", re.I
)
#: A deadline that starts when the shopper told the shop ("send them back no later than 14 days after
#: telling the seller you are cancelling") or when the shop answered ("Returns must reach us within 7
#: days of hearing back from us", "within 10 days of our reply"): a step after the return was asked
#: for, as above (README: a deadline counted from a later step is no return window).
_AFTER_TELLING = re.compile(
    r"^\s*(?:of|after|from|following)\s+(?:"
    r"(?:telling|notifying|informing|contacting|letting)\s+(?:us|the\s+\w+)|"
    r"hearing\s+(?:back\s+)?from\s+(?:us|(?:the|our)\s+\w+)|"
    r"(?:(?:receiving|getting)\s+)?(?:our|the\s+(?:seller|shop|store)['’]s)\s+"
    r"(?:reply|response|answer|approval|go-ahead|instructions))\b",
    re.I,
)
#: A sentence led by the step before it ("Following contact with the store, ship the product back so
#: that it arrives within 45 days"): a later step of a return already asked for.
_AFTER_CONTACT_LEAD = re.compile(
    r"^\W*(?:following|after|once)\s+(?:you(?:['’]ve|\s+have)\s+)?(?:contact(?:ing|ed)?|telling|told|notifying|notified)"
    r"\s+(?:with\s+)?(?:us|the\s+\w+)\b",
    re.I,
)
#: Where the words before a duration stop being its clause ("before delivery and for 14 days after").
_CLAUSE_CUT = re.compile(r".*(?:[,;]|\s(?:and|or|but)\s)", re.I | re.S)
#: A later step of the same return ("contact us within 14 days of delivery, then send the items back
#: within 30 days"): the first deadline ends the shopper's right; the second is a step after it.
_LATER_STEP = re.compile(r"\b(?:then|after that|afterwards|thereafter)\b", re.I)
#: "refund or exchange", "return and refund": a refund coordinated with a return names the return.
_REFUND_WITH_RETURN = re.compile(
    r"\b(?:returns?|exchanges?)\s*(?:or|and|&|/)\s*(?:an?\s+|full\s+)?refunds?\b|"
    r"\brefunds?\s*(?:or|and|&|/)\s*(?:an?\s+)?(?:returns?|exchanges?)\b|"
    r"\breturn(?:s|ed|able)?\s+for\s+(?:a\s+|the\s+)?(?:full\s+)?refund",
    re.I,
)
#: "Handling a return can take up to one week", "a return usually takes 5 days": a duration the
#: return takes (its subject is the return or its handling) is the shop's processing time; "you can
#: take up to 30 days to return it" is the shopper's window.
_TAKES_BEFORE = re.compile(
    r"\b(?P<subject>[\w'’]+)\s+(?:(?:can|may|will|should|could|might|does|do)\s+)?"
    r"(?:(?:usually|typically|normally|generally|often)\s+)?tak(?:e|es|ing)\s+"
    r"(?:(?:up\s+to|about|around|approximately|roughly|at\s+least|at\s+most|no\s+more\s+than)\s+)?$",
    re.I,
)
_SHOPPER = re.compile(r"^(?:you|customers?|shoppers?|buyers?|purchasers?|they|we)$", re.I)
#: Orders collected in a shop ("Items collected with In-Store Pickup may be returned within 30
#: days"): a window for some orders only, as a collection cut-off is (README: no claim).
_COLLECTED_ORDERS = re.compile(
    r"\bin[- ]store\s+pick[- ]?up\b|\bclick\s*(?:&|and|\+)\s*collect\b|\bpick(?:ed)?[- ]?up\s+in[- ]store\b|"
    r"\bcollected\s+(?:in|from|at|with)\b|\bstore\s+(?:pick[- ]?up|collection)\b",
    re.I,
)
#: "Please allow up to 28 days": a wait the shopper is asked to allow, not a window they are given.
_ALLOW_BEFORE = re.compile(
    r"\ballow\s+(?:(?:up\s+to|about|around|approximately|roughly|at\s+least)\s+)?$", re.I
)
#: Cancelling an order counted from its receipt ("cancel for any reason within 14 days of the day you
#: receive it"): the right of withdrawal, a return window; cancelling counted from the order ("within
#: 2 hours of placing it") is no return.
_CANCEL_CUE = re.compile(r"\bcancel", re.I)
_FROM_RECEIPT_AFTER = re.compile(
    r"^\s*(?:of|after|from|following|beginning\s+with)\s+(?:the\s+day\s+(?:after\s+)?)?"
    r"(?:you\s+|your\s+|the\s+|its\s+)?(?:receiv|deliver|receipt|get\b|got\b)",
    re.I,
)
#: Words that make a duration a refund's processing time rather than a window to send things back.
_REFUND_ONLY = re.compile(r"^refund", re.I)


_NOT_RETURN_AFTER = re.compile(
    # "allow two weeks for your return to be processed": the return's handling time, not its window
    r"[\s,]*(?:to|for (?:it|them|(?:the|your|a|each|this) "
    r"(?:refund|money|credit|return|parcel|package|item)s?) to)\s+"
    r"(?:appear|show|reach|post|clear|process|arrive|be (?:processed|credited|issued|refunded))",
    re.I,
)


#: "A refund can be requested within a month of purchase": the refund asked for, so the window to ask.
_REFUND_ASKED_AFTER = re.compile(
    r"^\s+(?:can|may|must|should)\s+(?:only\s+)?be\s+(?:requested|claimed|asked\s+for)\b", re.I
)


def _refund_time(sentence: str, start: int, end: int) -> bool:
    """True when the cue nearest a duration is about refunds ("Refunds are made within 14 days")."""
    cues = list(_RETURN_CUE.finditer(sentence))
    before = [c for c in cues if c.end() <= start]
    after = [c for c in cues if c.start() >= end]
    nearest = before[-1] if before else (after[0] if after else None)
    if nearest is None or not _REFUND_ONLY.match(nearest.group(1)):
        return False
    near = sentence[max(0, nearest.start() - 20) : nearest.end() + 20]
    if _REFUND_WITH_RETURN.search(near):
        return False
    if (
        re.search(
            r"\b(?:for|request(?:ing)?|claim(?:ing)?)\s+an?\s+(?:full\s+)?$",
            sentence[max(0, nearest.start() - 16) : nearest.start()],
            re.I,
        )
        or _REFUND_ASKED_AFTER.match(sentence[nearest.end() :])
    ) and not _ALLOW_BEFORE.search(sentence[max(0, start - 40) : start]):
        # "For a full refund, contact us within 30 days", "A refund can be requested within a month":
        # the window to ask for one ("allow up to 28 days for a refund" is the wait for it)
        return False
    # "We refund the price if the item reaches the store within 30 days": the window to get it back
    own = sentence[max(0, start - 120) : start]  # the duration's own clause, read within a bounded reach
    breaks = list(_CLAUSE_BREAK.finditer(own))
    return not _RETURN_JOURNEY.search(own[breaks[-1].end() :] if breaks else own)


@_normalised
def extract_return_windows(sentence: str) -> list[Claim]:
    """How long customers have to return an item ("30-day returns", "return within 2 weeks")."""
    cancel_only = not _RETURN_CUE.search(sentence) and bool(_CANCEL_CUE.search(sentence))
    if not (_RETURN_CUE.search(sentence) or cancel_only) or _AFTER_CONTACT_LEAD.match(sentence):
        return []
    if _COLLECTED_ORDERS.search(sentence):
        return []  # a window for orders collected in a shop: some orders only
    if _CREDIT_WORD.search(sentence) and (
        re.search(r"\bonly\b", sentence, re.I)
        or not _MONEY_BACK_WORD.search(_RETURN_FOR_CREDIT.sub(" ", sentence))
    ):
        return []  # a window for store credit or an exchange only
    claims: list[Claim] = []
    taken_end = -1  # where the last window read ends
    refused: bool | None = None  # whether the sentence refuses a return (read once, when needed)
    for m in _RETURN_DURATION.finditer(sentence):
        if _refund_time(sentence, m.start(), m.end()):
            continue
        if re.match(r"[\s-]*(?:business|working)", sentence[m.end() :], re.I):
            continue
        if cancel_only and not _FROM_RECEIPT_AFTER.match(sentence[m.end() :]):
            continue  # "cancel within 2 hours of ordering": no return
        clause_before = _CLAUSE_CUT.sub("", _window_before(sentence, m.start(), 0, 30))
        not_return = _NOT_RETURN_BEFORE.search(clause_before)
        if not_return and not (
            # "If it arrives more than 60 days after shipping, we may refuse the return": the window's
            # end, stated by the return's arrival and refused past it
            not_return.group(0).lower().startswith("arriv")
            and _WINDOW_END_BEFORE.search(_window_before(sentence, m.start(), 0, 20))
            and _REFUSED.search(sentence)
        ):
            continue
        if re.match(r"\s*(?:a week|per\b|of (?:the|each) (?:week|month))", sentence[m.end() :], re.I):
            continue
        takes = _TAKES_BEFORE.search(sentence[max(0, m.start() - 60) : m.start()])
        if takes and not _SHOPPER.match(takes.group("subject")):
            continue  # "Handling a return can take up to one week": what the return takes
        rest = sentence[m.end() :]
        if _NOT_RETURN_AFTER.match(rest) or _AFTER_RETURN_STARTED.match(rest) or _AFTER_TELLING.match(rest):
            continue  # "Refunds take up to 14 days to appear": a processing time, not a window
        before = _window_before(sentence, m.start(), 0, 20)
        if _WINDOW_END_BEFORE.search(before) or (
            _WINDOW_END_CONDITION.search(before) and _HAS_PASSED.match(sentence[m.end() :])
        ):
            if refused is None:
                refused = bool(_REFUSED.search(sentence))
            if not refused:
                continue
        if taken_end >= 0 and _LATER_STEP.search(sentence[taken_end : m.start()]):
            continue
        if _FAULT_BEFORE.search(sentence[max(0, m.start() - 60) : m.start()]):
            continue  # "if any part breaks within the first 30 days": a fault's remedy
        cue = [c for c in _RETURN_CUE.finditer(sentence, max(0, m.start() - 40), m.start())]
        if (
            cue
            and _EXCHANGE_ONLY_CUE.match(cue[-1].group(1))
            and not _EXCHANGE_WITH_RETURN.search(sentence[max(0, cue[-1].start() - 20) : cue[-1].end() + 20])
        ):
            continue  # "... and exchanges within 60 days": the exchange window
        key = qualifier_near(sentence, m.start(), m.end())
        if key is None:
            continue
        n, unit = cl.normalise_duration(_to_int(m.group("n")), m.group("unit"))
        taken_end = m.end()
        claims.append(
            Claim(
                kind=RETURN_WINDOW,
                value=_duration_text(n, unit),
                display=_duration_text(n, unit),
                sentence=sentence,
                key=key,
            )
        )
    return claims


#: A sentence about a parcel coming back to the shop ("transit back to us (5 to 10 business days) and
#: our processing (3 to 5 business days)"): its times are the return's, not the order's.
_RETURN_JOURNEY = re.compile(
    r"\bback\s+to\s+us\b|\b(?:reach(?:es|ing)?|arrives?\s+(?:back\s+)?at)\s+"
    r"(?:us|the\s+(?:store|shop)|our\s+(?:store|shop|warehouse|facility))\b",
    re.I,
)
