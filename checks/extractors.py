"""Claim extraction: pure functions from one sentence of visible text to claims.

A *claim* is a promise a storefront makes in words ("Free shipping on orders
over $50", "30-day returns", "Call 1-800-555-0199"). The messaging check
compares claims of the same kind across pages and channels; the support check
reuses the contact extractors to learn which support channels a site offers.

Every extractor takes one sentence (see :func:`checks._text.split_sentences`)
and returns zero or more :class:`Claim` with a *normalised* ``value`` (what is
compared: ``"USD 50.00"``, ``"30 days"``, ``"+18005550199"``) and a human
``display`` (``"$50"``). Extractors are generic — no per-site code — and lean
towards precision: a missed claim costs a finding, a misread one costs trust.
Money is parsed by ``price-parser`` and phone numbers by ``phonenumbers``;
the regular expressions here only find candidate spans and their context.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

import phonenumbers
from cx_auditor.checks import _claims as cl
from cx_auditor.checks._text import split_lines, split_sentences
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher
from price_parser import Price

__all__ = [
    "Claim",
    "Money",
    "PRICE",
    "THRESHOLD",
    "RETURN_WINDOW",
    "DISPATCH_TIME",
    "DELIVERY_TIME",
    "PROMO_CODE",
    "WARRANTY",
    "SUPPORT_HOURS",
    "PHONE",
    "EMAIL",
    "ORDER_CUTOFF",
    "KIND_LABELS",
    "find_money",
    "format_money",
    "money_value",
    "extract_prices",
    "extract_free_shipping_thresholds",
    "extract_return_windows",
    "extract_dispatch_times",
    "extract_delivery_times",
    "extract_promo_codes",
    "extract_warranties",
    "extract_support_hours",
    "extract_phones",
    "extract_emails",
    "extract_custom",
    "extract_order_cutoffs",
    "extract_all",
    "extract_text",
    "qualifier_of",
    "qualifier_near",
    "email_context",
]

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


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------

_ISO = r"USD|EUR|GBP|CAD|AUD|NZD|JPY|CHF|SEK|NOK|DKK|INR|PLN|BRL|MXN|HKD|SGD|ZAR"
# "GBP £50": a code may stand before its own symbol
_PREFIX = (
    rf"(?:(?:\b(?:{_ISO})\s?(?=[$£€]))?(?:US\$|CA\$|C\$|AU\$|A\$|NZ\$|HK\$|S\$|R\$|\$|£|€|¥|₹)|"
    rf"\b(?:{_ISO})\b)"
)
_SUFFIX = rf"(?:€|£|\$|zł|\bkr\b|\b(?:{_ISO})\b|\b(?i:euros?)\b)"
_NUM = r"\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# "75,- Euro": whole euros written with a dash for the cents
_NUM_SPACED = r"(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:,-)?"
#: "$250+ CAD": a code after a dollar amount says which dollar it is.
_CODE_AFTER_DOLLAR = re.compile(r"^\+?\s?(?P<code>USD|CAD|AUD|NZD|HKD|SGD|MXN)\b")
# A trailing symbol must not be the leading symbol of the next amount: in a cart row
# "Tent<TAB>1<TAB>$249.00" the "1 $" is a quantity followed by a price, not "$1".
_MONEY_RE = re.compile(
    rf"(?P<pre>{_PREFIX}\s?(?:{_NUM})(?![\d%]))|"
    rf"(?<![\w.,])(?P<suf>(?:{_NUM_SPACED})[ \u00a0\u202f]?{_SUFFIX})(?![ \u00a0\u202f]?\d)"
)

_DOLLAR_CODES = {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"}
_SYMBOL_CODES = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "zł": "PLN",
    "kr": "SEK",
}
_DISPLAY_SYMBOL = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}


def _currency_code(symbol: str | None, default_currency: str) -> str:
    """ISO code for a symbol; a bare ``$`` means the site's own dollar currency."""
    sym = (symbol or "").strip()
    if sym == "$" or not sym:
        return default_currency if default_currency in _DOLLAR_CODES else "USD"
    return _SYMBOL_CODES.get(sym, sym.upper())


def find_money(sentence: str, default_currency: str = "USD") -> list[Money]:
    """Every money amount in ``sentence``; amounts are parsed by ``price_parser``."""
    found: list[Money] = []
    for m in _MONEY_RE.finditer(sentence):
        raw = m.group(0)
        parsed = Price.fromstring(raw)
        if parsed.amount is None:
            continue
        currency = _currency_code(parsed.currency, default_currency)
        if code := re.match(rf"(?:{_ISO})\b", raw):
            currency = code.group(0)  # "GBP £50"
        elif re.search(r"euros?$", raw, re.I):
            currency = "EUR"
        elif raw.lstrip().startswith("$") and (after := _CODE_AFTER_DOLLAR.match(sentence[m.end() :])):
            currency = after.group("code")
        found.append(
            Money(
                amount=parsed.amount,
                currency=currency,
                start=m.start(),
                end=m.end(),
                raw=raw,
            )
        )
    return found


def money_value(amount: Decimal, currency: str) -> str:
    """The compared form: ``$50`` and ``$50.00`` both become ``USD 50.00``."""
    return f"{currency} {amount.quantize(Decimal('0.01'))}"


def format_money(amount: Decimal, currency: str, *, cents: bool = False) -> str:
    """Short display form: ``$50`` (``$50.00`` with ``cents``), ``$129.99``, ``€12.99``, ``CHF 12.50``."""
    q = amount.quantize(Decimal("0.01"))
    text = f"{q:,}"
    if text.endswith(".00") and not cents:
        text = text[:-3]
    symbol = _DISPLAY_SYMBOL.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}"


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


# ---------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------

_NOT_PRODUCT_BEFORE = re.compile(
    r"(sub-?total|\btotal|shipping|delivery|postage|\btax|\bvat\b|\bgst\b|\bfees?\b|\bover\b|\babove\b|"
    r"\bfrom\b|\bunder\b|\bspend|\bsave\b|\bsaving|\bwas\b|compare at|originally|regular price|\brrp\b|"
    r"\bmsrp\b|\breg\.?|\boff\b|discount|credit|gift card|minimum|\bmin\.?|\borders? of\b|\bup to\b|"
    r"\baway\b|\badd\b|\bless than\b|\bbelow\b|\bbalance\b|\brefund|\bcharge|\bdeposit|\bbudget|"
    r"\bstarting at\b|\bpay\b|\bearn\b|\breward|\bthreshold|\bafter\b|\bcoupon|\bvoucher)"
    r"(?:\W+(?:is|are|of|costs?|just|only|now|flat|rate|fee|charge))*\W*$"
)
_NOT_PRODUCT_AFTER = re.compile(
    r"^\s*(\+|or more|or less|off\b|and up|and over|and above|away|more\b|/\s?mo|per month|a month|"
    r"monthly|shipping|delivery|credit|gift|minimum|threshold|discount|savings?|cash ?back|in rewards)",
    re.I,
)


def extract_prices(sentence: str, default_currency: str = "USD") -> list[Claim]:
    """Amounts that read as a product's own price (not totals, fees, thresholds or savings).

    The check later decides *which* product a price belongs to; this only
    rejects money that is clearly something else by the words around it.
    """
    claims: list[Claim] = []
    previous_end = 0
    for money in find_money(sentence, default_currency):
        before = _window_before(sentence, money.start, previous_end, 30)
        after = sentence[money.end : money.end + 20]
        previous_end = money.end
        if _NOT_PRODUCT_BEFORE.search(before) or _NOT_PRODUCT_AFTER.search(after):
            continue
        if before.rstrip().endswith(("-", "–", "−")):
            continue  # "-$10.00": a discount line
        claims.append(
            Claim(
                kind=PRICE,
                value=money_value(money.amount, money.currency),
                display=format_money(money.amount, money.currency, cents=True),
                sentence=sentence,
                amount=money.amount,
                currency=money.currency,
                extra={"raw": money.raw, "start": str(money.start)},
            )
        )
    return claims


# ---------------------------------------------------------------------------
# Free-shipping thresholds
# ---------------------------------------------------------------------------

