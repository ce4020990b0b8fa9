"""Support hours: "Mon-Fri 9am-5pm ET", "24/7"; clock and day parsing shared with cut-offs."""

from __future__ import annotations

import re

from cx_auditor.checks import _claims as cl
from cx_auditor.checks.extractors._model import SUPPORT_HOURS, Claim, _normalised
from cx_auditor.checks.extractors._places import _clause_bounds, qualifier_of

# ---------------------------------------------------------------------------
# Support hours
# ---------------------------------------------------------------------------

_DAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?)\.?"
)
_DAYS = (
    rf"(?P<d1>{_DAY})(?:\s*(?:-|–|—|to|through|thru)\s*(?P<d2>{_DAY}))?|"
    r"(?P<daily>daily|every day|7 days a week|seven days a week)|(?P<weekdays>weekdays)|"
    r"(?P<weekends>weekends)"
)
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon|midnight)"
_RANGE = rf"(?P<t1>{_TIME})\s*(?:-|–|—|to|until|till)\s*(?P<t2>{_TIME})"
_TZ = (
    r"(?:\s*\(?(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|BST|UK|UTC|CET|CEST|AEST|AEDT|IST)"
    r"\b\)?)?"
)
_HOURS_RE = re.compile(
    rf"\b(?:{_DAYS})\s*[,:]?\s*(?:from\s+)?{_RANGE}{_TZ}",
    re.I,
)
_ALWAYS_OPEN = re.compile(
    r"\b24/7\b|\b24 hours a day,? 7 days a week\b|\baround the clock\b|\b24 hours a day\b", re.I
)
_SUPPORT_CUE = re.compile(
    r"support|help|customer|service|chat|call|phone|agents?|team|care|contact|open", re.I
)
_TZ_FAMILY = {
    "EST": "ET",
    "EDT": "ET",
    "CST": "CT",
    "CDT": "CT",
    "MST": "MT",
    "MDT": "MT",
    "PST": "PT",
    "PDT": "PT",
}


def _parse_clock(token: str) -> tuple[int, int, str | None] | None:
    token = token.lower().replace(".", ":").replace(" ", "")
    if token == "noon":
        return 12, 0, "pm"
    if token == "midnight":
        return 0, 0, "am"
    m = re.match(r"(\d{1,2})(?::(\d{2}))?(am|pm|a:m:|p:m:)?$", token)
    if not m:
        return None
    suffix = m.group(3)
    suffix = None if suffix is None else ("am" if suffix.startswith("a") else "pm")
    return int(m.group(1)), int(m.group(2) or 0), suffix


def _to_24h(hour: int, suffix: str | None) -> int:
    if suffix == "pm" and hour < 12:
        return hour + 12
    if suffix == "am" and hour == 12:
        return 0
    return hour


def _clock_range(t1: str, t2: str) -> str | None:
    a, b = _parse_clock(t1), _parse_clock(t2)
    if a is None or b is None:
        return None
    end = _to_24h(b[0], b[2])
    if a[2] is not None:
        start = _to_24h(a[0], a[2])
    elif b[2] == "pm" and a[0] + 12 < end:
        start = a[0] + 12
    else:
        start = a[0]
    if a[2] is None and b[2] is None and end <= start and end + 12 <= 24:
        end += 12  # "9-5" means nine to five
    if not (0 <= start <= 24 and 0 <= end <= 24) or a[1] > 59 or b[1] > 59:
        return None
    return f"{start:02d}:{a[1]:02d}-{end:02d}:{b[1]:02d}"


def _day_span(m: re.Match[str]) -> str:
    if m.group("daily"):
        return "mon-sun"
    if m.group("weekdays"):
        return "mon-fri"
    if m.group("weekends"):
        return "sat-sun"
    d1 = m.group("d1").lower()[:3]
    d2 = (m.group("d2") or "").lower()[:3]
    return f"{d1}-{d2}" if d2 and d2 != d1 else d1


