"""Focused tests for the claim rules of session 5, round 7, writer C (cut-offs, hours, phones, emails).

Each rule is tested on wording of its own (not the corpus rows it came from) and on the nearest
wording it must leave alone, so a rule that grows too wide or stops firing fails here.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex


def _of(kind: str, text: str, region: str = "US") -> set[tuple[str, str]]:
    return {(c.key, c.value) for c in ex.extract_text(text, region=region) if c.kind == kind}


# --- hours of a delivery are not support hours ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parcels are delivered between 8am and 6pm, Monday to Saturday.",
        "Orders are delivered 10am-4pm on weekdays.",
        "Our parcels go out Monday to Friday, 9am to 1pm.",
    ],
)
def test_delivery_windows_are_no_support_hours(text: str) -> None:
    assert _of(ex.SUPPORT_HOURS, text) == set()


def test_support_hours_beside_a_delivery_word_are_still_read_when_someone_answers() -> None:
    text = "Questions about a delivered parcel? Our care team answers Monday to Friday, 9am to 5pm."
    assert _of(ex.SUPPORT_HOURS, text) == {("", "mon-fri 09:00-17:00")}


# --- an address or number given as a third party's --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Orders abroad are run by our checkout partner; write to the partner at desk@xborder.example.",
        "For warranty repairs, contact the manufacturer directly at repairs@maker.example.",
        "Missed a delivery? Call the courier on 1-800-555-0191 to rebook it.",
    ],
)
def test_a_third_partys_contact_is_no_shop_contact(text: str) -> None:
    assert _of(ex.EMAIL, text) == set()
    assert _of(ex.PHONE, text) == set()


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Questions? Email our team at help@lanternhome.example.", ex.EMAIL, "help@lanternhome.example"),
        ("Our partners can reach us at trade@lanternhome.example.", ex.EMAIL, "trade@lanternhome.example"),
        ("Call us on 1-800-555-0148 about any delivery.", ex.PHONE, "+18005550148"),
    ],
)
def test_the_shops_own_contact_is_still_read(text: str, kind: str, value: str) -> None:
    assert ("", value) in _of(kind, text)
