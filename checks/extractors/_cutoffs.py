"""Order cut-off times: "order by 2pm for same-day dispatch"."""

from __future__ import annotations

import re

from cx_auditor.checks.extractors._hours import _TZ_FAMILY, _TZ_TOKEN, _parse_clock, _to_24h
from cx_auditor.checks.extractors._model import ORDER_CUTOFF, Claim, _normalised
from cx_auditor.checks.extractors._places import qualifier_near
from cx_auditor.checks.extractors._times import _HEDGE

# ---------------------------------------------------------------------------
# Order cut-off times
# ---------------------------------------------------------------------------

_CUTOFF_CLOCK = (
    rf"(?P<time>\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:am|pm)|\d{{1,2}}:\d{{2}}|noon|midnight)(?![\d-])"
    # the clock restated in words before its zone: "12:00 PM (Noon) Eastern Time"
    rf"(?:\s*\((?:noon|midday|midnight)\))?"
    rf"(?:\s*\(?(?P<tz>{_TZ_TOKEN})\b\)?)?"
)
_CUTOFF_RE = re.compile(
    # ("after the 2 PM EST cut-off": the clock inside the cut-off's name, up to three words)
    rf"\b(?P<rel>(?:by|before|after|until)(?:\s+(?:the|our)(?=(?:\s+\S+){{1,3}}\s+cut[- ]?off))?|"
    rf"(?:cut[- ]?off(?:\s+time)?|deadline)(?:\s+for\s+[\w\s-]{{0,30}}?)?(?:\s+(?:is|of|at)|\s*:))"
    rf"\s*:?\s*{_CUTOFF_CLOCK}",
    re.I,
)
#: A cut-off for one weekday ("by 5 p.m. on Mondays or by 7 p.m. Tuesday to Friday", "after 2pm on a
#: Friday, at the weekend or on a Bank Holiday"): that day's
#: schedule, and the sentence's other cut-offs are days' schedules too (see extract_order_cutoffs).
_ONE_WEEKDAY_AFTER = re.compile(
    r"^\s*,?\s*(?:on\s+)?(?:an?\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"
    # a run of days is no one weekday: "Monday to Friday", "Monday–Friday" (a dash needs no spaces)
    r"(?!\s*(?:-|–|—)|\s+(?:to|through|thru)\s)",
    re.I,
)
_ORDER_CUE = re.compile(
    r"\b(?:order\w*|placed|received|paid|cleared|come in|get (?:your|it) in|cut[- ]?off)\b|"
    # the order left unsaid in a condition: "If processed by 9 am PT, production begins that day"
    r"\bif\s+(?:processed|approved|submitted)\s+(?:by|before)\b",
    re.I,
)
_SAME_DAY_CUE = re.compile(
    r"\bsame[- ](?:business[- ]|working[- ]|work[- ])?day\b|\bthat\s+(?:same\s+)?day\b", re.I
)
_NEXT_DAY_CUE = re.compile(r"\b(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day\b", re.I)
_NEXT_DAY_DELIVERY = re.compile(
    r"\bnext[- ](?:business[- ]|working[- ]|work[- ])?day\s+delivery\b|"
    # "to upgrade to overnight, order by 10am": overnight is the next-day service
    r"\bovernight\b|"
    # the verb form: "delivered the next working day", "arrives the following business day"
    r"\b(?:deliver(?:ed|s|y)?|arriv(?:e|es|ing)|with you)\b[^.;]{0,20}?\b(?:on\s+)?the\s+"
    r"(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day\b",
    re.I,
)
#: "Rush orders must be placed by 5 am PT": a tier's orders must come in by a clock, and the tier's own
#: service is the consequence, so no "same day" needs saying (with a tier named: see its use).
_TIER_MUST_BE_PLACED = re.compile(
    r"\borders?\s+(?:must|need\s+to|have\s+to|should)\s+be\s+(?:placed|received|submitted|in)\s*$", re.I
)
#: "not paid for by 3pm", "not received before noon": an order that misses the cut-off ("after").
_MISSED_CUTOFF = re.compile(r"\bnot\s+(?:\w+\s+){0,3}?$", re.I)
_CUTOFF_BLOCKERS = re.compile(
    r"\b(?:sale|offer|deal|promotion|code)s?\b[^.]{0,20}\b(?:ends?|expires?)\b|"
    # a cut-off for collecting in store, not for dispatch ("same-day Click & Collect", "same-day pickup";
    # "collected by DPD" is the carrier's pickup, a dispatch)
    r"\bcollect(?:ion)?\b|\bclick\s*(?:&|and|\+)\s*collect|\bpick-?up\b|\bin[- ]store\b|"
    # what is received by a time is not an order ("Requests received after 1.30pm are handled the next
    # working day"): a back office's day, not a shipping cut-off
    r"\b(?:requests?|enquir(?:y|ies)|inquir(?:y|ies)|messages?|e-?mails?|calls?|claims?|applications?)"
    r"\s+(?:\w+\s+)?received\b",
    re.I,
)
#: "Our team is here until 5pm today": the hours of whoever answers, not an order's cut-off.
_CUTOFF_SUPPORT = re.compile(
    r"\b(?:customer (?:service|care|support)|support|team|agents?|lines?|chat|phones?)\b[^.]{0,30}"
    r"\b(?:is|are)\s+(?:here|open|available|online)\b",
    re.I,
)


