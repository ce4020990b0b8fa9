"""Promo codes and the terms they give ("SAVE10 for 10% off")."""

from __future__ import annotations

import re
from decimal import Decimal

from cx_auditor.checks import _claims as cl
from cx_auditor.checks.extractors._model import PROMO_CODE, Claim, _normalised
from cx_auditor.checks.extractors._money import _FREE_SHIPPING_RE, find_money, format_money

# ---------------------------------------------------------------------------
# Promo codes
# ---------------------------------------------------------------------------

_CODE_RE = re.compile(
    r"(?i:\b(?:promo(?:tional)?\s+code|discount\s+code|coupon(?:\s+code)?|voucher(?:\s+code)?|"
    r"offer\s+code|code))\s*[:\-–]?\s*[\"'“‘«]?(?P<code>[A-Z0-9][A-Z0-9_-]{2,19})\b(?![a-z])"
)
_PERCENT_OFF = re.compile(r"(?P<pct>\d{1,2}(?:\.\d+)?)\s?%\s*(?:off|discount)?", re.I)


def _promo_terms(sentence: str, near: int, default_currency: str) -> str | None:
    """The benefit closest to the code: "10% off", "$20 off" or "free shipping"."""
    options: list[tuple[int, str]] = []
    for m in _PERCENT_OFF.finditer(sentence):
        if re.search(r"off|discount|save|code", sentence[max(0, m.start() - 15) : m.end() + 12], re.I):
            pct = Decimal(m.group("pct")).normalize()
            options.append((abs(m.start() - near), f"{pct:f}% off"))
    for money in find_money(sentence, default_currency):
        after = sentence[money.end : money.end + 12]
        before = sentence[max(0, money.start - 8) : money.start].lower()
        if re.match(r"\s*off\b", after, re.I) or "save" in before:
            options.append((abs(money.start - near), f"{format_money(money.amount, money.currency)} off"))
    for m in _FREE_SHIPPING_RE.finditer(sentence):
        options.append((abs(m.start() - near) + 1, "free shipping"))
    return min(options)[1] if options else None


#: A code by its shape: a capitalised token of 4-20 letters and digits.
_CODE_SHAPE = re.compile(r"(?<![\w#@/.-])(?P<code>[A-Z0-9]{4,20})(?![\w/-]|\.\w)")
#: Words that hand a token over as a code: "use SPRING15", "enter THANKYOU", "SUMMER code".
_CODE_CUE_BEFORE = re.compile(
    r"(?:\bcode|\bcoupon|\bvoucher|\bpromo|\buse|\benter|\bredeem|\bapply|\btype|\bwith code)\W{0,3}$", re.I
)
_CODE_CUE_AFTER = re.compile(r"^\s*(?:code|coupon|voucher|promo code|discount code)\b", re.I)


#: Capitalised words of shouted banners that are never codes on their own ("SALE: 50% off").
_SHOUT_WORDS = frozenset(
    "SALE SALES FREE SHIPPING DELIVERY SAVE SAVINGS OFF NEW NOW TODAY ONLY HUGE MEGA FLASH LAST "
    "HURRY LIMITED EXTRA BONUS DEAL DEALS BOGO OFFER OFFERS SPECIAL EXCLUSIVE NOTE PLUS SITEWIDE "
    "STOREWIDE EVERYTHING CLEARANCE WEEKEND ENDS STOP HELP INFO UPDATE ALERT REMINDER TERMS".split()
)
_CAPS_WORD = re.compile(r"[A-Z][A-Z0-9&'’]+")
#: Where a bare word of capitals is handed over as a code: "THANKYOU — 10% off", "with SUNSHINE",
#: "BLOOM takes 15% off", “HELLOAGAIN”.
_GIVING_VERB = r"(?:takes|gets|gives|saves|unlocks|knocks|brings|is good for)\b"
_CODE_TAIL = re.compile(rf"^(?:\s*[:—–]|\s+-\s|\s+{_GIVING_VERB}|[”\"'’]|\s+for\s+(?=[\d$£€]|free\b))", re.I)
_CODE_AFTER_PREPOSITION = re.compile(r"\b(?:with|using)\s+$", re.I)