_TZ_TOKEN = r"(?:ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|BST|UK|UTC|CET|CEST|AEST|AEDT|NZST|NZDT|IST)"
_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|noon|midnight)"
#: A clock range with an optional zone after either end: "7:00 am EST until 8:00 pm EST", "9-5".
_CLOCK_RANGE = re.compile(
    rf"(?<![\d$£€.,:/])(?P<lead>\bbetween\s+|\bfrom\s+)?(?P<t1>{_CLOCK})(?:\s*\(?(?P<tz1>{_TZ_TOKEN})\b\)?)?"
    rf"\s*(?P<sep>-|–|—|\bto\b|\buntil\b|\btill\b|\band\b)\s*(?P<t2>{_CLOCK})(?![\d%])"
    rf"(?:[\s,]*\(?(?P<tz>{_TZ_TOKEN})\b\)?)?",
    re.I,
)
_DAY_WORD = rf"(?<![a-z]){_DAY}(?![a-z])"
_DAY_RUN = rf"{_DAY_WORD}(?:\s*(?:-|–|—|to|through|thru)\s*{_DAY_WORD})?"
_DAY_SPEC = (
    rf"(?:{_DAY_RUN}(?:\s*(?:,|&|\band\b)\s*{_DAY_RUN})*|daily|every day|7 days a week|weekdays|weekends)"
)
_DAYS_BEFORE = re.compile(
    rf"(?P<days>{_DAY_SPEC})(?:\s*(?:&|and)\s*(?:public\s+|bank\s+)?holidays)?\s*[,:\-–]?\s*$", re.I
)
_DAYS_AFTER = re.compile(
    rf"^\s*[,(;]?\s*(?:on\s+|every\s+)?(?P<days>{_DAY_SPEC}|(?<=on )(?:business|working) days)(?![a-z])",
    re.I,
)
#: A zone after the days that follow the times: "9am to 5pm, Monday to Friday (AEST)".
_TZ_AFTER_DAYS = re.compile(rf"^\s*(?:,\s*)?\(?(?P<tz>{_TZ_TOKEN})\b\)?", re.I)
_NOT_CLOCK_AFTER = re.compile(
    r"^\s*(?:business|working)?\s*(?:days?|hours?|hrs?|weeks?|months?|years?|%|items?|x\b|pcs|people)", re.I
)
_ORDER_TALK = re.compile(r"\b(?:orders?|ship\w*|deliver\w*|dispatch\w*|arriv\w*)\b", re.I)
#: Whose hours they are when no one who answers shoppers is named: the warehouse's, the shipping
#: department's, the couriers' ("Our shipping department works Monday to Friday, 9am to 5pm").
#: Who answers shoppers (the support cue without "open", which a warehouse can be too).
_ANSWERING = re.compile(r"support|help|customer|service|chat|call|phone|agents?|team|care|contact", re.I)
_BACK_OFFICE = re.compile(
    r"\b(?:warehouse|shipping\s+(?:department|dept|team)|dispatch\w*|despatch\w*|fulfil+ment|packing|"
    r"couriers?|carriers?|deliver(?:y|ies|ed)|parcels?|drivers?|post office)\b",
    re.I,
)


#: A place the shopper visits in person ("Visit the showroom 8:30am - 5pm"), named with nothing that
#: answers shoppers: its opening hours, not the support line's (README, session 5 round 6, writer B).
_VISIT_PLACE = re.compile(r"\bshowrooms?\b|\bwalk-?ins?\b|\bin person\b|\bvisit\s+(?:us|our|the)\b", re.I)
#: Hours of an option to arrange or buy ("Extended support adds phone cover 9:00 to 16:00 on
#: Saturdays", "24/7 on Premium plans"): not the hours every shopper gets (same README section).
_OPTIONAL_HOURS = re.compile(
    r"\b(?:extended|additional|extra|optional|premium)\s+(?:support|cover(?:age)?|hours|service)\b|"
    r"\b(?:on|for|with)\s+(?:our\s+)?(?:premium|pro|business|enterprise|paid)\s+(?:plans?|accounts?|tiers?)\b",
    re.I,
)


#: What is open around the clock without anyone answering: the website, an online account, ordering
#: ("Online services are open 24/7"); as "chat is open 24/7 but replies wait" is no 24/7 support.
_SELF_SERVICE = re.compile(
    r"^\W*(?:our\s+|the\s+|your\s+)?(?:online\s+(?:services?|access|ordering|shop|store|account)|website|"
    r"web\s?site|self[- ]service|(?:online\s+)?ordering|account\s+access|portal)\b",
    re.I,
)