#: "... before 1.00 pm today are shipped today (NZST).": a zone in brackets that closes the sentence
#: is said once for every clock in it, as a zone said once after a repeated time is.
_CLOSING_ZONE = re.compile(rf"\(\s*(?P<tz>{_TZ_TOKEN})\s*\)\s*[.!]?\s*$", re.I)


def _bare_clock(token: str) -> str:
    """ "10am" → "10:00" (no zone): to tell a clock said again in one sentence."""
    parsed = _parse_clock(token)
    return f"{_to_24h(parsed[0], parsed[2]):02d}:{parsed[1]:02d}" if parsed else token


def _closing_zone(sentence: str) -> str:
    """The zone a sentence closes with in brackets, or ``""``."""
    m = _CLOSING_ZONE.search(sentence)
    return m.group("tz").upper() if m else ""


@_normalised
def extract_order_cutoffs(sentence: str) -> list[Claim]:
    """The clock time by which an order must be placed for a service ("order by 2pm for same-day dispatch").

    Read by structure: an ordering word, a time after "by/before/until"
    (or "after ... next business day", or "cut-off ... is"), and a same-day or
    next-day service. Value ``"14:00"`` or ``"14:00 ET"``; key ``""`` for
    same-day dispatch, ``"next day"`` for a next-day delivery cut-off.
    """
    if (
        not _ORDER_CUE.search(sentence)
        or _CUTOFF_BLOCKERS.search(sentence)
        or _CUTOFF_SUPPORT.search(sentence)
        or _HEDGE.search(sentence)
    ):
        return []
    claims: list[Claim] = []
    if any(_ONE_WEEKDAY_AFTER.match(sentence[m.end() :]) for m in _CUTOFF_RE.finditer(sentence)):
        return []  # a schedule by weekday, not the shop's standing cut-off
    for m in _CUTOFF_RE.finditer(sentence):
        rel = m.group("rel").lower().split()[0]
        if rel in {"by", "before"} and _MISSED_CUTOFF.search(sentence[: m.start()]):
            rel = "after"
        if rel == "after":
            if not _NEXT_DAY_CUE.search(sentence[m.end() :]):
                continue
            if any(c.value.split()[0] == _bare_clock(m.group("time")) for c in claims):
                continue  # "the cut-off … is 10am (orders after 10am …)": the same cut-off restated
            key = ""  # orders after the cut-off go next day: it is the same-day cut-off
        elif rel.startswith(("cut", "deadline")):
            key = "next day" if _NEXT_DAY_DELIVERY.search(sentence) else ""
        else:
            if _NEXT_DAY_DELIVERY.search(sentence):
                key = "next day"
            elif _SAME_DAY_CUE.search(sentence) or re.search(r"\btoday\b", sentence, re.I):
                key = ""
            elif _TIER_MUST_BE_PLACED.search(sentence[: m.start()]) and (
                tier := qualifier_near(sentence, m.start(), m.end())
            ):
                key = tier  # "Rush orders must be placed by 5 am PT": the tier's service is what it buys
            else:
                continue
        parsed = _parse_clock(m.group("time"))
        if parsed is None:
            continue
        hour = _to_24h(parsed[0], parsed[2])
        if not 0 <= hour <= 24 or parsed[1] > 59:
            continue
        tz = (m.group("tz") or "").upper() or _closing_zone(sentence)
        tz = _TZ_FAMILY.get(tz, tz)
        value = f"{hour:02d}:{parsed[1]:02d}" + (f" {tz}" if tz else "")
        if key == "":
            # a tier's own cut-off ("Expedited orders placed before 12:15 ship the same day")
            tier = qualifier_near(sentence, m.start(), m.end())
            if tier is None:
                continue
            if tier not in {"next day", "overnight"}:
                key = tier
        if any(c.value == value and c.key == key for c in claims):
            continue
        claims.append(Claim(kind=ORDER_CUTOFF, value=value, display=value, sentence=sentence, key=key))
    # "by 3:00pm Eastern … after 3:00pm it counts from the next day": one cut-off, its zone said once
    zoned = {(c.key, c.value.split()[0]) for c in claims if " " in c.value}
    return [c for c in claims if " " in c.value or (c.key, c.value) not in zoned]