#: Free shipping said with or without the word "free" ("shipping is on us", "$0 shipping").
#: The nouns shops use for sending an order ("carriage" and "P&P" in the UK).
_SHIP_NOUN = r"(?:shipping|delivery|postage(?:\s+(?:and|&)\s+pack(?:ag)?ing)?|p\s?&\s?p|carriage|freight)"
_FREE_SHIPPING_RE = re.compile(
    rf"\bfree\s+(?:(?!(?:and|or|with|returns?|exchanges?|gifts?)\b)[a-z-]+\s+){{0,3}}{_SHIP_NOUN}(?![\w&])|"
    r"\b(?:ships?|deliver(?:s|ed)?|send|sent|posted|shipped)\s+(?:it\s+|them\s+)?(?:for\s+)?free\b|"
    # an aside in brackets may stand between the noun and "free": "Standard delivery (2-4 working days)
    # is free over £40"
    # ... and so may the place it goes to: "Standard postage to a single UK address is free when ..."
    rf"(?<![\w&]){_SHIP_NOUN}(?:\s+(?:to|within|across)\s+[^,.;:()]{{1,30}}?(?=\s+(?:is|are)\b))?"
    rf"(?:\s*\([^()]{{1,40}}\))?(?:['’]s|\s+is|\s+are)?\s*:?\s*(?:completely\s+|totally\s+)?"
    r"(?:free|on us|on the house|complimentary)\b|"
    rf"\bwe(?:['’]ll| will)?\s+(?:cover|pay(?:\s+for)?)\s+(?:the\s+)?{_SHIP_NOUN}|"
    rf"\bcomplimentary\s+(?:[a-z-]+\s+)?{_SHIP_NOUN}|"
    r"(?:\$|£|€)0(?:\.00)?\s+(?:shipping|delivery)\b|\bships?\s+for\s+(?:\$|£|€)0\b|"
    rf"\b(?:no|zero|0)\s+{_SHIP_NOUN}\s+(?:charges?|fees?|costs?)\b|"
    # a row of a shipping rate table whose rate cell says only "free" ("Shipping rates | $99 and over |
    # FREE"; the heading over a table row is joined to it by :func:`extract_text`)
    rf"{_SHIP_NOUN}[^|\n]*(?:\|[^|\n]*)*\|\s*free\s*\*?\s*(?:\||$)|"
    # "ships at no charge", "orders go by Xpresspost at no charge": the verb, a carrier, then the price
    r"\b(?:ships?|shipped|go(?:es)?|sent|mailed|posted)\s+(?:(?:by|via|with)\s+[\w-]+(?:\s+[\w-]+)?\s+)?(?:at\s+)?"
    r"(?:no\s+(?:extra\s+|additional\s+)?(?:cost|charge)|free\s+of\s+charge)\b|"
    rf"\bno\s+(?:extra\s+|additional\s+)?(?:charge|cost|fee)\s+for\s+(?:the\s+)?{_SHIP_NOUN}|"
    rf"{_SHIP_NOUN}\s+(?:is\s+)?(?:at\s+)?no\s+(?:extra\s+|additional\s+)?(?:charge|cost)\b|"
    rf"\bwaive\w*\s+(?:the\s+|your\s+|all\s+)?{_SHIP_NOUN}\s+(?:fees?|charges?|costs?)|"
    rf"{_SHIP_NOUN}\s+(?:fees?|charges?|costs?)\s+(?:is\s+|are\s+)?waived\b|"
    # a delivery line's price, then "free" in brackets from an amount ("Standard Delivery - £3.95 (free
    # on orders over £40)", "Standard shipping: 3–5 working days | cost €4.90 (free from €50 order
    # value)"): the line's service is free from that amount
    rf"{_SHIP_NOUN}[^()\n]{{0,60}}?(?:[$£€]\s?\d+(?:[.,]\d{{2}})?|\d+(?:[.,]\d{{2}})?\s?[$£€])\s*"
    r"\(\s*free\s+(?:(?:on|for)\s+(?:all\s+)?orders?\s+|with\s+orders?\s+)?(?:over|above|from)\b|"
    # a rate table's tier label: "Domestic: free over $50", "Standard (3-5 days): free above £40"
    rf"^\W*(?:domestic|standard|ground|economy|mainland|uk|us|international|express|tracked|{_SHIP_NOUN})\b"
    r"[^:;.]{0,25}:"
    # ... with the rate below the threshold first: "Delivery: £3.99, free over £40"
    r"\s*(?:(?:[$£€]\s?\d+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?\s?[$£€])\s*(?:,|;|or|/)\s*)?"
    r"free\b(?=\s+(?:over|above|from|on orders))",
    re.I,
)
_THRESHOLD_BEFORE = re.compile(
    r"(\bover|\babove|\bof|\bfrom|\bexceeding|\bspend(?:ing)?|\bat least|\bminimum(?: order)?(?: of)?|"
    r"\bmin\.?|\borders?|\bpurchases?|\bbaskets?|\bcarts?|≥|>|\b(?:more|greater|higher) than|\bin excess of|"
    r"\bbeyond|\bpast|\bthreshold:?"
    r"|\bexceed|\btotal(?:l)?ing|\bmust be)\W*$"
)
#: A threshold introduced by a condition: "once your subtotal reaches $60", "when your cart hits $75".
_THRESHOLD_CONDITION = re.compile(
    r"\b(?:once|when|if|as soon as)\b[^,.;]{0,40}?\b(?:reach(?:es)?|hits?|pass(?:es)?|tops?|comes? to|"
    r"is|are|exceeds?|totals?|spends?)\s*(?:over|above|at least|more than)?\W*$",
    re.I,
)
#: ("€7.50 + VAT" adds a tax to a price: no "$250+")
_THRESHOLD_AFTER = re.compile(
    r"^\s*(\+(?!\s*(?:VAT|GST|HST|tax)\b)|or more|and (?:up|over|above)|minimum|min\b)", re.I
)
_ANY_ORDER_BEFORE = re.compile(r"\b(?:any|every|a|an|each)\s*$", re.I)
_ORDER_NOUN_AFTER = re.compile(r"^\+?\s*(?:or more\s+)?(?:purchases?|orders?|spends?|baskets?)\b", re.I)
_THRESHOLD_EXCLUSIVE = re.compile(
    r"(\bover|\babove|\bexceeding|\b(?:more|greater|higher) than|\bin excess of|\bbeyond|\bpast|>|"
    r"\bexceed)\W*$"
)
_NOT_THRESHOLD = re.compile(r"\baway\b|\bmore to\b|\badd\b|\banother\b|\bremaining\b|\bonly\b")
#: An amount whose own clause says it pays for shipping ("an order of €34.99 and a later one of €19.99
#: both pay postage", "orders under $49.98 pay shipping by weight"): a charged order, not the threshold.
_PAYS_SHIPPING_AFTER = re.compile(
    rf"^(?:[^;.!?]|\.(?=\d)){{0,40}}?\b(?:both\s+|each\s+|still\s+|all\s+)?(?:pay|pays|are\s+charged|is\s+charged|incurs?)\s+"
    rf"(?:for\s+)?(?:the\s+|a\s+)?(?:{_SHIP_NOUN})",
    re.I,
)
#: An upper bound ("when the chosen method is $25 or less", "orders of $30 and under"): a ceiling is
#: never the value from which shipping is free.
_UPPER_BOUND_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:less|under|below|lower)\b", re.I)
#: A worked example ("For example, a customer who orders $110 ships free"): a case, not the rule.
_WORKED_EXAMPLE = re.compile(r"^\W*(?:for (?:example|instance)|e\.\s?g\.|say)\b", re.I)


@_normalised
def extract_free_shipping_thresholds(
    sentence: str, default_currency: str = "USD", region: str = "US"
) -> list[Claim]:
    """The order value from which shipping is free ("Free shipping on orders over $50").

    A threshold for a place with no claim key is no claim, as for times: the
    head of a "Place: ..." line ("USA: free shipping $350+ CAD" on a Canadian
    shop, "WITHIN THE EU: 4,95 € (FREE SHIPPING FROM 75 €)" on a German one), a
    place in the amount's own part of the sentence ("Orders above $120 to Canada
    ship free" on a US shop) and (see :func:`extract_text`) a section under a
    heading naming such places.
    """
    if not _FREE_SHIPPING_RE.search(sentence) or _WORKED_EXAMPLE.match(sentence):
        return []
    head = re.match(r"^[^:;.!?]{1,40}:", sentence)
    if head and _region_of(head.group(0), region, line_head=True):
        return []
    claims: list[Claim] = []
    previous_end = 0
    for money in find_money(sentence, default_currency):
        floor = previous_end
        before = _window_before(sentence, money.start, previous_end, 30)
        after = sentence[money.end : money.end + 15]
        previous_end = money.end
        if (
            _NOT_THRESHOLD.search(before)
            or re.match(r"^\s*(?:more|away)\b", after, re.I)
            or _UPPER_BOUND_AFTER.match(after)
            or _PAYS_SHIPPING_AFTER.match(sentence[money.end :])
        ):
            continue
        if money.amount <= 0:
            continue  # "$0 shipping": the price of shipping, not a threshold
        if not (
            _THRESHOLD_BEFORE.search(before)
            or _THRESHOLD_AFTER.search(after)
            or _THRESHOLD_CONDITION.search(sentence[floor : money.start])
            # "with any $49 purchase", "on every £30 order": an order of that value
            or (_ANY_ORDER_BEFORE.search(before) and _ORDER_NOUN_AFTER.match(after))
        ):
            continue
        inclusive = not (_THRESHOLD_EXCLUSIVE.search(before) and not _THRESHOLD_AFTER.search(after))
        key = qualifier_near(sentence, money.start, money.end)
        if key is None or (key == "" and _for_region(sentence, money.start, money.end, floor, region)):
            continue  # "Orders to Canada over $120 ship free" on a US shop: a place with no key
        claims.append(
            Claim(
                kind=THRESHOLD,
                value=money_value(money.amount, money.currency),
                display=format_money(money.amount, money.currency),
                sentence=sentence,
                key=key,
                amount=money.amount,
                currency=money.currency,
                inclusive=inclusive,
            )
        )
    return claims


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


# ---------------------------------------------------------------------------
# Dispatch and delivery times
# ---------------------------------------------------------------------------