def _placed_as_code(sentence: str, start: int, end: int) -> bool:
    """A letters-only capitalised token placed where a code goes, and not part of shouting.

    The place is structural: at the head of a "CODE: terms" line, after
    "with"/"using", before a verb of giving ("takes", "gets"), or in quotes.
    Shouting is a run of capitalised words ("LAST CHANCE: 30% off") or a
    banner word ("SALE", "BOGO"), never a code.
    """
    token = sentence[start:end]
    if token in _SHOUT_WORDS:
        return False
    words_before = sentence[:start].split()
    words_after = sentence[end:].split()
    if words_before and _CAPS_WORD.fullmatch(words_before[-1].strip("“\"'‘:—–-")):
        return False
    if words_after and _CAPS_WORD.fullmatch(words_after[0].strip("”\"'’:.,!—–-")):
        return False
    lead, tail = sentence[:start], sentence[end:]
    at_head = not lead.strip() or bool(re.search(r"[“\"'‘]\s*$", lead))
    if at_head and _CODE_TAIL.match(tail):
        return True
    return bool(_CODE_AFTER_PREPOSITION.search(lead) or re.match(rf"\s+{_GIVING_VERB}", tail, re.I))


def promo_code_candidates(sentence: str) -> list[tuple[int, str]]:
    """(position, code) of every token that reads as a promo code.

    A token of capitals with both letters and digits ("WELCOME10", "FALL20")
    is a code by its shape; a token of letters only ("THANKYOU") needs a cue
    ("use", "enter", "code") or a code's place in the sentence (see
    :func:`_placed_as_code`), or shouting ("FREE SHIPPING", "SALE") would be codes.
    """
    found: list[tuple[int, str]] = []
    for m in _CODE_SHAPE.finditer(sentence):
        code = m.group("code")
        if not re.search(r"[A-Z]", code):
            continue
        cued = bool(
            _CODE_CUE_BEFORE.search(sentence[max(0, m.start() - 25) : m.start()])
            or _CODE_CUE_AFTER.match(sentence[m.end() :])
        )
        if not (cued or re.search(r"\d", code) or _placed_as_code(sentence, m.start(), m.end())):
            continue
        found.append((m.start(), code))
    for m in _CODE_RE.finditer(sentence):  # codes written after a cue word keep working as before
        code = m.group("code")
        if re.search(r"[A-Z]", code) and len(code) >= 4 and all(code != c for _, c in found):
            found.append((m.start("code"), code))
    return sorted(found)


def promo_terms(sentence: str, near: int = 0, default_currency: str = "USD") -> str | None:
    """The benefit stated in ``sentence`` nearest to position ``near`` ("10% off"), if any."""
    return _promo_terms(cl.normalise_text(sentence), near, default_currency)


@_normalised
def extract_promo_codes(sentence: str, default_currency: str = "USD") -> list[Claim]:
    """Promo codes with what they give ("Use code WELCOME10 for 10% off" -> WELCOME10: 10% off).

    The code is the claim's ``key``, so two different codes never conflict;
    the same code promising different terms does. Codes are found by their
    shape (see :func:`promo_code_candidates`), so "WELCOME10: 15% off your
    first purchase" reads without a cue word; "zip code 90210", "QR code" and
    "FREE SHIPPING" are not codes.
    """
    claims: list[Claim] = []
    for pos, code in promo_code_candidates(sentence):
        terms = _promo_terms(sentence, pos, default_currency)
        if not terms:
            continue
        claims.append(
            Claim(kind=PROMO_CODE, value=terms, display=f"{code}: {terms}", sentence=sentence, key=code)
        )
    return claims
