"""What the extractors read from one text, in the small shapes the claim rule tests compare.

Shared by the topic test files (``test_claims_times.py``, ``test_claims_scope.py`` …), which each
check rules on wording of their own; every helper reads the whole text with
:func:`~cx_auditor.checks.extractors.extract_text`, as the messaging check does.
"""

from __future__ import annotations

from cx_auditor.checks import extractors as ex

TIME_KINDS = (ex.DISPATCH_TIME, ex.DELIVERY_TIME)


def claims(text: str, region: str = "US") -> set[tuple[str, str, str]]:
    """Every claim as (kind, key, value)."""
    return {(c.kind, c.key, c.value) for c in ex.extract_text(text, region=region)}


def claims_of_kinds(text: str, kinds: tuple[str, ...], region: str = "US") -> set[tuple[str, str, str]]:
    """The claims of some kinds only, as (kind, key, value)."""
    return {claim for claim in claims(text, region) if claim[0] in kinds}


def times(text: str, region: str = "US") -> set[tuple[str, str, str]]:
    """Dispatch and delivery times, as (kind, key, value)."""
    return claims_of_kinds(text, TIME_KINDS, region)


def of(kind: str, text: str, region: str = "US") -> set[tuple[str, str]]:
    """The claims of one kind, as (key, value)."""
    return {(key, value) for k, key, value in claims(text, region) if k == kind}