_TIME_SPAN = re.compile(
    r"(?P<either>same\s+or\s+(?:the\s+)?(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day|"
    # "posted the same day if possible, or the next day": the same span, a hedge on its first end
    r"(?:same[- ](?:business[- ]|working[- ])?day|"
    r"\bthe\s+day\s+(?:we|you)\s+(?:receive|get|place)\s+(?:it|them|your\s+order))"
    r"\s*,?\s*(?:\(?(?:if|where|when)\s+possible\)?\s*,?\s*)?or\s+(?:at\s+the\s+latest\s+|at\s+latest\s+)?"
    r"(?:on\s+)?(?:the\s+)?(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day)|"
    r"(?P<same>same[- ](?:business[- ]|working[- ]|work[- ])?day|"
    # "processed on the day they are placed", "the day your order is received": the order's own day
    r"\bthe\s+day\s+(?:(?:it|they|your\s+orders?|orders?|you)\s+(?:is\s+|are\s+|was\s+|were\s+)?)"
    r"(?:placed|received|made|submitted|ordered|order|pay)\b)|"
    # "dispatched that day", "ships today": same day, read only after an order cut-off ("by 2pm")
    r"(?P<that>\bthat\s+(?:same\s+)?day\b|\btoday\b)|"
    r"(?P<next>(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day)|"
    # "5-7 full business days", "2 clear working days": the adjective counts whole days, as plain ones
    # "one or two working days" (number words become digits first) is a range too
    # (one run of separators before the unit: two adjacent "[\s-]*" would split a long run of hyphens
    # every possible way before failing)
    r"(?:(?P<lo>\d{1,2})\s*(?:-|–|—|~|to|or)\s*)?(?P<hi>\d{1,2})[\s-]*(?:(?:full|whole|clear)\s+)?"
    r"(?:(?P<biz>business|working|work)[\s-]*)?"
    # "1-3 weekdays" counts business days; "24h" is hours written short
    r"(?P<unit>hours?|hrs?|h|weekdays?|days?|weeks?)\b",
    re.I,
)
#: "shipping confirmation", "dispatch email": a message about the parcel, not its journey.
_MESSAGE_NOUN = r"\s+(?:confirmation|notification|e-?mail|label|update|address|notice|note)"
_DISPATCH_CUE = re.compile(
    rf"\b(ships|shipped|ship|dispatch\w*(?!{_MESSAGE_NOUN})|despatch\w*(?!{_MESSAGE_NOUN})|"
    r"process(?:ed|ing)?(?:\s+times?)?|mailed|"
    r"(?:orders?|parcels?|packages?)\s+(?:is|are|will be)\s+(?:usually\s+|normally\s+)?handled|"
    r"on (?:its|their) way|"
    r"(?:orders?|parcels?|packages?|it|they)\s+(?:will\s+|usually\s+|normally\s+)?leaves?|"
    r"(?:orders?|parcels?|packages?|items?)\s+(?:is|are|will be|get|gets)\s+(?:usually\s+|normally\s+)?sent|"
    r"(?:will be|are|is|get|gets)\s+(?:usually\s+|normally\s+)?posted(?!\s+(?:on|to)\s+(?:our|the|this)\b)|"
    r"leaves?\s+(?:our\s+)?warehouse|leaves?\s+us|handling(?: time)?|turnaround|prepar(?:e|ed|ing)|"
    r"pack(?:ed|ing)?|go(?:es)? out|(?:lead|production) times?|"
    r"ready to ship|sent out|out the door|fulfil+(?:ed|ment)|"
    # "ready for the courier": handed over next (not "ready for collection", a pickup)
    r"ready for (?:the\s+|our\s+)?(?:courier|carrier|dispatch|despatch|shipping|shipment|posting)|"
    r"(?:(?:hand|pass)(?:s|es|ed)?(?:\s+\w+){0,3}?\s+(?:over\s+|on\s+)?to|lodged\s+with|collected\s+by|"
    r"picked\s+up\s+by)\s+(?:the\s+|our\s+)?"
    # a carrier named by its name ("handed over to Royal Mail", "collected by DPD"): whoever takes the
    # parcel from the shop is its carrier, so any proper name there is one
    r"(?:carrier|courier|post(?:al service)?|post office|shipping partner|(?-i:[A-Z][A-Za-z]+|[A-Z]{2,})))\b",
    re.I,
)
_DELIVERY_CUE = re.compile(
    rf"\b(deliver(?:y|ed|s|ies)?(?!{_MESSAGE_NOUN})|arriv(?:e|es|al|ing)|get it|receive it|transit|"
    rf"shipping(?: time)?(?!{_MESSAGE_NOUN})|"
    r"(?:at|to) your (?:door|doorstep)|reach(?:es)? (?:you|customers?)|be with you|eta|estimated arrival|"
    # "Estimated time frames:" over "New Zealand 1-3 working days": the time to the shopper
    r"estimated\s+time\s*frames?|"
    # "reaches most addresses by the next working day" (a carrier's time the shop relays, README round 6 B)
    r"reach(?:es)?\s+(?:your|the|its|their|most|all)\s+(?:\w+\s+)?"
    r"(?:doors?|doorsteps?|homes?|address(?:es)?|destinations?|locations?)|"
    # the parcel's journey ends with the shopper: "gets to you", "comes to your door", "have your order"
    r"(?:gets?|comes?|makes? it)\s+to\s+(?:you|your\s+(?:door|doorstep|home|address))|"
    r"(?:expect|receive|get|have)\s+(?:your|the|their)\s+(?:order|parcel|package|items?|purchase|delivery|shipment))\b",
    re.I,
)
_TIME_BLOCKERS = re.compile(
    r"\breturns?\b|\brefunds?\b|\bexchange|\bwarrant|\btrial\b|\bopen\b|\bvalid\b|"
    r"\bpayments?\s+process|\bcancell?ation|"
    # the shopper's deadline to report something ("tell us within 10 days of despatch if goods are lost")
    r"\b(?:tell|notify|inform|contact|email|e-mail|message|send)\s+us\b|\blet\s+us\s+know\b|\breport\b|"
    # a failed delivery tried again ("will try again the next day", "re-delivery"): a retry, no promise
    r"\b(?:try|tries|tried|attempt\w*)\s+(?:\w+\s+)?again\b|\bre-?deliver\w*|\bre-?attempt\w*|"
    # when a missing parcel counts as lost ("can't be treated as lost until 15 working days after
    # posting"): the wait before a claim, not the journey's time
    r"\b(?:counts?|counted|treated|considered|deemed|classed|regarded|declared)\s+(?:as\s+)?lost\b|"
    # a claim or query about a lost parcel ("can't process a claim for a lost item until 14 days after
    # the expected date", "won't deal with a query about a lost parcel until 15 working days")
    # a parcel the shopper collects ("can be collected from your local delivery office within 3 days")
    r"\b(?:collect(?:ed|ion)?|picked\s+up)\s+(?:it\s+|them\s+)?(?:from|at)\s+(?:your|the|a|our)\b|"
    # the last leg handed to another carrier ("allow 2-3 days for USPS to make the final delivery")
    r"\bfinal\s+(?:leg|delivery|mile)\b|\blast[- ]mile\b|"
    r"\blost[\s-]+(?:parcels?|items?|packages?|orders?|goods|shipments?|post)\b|\bclaims?\s+(?:for|about|on)\b|"
    # the deadline to claim ("Claims must be made within 20 days of shipment"): the shopper's time
    r"\bclaims?\s+(?:must|should|need|have\s+to|can|may)\b|"
    r"\b(?:file|make|submit|lodge|raise)\s+(?:a|your)\s+claim\b|"
    # a replacement sent after a claim ("if your claim is approved, we ship a new order within 5 days"):
    # a second parcel's time, not the order's journey
    r"\breplacements?\b|\b(?:a|the)\s+new\s+(?:order|parcel|package|shipment)\b|"
    # what a time depends on ("3-10 days, depending on where it goes and the day you order")
    r"\bdepend(?:s|ing)?\s+on\b[^,;]*$",
    re.I,
)
#: "We email a tracking number within 24 hours of shipment": the time a message about the parcel is
#: sent, not the parcel's; the message is the subject before the value.
_TRACKING_SENT = re.compile(
    r"\btracking\s+(?:numbers?|e-?mails?|details|info(?:rmation)?|links?|codes?|references?)\b", re.I
)
#: A range given by its two bounds: "takes at most 5 business days and at least 2".
_UPPER_BOUND_BEFORE = re.compile(r"\b(?:at\s+most|a\s+maximum\s+of|no\s+more\s+than)\s*$", re.I)
_LOWER_BOUND_AFTER = re.compile(
    r"^\s*,?\s*(?:and|with)\s+(?:at\s+least|a\s+minimum\s+of|no\s+fewer\s+than)\s+(?P<n>\d{1,2})\b(?!\s*[%$£€])",
    re.I,
)
#: "Some items ship within 24 hours, others in a couple of days", "some parcels come within 24 hours":
#: what holds for a part of the orders, not the promise for all of them.
_SOME_OF_THEM = re.compile(
    r"\bsome\s+(?:of\s+(?:our|the|your)\s+)?(?:items?|products?|parcels?|packages?|orders?|deliveries|"
    r"shipments?)\b",
    re.I,
)
#: "A Friday order ... should arrive on the next working day": the schedule of one weekday's orders,
#: not the standing promise (as a "Monday: ..." line is not).
_ONE_WEEKDAY_ORDER = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:['’]s)?\s+orders?\b|"
    r"\borders?\s+(?:placed|made|received)\s+on\s+(?:an?\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"(?!\s*(?:to|-|–|through|thru|or|and)\b)",
    re.I,
)
#: What a duration read across a sentence or after it must not be about (beyond the blockers above).
_ASIDE = re.compile(rf"{_TIME_BLOCKERS.pattern}|\btracking\b|\brepl(?:y|ies)\b|\brespon", re.I)
#: "If your order hasn't shipped within 5 days, contact us": when to complain, not the promise.
_UNLESS_LATE = re.compile(
    r"\b(?:if|should)\b[^,.;]*(?:\bnot\b|n['’]t\b)[^,.;]*$|"
    # "If despatch will take more than 24 hours, we'll email you": the case it is late, not the promise
    r"\bif\b[^,.;]*\b(?:more|longer)\s+than\s*$",
    re.I,
)
_CLAUSE_END = re.compile(r"[;,.!?]|\s(?:and|but|while)\s", re.I)
#: A value inside a sentence's leading condition ("If paid next-day delivery arrives in 2-3 days
#: instead, we refund the difference"): the case, not the promise.
#: "to start processing the same day", "begins processing the next business day": when work on an
#: order starts, not when it leaves.
_STARTS_ONLY = re.compile(
    r"\b(?:start|begin)s?(?:\s+to)?\s+(?:process\w*|being\s+processed)\s+(?:on\s+)?(?:the\s+)?$", re.I
)
#: What the law requires ("by law an item only has to be delivered within 30 days"), not the promise.
_BY_LAW = re.compile(
    r"\bby law\b|\blegally\b|\bstatutory\b|\bunder (?:the\s+)?(?:consumer\s+)?(?:law|rights)\b", re.I
)
_LEADING_CONDITION = re.compile(
    r"^\W*(?:(?:if|should|in case)\b[^,;]*|"
    # a leading busy period scopes its whole sentence ("During major sales, please allow 3-7 days")
    r"(?:during|at|in|over|around)\s+(?:the\s+|our\s+)?(?:\w+\s+)?"
    r"(?:busy|busier|peak|sales?|holidays?|christmas|festive|seasonal)\b[^,;]*,[^,;]*|"
    # "At the start of hunting season, orders can take up to 5 days": one season's time
    r"(?:during|at|in|over|around)\s+[^,;]{0,40}\bseason\b[^,;]*,[^,;]*)$",
    re.I,
)
#: 'such as "usually ships in 2 to 3 days"': a quoted example of a label, inside its open quote.
_QUOTED_EXAMPLE = re.compile(r"\b(?:such as|e\.\s?g\.|for example|like)\W{0,3}[\"“][^\"”]*$", re.I)
#: "Sometimes an order ships the same day", "have the best chance of leaving the same day": what happens
#: now and then, or by chance, is no promise (no time, and no cut-off for it).
_HEDGE = re.compile(
    r"\b(?:sometimes|occasionally|at times|on occasion|now and then|"
    # ("will most likely ship the same day" stays a promise: the likely case, not a chance)
    r"(?:best|good|better|a|every|fair)\s+chances?)\b",
    re.I,
)
#: "orders shipped faster than 5-6 business days are guaranteed": a bound compared with, not a time
#: promised ("no longer than 3 days" is a promise: see :func:`_compared_with`).
_COMPARED = re.compile(
    r"\b(?P<neg>no|not|never\s+)?\s*(?:faster|slower|quicker|longer|shorter)\s+than\s*$", re.I
)
#: "within 48 hours at busy times", "during sales this can stretch to 5 days": the peak exception,
#: not the standing promise.
_PEAK = re.compile(
    r"\b(?:at|during|in|over|around)\s+(?:the\s+|our\s+|busy\s+)?(?:major\s+|big\s+)?(?:busy|busier|peak|sales?|holidays?|"
    r"christmas|festive|high[- ]volume|seasonal)\b(?!\s+(?:items?|products?)\b)|"
    # "at the start of hunting season", "during the planting season": one season's time
    r"\b(?:at|during|in|over|around)\s+(?:the\s+)?(?:(?:start|height|end|middle)\s+of\s+(?:the\s+)?)?"
    r"(?:\w+\s+)?season\b",
    re.I,
)
#: "..., though delays can stretch this to 12 days", "..., but an order can take up to two business
#: days": a later value conceded after a promise (a modal after "but/though") is its worst case, not a
#: second promise; "delays can stretch this to" names a delay, as "customs can add 1-4 weeks" does.
_CONCEDED = re.compile(
    r"\b(?:but|though|although|however|yet)\b[^;.]*\b(?:can|may|could|might)\b[^;.]*$|"
    r"\bdelays?\b[^,;.]*$|\b(?:stretch|extend|push|lengthen)\w*\s+(?:\w+\s+){0,2}?(?:out\s+)?to\s*$",
    re.I,
)
#: "an additional 1-3 days", "up to 2 extra days": a delay added to a promise, not the promise.
_EXTRA_TIME = re.compile(
    r"\b(?:additional|extra|further|another|more|adds?|adding)(?:\s+(?:up to|around|about|roughly))?\s*$",
    re.I,
)
#: Items with a lead time of their own ("Pre-order items ship in 4-6 weeks", "personalised items ship
#: within 7 days", "backordered items ..."): not the shop's default dispatch or delivery promise.
_OWN_LEAD_TIME = re.compile(
    r"\b(?:pre-?order\w*|back-?order\w*|custom(?:i[sz]ed)?|personali[sz](?:ed|ation)|engrav\w*|bespoke|"
    r"monogram\w*|\w*made[- ](?:to|on)[- ](?:order|measure|demand)|print(?:ed)?[- ]on[- ]demand|"
    # "special order items need 5 to 14 business days": ordered in from the supplier for the shopper
    r"special[- ]orders?(?:ed)?|"
    # items a supplier ships ("drop-ship items normally ship within 24 hours")
    r"drop[- ]?ship\w*)\b",
    re.I,
)
#: Deliveries with a service of their own, booked with the shopper: two-person/white-glove/pallet
#: delivery, a specialist carrier, "we'll call you to arrange delivery" (furniture, large items).
_OWN_SERVICE = re.compile(
    r"\b(?:two|2)[- ](?:man|person|people)\b|\bwhite[- ]glove\b|\bpallets?\b|\bspecialist carrier|"
    r"\b(?:very\s+)?(?:large|bulky|oversi[sz]ed|heavy)\s+(?:and\s+\w+\s+)?(?:items?|products?|goods|packages|parcels)\b|"
    # goods sent by a freight line ("by freight truck", "freight delivery"): booked like a pallet
    r"\bby\s+freight\b|\bfreight\s+(?:trucks?|carriers?|forwarders?|deliver(?:y|ies))\b|"
    r"\b(?:call|contact|phone|ring|text|e-?mail)\w*\s+(?:you\s+)?to\s+(?:book|arrange|schedule)|"
    r"\bbook(?:s|ed)?\s+(?:in\s+)?(?:the\s+|a\s+|your\s+)?(?:delivery|date|slot|time)|\bbooked in\b",
    re.I,
)
#: "a call 2-3 days before your delivery date": notice given ahead of a date, not a time to it.
_BEFORE_DATE = re.compile(
    r"^\s*(?:before|ahead of|prior to)\s+(?:your|the)\s+(?:\w+\s+)?(?:date|day|slot)\b", re.I
)
#: "2-3 working days from dispatch", "1-2 days after it is despatched": counted from dispatch, so transit.
_FROM_DISPATCH = re.compile(
    r"^\s*(?:from|after|of)\s+"
    r"(?:(?:it|they|your (?:order|parcel)|the parcel)\s+(?:is|are|has been|have been)\s+)?"
    r"(?:dispatch\w*|despatch\w*|shipping|shipment|posting|(?:it|they)\s+ships?)\b",
    re.I,
)
#: "contact us within 48 hours of delivery", "within 2 days of arrival": counted from the end of the
#: journey, so about something after it (a claim, a return), not the journey's time.
_FROM_DELIVERY = re.compile(
    # ("of receipt" is left alone: a dispatch "within 2 days of receipt" counts from the order's receipt)
    r"^\s*(?:of|from|after)\s+(?:the\s+|your\s+)?(?:delivery|arrival|(?:it|they)\s+arriv)",
    re.I,
)
#: "does not get it to you the next day": a negated promise.
#: ("no longer than 4 days" is a bound that promises, not a negation)
_NEGATION = re.compile(r"\b(?:not|never|no longer(?!\s+than))\b|n['’]t\b", re.I)
#: "Orders placed by 2pm ... that day": an order cut-off stands before a "today"/"that day".
_CUTOFF_BEFORE_CLOCK = re.compile(
    r"\b(?:by|before|prior to)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday)", re.I
)
_COUNTDOWN = re.compile(
    r"(?:^|[.!?:]\s*|\b(?:just|simply|please)\s+)order\s+(?:with)?in\s+(?:the\s+next\s+)?$", re.I
)
_SUBJECT_BREAK = re.compile(r";|\s(?:but|while|whereas)\s", re.I)
#: A part of a sentence whose subject is the previous part's ("...; we ship it within 5 days").
_PRONOUN_SUBJECT = re.compile(r"\b(?:it|they|them|these|those|each|one)\b", re.I)
#: "won't ship until the next business day", "may not start until the following business day":
#: when a late order starts, not the promise.
_NOT_UNTIL = re.compile(r"\buntil\s+(?:the\s+)?$", re.I)
#: "the following day's roast", "the same day's post": the day of another event, named by its possessive.
_DAY_POSSESSIVE = re.compile(r"^['’]s\b")
#: "If the carrier misses the pickup that day, orders go out the next business day": a next day
#: after a leading condition of a miss, a failure or a late order is the fallback, not the promise.
_FALLBACK_CONDITION = re.compile(
    r"^\W*(?:if|should|when|in case)\b[^,;]*\b(?:miss\w*|fail\w*|late|after|not|unable|delay\w*)\b[^,;]*"
    r"|^\W*(?:if|should|when|in case)\b[^,;]*n['’]t\b[^,;]*",
    re.I,
)
#: "next day delivery", "same-day shipping": a day before a service noun names the service; the noun
#: form is read (or not) by :func:`_noun_durations`, never as the time of a verb before it ("all orders
#: ship on Tuesday for next day delivery", "Priority despatch / next working day delivery").
_SERVICE_NOUN_AFTER = re.compile(
    r"^[\s-]*(?:(?:standard|tracked|ground|express|economy|courier)\s+)?"
    r"(?:dispatch|despatch|shipping|delivery|(?:order\s+)?processing|service|air)\b",
    re.I,
)
#: "by UPS next day", "Royal Mail 48": a time right after a carrier's name is its service's name, as
#: "USPS Priority Mail: 2-3 business days" is (README: a carrier's service is no claim).
_CARRIER_BEFORE = re.compile(
    r"\b(?-i:Royal Mail|Parcelforce|DPD|DHL|UPS|USPS|FedEx|Evri|Hermes|Yodel|GLS|TNT|Purolator|"
    r"Canada Post|Australia Post|An Post|NZ Post|Sendle|Aramex|OnTrac)(?:\s+[A-Z][a-z]+){0,2}\s*$"
)
#: "ships every 12 weeks", "every 4 to 20 weeks": a period of repetition (a subscription's interval),
#: not the time one order takes.
_EVERY_BEFORE = re.compile(r"\b(?:every|each)\s+(?:other\s+)?$", re.I)
#: "production begins that day", "it begins the next day": when work on an order starts, not when it
#: leaves (as "starts processing the same day", :data:`_STARTS_ONLY`).
_BEGINS_BETWEEN = re.compile(r"\b(?:begin|start|commence)s?\b", re.I)
#: "a 3-day, 2-day or overnight service", "1-day and 2-day shipping": durations naming services in a
#: list of options, no promise of any one of them.
_SERVICE_OPTION = (
    r"(?:\d{1,2}[- ](?:business[- ]|working[- ])?(?:day|hour)|overnight|next[- ]day|same[- ]day)"
)
_SERVICE_LIST_AFTER = re.compile(
    rf"^\s*(?:(?:,|\band\b|\bor\b|/)\s*{_SERVICE_OPTION}\s*)+"
    r"(?:services?|shipping|delivery|options?|methods?|upgrades?)\b",
    re.I,
)
_SERVICE_LIST_BEFORE = re.compile(rf"{_SERVICE_OPTION}\s*(?:,|\band\b|\bor\b|/)\s*$", re.I)
#: How far before a duration its cue may stand when no clause break comes between them
#: ("Standard shipping within the continental United States is generally 5-7 business days").
_CUE_REACH = 50
_CLAUSE_CUE_REACH = 90
#: A long clause about a message or a question is about its answer's time, not the parcel's
#: ("Shipping questions sent through our form are answered within 2 business days").
_MESSAGE_TALK = re.compile(
    r"\b(?:answer\w*|questions?|enquir\w*|inquir\w*|contact\w*|messages?|e-?mails?|calls?|tickets?)\b", re.I
)
#: A cue after the duration: "allow 3-5 working days for delivery", "1-2 days to process".
_CUE_AFTER = re.compile(
    r"^[\s,]*(?:(?:after|from|of)\s+(?:you\s+(?:order|pay|purchase)|ordering|purchase|payment|"
    r"(?:placing\s+)?your\s+(?:order|purchase|payment)(?:\s+(?:is|has been)\s+(?:placed|received))?)"
    r"[\s,]+)?"
    # "which takes 1-3 days on average to arrive": a hedge between the value and its cue
    r"(?:(?:on\s+average|usually|typically|normally|generally)[\s,]+)?"
    # "spend 2-4 business days in transit": the journey named after its time
    r"(?:for|to|before|until|in(?=\s+transit\b))\b(?P<rest>[^.;,!?]{0,45})",
    re.I,
)


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


