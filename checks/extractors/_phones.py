"""Support phone numbers, found and normalised by ``phonenumbers``."""

from __future__ import annotations

import re

import phonenumbers
from cx_auditor.checks.extractors._emails import third_party_contact
from cx_auditor.checks.extractors._hours import _NOT_CLOCK_AFTER
from cx_auditor.checks.extractors._model import PHONE, Claim
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

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
