"""Reading claims the way shoppers read them: text normalisation and value comparison.

Two halves, both pure functions:

* :func:`normalise_text` rewrites the surface forms shoppers treat as the same
  before any extractor looks at a sentence — number words ("thirty" → "30",
  via ``text2num``), "percent"/"per cent" → "%", "between 3 and 5 days" →
  "3-5 days", "about a week" → "about 1 week", amounts in words ("fifty
  dollars" → "$50"; "pounds" only where an order value is meant, never a
  weight), "two (2) years" → "2 years",
  "a.m." → "am", spelt-out time zones ("US Eastern time" → "ET"). Extractors
  then need one pattern per *structure*, not per wording.
* :func:`relate` tells how two normalised values of one claim kind relate:
  ``same``, ``equivalent`` (30 days = 1 month, with the note saying so),
  ``partial`` (one side states less — "09:00-18:00" against
  "mon-fri 09:00-18:00 ET", "3-5 days" against "3-5 business days" — and
  does not contradict the other) or
  ``different``. The messaging check merges equivalent and partial values
  before it looks for contradictions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TypeVar

from text_to_num import text2num

T = TypeVar("T")

__all__ = [
    "normalise_text",
    "protect_meridiem",
    "parse_number_words",
    "duration_days",
    "normalise_duration",
    "relate",
    "Relation",
    "DAY_NAMES",
    "day_set",
    "format_days",
    "TZ_FAMILY",
    "canonical",
    "merge_values",
]

# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ["hundred", "thousand"]
_NUMBER_WORD = r"(?:" + "|".join(sorted(_UNITS + _TENS + _SCALES, key=len, reverse=True)) + r")"
_NUMBER_PHRASE = re.compile(
    rf"\b{_NUMBER_WORD}(?:(?:[\s-]+|\s+and\s+){_NUMBER_WORD})*\b",
    re.I,
)
#: "two (2) years": the digits repeat the words; keep one.
_PAREN_REPEAT = re.compile(r"\b(\d+)\s*\(\s*\1\s*\)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:percent|per\s+cent|pct\.?)(?![\w])", re.I)
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.?(?=[\s,;)\-–]|$)", re.I)
#: "9a-4p": a range whose ends carry one meridiem letter each (not "5p-9p a minute", a call charge).
_LETTER_MERIDIEM = re.compile(
    r"\b(\d{1,2}(?::\d{2})?)([ap])\s*([-–—])\s*(\d{1,2}(?::\d{2})?)([ap])\b(?!\s*(?:a|per|/)\s*min)", re.I
)
_NOON = re.compile(r"\b(?:12\s*)?(?:noon|midday)\b", re.I)
#: Spelt-out zones after a clock time or a day ("9–5 Pacific", "2 PM Eastern", "(Central Time)").
_SPELT_TZ = re.compile(
    # a clock restated in brackets may close before the zone: "12:00 PM (Noon) Eastern Time"
    r"(?P<lead>(?:\d|am|pm|noon|midnight)\)?[\s,(]{0,3})"
    r"(?:(?:US\s+)?(?P<zone>Eastern|Central|Mountain|Pacific)(?:\s+(?:Standard|Daylight))?(?:\s+US)?(?:\s+Time)?|"
    r"(?P<uk>UK|U\.K\.|London)\s+time)\b",
    re.I,
)
_ZONE_ABBR = {"eastern": "ET", "central": "CT", "mountain": "MT", "pacific": "PT"}
_WEEK_WORDS = re.compile(r"\bseven days a week\b", re.I)
_DURATION_UNIT_AHEAD = r"(?=[\s-]+(?:business\s+|working\s+)?(?:hours?|hrs?|days?|weeks?|months?|years?)\b)"
#: "between 3 and 5 business days" is the range "3-5 business days" (clock times are left alone).
_BETWEEN_AND = re.compile(rf"\bbetween\s+(\d{{1,3}})\s+and\s+(\d{{1,3}}){_DURATION_UNIT_AHEAD}", re.I)
#: "about a week", "within a month", "for a year": one unit.
_A_UNIT = re.compile(
    r"\b(within|in|about|around|approximately|roughly|up to|takes?|under|for|than)\s+an?\s+"
    r"(?=(?:business\s+|working\s+)?(?:day|week|month|year)\b)",
    re.I,
)
_A_SCALE = re.compile(r"\ban?\s+(?=(?:hundred|thousand)\b)", re.I)
#: Amounts spelt with a currency word ("50 dollars", "ten euros" once number words are digits).
_AMOUNT_WORD = re.compile(
    r"(?<![\d.,$£€])(?P<n>\d{1,6}(?:\.\d{2})?)[\s-]+(?:US\s+|U\.S\.\s+)?(?P<unit>dollars?|bucks|euros?|pounds?|quid)\b",
    re.I,
)
_AMOUNT_SYMBOL = {"dollar": "$", "buck": "$", "euro": "€", "pound": "£", "quid": "£"}
#: "pounds" is money only where an order value is being talked about, and never next to a weight.
_MONEY_TALK_BEFORE = re.compile(
    r"\b(?:orders?|spend\w*|baskets?|carts?|sub-?totals?|totals?|purchases?|save|worth|minimum)\b[^.;]{0,25}$",
    re.I,
)
_WEIGHT_TALK = re.compile(r"\b(?:weigh\w*|items?|parcels?|packages?|boxes|heav\w+|light\w*|lbs?)\b", re.I)


def parse_number_words(phrase: str) -> int | None:
    """ "forty-five" → 45, "three hundred and sixty-five" → 365; None when it is not a number."""
    try:
        return int(text2num(re.sub(r"\s+and\s+", " ", phrase.lower()), "en"))
    except (ValueError, TypeError):
        return None


def _number_sub(m: re.Match[str]) -> str:
    value = parse_number_words(m.group(0))
    if value is not None:
        return str(value)
    # "between one and two days": two numbers joined by "and", not one ("one hundred and five")
    parts = re.split(r"(\s+and\s+)", m.group(0))
    values = [parse_number_words(p) for p in parts[::2]]
    if len(parts) > 1 and all(v is not None for v in values):
        return "".join(str(values[i // 2]) if i % 2 == 0 else p for i, p in enumerate(parts))
    return m.group(0)


def _amount_sub(m: re.Match[str]) -> str:
    """ "50 dollars" → "$50"; "25 pounds" → "£25" only where an order value is meant (not a weight)."""
    unit = m.group("unit").lower()
    unit = "quid" if unit == "quid" else unit.rstrip("s")
    if unit == "pound":
        before = m.string[max(0, m.start() - 30) : m.start()]
        if not _MONEY_TALK_BEFORE.search(before) or _WEIGHT_TALK.search(before):
            return m.group(0)
    return f"{_AMOUNT_SYMBOL[unit]}{m.group('n')}"


def protect_meridiem(text: str) -> str:
    """ "9 a.m. to 5 p.m. Central" → "9 am to 5 pm Central", so sentence splitting does not cut it."""
    return _MERIDIEM.sub(lambda m: m.group(1).lower() + "m", text)


@functools.lru_cache(maxsize=16384)
def normalise_text(sentence: str) -> str:
    """The sentence with shopper-equivalent wordings rewritten to one form each (see module doc).

    Cached: every extractor normalises the sentence it is given, so one
    sentence is normalised once, not once per claim kind.
    """
    text = _WEEK_WORDS.sub("7 days a week", sentence)
    text = _A_SCALE.sub("", text)  # "a hundred dollars" → "hundred dollars" → "$100"
    text = _NUMBER_PHRASE.sub(_number_sub, text)
    text = _PAREN_REPEAT.sub(r"\1", text)
    text = _BETWEEN_AND.sub(r"\1-\2", text)
    text = _A_UNIT.sub(r"\1 1 ", text)
    text = _PERCENT.sub(r"\1%", text)
    text = _AMOUNT_WORD.sub(_amount_sub, text)
    text = _MERIDIEM.sub(lambda m: m.group(1).lower() + "m", text)
    text = _LETTER_MERIDIEM.sub(
        lambda m: f"{m[1]}{m[2].lower()}m{m[3]}{m[4]}{m[5].lower()}m",
        text,
    )
    text = _NOON.sub("noon", text)
    text = _SPELT_TZ.sub(
        lambda m: m.group("lead") + (_ZONE_ABBR[m.group("zone").lower()] if m.group("zone") else "UK"), text
    )
    return text


# ---------------------------------------------------------------------------
# Days of the week
# ---------------------------------------------------------------------------

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def day_set(spec: str) -> frozenset[int]:
    """Day indices (0 = Monday) named by "mon-fri", "sat-sun", "mon,wed", "daily"..."""
    spec = spec.lower().strip()
    if spec in {"daily", "every day", "7 days a week", "mon-sun"}:
        return frozenset(range(7))
    if spec in {"weekdays", "business days"}:
        return frozenset(range(5))
    if spec == "weekends":
        return frozenset({5, 6})
    days: set[int] = set()
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", spec):
        ends = [p[:3] for p in re.split(r"\s*(?:-|–|—|\bto\b|\bthrough\b|\bthru\b)\s*", part) if p]
        idx = [DAY_NAMES.index(e) for e in ends if e in DAY_NAMES]
        if len(idx) == 1:
            days.add(idx[0])
        elif len(idx) >= 2:
            a, b = idx[0], idx[-1]
            span = range(a, b + 1) if a <= b else list(range(a, 7)) + list(range(0, b + 1))
            days.update(span)
    return frozenset(days)


def format_days(days: frozenset[int]) -> str:
    """Canonical text of a day set: one contiguous run is "mon-fri", others are listed."""
    if not days:
        return ""
    ordered = sorted(days)
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        first, last = DAY_NAMES[ordered[0]], DAY_NAMES[ordered[-1]]
        return first if first == last else f"{first}-{last}"
    return ",".join(DAY_NAMES[d] for d in ordered)


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

#: Zones shoppers use interchangeably: standard/daylight variants and local names.
TZ_FAMILY = {
    "EST": "ET",
    "EDT": "ET",
    "CST": "CT",
    "CDT": "CT",
    "MST": "MT",
    "MDT": "MT",
    "PST": "PT",
    "PDT": "PT",
    "BST": "UK",
    "GMT": "UK",
    "CEST": "CET",
    "AEDT": "AET",
    "AEST": "AET",
}

_DURATION_VALUE = re.compile(r"^(\d+) (day|week|month|year)s?$")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def normalise_duration(n: int, unit: str) -> tuple[int, str]:
    """Weeks become days and whole years of months become years, so "2 weeks" == "14 days"."""
    unit = unit.lower().rstrip("s")
    unit = {"yr": "year"}.get(unit, unit)
    if unit == "week":
        return n * 7, "day"
    if unit == "month" and n % 12 == 0:
        return n // 12, "year"
    return n, unit


def duration_days(value: str) -> int | None:
    """Days in a normalised duration ("1 month" → 30, "2 years" → 730); None for others.

    Read through :func:`normalise_duration`, as the extractors read durations: a value spelt
    "12 months" elsewhere (a label, another reader) equals "1 year".
    """
    m = _DURATION_VALUE.match(value)
    if not m:
        return None
    n, unit = normalise_duration(int(m.group(1)), m.group(2))
    return n * _UNIT_DAYS[unit]


@dataclass(frozen=True)
class Relation:
    """How value ``a`` relates to value ``b`` of one claim kind."""

    kind: str  # "same" | "equivalent" | "partial" | "different"
    note: str = ""


_SAME = Relation("same")
_DIFFERENT = Relation("different")
_DURATION_KINDS = {"return_window", "warranty", "dispatch_time", "delivery_time"}
_SPAN_VALUE = re.compile(r"^(?:(\d+)-)?(\d+) ((?:business )?(?:hour|day|week)s?)$")


def _span_days(value: str) -> tuple[int, int, bool] | None:
    """ "1-2 weeks" → (7, 14, False); "3 business days" → (3, 3, True); hours stay hours."""
    m = _SPAN_VALUE.match(value)
    if not m:
        return None
    unit = m.group(3).rstrip("s")
    business = unit.startswith("business ")
    unit = unit.removeprefix("business ")
    factor = {"hour": 1, "day": 24, "week": 24 * 7}[unit]
    hi = int(m.group(2))
    lo = int(m.group(1)) if m.group(1) else hi
    return lo * factor, hi * factor, business


def _hours_parts(value: str) -> list[tuple[frozenset[int] | None, str, str]]:
    """ "mon-fri 09:00-18:00 ET; sat 10:00-16:00" → [(days, clock, tz), ...]; days None = unstated."""
    parts = []
    for chunk in value.split(";"):
        tokens = chunk.split()
        days: frozenset[int] | None = None
        clock, tz = "", ""
        for tok in tokens:
            if re.fullmatch(r"\d{2}:\d{2}-\d{2}:\d{2}", tok):
                clock = tok
            elif re.fullmatch(r"[A-Z]{2,4}", tok):
                tz = TZ_FAMILY.get(tok, tok)
            else:
                days = day_set(tok)
        parts.append((days, clock, tz))
    return parts


def _hours_relation(a: str, b: str) -> Relation:
    if a == "24/7" or b == "24/7":
        return _SAME if a == b else _DIFFERENT
    pa, pb = _hours_parts(a), _hours_parts(b)
    if len(pa) != len(pb):
        # one side lists fewer spans: it is partial when every span it states is in the other
        small, large = (pa, pb) if len(pa) < len(pb) else (pb, pa)
        if all(any(_span_within(s, bigger) for bigger in large) for s in small):
            return Relation("partial", "one side lists fewer opening spans")
        return _DIFFERENT
    notes: list[str] = []
    for (da, ca, ta), (db, cb, tb) in zip(pa, pb, strict=True):
        if ca != cb:
            return _DIFFERENT
        if da is not None and db is not None and da != db:
            return _DIFFERENT
        if ta and tb and ta != tb:
            return _DIFFERENT
        if (da is None) != (db is None):
            notes.append("days stated on one side only")
        if bool(ta) != bool(tb):
            notes.append("time zone stated on one side only")
    if notes:
        return Relation("partial", "; ".join(dict.fromkeys(notes)))
    return _SAME if a == b else Relation("equivalent", f"{a} = {b}")


def _span_within(
    span: tuple[frozenset[int] | None, str, str], other: tuple[frozenset[int] | None, str, str]
) -> bool:
    (d1, c1, t1), (d2, c2, t2) = span, other
    return c1 == c2 and (d1 is None or d2 is None or d1 == d2) and (not t1 or not t2 or t1 == t2)


def _clock_relation(a: str, b: str) -> Relation:
    """Cut-off times "14:00 ET" vs "14:00": a missing zone is partial, a different clock differs."""
    ca, _, za = a.partition(" ")
    cb, _, zb = b.partition(" ")
    za, zb = TZ_FAMILY.get(za, za), TZ_FAMILY.get(zb, zb)
    if ca != cb or (za and zb and za != zb):
        return _DIFFERENT
    if bool(za) != bool(zb):
        return Relation("partial", "time zone stated on one side only")
    return _SAME if a == b else Relation("equivalent", f"{a} = {b}")


def relate(kind: str, a: str, b: str) -> Relation:
    """How two normalised values of ``kind`` relate (see module doc); symmetric."""
    if a == b:
        return _SAME
    if kind == "support_hours":
        return _hours_relation(a, b)
    if kind == "order_cutoff":
        return _clock_relation(a, b)
    if kind in _DURATION_KINDS:
        da, db = duration_days(a), duration_days(b)
        if da is not None and da == db:
            return Relation("equivalent", f"{a} = {b}")
        sa, sb = _span_days(a), _span_days(b)
        if sa and sb and sa == sb:
            return Relation("equivalent", f"{a} = {b}")
        if sa and sb and sa[:2] == sb[:2]:
            # "3-5 days" against "3-5 business days": one side does not say which days count
            return Relation("partial", "business days stated on one side only")
        if {a, b} == {"next day", "next business day"}:
            return Relation("partial", "business days stated on one side only")
    return _DIFFERENT


def canonical(kind: str, value: str) -> str:
    """One spelling per equivalence class, for counting and benchmarks ("1 month" → "30 days")."""
    if kind in _DURATION_KINDS:
        days = duration_days(value)
        if days is not None and value != "lifetime":
            return f"{days} days"
        span = _span_days(value)
        if span:
            lo, hi, business = span
            unit = "business hours" if business else "hours"
            return f"{lo}-{hi} {unit}"
    if kind == "support_hours" and value != "24/7":
        return "; ".join(
            " ".join(p for p in ("" if d is None else format_days(d), c, t) if p)
            for d, c, t in _hours_parts(value)
        )
    if kind == "order_cutoff":
        clock, _, zone = value.partition(" ")
        zone = TZ_FAMILY.get(zone, zone)
        return f"{clock} {zone}".strip()
    return value


def _completeness(kind: str, value: str) -> int:
    """How much a value states: hours with days and a zone say more than bare times."""
    if kind == "support_hours":
        return sum((d is not None) + bool(t) for d, _c, t in _hours_parts(value)) + 2 * value.count(";")
    if kind == "order_cutoff":
        return int(" " in value)
    if kind in {"dispatch_time", "delivery_time"}:
        return 1 + ("business" in value)
    return 1


def merge_values(kind: str, by_value: dict[str, list[T]]) -> tuple[dict[str, list[T]], dict[str, list[str]]]:
    """Merge values that do not contradict each other, before contradictions are looked for.

    Equal and equivalent values (30 days, 1 month) become one variant; a
    partial value ("09:00-18:00") joins the most-seen complete value it fits
    ("mon-fri 09:00-18:00 ET") — never two, so it cannot hide a contradiction
    between them. Returns the merged variants (keyed by their most-seen
    spelling) and, per variant, the other spellings merged into it ("1 month", or
    "09:00-18:00 (partial: days stated on one side only)").
    """
    order = sorted(by_value, key=lambda v: (-len(by_value[v]), v))
    parent = {v: v for v in order}

    def find(v: str) -> str:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    notes: dict[str, list[str]] = {}
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            rel = relate(kind, a, b)
            if rel.kind in {"same", "equivalent"} and find(a) != find(b):
                parent[find(b)] = find(a)
    classes: dict[str, list[str]] = {}
    for v in order:
        classes.setdefault(find(v), []).append(v)
    # partial classes are absorbed by the best complete class they fit (one target, no chaining)
    absorbed: dict[str, str] = {}
    for root, members in classes.items():
        best: tuple[int, int, str] | None = None
        mine = max(_completeness(kind, m) for m in members)
        for other, other_members in classes.items():
            if other == root or other in absorbed:
                continue
            theirs = max(_completeness(kind, m) for m in other_members)
            if theirs < mine or (theirs == mine and len(other_members) <= len(members)):
                continue
            if all(relate(kind, m, o).kind == "partial" for m in members for o in other_members[:1]):
                size = sum(len(by_value[o]) for o in other_members)
                candidate = (theirs, size, other)
                if best is None or candidate > best:
                    best = candidate
        if best is not None:
            absorbed[root] = best[2]
    merged: dict[str, list[T]] = {}
    for root, members in classes.items():
        target = absorbed.get(root, root)
        while target in absorbed:
            target = absorbed[target]
        rep = classes[target][0]
        bucket = merged.setdefault(rep, [])
        for m in members:
            bucket.extend(by_value[m])
            if m != rep:
                rel = relate(kind, m, rep)
                why = m if rel.kind == "equivalent" else f"{m} (partial: {rel.note or 'states less'})"
                notes.setdefault(rep, []).append(why)
    return merged, notes
