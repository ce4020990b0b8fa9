"""Which part of a sentence a value belongs to: its qualifier and the place it is limited to.

A value read for "express" orders or "orders to Alaska" is not the shop's
standing promise for everyone; these helpers find such qualifiers, the
clause a value sits in, and whether a named place is the shop's home.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------

_QUALIFIER_RE = re.compile(
    # "Shipping Internationally:" scopes; "we ship internationally" only says that the shop does
    r"\b(international|(?<!ship )(?<!ships )(?<!deliver )(?<!send )internationally|overseas|worldwide|abroad|"
    r"rest of (?:the )?world|"
    r"outside (?:of )?(?:the )?(?:us|uk|eu|usa|united states|united kingdom|australia|canada|new zealand|"
    r"ireland|germany|austria|europe|european union)|express|expedited|priority|"
    # "rush" is the express tier only before a service noun ("Rush orders", "rush shipping"), never
    # in "the holiday rush"
    r"rush(?= (?:orders?|shipping|delivery|processing|service))|"
    # ("the next day" is a day, not the next-day tier: "and the next day after it")
    r"next-day|(?<!the )next day|next day(?=\s+(?:delivery|shipping|service|air|cut[- ]?off))|overnight|"
    r"members?|membership|loyalty|rewards?|vip|premium|plus members|holiday|"
    r"christmas|black friday|sale items?|(?<!are )(?<!is )final sale|clearance|gift cards?|"
    r"extended(?= warrant)|"
    r"business customers|refurbished|electronics|mattress(?:es)?)\b",
    re.I,
)
_QUALIFIER_CANON = {
    "members": "member",
    "membership": "member",
    "loyalty": "member",
    "rewards": "reward",
    "sale item": "sale items",
    "overseas": "international",
    "worldwide": "international",
    "abroad": "international",
    "expedited": "express",
    "rush": "express",
    "internationally": "international",
}
#: A qualifier inside an exception ("except sale items", "excludes international orders") does not
#: scope the claim: the claim is the default one, with an exception.
_EXCEPTION_BEFORE = re.compile(
    r"(?:\bexcept(?:ing)?|\bexclud(?:es?|ing)|\bnot (?:available|valid|eligible|included|offered)|"
    r"\bdoes(?: not|n['’]t) apply|\bother than|\bbut not|\bno\b|\bnot on|\bunless)"
    r"(?:\W+\w+){0,4}\W*$",
    re.I,
)
_FINAL_AFTER = re.compile(r"^\W*(?:are|is)\s+(?:final|non-returnable|not returnable|excluded)", re.I)


def _canon_qualifier(text: str) -> str:
    word = re.sub(r"[\s-]+", " ", text.lower())
    if word.startswith(("outside ", "rest of")):
        return "international"  # "outside the US", "outside Australia": beyond the shop's country
    return _QUALIFIER_CANON.get(word, word)


def qualifier_of(sentence: str) -> str:
    """The condition a claim is scoped to ("express", "member"...), or ``""`` for the default."""
    m = _QUALIFIER_RE.search(sentence)
    if not m:
        return ""
    return _canon_qualifier(m.group(1))


#: Words naming the default tier explicitly ("Standard delivery takes 3-5 days"): key "".
_DEFAULT_TIER_RE = re.compile(r"\b(standard|regular|normal|domestic)\b", re.I)
#: Where one clause of a sentence ends and the next begins ("Standard takes 3-5 days; Express 1-2").
_CLAUSE_BREAK = re.compile(r"[;()\[\]]|,\s|\s(?:and|but|while|whereas|or)\s", re.I)


def _qualifier_mentions(sentence: str) -> list[tuple[int, int, str]]:
    """Every qualifier mention as (start, end, key); default-tier words have key ``""``."""
    found = [
        (m.start(), m.end(), _canon_qualifier(m.group(1)))
        for m in _QUALIFIER_RE.finditer(sentence)
        if not _in_exception(sentence, m.start(), m.end())
    ]
    found += [(m.start(), m.end(), "") for m in _DEFAULT_TIER_RE.finditer(sentence)]
    return sorted(found)


def _in_exception(sentence: str, start: int, end: int) -> bool:
    """True for "except sale items", "excluding final sale items", "sale items are final sale"."""
    before = sentence[max(0, start - 40) : start]
    return bool(_EXCEPTION_BEFORE.search(before) or _FINAL_AFTER.match(sentence[end : end + 30]))


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


def qualifier_near(sentence: str, start: int, end: int) -> str | None:
    """The qualifier of the claim at ``sentence[start:end]``; None when it cannot be told.

    One sentence often states several tiers ("Standard delivery takes 3-5
    business days; Express takes 1-2"), so each value takes the qualifier
    nearest to it within its own clause. A clause without any takes the
    sentence's only qualifier; with several candidates (or a tie) the claim
    is ambiguous and is better left uncompared than attributed wrongly.
    """
    # a qualifier word inside the value itself ("the same or next day") names no tier
    mentions = [m for m in _qualifier_mentions(sentence) if m[1] <= start or m[0] >= end]
    if not mentions:
        return ""
    lo, hi = _clause_bounds(sentence, start, end)
    local = [m for m in mentions if m[0] >= lo and m[1] <= hi]
    if local:
        distance = {m: max(0, start - m[1], m[0] - end) for m in local}
        best = min(distance.values())
        nearest = [m for m, d in distance.items() if d == best]
        if any(_coordinated(sentence, m, mentions) for m in nearest):
            return None  # "Standard or express delivery in 3-5 days": both tiers share the value
        keys = {m[2] for m in nearest}
    else:
        keys = {m[2] for m in mentions}
    return keys.pop() if len(keys) == 1 else None


def _coordinated(sentence: str, mention: tuple[int, int, str], mentions: list[tuple[int, int, str]]) -> bool:
    """True when ``mention`` is joined to a different qualifier by "or", "and", "/" or "&"."""
    for other in mentions:
        if other[2] == mention[2]:
            continue
        a, b = (mention, other) if mention[0] < other[0] else (other, mention)
        if a[1] <= b[0] and re.fullmatch(r"\s*(?:or|and|/|&)\s*", sentence[a[1] : b[0]], re.I):
            return True
    return False


#: Places a time can be limited to that are no claim key: outlying parts of the shop's own country
#: ("rural addresses", "the Highlands and Islands", "APO/FPO", "US territories") ...
_OUTLYING = re.compile(
    # ("a regional courier", "our regional depot" name who carries the parcel, not where it goes)
    r"\b(?:rural|regional(?!\s+(?:couriers?|carriers?|partners?|depots?|warehouses?|hubs?|distribution))|"
    r"remote|outlying|offshore|non-mainland|islands?|highlands?|territor(?:y|ies)|"
    r"(?-i:APO|FPO|DPO)|p\.?\s?o\.?\s+box(?:es)?|military addresses|"
    # beyond the mainland: "outside the contiguous United States", "off the mainland"
    r"(?:outside|off|beyond)\s+(?:of\s+)?(?:the\s+)?(?:contiguous|continental|mainland|lower)|"
    # a list of areas named apart ("to these postcode areas: HS2, ZE2", "the following zip codes")
    r"(?:these|the following|listed|certain|some|selected|specific)\s+(?:post\s?code|zip(?:\s?code)?)s?|"
    # "other areas take 3 business days", "some localities": a part of the country named apart
    r"(?:other|some|certain|selected|specific)\s+(?:areas|localities|locations|regions|places|towns|suburbs))\b",
    re.I,
)
#: ... and places named by their proper name: after "to/in/for/within/across" ("Orders to Alaska and
#: Hawaii arrive in 7-10 days", "3-5 days within Europe"), before orders/addresses ("Canadian orders"),
#: or as the head of a "Place: time" line ("Canada: 2-6 weeks").
_PROPER = r"(?-i:\b(?:[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?|[A-Z]{2,3})\b)"
_PLACE_AFTER = re.compile(
    rf"\b(?:to|in|for|within|across|throughout|into|such as)\s+(?:the\s+)?"
    rf"(?:other\s+|all\s+|most\s+|some\s+)?(?P<place>{_PROPER})",
    re.I,
)
_PLACE_BEFORE = re.compile(
    rf"(?P<place>{_PROPER})(?:\s*(?:,|\band\b|&|\bor\b)\s*{_PROPER})*\s+"
    r"(?:orders|addresses|customers|deliveries|shipments|parcels|destinations|postcodes)\b",
    re.I,
)
#: At the head of a sentence a capitalised word before "orders" is as likely a sort of order ("Bulk
#: orders", "Trade orders"): there only a place adjective ("Canadian", "Scottish"), an abbreviation
#: ("EU orders") or a list of names ("Alaska and Hawaii orders") counts.
_PLACE_ADJECTIVE = re.compile(r"(?:an|ish|ese|ic)$|^[A-Z]{2,3}$")
_PLACE_LINE = re.compile(
    rf"^\W*(?P<place>{_PROPER})(?:\s*(?:,|\band\b|&|\bor\b)\s*{_PROPER})*"
    # "EU Countries:", "Nordic countries:": the places named, then what sort of place they are
    # ... or the tier of the place's rates ("EU standard:", "EU express:" on a German shop)
    r"(?:\s+(?:countries|states|provinces|regions|territories|islands|standard|express|economy))?"
    r"(?:\s*:|\s+(?=\d))",
    re.I,
)
#: Where the shop is (its own country is no region) and capitalised words that are no place.
_HOME = frozenset(
    "US USA America United States UK GB Britain Great Britain United Kingdom England Mainland Contiguous "
    "Continental Lower Domestic Nationwide Local".split()
) | {"United States", "Great Britain", "United Kingdom", "Lower 48"}
#: Words that name home in any country; the US and UK names are home only to a US or UK shop (a
#: Canadian shop's "US orders" are another country's), and to both, which read each other's pages.
_HOME_ANYWHERE = frozenset("Mainland Contiguous Continental Lower Domestic Nationwide Local".split())
_HOME_BY_REGION = {
    "AU": {"Australia", "Australian", "AU"},
    "CA": {"Canada", "Canadian", "CA"},
    "NZ": {"New Zealand", "NZ"},
    "IE": {"Ireland", "Irish", "IE", "Republic", "ROI"},
    "DE": {"Germany", "German", "DE"},
    "AT": {"Austria", "Austrian", "AT"},
    "GB": {"British", "English"},
    "US": {"American"},
}

#: Countries known by name: one alone as a heading is a country's section (one other capitalised
#: word alone is as likely a brand or a menu entry).
_COUNTRY_NAMES = frozenset(
    {"United States", "USA", "US", "United Kingdom", "UK", "Great Britain", "England"}
    | {n for names in _HOME_BY_REGION.values() for n in names if len(n) > 3 and not n.endswith(("an", "ish"))}
)


def _home(region: str) -> frozenset[str]:
    """The names of the shop's own country (and words meaning "here")."""
    base = _HOME if region in {"US", "GB", "UK"} else _HOME_ANYWHERE
    return base | _HOME_BY_REGION.get(region, set())


_NOT_PLACE = frozenset(
    """Your You Our Us My Me Its Their Them Most All Any Some Each Every Other Many Few Orders Order Items
    Item Products Parcels Packages Delivery Deliveries Shipping Shipment Dispatch Despatch Standard Express
    Expedited Priority Ground Economy Tracked Signed Next Same Free Business Working Days Day Hours Weeks
    Time Times Processing Handling Transit Estimated Approximately Around About Up Usually Please Allow
    Stock Store Online Web Weekday Weekend Weekends Holiday Holidays Christmas Sale Final Returns Return
    Refunds Exchanges Members Member International Worldwide Overseas Premium Plus Rush Overnight Two
    Three Four Five First Second Class Mail Post Courier Carrier Service Services Note Important Please
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Wed Thu Fri Sat Sun January February
    March April May June July August September October November December The This That These Those
    Small Large Bulky Heavy Oversized Gift Cards Click Collect Pickup Pick Collection ET PT CT MT EST PST
    CST MST GMT BST UTC AM PM OK Delivered Shipped Ships Ship Arrives Arrive Orders Placed Received
    Home Shop About Contact Help FAQ FAQs Account Cart Basket Search Menu Blog Login Sign Privacy Terms
    News Stores Gifts New Men Women Kids Brands Policy Policies Information Info Customer""".split()
)
#: Carriers' names: what a parcel is handed to or sent with, never a destination.
_CARRIER_NAME = re.compile(
    r"\b(?-i:Royal Mail|Parcelforce|DPD|DHL|UPS|USPS|FedEx|Evri|Hermes|Yodel|GLS|TNT|Purolator|"
    r"Canada Post|Australia Post|An Post|NZ Post|Sendle|Aramex|OnTrac|Amazon)\b"
)


#: Words a text in capitals writes like an abbreviation ("FREE SHIPPING ON ORDERS OVER $99"): no place.
_CAPITALS_NOT_PLACE = frozenset("On At Of Or And By To In Over Per For Any All Our Get Off Fee".split())


#: Places whose name begins with "New", a word that alone is no place ("New Arrivals", "New Customers").
_NEW_PLACE = re.compile(r"New (?:Zealand|York|Jersey|Mexico|Hampshire|Brunswick|South|Caledonia)\b")


def _is_place(word: str, home: frozenset[str]) -> bool:
    first = word.split()[0].split("-")[0]
    if _NEW_PLACE.match(word):
        first = word  # "New Zealand" is a place; its first word alone is not
    return (
        word not in home
        and not (word.isupper() and word.capitalize() in _CAPITALS_NOT_PLACE)
        and first not in home
        and first not in _NOT_PLACE
        and not _QUALIFIER_RE.match(word)
        and not _DEFAULT_TIER_RE.match(word)  # "Regular Post: 2-7 days" names a tier, not a place
    )


_DOTTED = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?!\w)")
#: Country names written in capitals ("SHIPPING WITHIN NEW ZEALAND"): read as the names they are, not
#: as runs of abbreviations ("NEW" alone would be a place with no key).
_NAMES_IN_CAPITALS = {n.upper(): n for n in _COUNTRY_NAMES | _HOME | _HOME_ANYWHERE if " " in n or len(n) > 3}
_CAPITAL_NAME = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _NAMES_IN_CAPITALS), key=len, reverse=True)) + r")\b"
)