def _has_clock_mark(token: str) -> bool:
    return bool(re.search(r"am|pm|noon|midnight|:", token, re.I))


def _day_text(spec: str) -> str:
    spec = re.sub(r"\.", "", spec.lower())
    if re.fullmatch(r"(?:business|working) days", spec):
        spec = "weekdays"
    return cl.format_days(cl.day_set(spec))


#: "Chat is open 24/7, but replies wait until support hours": open to messages, not answered around
#: the clock, so no 24/7 claim (its staffed hours are stated elsewhere).
_UNSTAFFED = re.compile(
    r"\b(?:but|however|although)\b[^.;]{0,60}?\b(?:wait\w*|delay\w*|queued?|not\s+(?:staffed|monitored)|"
    r"(?:until|during)\s+(?:our\s+)?(?:business|support|office|working)\s+hours)\b",
    re.I,
)


@_normalised
def extract_support_hours(sentence: str) -> list[Claim]:
    """Opening hours ("Mon–Fri 9am–6pm ET" -> "mon-fri 09:00-18:00 ET"); several spans join with "; ".

    Days may come before or after the times ("9am–5pm ET, Monday to Friday"),
    the end may follow "until", zones may be spelt out ("Central Time", made
    "CT" by normalisation). Times without days are kept as a *partial* value
    ("09:00-18:00 ET") when the sentence is about support: the comparison
    treats a partial value as compatible with any complete one it fits.
    """
    parts: list[str] = []
    floor = 0
    if _BACK_OFFICE.search(sentence) and not _ANSWERING.search(_BACK_OFFICE.sub(" ", sentence)):
        return []  # the warehouse's or the couriers' hours: no one there answers shoppers
    if _VISIT_PLACE.search(sentence) and not _ANSWERING.search(_VISIT_PLACE.sub(" ", sentence)):
        return []  # "Visit the showroom 8:30am - 5pm Monday - Friday": a place's opening hours
    if _OPTIONAL_HOURS.search(sentence):
        return []  # "Extended support adds phone cover ...; email us to arrange it": an option's hours
    for m in _CLOCK_RANGE.finditer(sentence):
        if m.start() < floor:
            continue
        t1, t2 = m.group("t1"), m.group("t2")
        if m.group("sep").lower() == "and" and not (m.group("lead") or "").lower().startswith("between"):
            continue
        marked = _has_clock_mark(t1) or _has_clock_mark(t2)
        if not marked and _NOT_CLOCK_AFTER.match(sentence[m.end() :]):
            continue  # "3 to 5 business days", "2-4 weeks"
        clock = _clock_range(t1, t2)
        if clock is None:
            continue
        days = ""
        before = _DAYS_BEFORE.search(sentence[floor : m.start()])
        after = None if before else _DAYS_AFTER.match(sentence[m.end() :])
        if before:
            days = _day_text(before.group("days"))
        elif after:
            days = _day_text(after.group("days"))
        tz = (m.group("tz") or m.group("tz1") or "").upper()
        tail = 0
        if after and not tz and (z := _TZ_AFTER_DAYS.match(sentence[m.end() + after.end() :])):
            tz, tail = z.group("tz").upper(), z.end()
        tz = _TZ_FAMILY.get(tz, tz)
        if not days:
            # a bare clock range is an opening time only when worded as one
            if not (marked or tz) or not _SUPPORT_CUE.search(sentence) or _ORDER_TALK.search(sentence):
                continue
        elif not (marked or tz or _SUPPORT_CUE.search(sentence) or before):
            continue
        floor = m.end() + (after.end() if after else 0) + tail
        parts.append(" ".join(p for p in (days, clock, tz) if p))
    always = _ALWAYS_OPEN.search(sentence)
    if always and _SELF_SERVICE.search(sentence[_clause_bounds(sentence, always.start(), always.end())[0] :]):
        always = None  # "Online services are open 24/7, and Live Chat runs in working hours": no one answers
    if not parts and always and _SUPPORT_CUE.search(sentence) and not _UNSTAFFED.search(sentence):
        parts.append("24/7")
    if not parts:
        return []
    value = "; ".join(parts)
    return [
        Claim(kind=SUPPORT_HOURS, value=value, display=value, sentence=sentence, key=qualifier_of(sentence))
    ]
