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

This package re-exports the public surface; the rules live in private modules,
one per job, each importing only from the ones listed before it:

- ``_model``: :class:`Claim`, :class:`Money`, the kind constants and their labels,
  and the small helpers every rule shares (durations, the normalising decorator);
- ``_places``: qualifiers ("express", "member") and the places a value is limited to
  (the shop's home, regions, outlying areas);
- ``_money``: money in text, prices and free-shipping thresholds;
- ``_returns``: return windows;
- ``_times``: dispatch and delivery times, their cues and blockers;
- ``_promo``, ``_warranty``, ``_hours``, ``_emails``, ``_phones``, ``_cutoffs``: one claim kind each;
- ``_document``: custom claims, the registry and whole texts (headings, tables,
  labelled lines, answers, codes whose terms follow).
"""

from __future__ import annotations

from cx_auditor.checks.extractors._cutoffs import extract_order_cutoffs
from cx_auditor.checks.extractors._document import extract_all, extract_custom, extract_text
from cx_auditor.checks.extractors._emails import email_context, extract_emails
from cx_auditor.checks.extractors._hours import extract_support_hours
from cx_auditor.checks.extractors._model import (
    DELIVERY_TIME,
    DISPATCH_TIME,
    EMAIL,
    KIND_LABELS,
    ORDER_CUTOFF,
    PHONE,
    PRICE,
    PROMO_CODE,
    RETURN_WINDOW,
    SUPPORT_HOURS,
    THRESHOLD,
    WARRANTY,
    Claim,
    Money,
)
from cx_auditor.checks.extractors._money import (
    extract_free_shipping_thresholds,
    extract_prices,
    find_money,
    format_money,
    money_value,
)
from cx_auditor.checks.extractors._phones import extract_phones
from cx_auditor.checks.extractors._places import qualifier_near, qualifier_of
from cx_auditor.checks.extractors._promo import extract_promo_codes
from cx_auditor.checks.extractors._returns import extract_return_windows
from cx_auditor.checks.extractors._times import extract_delivery_times, extract_dispatch_times
from cx_auditor.checks.extractors._warranty import extract_warranties

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