def _time_value(m: re.Match[str]) -> str:
    if m.group("either"):
        # "same or next business day": at most one day, a span starting at zero
        return "0-1 business days" if re.search("business|work", m.group("either"), re.I) else "0-1 days"
    if m.group("same") or m.group("that"):
        return "same day"
    if m.group("next"):
        return "next business day" if re.search("business|work", m.group("next"), re.I) else "next day"
    unit = m.group("unit").lower()
    unit = "hour" if unit.startswith(("hour", "hr")) or unit == "h" else unit.rstrip("s")
    if unit == "weekday":
        unit = "business day"
    elif m.group("biz"):
        unit = f"business {unit}"
    hi = int(m.group("hi"))
    if m.group("lo"):
        return f"{int(m.group('lo'))}-{hi} {unit}s"
    return f"{hi} {unit}{'' if hi == 1 else 's'}"


#: A duration written before its noun: "same-day dispatch", "2-day shipping", "3-5 working day delivery".
_DURATION_NOUN = re.compile(
    r"\b(?P<n>same|next|(?:(?P<lo>\d{1,2})\s*(?:-|–|—|to)\s*)?\d{1,2})"
    r"[- ](?P<biz>business[- ]|working[- ]|work[- ])?day\s+"
    r"(?:(?:standard|tracked|ground|express|economy|courier)\s+)?"
    r"(?P<noun>dispatch|despatch|shipping|delivery|(?:order\s+)?processing)\b",
    re.I,
)
#: A service noun under a negation in its own clause ("We have no cut-off time for same-day shipping",
#: "we don't offer next-day dispatch"): the service is denied or only talked about, never promised.
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never)\b[^,;.]{0,40}$|n['’]t\b[^,;.]{0,40}$", re.I)
_NEGATED_AFTER = re.compile(
    r"^[^.;]{0,20}?\b(?:is|are)\s+(?:not|no longer|currently not|temporarily not)\b|^[^.;]{0,20}?"
    r"\b(?:isn['’]t|aren['’]t|unavailable)\b",
    re.I,
)
#: "Orders placed after 2pm ship the next business day", "same day if ordered by 1pm, otherwise the
#: next working day": the rule for late orders, not the promise.
_AFTER_CUTOFF = re.compile(
    r"\bafter\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight|"
    r"th(?:is|at|e) (?:time|cut[- ]?off)|cut[- ]?off)\b|"
    # "after our daily cut-off", "after the 2 PM EST cut-off"
    r"\bafter\s+(?:the|our)\s+(?:\S+\s+){1,3}?cut[- ]?off\b|"
    r"\bnot\s+(?:\w+\s+){0,3}?(?:by|before)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday)|"
    r"\b(?:later|otherwise|thereafter)\b|"
    # "the same day before a set cut-off time, and the next day after it": the cut-off named before
    r"(?:\bcut[- ]?off\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b)[^.]*\bafter\s+(?:it|that|this)\b|"
    # orders placed when no one works ("placed at the weekend or on a holiday ... the next business day")
    r"\b(?:placed|received|made)\s+(?:at|on|over|during)\s+(?:the\s+|a\s+)?(?:weekends?|"
    r"(?:public\s+|bank\s+)?holidays?)\b",
    re.I,
)


def _has_time_cue(text: str) -> bool:
    return bool(_DISPATCH_CUE.search(text) or _DELIVERY_CUE.search(text))


#: "after dispatch", "from despatch", "post-dispatch", "once shipped": the point a count starts from.
_COUNT_ORIGIN = re.compile(
    r"\b(?:after|from|since|post|once)[\s-]+(?:(?:it|they)\s+(?:is|are|has|have)\s+)?$", re.I
)


def _time_cues(text: str) -> list[tuple[int, str]]:
    """(end, kind) of the dispatch and delivery cues in ``text``.

    A dispatch cue that is the origin of a count ("Delivery time (after
    dispatch)", "post-dispatch: 1-2 days") names the journey from dispatch on:
    a delivery cue.
    """
    cues = [
        (c.end(), DELIVERY_TIME if _COUNT_ORIGIN.search(text[: c.start()]) else DISPATCH_TIME)
        for c in _DISPATCH_CUE.finditer(text)
    ]
    # "dispatched for delivery within 1-2 days", "shipped out for delivery": the delivery named as the
    # dispatch's purpose is no cue of its own
    return cues + [
        (c.end(), DELIVERY_TIME)
        for c in _DELIVERY_CUE.finditer(text)
        if not _FOR_PURPOSE.search(text[: c.start()])
    ]


_FOR_PURPOSE = re.compile(
    r"\b(?:dispatch|despatch|ship|sen[dt]|post|hand)\w*(?:\s+out)?\s+for\s+(?:home\s+)?$", re.I
)


#: "Same-day delivery requires authority to leave", "... costs $15": the service's terms, not its time.
_SERVICE_TERMS_AFTER = re.compile(
    r"^\s+(?:requires?|needs?|costs?|carries|incurs|is\s+(?:charged|priced)\s+at)\b", re.I
)


def _noun_durations(sentence: str, wanted: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of durations before a service noun that belong to ``wanted``."""
    out: list[tuple[int, int, str]] = []
    for m in _DURATION_NOUN.finditer(sentence):
        n, noun = m.group("n").lower(), m.group("noun").lower()
        if noun.endswith("processing") or noun == "despatch":
            noun = "dispatch"  # "same day order processing" is the time to dispatch
        if _NEGATED_AFTER.match(sentence[m.end() :]) or _NEGATED_BEFORE.search(sentence[: m.start()]):
            continue  # "same-day dispatch is not available", "we have no cut-off time for same-day shipping"
        if _SERVICE_LIST_BEFORE.search(sentence[: m.start()]):
            continue  # "1-day and 2-day shipping are available": services on offer, none promised
        if n == "same" and _SERVICE_TERMS_AFTER.match(sentence[m.end() :]):
            continue  # a "3-5 day delivery" that costs £2.99 still names its time; "same-day" only a service
        if n == "same":
            kind, value = (DELIVERY_TIME if noun == "delivery" else DISPATCH_TIME), "same day"
        elif n == "next":
            if noun != "dispatch":
                continue  # "next-day delivery" names a service tier; its duration is not promised
            kind, value = DISPATCH_TIME, "next day"
        else:
            if noun == "dispatch":
                continue
            hi = int(re.split(r"\D+", n)[-1])
            unit = "business day" if m.group("biz") else "day"
            if m.group("lo"):
                value = f"{int(m.group('lo'))}-{hi} {unit}s"
            else:
                value = f"{hi} {unit}{'' if hi == 1 else 's'}"
            kind = DELIVERY_TIME
        if kind == wanted:
            out.append((m.start(), m.end(), value))
    return out


def _cue_after(rest: str) -> list[tuple[int, str]]:
    """The kind named right after a duration that has no cue before it.

    "Please allow 3-5 working days for delivery", "Orders take 1-2 days to
    process", "it takes 2-4 days for the courier to deliver": the first cue
    of the "for/to ..." phrase decides; a refund or tracking in that phrase
    makes it no dispatch or delivery time at all.
    """
    m = _CUE_AFTER.match(rest)
    if not m or _ASIDE.search(m.group("rest")):
        return []
    # the phrase ends where the next clause or the next value begins ("... and 4-6 days for delivery")
    phrase = re.split(r"[;()\[\]]|\d", m.group("rest"), maxsplit=1)[0]
    # "to receive your shipment after dispatch": dispatch is where the count starts, not the cue
    found = [
        (c.start(), DISPATCH_TIME)
        for c in _DISPATCH_CUE.finditer(phrase)
        if not _COUNT_ORIGIN.search(phrase[: c.start()])
    ]
    found += [(c.start(), DELIVERY_TIME) for c in _DELIVERY_CUE.finditer(phrase)]
    return [(0, min(found)[1])] if found else []


def _compared_with(before: str) -> bool:
    """True for a value after "faster/longer than" that is not negated ("no longer than" promises)."""
    m = _COMPARED.search(before)
    return bool(m and not m.group("neg"))


def _extract_times(sentence: str, wanted: str, region: str = "US") -> list[Claim]:
    """Durations with the nearest dispatch/delivery cue before them.

    A tier listed after another one in the same sentence ("Standard delivery
    takes 3-5 days; Express takes 1-2 days") continues the previous span's
    kind when a clause break separates them and no cue of its own is given.
    """
    claims: list[Claim] = []
    previous_end = value_end = 0
    last_kind: str | None = None
    for m in _TIME_SPAN.finditer(sentence):
        own_part = value_end
        previous_start, value_end = own_part, m.end()
        window = sentence[max(previous_end, m.start() - _CUE_REACH) : m.start()]
        clause_start = _clause_bounds(sentence, m.start(), m.end())[0]
        if not _has_time_cue(window) and clause_start < m.start() - _CUE_REACH:
            # a long subject between the cue and its value, in one clause: read the whole clause
            wide = sentence[max(previous_end, clause_start, m.start() - _CLAUSE_CUE_REACH) : m.start()]
            if not (_ASIDE.search(wide) or _MESSAGE_TALK.search(wide)):
                window = wide
        if not _has_time_cue(window):
            # an aside in brackets stands between the cue and its value ("dispatch all orders received
            # before 1pm (Mon - Fri) within 48 hours"): read past it
            bare = re.sub(r"\([^()]*\)", " ", sentence[previous_end : m.start()])
            if _has_time_cue(bare[-_CUE_REACH:]):
                window = bare[-_CUE_REACH:]
        previous_end = m.end()
        after = _CUE_AFTER.match(sentence[m.end() :])
        if m.group("that") and not _CUTOFF_BEFORE_CLOCK.search(sentence[: m.start()]):
            continue  # "today" or "that day" is a same-day promise only for orders in by a time
        if _DAY_POSSESSIVE.match(sentence[m.end() :]) or _SERVICE_LIST_AFTER.match(sentence[m.end() :]):
            last_kind = None
            continue  # "the following day's roast", "a 3-day, 2-day or overnight service"
        if (
            ((m.group("next") or m.group("same")) and _SERVICE_NOUN_AFTER.match(sentence[m.end() :]))
            or ((m.group("next") or m.group("hi")) and _CARRIER_BEFORE.search(sentence[: m.start()]))
            or _EVERY_BEFORE.search(sentence[: m.start()])
        ):
            last_kind = None
            continue  # "for next day delivery", "by UPS next day", "every 12 weeks": a service or a period
        if (
            m.group("next")
            and (cond := _FALLBACK_CONDITION.match(sentence[: m.start()]))
            and ("," in sentence[cond.end() : m.start()] or cond.end() >= m.start())
        ):
            last_kind = None
            continue  # "If the carrier misses the pickup, orders go out the next business day"
        if _COUNTDOWN.search(sentence[: m.start()]):
            last_kind = None
            continue  # "order within the next 2 hours for delivery tomorrow": a countdown, not a time
        if (
            re.match(
                r"[\s-]*(?:free\s+)?(?:a week|of the week|returns?|refunds?|warranty|trial|guarantee|money|"
                r"(?:service|option|method|rate|product)s?\b|"
                # "outside our 1-2 day ground zone", "a 4 day transit area": a place named by its time
                r"(?:[a-z]+\s+)?(?:zone|area|region)s?\b)",
                sentence[m.end() :],
                re.I,
            )
            or _TIME_BLOCKERS.search(window)
            # "Refunds paid under our dispatch guarantee are made within 5 days": the clause's subject
            or _TIME_BLOCKERS.search(sentence[max(previous_start, clause_start) : m.start()])
            or _UNLESS_LATE.search(window)
            or _LEADING_CONDITION.search(sentence[: m.start()])
            or _BY_LAW.search(sentence[: m.start()])
            or _HEDGE.search(sentence[max(previous_start, clause_start) : m.start()])
            or _TRACKING_SENT.search(sentence[max(previous_start, clause_start) : m.start()])
            or _ONE_WEEKDAY_ORDER.search(sentence[max(previous_start, clause_start) : m.start()])
            or _SOME_OF_THEM.search(sentence[max(previous_start, clause_start) : m.start()])
            or _QUOTED_EXAMPLE.search(sentence[max(0, m.start() - 120) : m.start()])
            or _compared_with(sentence[max(0, m.start() - 40) : m.start()])
            or (wanted == DISPATCH_TIME and _STARTS_ONLY.search(window))
            or (after is not None and _ASIDE.search(after.group("rest")))
            or _PEAK.search(sentence[max(previous_start, clause_start) : m.start()])
            or _PEAK.match(_CLAUSE_END.split(sentence[m.end() :], maxsplit=1)[0].lstrip(" ("))
        ):
            last_kind = None
            continue
        cues = _time_cues(window)
        # what stands between the value and its cue before it ("does not get it to you the next day")
        since_cue = window[max(cues)[0] :] if cues else ""
        if not cues and not _EXTRA_TIME.search(window) and not _ASIDE.search(window):
            # "Tracking can take 2 days to show the parcel as delivered": the subject's time, not the parcel's
            cues = _cue_after(sentence[m.end() :])
            if cues and _NEGATION.search(sentence[clause_start : m.start()]):
                cues = []  # "plants should never spend more than 3 days in transit": a limit, not a time
            if cues and after is not None:
                # "1-2 days for processing and 3-7 days for shipping": "for processing" is this
                # duration's cue, not a cue before the next one
                phrase = after.group(0)
                cut = _CLAUSE_BREAK.search(phrase)
                previous_end = m.end() + (cut.start() if cut else len(phrase))
        cues_own = bool(cues)
        if not cues and last_kind and _CLAUSE_BREAK.search(window):
            cues = [(0, last_kind)]  # "Standard takes 3-5 days; Express 1-2 days": the same kind
        last_kind = max(cues)[1] if cues else None
        if _FROM_DISPATCH.match(sentence[m.end() :]) and not _EXTRA_TIME.search(window):
            last_kind = DELIVERY_TIME  # "allow 2-3 days after dispatch": the time counted from dispatch
        if last_kind != wanted:
            continue
        if _NEGATION.search(since_cue):
            continue  # "does not get an item to you the next day"
        if wanted == DISPATCH_TIME and _BEGINS_BETWEEN.search(since_cue):
            continue  # "If processed by 9 am, production begins that day": work starts, nothing leaves
        if _BEFORE_DATE.match(sentence[m.end() :]):
            continue  # "a call 2-3 days before your delivery date"
        if _FROM_DELIVERY.match(sentence[m.end() :]):
            continue  # "contact us within 48 hours of delivery"
        # the item named anywhere before the value in its part of the sentence ("Pre-orders are shipped
        # when stock arrives, usually within 3 weeks"); a ";" or "but/while" starts another subject
        breaks = [b for b in _SUBJECT_BREAK.finditer(sentence, 0, m.start())]
        lo = breaks[-1].end() if breaks else 0
        if _OWN_LEAD_TIME.search(sentence[lo : m.start()]):
            continue
        if breaks and _PRONOUN_SUBJECT.search(sentence[lo : m.start()]):
            # "Each item is made to order; we aim to have it ready in 5-7 days": "it" is that item
            before = sentence[breaks[-2].end() if len(breaks) > 1 else 0 : breaks[-1].start()]
            if _OWN_LEAD_TIME.search(before):
                continue  # "pre-order items ship in 4-6 weeks": that item's lead time, not the shop's promise
        hi = next((b.start() for b in _SUBJECT_BREAK.finditer(sentence, m.end())), len(sentence))
        if _OWN_SERVICE.search(sentence[lo:hi]):
            continue  # "two-person delivery within 10-14 days, booked in by phone": a service of its own
        if _for_region(sentence, m.start(), m.end(), max(lo, own_part), region):
            continue  # "Orders to Alaska and Hawaii arrive in 7-10 days": a region's time, with no key
        key = qualifier_near(sentence, m.start(), m.end())
        if key and _home_in_clause(sentence, m.start(), m.end(), region):
            key = ""  # "delivery within Germany takes 5-7 days and international 7-8": home is the default
        if key is None:
            continue  # "1-2 days" next to both "standard" and "express": whose is it?
        if key == "" and own_part and _CONCEDED.search(sentence[own_part : m.start()]):
            continue  # "..., but an order can take up to two business days": the worst case conceded
        if key == "" and not cues_own and any(c.key == "" for c in claims):
            # a second default value of the same kind, with no cue of its own: another subject's time,
            # a part of the goods ("..., and products rated 'Good' within 5 business days"; README:
            # times of a part of the orders are no claim)
            continue
        value = _time_value(m)
        if (low := _LOWER_BOUND_AFTER.match(sentence[m.end() :])) and _UPPER_BOUND_BEFORE.search(window):
            # "at most 5 business days and at least 2": the two ends of one range
            if not m.group("lo") and m.group("hi") and int(low.group("n")) < int(m.group("hi")):
                value = _time_value(m).replace(m.group("hi"), f"{int(low.group('n'))}-{m.group('hi')}", 1)
                value = value if value.endswith("s") else value + "s"
        if key in {"next day", "overnight"} and value.startswith("next"):
            continue  # the next-day service delivering the next day: its name, no promise of its own
        if lo == 0 and _CARRIER_LINE.match(sentence):
            continue  # "Royal Mail First Class: delivery within 1-3 days"
        if wanted == DISPATCH_TIME and value.startswith("next") and _AFTER_CUTOFF.search(sentence):
            continue
        if value.startswith("next") and _NOT_UNTIL.search(window):
            continue
        if _NEGATED_AFTER.match(sentence[m.end() :]):
            continue
        claims.append(Claim(kind=wanted, value=value, display=value, sentence=sentence, key=key))
    seen = {c.value for c in claims}
    for start, end, value in _noun_durations(sentence, wanted):
        key = qualifier_near(sentence, start, end)
        if key is None or value in seen:
            continue
        seen.add(value)
        claims.append(Claim(kind=wanted, value=value, display=value, sentence=sentence, key=key))
    return claims


@_normalised
def extract_dispatch_times(sentence: str, region: str = "US") -> list[Claim]:
    """How soon an order leaves the warehouse ("ships within 1–2 business days").

    ``region`` is the shop's country: a time for it is the default one, a time
    for another named place or an outlying area is no claim.
    """
    return _extract_times(sentence, DISPATCH_TIME, region)


@_normalised
def extract_delivery_times(sentence: str, region: str = "US") -> list[Claim]:
    """How long until the parcel arrives ("delivery in 3-5 business days"); ``region`` as for dispatch."""
    return _extract_times(sentence, DELIVERY_TIME, region)


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


# ---------------------------------------------------------------------------
# Warranty
# ---------------------------------------------------------------------------

_WARRANTY_WORD = r"(?:warranty|warranted|guarantee|guaranteed)"
_WARRANTY_BEFORE = re.compile(
    rf"{_DURATION}[\s-]*(?:of\s+)?(?:(?:[a-z]+['’]?s?|parts and labou?r)\s+){{0,2}}{_WARRANTY_WORD}",
    re.I,
)
#: "covers defects for 5 years from the date of purchase", "within 2 years of purchase".
_DURATION_2 = _DURATION.replace("?P<n>", "?P<n2>").replace("?P<unit>", "?P<unit2>")
_WARRANTY_PERIOD = re.compile(
    rf"\b(?:for\s+(?:a\s+period\s+of\s+|up\s+to\s+)?{_DURATION}|"
    rf"within\s+{_DURATION_2}(?=\s+(?:of|from|after)\s+(?:the\s+)?(?:date\s+of\s+)?"
    rf"(?:purchas|delivery|receipt|shipment)))",
    re.I,
)
#: A warranty word that is about a warranty, not a modifier of another noun: "send back the warranty
#: card within 15 days" is a deadline for the card, not a warranty period.
_WARRANTY_SENTENCE = re.compile(
    r"\b(?:warrant|guarantee)\w*\b(?!\s+(?:cards?|registration|forms?|claims?|certificates?|requests?|"
    r"returns?|repairs?|department|team)\b)",
    re.I,
)
_WARRANTY_AFTER = re.compile(
    # ... with what it covers between: "The warranty period for kitchenware is 5 years"
    rf"{_WARRANTY_WORD}\s*(?:period\s*)?(?:for\s+[a-z-]+(?:\s+[a-z-]+)?\s+(?=is\b|lasts\b))?"
    rf"(?::|of|for|is|lasts|covers you for)?\s*"
    rf"(?:up to\s+|a\s+)?{_DURATION}",
    re.I,
)
_LIFETIME = re.compile(
    # "lifetime limited warranty", "lifetime manufacturer's frame warranty": up to two words between
    rf"\blifetime\s+(?:(?:limited|manufacturer['’]?s?|[a-z]+)\s+){{0,2}}{_WARRANTY_WORD}|"
    # "guaranteed for life", "warranted for the lifetime of the product"
    r"\b(?:warrant(?:y|ed)|guaranteed?)\s+for\s+(?:the\s+)?life(?:time)?\b",
    re.I,
)
_NOT_WARRANTY = re.compile(
    r"money[- ]back|satisfaction|price (?:match|guarantee)|best price|returns?\b", re.I
)


#: A period for one part followed by another's ("12 months for batteries and 36 months for all other
#: equipment"): the warranties are per part (see the README's labelling decisions), none is the shop's.
_PART_LIST_AFTER = re.compile(rf"^\s+for\s+[^,;.]{{1,40}}?(?:,|\band\b)\s*(?:\w+\s+)?{_DURATION}", re.I)


#: A warranty on a repair or a service ("a 30-day limited warranty on the shop's repair work", "90 days
#: on all repairs"): the work's cover, not the product's warranty.
_SERVICE_WARRANTY_AFTER = re.compile(
    r"^\s+(?:on|for|covering)\s+(?:all\s+|any\s+|the\s+|our\s+)?(?:[\w'’]+\s+)?"
    r"(?:repairs?\b|repair\s+work|service\s+work|servicing\b)",
    re.I,
)


#: What is left of another warranty ("for the remainder of the original warranty period"): a
#: replacement's or repair's cover, not the product's warranty.
_REMAINDER_OF = re.compile(
    r"\b(?:rest|remainder|balance|unexpired\s+(?:part|portion))\s+of\s+(?:the\s+|your\s+|its\s+)?"
    r"(?:original\s+|product['’]s\s+)?[\w\s-]{0,15}$",
    re.I,
)


#: A sentence whose subject is a replacement or a repaired item ("Replacement products or parts are
#: warranted from the invoice date or for 45 days", "Repaired units carry 90 days' cover"): the cover
#: of what replaced a faulty item, as "for the rest of the original warranty" is (README, round 4).
_REPLACEMENT_SUBJECT = re.compile(
    r"^\W*(?:(?:any|the|a|all|each)\s+)?(?:replacement|replaced|repaired)\s*"
    r"(?:(?:products?|parts?|items?|units?|goods|components?)\s*)?(?:(?:or|and|&)\s+\w+\s*)?"
    r"(?:are|is|will\s+be|carry|carries|come|comes|have|has)\b",
    re.I,
)


@_normalised
def extract_warranties(sentence: str) -> list[Claim]:
    """Warranty periods ("2-year warranty", "warranty: 24 months", "lifetime warranty").

    Money-back and satisfaction "guarantees" are return promises, not warranties.
    """
    if _REPLACEMENT_SUBJECT.match(sentence):
        return []  # "Replacement parts are warranted for 45 days": a replacement's cover, not the product's
    claims: list[Claim] = []
    spans: list[tuple[int, int, str]] = []
    for rx in (_WARRANTY_BEFORE, _WARRANTY_AFTER):
        for m in rx.finditer(sentence):
            context = sentence[max(0, m.start() - 15) : m.end()]
            if _NOT_WARRANTY.search(context):
                continue
            if _SERVICE_WARRANTY_AFTER.match(sentence[m.end() :]):
                continue  # "a 30-day warranty on the shop's repair work": the service's, not the product's
            if _PART_LIST_AFTER.match(sentence[m.end() :]):
                return []  # "12 months for batteries and 36 months for the rest": each part's own period
            n, unit = cl.normalise_duration(_to_int(m.group("n")), m.group("unit"))
            spans.append((m.start(), m.end(), _duration_text(n, unit)))
    if _WARRANTY_SENTENCE.search(sentence) and not _NOT_WARRANTY.search(sentence):
        for m in _WARRANTY_PERIOD.finditer(sentence):
            groups = m.groupdict()
            count = next(v for k, v in groups.items() if k.startswith("n") and v)
            unit = next(v for k, v in groups.items() if k.startswith("unit") and v)
            n_int, unit_norm = cl.normalise_duration(int(count), unit)
            spans.append((m.start(), m.end(), _duration_text(n_int, unit_norm)))
    for m in _LIFETIME.finditer(sentence):
        if m.group(0).lower().startswith(("warrant", "guarant")) and _NOT_WARRANTY.search(
            sentence[max(0, m.start() - 15) : m.start()]
        ):
            continue  # "satisfaction guaranteed for life": a return promise
        spans.append((m.start(), m.end(), "lifetime"))
    seen: set[str] = set()
    for start, end, value in sorted(spans):
        if value in seen:
            continue  # (before the qualifier: a page repeating one period is read in linear time)
        key = qualifier_near(sentence, start, end)
        if key is None:
            continue
        if _REMAINDER_OF.search(sentence[max(0, start - 40) : start]):
            continue  # "a replacement is covered for the rest of the original one year warranty"
        seen.add(value)
        claims.append(Claim(kind=WARRANTY, value=value, display=value, sentence=sentence, key=key))
    keys = [c.key for c in claims]
    if len(keys) != len(set(keys)):
        # two periods for one scope in one sentence: each is some part's or product's ("the frame has a
        # 10-year warranty and the components 1 year"), none is the shop's warranty
        return [c for c in claims if keys.count(c.key) == 1]
    return claims


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


# ---------------------------------------------------------------------------
# Phone numbers and email addresses
# ---------------------------------------------------------------------------

_NOT_PHONE_BEFORE = re.compile(
    r"\b(order|sku|item|model|ref(?:erence)?|invoice|tracking|serial|isbn|upc|ean|part|account|"
    r"fax|confirmation|style|product|id|no\.?|"
    # a business's register and tax numbers ("VAT Number: GB 301 361 753", "company number 07636851")
    r"vat|company|registration|reg|crn|abn|acn|gst|hst|tax|ein|iban|ust-?idnr)\b"
    r"\W*(?:number|no\.?|#|id)?\W*(?:(?:e\.g\.|i\.e\.|like|such as)\W*)?(?:[A-Z]{2}\s?)?$|#\s*$",
    re.I,
)
_PHONE_CUE = re.compile(
    r"\b(call|phone|tel|telephone|mobile|text|sms|whatsapp|ring|hotline|helpline)\b|☎|📞", re.I
)


#: Country names that say which national format a number without "+country" is written in.
_REGION_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:UK|U\.K\.|United Kingdom|Britain|England|Scotland|Wales)\b"), "GB"),
    (re.compile(r"\b(?:Ireland|ROI)\b"), "IE"),
    (re.compile(r"\b(?:US|USA|U\.S\.|United States|Canada)\b"), "US"),
    (re.compile(r"\bAustralia\b"), "AU"),
    (re.compile(r"\bNew Zealand\b"), "NZ"),
    (re.compile(r"\b(?:Germany|Deutschland)\b"), "DE"),
    (re.compile(r"\bFrance\b"), "FR"),
    (re.compile(r"\b(?:Netherlands|Holland)\b"), "NL"),
    (re.compile(r"\b(?:Spain|España)\b"), "ES"),
    (re.compile(r"\b(?:Italy|Italia)\b"), "IT"),
    (re.compile(r"\bSouth Africa\b"), "ZA"),
    (re.compile(r"\bIndia\b"), "IN"),
    (re.compile(r"\bSingapore\b"), "SG"),
]


#: Regions tried, in this order, for a national number no country is named for ("020 7946 0321").
_FALLBACK_REGIONS = ("GB", "AU", "IE", "NZ", "CA", "DE", "FR", "NL", "ES", "IT")
_CONTACT_CUE = re.compile(
    r"\b(?:freephone|helpline|contact|number|customer (?:service|care|support))\b", re.I
)


def _grouping(text: str) -> str:
    """Digits in their written groups: "(02) 9876-5432" → "02 9876 5432"."""
    return re.sub(r"[\s().\-]+", " ", text).strip()


def _foreign_national(sentence: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """National numbers of another region, told by how their digits are grouped.

    A number written "020 7946 0321" cannot be dialled in the US (no area
    code starts with 0); of the regions where it is a valid number, it is
    read in the first whose own national format groups the digits exactly as
    written ("0161 496 0732" is British, "(02) 9876 5432" Australian). Only
    with a phone or contact cue: a grouped run of digits alone is not enough.
    """
    if not (_PHONE_CUE.search(sentence) or _CONTACT_CUE.search(sentence)):
        return []
    found: dict[tuple[int, int], phonenumbers.PhoneNumberMatch] = {}
    for other in _FALLBACK_REGIONS:
        if other == region:
            continue
        for m in PhoneNumberMatcher(sentence, other, leniency=Leniency.VALID):
            if (m.start, m.end) in found or not re.match(r"\(?0|1[38]00\b", m.raw_string):
                continue
            national = phonenumbers.format_number(m.number, PhoneNumberFormat.NATIONAL)
            # "0044 20 7946 0321": dialled with the international prefix most of the world uses
            if _grouping(national) == _grouping(m.raw_string) or m.raw_string.startswith("00"):
                found[(m.start, m.end)] = m
    return list(found.values())


def _phone_matches(sentence: str, region: str) -> list[phonenumbers.PhoneNumberMatch]:
    """Possible numbers in ``region``'s format, plus national numbers of a country the sentence names.

    "UK customers: 020 7946 0321" on a US site is a British number: a match
    in the named country's format wins over the default region's where it is
    a valid number there and the default region's reading is not. With no
    country named, a national number of another region is told by its
    grouping (see :func:`_foreign_national`).
    """
    matches = list(PhoneNumberMatcher(sentence, region, leniency=Leniency.POSSIBLE))
    cued = {code for rx, code in _REGION_CUES if code != region and rx.search(sentence)}
    for other in sorted(cued):
        for m in PhoneNumberMatcher(sentence, other, leniency=Leniency.VALID):
            overlapping = [x for x in matches if x.start < m.end and m.start < x.end]
            if any(phonenumbers.is_valid_number(x.number) for x in overlapping):
                continue
            matches = [x for x in matches if x not in overlapping] + [m]
    if not cued:
        for m in _foreign_national(sentence, region):
            overlapping = [x for x in matches if x.start < m.end and m.start < x.end]
            if any(phonenumbers.is_valid_number(x.number) for x in overlapping):
                continue
            if any(_home_trunk_format(x, region) for x in overlapping):
                continue  # "07700 900123" on a UK shop: a home number (maybe mistyped), not a German one
            matches = [x for x in matches if x not in overlapping] + [m]
    return sorted(matches, key=lambda x: x.start)


def _home_trunk_format(match: phonenumbers.PhoneNumberMatch, region: str) -> bool:
    """A possible number of ``region`` written with that region's own trunk prefix ("0…" in the UK)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata else None
    return (
        prefix is not None
        and prefix not in ("", "1")
        and match.raw_string.strip().lstrip("(").startswith(prefix)
        and phonenumbers.is_possible_number(match.number)
    )


#: A vanity number: digits, then capital letters standing for digits ("1-800-FLOWERS", "0800 FLOWERS",
#: "1-888-SHOP-NOW").
_VANITY = re.compile(r"(?<![\w+])(\+?\d[\d().\s-]{1,10}?[-.\s]?[A-Z]{3,}(?:[-.\s]?[A-Z0-9]{2,})*)(?![\w-])")


def _vanity_numbers(sentence: str, region: str) -> list[tuple[str, phonenumbers.PhoneNumber]]:
    """(written form, number) of the vanity numbers in a sentence with a phone cue."""
    if not (_PHONE_CUE.search(sentence) or _CONTACT_CUE.search(sentence)):
        return []
    found = []
    for m in _VANITY.finditer(sentence):
        digits = phonenumbers.convert_alpha_characters_in_number(m.group(1))
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            found.append((m.group(1).strip(), number))
    return found


def _without_trunk_prefix(match: phonenumbers.PhoneNumberMatch) -> bool:
    """A number written with neither "+country" nor the trunk prefix its country dials it with.

    In the UK, Australia, Germany... a national number is written with its
    leading "0" ("01603 728410", "(02) 9481 2207"); digits without it are a
    phone only where they form an assigned number of their own (Australia's
    "13 76 78", "1300 727 184"). A VAT or order number read in such a region
    has neither. North American numbers are written without their "1".
    """
    raw = match.raw_string.strip().lstrip("(")
    if raw.startswith(("+", "00")):
        return False
    country = phonenumbers.region_code_for_country_code(match.number.country_code or 0)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    prefix = metadata.national_prefix if metadata else None
    return prefix is not None and prefix not in ("", "1") and not raw.startswith(prefix)


def extract_phones(sentence: str, region: str = "US") -> list[Claim]:
    """Phone numbers, normalised to E.164 by ``phonenumbers`` (extensions dropped).

    Every *possible* number (right length for its region) is a claim, valid or
    not: a typo'd or placeholder number on one channel must show up as a
    difference, not vanish. ``extra["dialable"]`` is ``"no"`` for numbers
    ``phonenumbers`` does not know as assigned (area code 555, "123-456-7890"),
    which the messaging check reports on their own. Digit runs next to
    "order", "SKU", "#"... are not phone numbers; a bare run of digits without
    separators needs a phone cue ("call", "tel").
    """
    claims: list[Claim] = []
    seen: set[str] = set()
    for match in _phone_matches(sentence, region):
        reason = phonenumbers.is_possible_number_with_reason(match.number)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
            continue  # "555-0100": a local-only or wrong-length number cannot be compared
        before = sentence[max(0, match.start - 25) : match.start]
        if _NOT_PHONE_BEFORE.search(before) or _NOT_CLOCK_AFTER.match(sentence[match.end :]):
            continue  # "order #1234", "10-15 business days"
        if third_party_contact(sentence, match.start):
            continue  # "call the carrier on 0800 ...": the sentence gives it as someone else's
        if re.search(r"[$£€¥₹]\s*$", before) or re.fullmatch(r"[\d,]+\.\d{2}", match.raw_string.strip()):
            continue  # "$10.00": an amount of money
        if re.search(r"\b[A-Z]{0,2}\d+[ -]$", before):
            continue  # "DE89 3704 0044 0532 0130 00": the tail of a longer run of digit groups (an IBAN)
        raw = match.raw_string
        if not re.search(r"[+()\-.\s]", raw.strip()) and not _PHONE_CUE.search(sentence):
            continue
        if _without_trunk_prefix(match) and not phonenumbers.is_valid_number(match.number):
            continue  # "4410982", "301 361 753": not how a national number is written there
        e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        if e164 in seen:
            continue
        seen.add(e164)
        dialable = "yes" if phonenumbers.is_valid_number(match.number) else "no"
        claims.append(
            Claim(
                kind=PHONE, value=e164, display=raw.strip(), sentence=sentence, extra={"dialable": dialable}
            )
        )
    for written, number in _vanity_numbers(sentence, region):
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if e164 in seen:
            continue  # "1-800-FLOWERS (1-800-356-9377)": one number written twice
        seen.add(e164)
        dialable = "yes" if phonenumbers.is_valid_number(number) else "no"
        claims.append(
            Claim(kind=PHONE, value=e164, display=written, sentence=sentence, extra={"dialable": dialable})
        )
    return claims


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


#: A sentence about a parcel coming back to the shop ("transit back to us (5 to 10 business days) and
#: our processing (3 to 5 business days)"): its times are the return's, not the order's.
_RETURN_JOURNEY = re.compile(
    r"\bback\s+to\s+us\b|\b(?:reach(?:es|ing)?|arrives?\s+(?:back\s+)?at)\s+"
    r"(?:us|the\s+(?:store|shop)|our\s+(?:store|shop|warehouse|facility))\b",
    re.I,
)


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
#: "Royal Mail First Class: delivery within 1-3 days": a carrier's service and its own time, not a
#: tier of the shop's (under a label naming the kind, the label's tier reading applies instead).
#: ... or by a carrier's service and its price ("Royal Mail Tracked 48 £4.75 (allow 2-4 days)")
_CARRIER_LINE = re.compile(rf"^\W*{_CARRIER_NAME.pattern}[^:;.]{{0,30}}?(?::|\s[£$€]\s?\d)")


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
