"""Money in text, product prices and free-shipping thresholds.

Amounts are parsed by ``price-parser``; the patterns here only find the
candidate spans and the words around them that make an amount a claim.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cx_auditor.checks.extractors._model import PRICE, THRESHOLD, Claim, Money, _normalised, _window_before
from cx_auditor.checks.extractors._places import _for_region, _region_of, qualifier_near
from price_parser import Price

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