def _names_in_title_case(text: str) -> str:
    return _CAPITAL_NAME.sub(lambda m: _NAMES_IN_CAPITALS[m.group(0)], text)


def _region_of(text: str, region: str, *, line_head: bool = False) -> bool:
    """True when ``text`` limits a time to a place that is no claim key (not the shop's home)."""
    if _OUTLYING.search(text):
        return True
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)  # "U.S.A." is "USA"
    text = _names_in_title_case(text)
    home = _home(region)
    text = _CARRIER_NAME.sub(" ", text)
    places = [m.group("place") for m in _PLACE_AFTER.finditer(text)]
    for m in _PLACE_BEFORE.finditer(text):
        initial = not text[: m.start()].strip(" \t\"'“‘-•*:")
        listed = re.search(r",|&|\s(?:and|or)\s", text[m.end("place") : m.end()])
        if not initial or listed or _PLACE_ADJECTIVE.search(m.group("place")):
            places.append(m.group("place"))
    # "Canada: 2-6 weeks", not "Harbor Goods: your order has shipped..."
    if line_head and (head := _PLACE_LINE.match(text)) and len(text[head.end() :].split()) <= 3:
        places.append(head.group("place"))
    return any(_is_place(p, home) for p in places)


def _home_in_clause(sentence: str, start: int, end: int, region: str) -> bool:
    """The value's own clause names the shop's country and no qualifier: "within Germany" (a German shop)."""
    lo, hi = _clause_bounds(sentence, start, end)
    clause = sentence[lo:hi]
    if _qualifier_mentions(clause):
        return False
    home = _home(region) - _HOME_ANYWHERE
    return any(m.group("place") in home for m in _PLACE_AFTER.finditer(clause))


def _for_region(sentence: str, start: int, end: int, lo: int, region: str) -> bool:
    """A value limited to a region with no key: "Orders to Alaska arrive in 7-10 days".

    Read in the value's own part of the sentence: from the previous value (or
    the last ";"/"but"/"while") to the value, and the phrase after it up to
    the next clause break; the head of a "Canada: 2-6 weeks" line too.
    """
    before = _EXCEPTED.sub(" ", sentence[lo:start])
    after = re.split(r"[;,.()!?]|\s(?:and|but|while|or)\s", sentence[end:], maxsplit=1)[0]
    return _region_of(before, region, line_head=lo == 0) or _region_of(_EXCEPTED.sub(" ", after), region)


#: "All provinces except the territories": a place named as an exception leaves the rest as the default.
_EXCEPTED = re.compile(r"\b(?:except|excluding|exclud(?:es|ed)|other than|but not)\b[^,;|.()]*", re.I)
