"""Custom claims, the registry of extractors, and whole texts.

Sentence extractors see one sentence; a page also says things through its
structure: a heading above a sentence, a table's columns, a labelled line, an
answer under its question, promo terms in the sentence after the code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace

import phonenumbers
from cx_auditor.checks import _claims as cl
from cx_auditor.checks._text import split_lines, split_sentences
from cx_auditor.checks.extractors._cutoffs import extract_order_cutoffs
from cx_auditor.checks.extractors._emails import extract_emails
from cx_auditor.checks.extractors._hours import _DAY_SPEC, extract_support_hours
from cx_auditor.checks.extractors._model import (
    DELIVERY_TIME,
    DISPATCH_TIME,
    EMAIL,
    ORDER_CUTOFF,
    PHONE,
    PROMO_CODE,
    RETURN_WINDOW,
    SUPPORT_HOURS,
    THRESHOLD,
    WARRANTY,
    Claim,
)
from cx_auditor.checks.extractors._money import (
    _FREE_SHIPPING_RE,
    _SHIP_NOUN,
    extract_free_shipping_thresholds,
)
from cx_auditor.checks.extractors._phones import extract_phones
from cx_auditor.checks.extractors._places import (
    _CARRIER_NAME,
    _COUNTRY_NAMES,
    _DEFAULT_TIER_RE,
    _PLACE_LINE,
    _PROPER,
    _home,
    _is_place,
    _names_in_title_case,
    _qualifier_mentions,
    _region_of,
)
from cx_auditor.checks.extractors._promo import extract_promo_codes, promo_code_candidates, promo_terms
from cx_auditor.checks.extractors._returns import _RETURN_JOURNEY, extract_return_windows
from cx_auditor.checks.extractors._times import (
    _ASIDE,
    _CUE_AFTER,
    _DELIVERY_CUE,
    _DISPATCH_CUE,
    _MESSAGE_TALK,
    _TIME_SPAN,
    _cue_after,
    _time_cues,
    extract_delivery_times,
    extract_dispatch_times,
)
from cx_auditor.checks.extractors._warranty import extract_warranties

# ---------------------------------------------------------------------------
# Custom claims and the registry
# ---------------------------------------------------------------------------


def extract_custom(sentence: str, name: str, pattern: re.Pattern[str]) -> list[Claim]:
    """A config-declared claim: group 1 of ``pattern`` (or the whole match), whitespace/case-folded."""
    claims: list[Claim] = []
    for m in pattern.finditer(sentence):
        raw = m.group(1) if m.re.groups >= 1 and m.group(1) is not None else m.group(0)
        value = re.sub(r"\s+", " ", raw).strip()
        if value:
            claims.append(Claim(kind=name, value=value.lower(), display=value, sentence=sentence))
    return claims


#: The built-in extractors by claim kind (prices are separate: they need a product).
Extractor = Callable[[str, str, str], list[Claim]]
EXTRACTORS: dict[str, Extractor] = {
    THRESHOLD: lambda s, region, cur: extract_free_shipping_thresholds(s, cur, region),
    RETURN_WINDOW: lambda s, region, cur: extract_return_windows(s),
    DISPATCH_TIME: lambda s, region, cur: extract_dispatch_times(s, region),
    DELIVERY_TIME: lambda s, region, cur: extract_delivery_times(s, region),
    PROMO_CODE: lambda s, region, cur: extract_promo_codes(s, cur),
    WARRANTY: lambda s, region, cur: extract_warranties(s),
    SUPPORT_HOURS: lambda s, region, cur: extract_support_hours(s),
    PHONE: lambda s, region, cur: extract_phones(s, region),
    EMAIL: lambda s, region, cur: extract_emails(s),
    ORDER_CUTOFF: lambda s, region, cur: extract_order_cutoffs(s),
}


def extract_all(sentence: str, *, region: str = "US", currency: str = "USD") -> list[Claim]:
    """Every non-price claim in one sentence."""
    return list(_extract_all_cached(sentence, region, currency))


@functools.lru_cache(maxsize=16384)
def _extract_all_cached(sentence: str, region: str, currency: str) -> tuple[Claim, ...]:
    """Banners and footers repeat on every page of every channel: read each sentence once."""
    out: list[Claim] = []
    for extractor in EXTRACTORS.values():
        out.extend(extractor(sentence, region, currency))
    return tuple(out)


# ---------------------------------------------------------------------------
# Whole texts: headings above sentences, codes whose terms follow
# ---------------------------------------------------------------------------

#: Claim kinds a section heading can scope ("International shipping" above "Free over $150").
_HEADING_SCOPED = {THRESHOLD, RETURN_WINDOW, DISPATCH_TIME, DELIVERY_TIME, WARRANTY, ORDER_CUTOFF}
_HEADING_TOPIC = re.compile(
    r"\b(?:shipping|delivery|postage|orders?|returns?|warranty|international|overseas|worldwide|domestic|"
    r"rest of (?:the )?world|outside|"
    r"express|expedited|standard|members?)\b",
    re.I,
)


#: Lines below a heading it still scopes: a policy section, not a page's nav bar to its footer.
_HEADING_REACH = 8


#: "2) Elsewhere in Europe", "3. International": a numbered heading is a heading.
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+")


def _heading_of(line: str) -> str | None:
    """``line`` when it reads as a section heading naming a scope, else None."""
    line = _LIST_NUMBER.sub("", line)
    words = line.split()
    if not 1 <= len(words) <= 6 or re.search(r"\d|[.!?]$|@", line):
        return None
    if not _HEADING_TOPIC.search(line) or _TIER_LINE.match(line):
        return None  # "Express: same day" is a tier and its value, not a heading
    return line.rstrip(":").strip()


def _under_heading(
    heading: str | None, sentence: str, claims: list[Claim], extract: Callable[[str], list[Claim]]
) -> list[Claim]:
    """Scope the claims of a sentence by the heading above it, when the sentence names no scope itself."""
    if heading is None:
        return claims
    mentions = _qualifier_mentions(heading)
    keys = {m[2] for m in mentions}
    own = {m[2] for m in _qualifier_mentions(sentence)}
    # "International" over "Regular Shipping: 7-14 days": the international tier's regular service
    if not mentions or (own and not (own == {""} and keys == {"international"})):
        return claims
    other = [c for c in claims if c.kind not in _HEADING_SCOPED]
    if len(keys) != 1:
        return other  # "Express International Shipping": scoped twice, compare nothing
    key = keys.pop()
    combined = extract(f"{heading}: {sentence}")
    scoped_kinds = {c.kind for c in combined if c.kind in _HEADING_SCOPED}
    scoped = [replace(c, key=key) for c in combined if c.kind in _HEADING_SCOPED]
    scoped += [
        replace(c, key=key) for c in claims if c.kind in _HEADING_SCOPED and c.kind not in scoped_kinds
    ]
    return other + scoped


def _orphan_codes(sentence: str, claims: list[Claim]) -> list[tuple[int, str]]:
    coded = {c.key for c in claims if c.kind == PROMO_CODE}
    return [(p, code) for p, code in promo_code_candidates(cl.normalise_text(sentence)) if code not in coded]


def extract_text(text: str, *, region: str = "US", currency: str = "USD") -> list[Claim]:
    """Every non-price claim of a block of visible text, read sentence by sentence with context.

    Beyond :func:`extract_all` on each sentence: a short heading line naming a
    scope ("International Shipping") scopes the claims below it that name
    none; a promo code stated without terms takes them from the next sentence
    ("Use code STARTER at checkout. It takes 20% off") or, for a discount,
    from the sentence before ("15% off ends tonight! Use code LAST15").
    """
    out: list[Claim] = []
    heading: str | None = None

    def extract(s: str) -> list[Claim]:
        return extract_all(s, region=region, currency=currency)

    budget = 0
    label: str | None = None
    # the label or heading over a list of tier lines ("Shipping Options" over "Standard (3-5 days): $5"
    # and "Express (1-2 days): $15"): it names the kind for every line of the list, not the first only
    tier_label: str | None = None
    # a heading naming a region with no key ("Hawaii, Alaska, Puerto Rico", "Shipping to Canada"): the
    # dispatch and delivery times of its section are that region's, not the default tier's
    region_reach = 0
    # the columns of a table whose header row names them ("Method | Timeframe | Cost"): its rows are
    # read cell by cell, each cell with its column's name (see _table_row)
    columns: tuple[int, str, int] | None = None
    days_above: str | None = None  # "Days: Monday - Friday" over "Hours: 9 AM - 6 PM ET"
    service_above = False  # "2nd Day Air" over "Delivered within 2 business days": a service's own time
    for line in split_lines(cl.protect_meridiem(text)):
        under_service, service_above = service_above, bool(_SERVICE_HEADING.match(line))
        if days_above is not None and (hours := _HOURS_LABEL_LINE.match(line)):
            out.extend(c for c in extract(f"{days_above}: {hours.group('rest')}") if c.kind == SUPPORT_HOURS)
            days_above = None
            continue
        days_label = _DAYS_LABEL_LINE.match(line)
        days_above = days_label.group("days") if days_label else None
        cells = [c.strip() for c in line.split("|")] if "|" in line else []
        if not cells:
            columns = None
        elif (header := _column_header(cells)) is not None:
            columns = header
            continue
        elif columns is not None and (row := _table_row(columns, cells, extract)) is not None:
            region_reach -= 1
            if region_reach <= 0:
                out.extend(row)
            continue
        # a table's row of column names ("Total order value | Cost") heads its columns, not a section
        head = _heading_of(line) if not cells else None
        if _region_heading(line, region) and not extract(line):
            heading, region_reach, label = None, _HEADING_REACH, None
            continue
        if head is not None and not extract(line):
            heading, budget, label, region_reach = head, _HEADING_REACH, head, 0
            continue
        budget -= 1
        region_reach -= 1
        if budget < 0:
            heading = None  # a heading scopes its section, not the rest of the page
        sentences = split_sentences(line)
        per_sentence = [extract(s) for s in sentences]
        if cells:
            kept = _one_time_per_row([c for claims in per_sentence for c in claims])
            per_sentence = [[c for c in claims if c in kept] for claims in per_sentence]
            if not any(c.kind == THRESHOLD for claims in per_sentence for c in claims):
                # "Standard shipping: 3–5 working days | cost €4.90 (free from €50 order value)": the
                # price cell's "free from" is the line's service's, which only the whole line names
                per_sentence[-1] = per_sentence[-1] + [c for c in extract(line) if c.kind == THRESHOLD]
        if heading and "|" in line and region_reach <= 0 and not any(per_sentence):
            # a row of a rate table ("All provinces | $99 and over | FREE"), its cells read as one, with
            # the heading naming what the rates are for ("Shipping Rates")
            out.extend(c for c in extract(f"{heading} | {line}") if c.kind == THRESHOLD)
        above, label = label, _label_of(line) if not any(per_sentence) else None
        tier = _TIER_LINE.match(line) if above is None and len(sentences) == 1 else None
        listed = tier_label if tier and _plain_tier(tier.group("tier")) else None
        tier_label = above or listed
        for i, (sentence, claims) in enumerate(zip(sentences, per_sentence, strict=True)):
            claims = _under_heading(heading, sentence, claims, extract)
            over = above or listed
            if i == 0 and over is not None:
                claims = _tier_under_label(over, sentence, claims, extract)
                claims = claims + _labelled_claims(over, sentence, claims, extract)
            if i > 0 and sentences[i - 1].endswith("?"):
                claims = claims + _answer_claims(
                    sentences[i - 1], sentence, per_sentence[i - 1], claims, extract
                )
            elif i > 0:
                claims = claims + _continued_claims(
                    sentences[i - 1], sentence, per_sentence[i - 1], claims, extract
                )
            for _pos, code in _orphan_codes(sentence, claims):
                joined = _terms_from_neighbours(sentences, per_sentence, i, currency)
                if joined is not None:
                    terms, context = joined
                    claims.append(
                        Claim(
                            kind=PROMO_CODE,
                            value=terms,
                            display=f"{code}: {terms}",
                            sentence=context,
                            key=code,
                        )
                    )
            if region_reach > 0 or _place_line(sentence, region):
                # a line of a place table ("WA 3-4 business days") under a heading that names the kind;
                # a free-shipping threshold under "Switzerland, Belgium, Netherlands" is theirs too
                claims = [c for c in claims if c.kind not in (DISPATCH_TIME, DELIVERY_TIME, THRESHOLD)]
            if _WEEKDAY_LINE.match(sentence):
                claims = [c for c in claims if c.kind not in (DISPATCH_TIME, DELIVERY_TIME, ORDER_CUTOFF)]
            if under_service:
                claims = [c for c in claims if c.kind not in (DISPATCH_TIME, DELIVERY_TIME) or c.key]
            if _RETURN_JOURNEY.search(sentence):
                claims = [c for c in claims if c.kind not in _TIME_KINDS]
            out.extend(claims)
    return out


#: A table's header cell naming a time column and the kind it is ("Timeframe", "Delivery Time",
#: "Processing"), and one naming the price column ("Cost", "Price", "Rate", "Fee").
_TIME_COLUMN = re.compile(
    r"^(?:(?:estimated\s+|est\.?\s+|typical\s+|usual\s+)?(?:time\s*frames?|delivery(?:\s+(?:times?|periods?))?|"
    r"transit(?:\s+times?)?|"
    r"shipping\s+times?|arrival)|(?P<dispatch>(?:processing|dispatch|despatch|handling)(?:\s+times?)?))$",
    re.I,
)
_PRICE_COLUMN = re.compile(r"^(?:cost|price|rates?|fees?|charges?|shipping\s+(?:cost|price|fee))$", re.I)


#: A list that gives the days and the hours on lines of their own ("Days: Monday - Friday" over
#: "Hours: 9 AM - 6 PM Eastern Time"): read together, as one schedule.
_DAYS_LABEL_LINE = re.compile(
    rf"^\W*(?:days?|open(?:ing)?(?:\s+days)?)\s*:\s*(?P<days>{_DAY_SPEC})\W*$", re.I
)
_HOURS_LABEL_LINE = re.compile(r"^\W*(?:hours?|times?|open(?:ing)?\s+hours)\s*:\s*(?P<rest>\S.*)$", re.I)


def _one_time_per_row(claims: list[Claim]) -> list[Claim]:
    """A table row that gives one tier two times ("Economy Shipping 7-10 Days | Standard Shipping 3-6
    Days", a price table's header) states services side by side, not one promise: keep neither."""
    values: dict[tuple[str, str], set[str]] = {}
    for c in claims:
        if c.kind in _TIME_KINDS:
            values.setdefault((c.kind, c.key), set()).add(c.value)
    return [c for c in claims if len(values.get((c.kind, c.key), ())) <= 1]


def _column_header(cells: list[str]) -> tuple[int, str, int] | None:
    """(time column, its kind, price column or -1) of a header row of word-only cells, else None."""
    words = [c for c in cells if c]
    if len(words) < 2 or any(re.search(r"\d|[$£€]", c) or len(c.split()) > 4 for c in words):
        return None
    times = [(i, m) for i, c in enumerate(cells) if (m := _TIME_COLUMN.match(c))]
    if len(times) != 1 or times[0][0] == 0:
        return None
    i, m = times[0]
    prices = [j for j, c in enumerate(cells) if _PRICE_COLUMN.match(c)]
    return i, DISPATCH_TIME if m.group("dispatch") else DELIVERY_TIME, prices[0] if len(prices) == 1 else -1


#: A row's tier cell naming the default tier, with or without the service's noun ("Standard",
#: "Standard delivery"), as "Express delivery" names the express tier.
_DEFAULT_TIER_CELL = re.compile(
    rf"{_DEFAULT_TIER_RE.pattern}(?:\s+(?:delivery|shipping|post(?:age)?|service))?", re.I
)


def _table_row(
    columns: tuple[int, str, int], cells: list[str], extract: Callable[[str], list[Claim]]
) -> list[Claim] | None:
    """Claims of a row under a header row: "EXPRESS | 1 - 3 Business Days | FREE orders over $150".

    The first cell names the tier; the time cell is read as the time column's
    kind and the price cell for a free-shipping threshold, both keyed by the
    tier. A tier that is no claim key and no default-tier word ("Same Day
    (Afternoon)", a carrier's service) leaves the row to the line reading
    (None): a service's own time is not the default tier's.
    """
    time_col, kind, price_col = columns
    if len(cells) <= max(time_col, price_col):
        return None
    tier = cells[0]
    keys = {k for _s, _e, k in _qualifier_mentions(tier)}
    if len(keys) != 1 or (keys == {""} and not _DEFAULT_TIER_CELL.fullmatch(tier.strip(" *"))):
        return None
    key = keys.pop()
    label = "Processing time" if kind == DISPATCH_TIME else "Delivery time"
    row = [replace(c, key=key) for c in extract(f"{label}: {cells[time_col]}") if c.kind == kind]
    if price_col >= 0:
        # "$5 orders under $100, FREE orders over $100": each part of the cell alone
        for part in re.split(r"[,;]\s+|\s+(?=free\b)", cells[price_col], flags=re.I):
            row += [replace(c, key=key) for c in extract(f"Shipping: {part}") if c.kind == THRESHOLD]
    return [replace(c, sentence=" | ".join(cells)) for c in row]


#: At least two names in a list ("Hawaii, Alaska, Puerto Rico"): one capitalised word alone is as
#: likely a brand or a menu entry.
_PLACE_LIST_LINE = re.compile(rf"^\W*{_PROPER}(?:\s*(?:,|\band\b|&|\bor\b)\s*{_PROPER})+\s*:?\s*$")


#: A line for one weekday ("Monday: order by 1pm for same-day dispatch", "Thursday – ..."): that
#: day's schedule, not the shop's standing promise. A range of days ("Monday – Friday: ...") is.
#: A short line naming a carrier's speed service ("2nd Day Air", "2-Day Service", "Overnight
#: Service"): the line below it gives that service's time, not the shop's default tier (README,
#: session 4 round 5: a service named as a heading is no claim).
_SERVICE_HEADING = re.compile(
    r"^\W*(?:(?:\d{1,2}(?:st|nd|rd|th)?|next|same|two|three)[- ](?:business[- ]|working[- ])?day|overnight)"
    r"(?:\s+[A-Za-z&]+){0,3}\s*:?\s*$",
    re.I,
)
_WEEKDAY_LINE = re.compile(
    r"^\W*(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*(?::|[-–—]\s)"
    r"(?!\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)",
    re.I,
)


#: "Metro areas: 1-2 weeks", "Rural addresses: 5-7 days": a line headed by a kind of area.
_AREA_LINE = re.compile(
    r"^\W*[\w/-]+(?:\s+[\w/-]+)?\s+(?:areas|addresses|regions|zones|locations|suburbs|towns)\s*:", re.I
)


def _place_line(line: str, region: str) -> bool:
    """A line of a table by place: "WA 3–4 business days", "Canada: 2-6 weeks" (a place with no key)."""
    if _AREA_LINE.match(line):
        return True
    m = _PLACE_LINE.match(_CARRIER_NAME.sub(" ", line))
    if not m or len(line[m.end() :].split()) > 3:
        return False
    return _is_place(m.group("place"), _home(region))


#: Country names that are as often a product or a word ("China" on a tableware shop, "Jersey" and
#: "Guernsey" on a clothing one, "Turkey" on a food one): alone on a line they are no country heading.
_COUNTRY_NAME_AMBIGUOUS = frozenset({"China", "Turkey", "Jersey", "Guernsey", "Chad", "Jordan", "Georgia"})
#: Unions and continents a shop's rate sections are headed by ("European Union" over "free from 120€").
_WORLD_PARTS = frozenset(
    {
        "European Union",
        "Europe",
        "Rest of Europe",
        "Asia",
        "Africa",
        "North America",
        "South America",
        "Oceania",
        "Scandinavia",
        "Middle East",
        "Central America",
        "Caribbean",
    }
)


@functools.cache
def _world_region_names() -> frozenset[str]:
    """The English names of every country phonenumbers knows (its geocoder's own names), and the unions
    and continents shops head sections with: a line that is one of these alone is a place's section.
    Read once, on first use, from the library rather than from a hand-kept list."""
    from phonenumbers import geocoder

    names: set[str] = set()
    for code in phonenumbers.SUPPORTED_REGIONS:
        example = phonenumbers.example_number(code)
        if example is not None:
            name = geocoder.country_name_for_number(example, "en")
            if name and name not in _COUNTRY_NAME_AMBIGUOUS:
                names.add(name)
    return frozenset(names | _WORLD_PARTS)


def _region_heading(line: str, region: str) -> bool:
    """A short heading naming only a region with no key: "Hawaii, Alaska, Puerto Rico"."""
    full = _names_in_title_case(_LIST_NUMBER.sub("", line))
    # "New Zealand (Auckland Warehouse)": a bracketed note after the place names where it ships from;
    # the place names are read without it, and the note itself is read last (below)
    line = re.sub(r"^([^()]*\S)\s*\([^()]*\)\s*:?\s*$", r"\1", full)
    words = line.split()
    if not 1 <= len(words) <= 6 or re.search(r"\d|[.!?]$|@", line):
        return False
    if line.strip(" :\t") in _COUNTRY_NAMES:
        return line.strip(" :\t") not in _home(region)  # "United States" over a Canadian shop's US rates
    if line.strip(" :\t") in _world_region_names():
        # "Switzerland" or "European Union" alone over a German shop's rates: that place's section
        return line.strip(" :\t") not in _home(region)
    if _PLACE_LIST_LINE.match(line):
        home = _home(region)
        names = re.findall(_PROPER, _CARRIER_NAME.sub(" ", line))
        return bool(names) and all(_is_place(n, home) for n in names)
    # "Delivery Options (Northern Ireland)": the place in brackets is whom the section is for (read on
    # the heading as written: the note stripped above is this place)
    return _region_of(re.sub(r"\(([^()]{1,40})\)", r" for \1", full), region)


def _answer_claims(
    question: str,
    answer: str,
    asked: list[Claim],
    answered: list[Claim],
    extract: Callable[[str], list[Claim]],
) -> list[Claim]:
    """Claims an FAQ answer makes only with its question ("How long do I have to return an item?
    You have 30 days."): read together, minus what either says alone."""
    have = {(c.kind, c.key, c.value) for c in asked + answered}
    kinds = {c.kind for c in asked + answered}
    return [
        c
        for c in extract(f"{question} {answer}")
        if (c.kind, c.key, c.value) not in have and c.kind not in kinds
    ]


#: A sentence that continues the previous one's subject: "This usually takes 2-3 working days.",
#: "Expect it in 3-5 days.", "Orders over $70 qualify."
_CONTINUATION = re.compile(
    r"^\W*(?:it|this|that|they|these|those|expect(?:ed)?|estimated|allow|please (?:allow|expect)|usually|"
    r"typically|normally|generally|approx\w*|takes?|within)\b|"
    r"\b(?:qualify|qualifies|(?:is|are) eligible|appl(?:y|ies))\b(?!\s+(?:for|to)\s+(?:a|an|the)\b)",
    re.I,
)
_CONTINUED_KINDS = (THRESHOLD, DISPATCH_TIME, DELIVERY_TIME)


def _continued_claims(
    previous: str,
    sentence: str,
    said_before: list[Claim],
    said_here: list[Claim],
    extract: Callable[[str], list[Claim]],
) -> list[Claim]:
    """Claims whose cue is in the previous sentence and whose value is in this one.

    "Delivery within the UK is by Royal Mail. This usually takes 2-3 working
    days." and "Free shipping is back! Orders over $70 qualify.": the sentence
    refers back (a pronoun, "expect", "qualify"), so the previous sentence's
    last cue is read with it. Only for thresholds and dispatch/delivery times,
    only kinds neither sentence states alone, and never about refunds,
    returns or tracking.
    """
    if not _STATES_A_VALUE.search(cl.normalise_text(sentence)) or not _CONTINUATION.search(sentence):
        return []
    if _about_something_else(sentence):
        return []
    if _ASIDE.search(previous) or _ASIDE.search(sentence):
        return []
    cues = [m for rx in (_FREE_SHIPPING_RE, _DISPATCH_CUE, _DELIVERY_CUE) for m in rx.finditer(previous)]
    if not cues:
        return []
    last_time = max((m for m in cues if m.re is not _FREE_SHIPPING_RE), key=lambda m: m.end(), default=None)
    if last_time is not None and last_time.group(0).lower() in {"ship", "ships", "shipped"}:
        # "We ship with UPS. It takes 3-5 days.": the method's transit or the dispatch? Not told.
        last_time = None
    free = [m for m in cues if m.re is _FREE_SHIPPING_RE]
    lead = " ".join(m.group(0) for m in ([free[-1]] if free else []) + ([last_time] if last_time else []))
    stated = {c.kind for c in said_before + said_here}
    return [
        replace(c, sentence=f"{previous} {sentence}")
        for c in extract(f"{lead}: {sentence}")
        if c.kind in _CONTINUED_KINDS and c.kind not in stated
    ]


#: A sentence that states some value (digits once number words are read, or "same/next day").
_STATES_A_VALUE = re.compile(r"\d|\b(?:same|next|following)\b", re.I)


def _about_something_else(sentence: str) -> bool:
    """True when a duration is followed by "for/to ..." naming no dispatch or delivery
    ("Allow 2 hours for a reply"): the time is that thing's, whatever came before."""
    for m in _TIME_SPAN.finditer(sentence):
        after = _CUE_AFTER.match(sentence[m.end() :])
        if after and after.group("rest").strip() and not _cue_after(sentence[m.end() :]):
            return True
    return False


def _label_of(line: str) -> str | None:
    """``line`` when it reads as a label over a value ("Processing time", "Returns"), else None."""
    words = line.split()
    if not 1 <= len(words) <= 6 or re.search(r"\d|[.!?]$|@", line):
        return None
    return line.rstrip(":").strip()


#: Labels that can name what the value line below states ("Processing time", "Returns", "Shipping").
_LABEL_CUE = re.compile(
    rf"{_DISPATCH_CUE.pattern}|{_DELIVERY_CUE.pattern}|{_FREE_SHIPPING_RE.pattern}|{_SHIP_NOUN}|"
    r"\breturns?\b|\bwarrant|\bguarantee|\bcut[- ]?off",
    re.I,
)


#: A tier line of a table or list: "Standard Shipping: 3-5 business days", "Express (UPS): 1-2 days".
_TIER_LINE = re.compile(
    r"^(?P<tier>[^:\d(]{1,40}?)\s*(?::|\(|\s[-–—]\s)\s*(?P<value>.*(?:\d|\bsame\b|\bnext\b|\bfollowing\b).*)$",
    re.I,
)
_TIME_KINDS = (DISPATCH_TIME, DELIVERY_TIME)


def _plain_tier(tier: str) -> bool:
    """A tier's name, not another topic's ("Returns: 30 days", "Replies: within 24 hours")."""
    return not (_ASIDE.search(tier) or _MESSAGE_TALK.search(tier) or _LABEL_OTHER_TOPIC.search(tier))


#: Label words of other claim kinds: a line named so is not a shipping tier.
_LABEL_OTHER_TOPIC = re.compile(
    r"\b(?:warrant\w*|guarantee|phone|tel|hours|open\w*|support|promo|code)\b", re.I
)


def _tier_under_label(
    label: str, sentence: str, said_here: list[Claim], extract: Callable[[str], list[Claim]]
) -> list[Claim]:
    """A tier line under a label that names one time kind: the label, not the tier's name, says which.

    Under "Processing Time", "Standard Shipping: 3-5 business days" is the
    standard tier's processing time: "Shipping" names the tier, so the line
    alone would read as a delivery time. When the label names dispatch only
    (or delivery only) and the line is "tier: value", the line's times are read
    with the label's kind and keyed by the tier's qualifier.
    """
    m = _TIER_LINE.match(sentence)
    if not m or _qualifier_mentions(label) or not _plain_tier(m.group("tier")):
        return said_here
    kinds = {kind for _end, kind in _time_cues(label)}
    if len(kinds) != 1:
        return said_here
    (kind,) = kinds
    keys = {k for _s, _e, k in _qualifier_mentions(m.group("tier"))}
    if len(keys) > 1:
        return [c for c in said_here if c.kind not in _TIME_KINDS]
    key = keys.pop() if keys else ""
    read = [
        replace(c, key=key, sentence=f"{label}: {sentence}")
        for c in extract(f"{label}: {m.group('value')}")
        if c.kind == kind
    ]
    if not read:
        return said_here
    return [c for c in said_here if c.kind not in _TIME_KINDS] + read


def _labelled_claims(
    label: str, sentence: str, said_here: list[Claim], extract: Callable[[str], list[Claim]]
) -> list[Claim]:
    """Claims of a value line read with the label line above it ("Processing time" over
    "1-2 business days"), for the kinds a heading can scope that the line does not state alone."""
    if not _STATES_A_VALUE.search(cl.normalise_text(sentence)) or not _LABEL_CUE.search(label):
        return []  # nothing the label could complete (most short lines are menus): skip the extra read
    if _qualifier_mentions(label):
        return []  # a label naming a scope is a heading: _under_heading reads it (or refuses to)
    stated = {c.kind for c in said_here}
    if stated & set(_TIME_KINDS):
        stated |= set(_TIME_KINDS)  # the line's own duration already has its kind: no second reading
    return [
        replace(c, sentence=f"{label}: {sentence}")
        for c in extract(f"{label}: {sentence}")
        if c.kind in _HEADING_SCOPED and c.kind not in stated
    ]


def _terms_from_neighbours(
    sentences: list[str], per_sentence: list[list[Claim]], i: int, currency: str
) -> tuple[str, str] | None:
    """Terms for a code in sentence ``i`` from the next (any benefit) or previous (a discount) sentence."""
    if i + 1 < len(sentences) and not promo_code_candidates(cl.normalise_text(sentences[i + 1])):
        terms = promo_terms(sentences[i + 1], 0, currency)
        if terms:
            return terms, f"{sentences[i]} {sentences[i + 1]}"
    if i > 0 and not promo_code_candidates(cl.normalise_text(sentences[i - 1])):
        terms = promo_terms(sentences[i - 1], len(sentences[i - 1]), currency)
        if terms and terms != "free shipping":
            return terms, f"{sentences[i - 1]} {sentences[i]}"
    return None
