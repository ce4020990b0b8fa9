"""Warranty periods: "2-year warranty", "lifetime guarantee"."""

from __future__ import annotations

import re

from cx_auditor.checks import _claims as cl
from cx_auditor.checks.extractors._model import (
    _DURATION,
    WARRANTY,
    Claim,
    _duration_text,
    _normalised,
    _to_int,
)
from cx_auditor.checks.extractors._places import qualifier_near

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
