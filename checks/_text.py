"""Small text helpers shared by the messaging and support checks.

Visible page text arrives as ``innerText``: lines from block elements, promo
banners glued together with middle dots, table cells separated by tabs.
Claims are judged per *sentence*, so the splitting here decides what context a
number is read in ("Free shipping over $50" must not borrow "Shipping $5.99"
from the next cart row).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["split_lines", "split_sentences", "normalise_space", "normalise_name", "contains_phrase"]

# Separators that end a claim even without a full stop: line breaks, the
# "·" / "•" / "|" used in promo banners, and sentence punctuation followed by
# whitespace (so "$1,299.00" and "1.9 kg" stay whole).
_HARD_BREAK = re.compile(r"\s*(?:[\r\n]+|\s[·•|]\s|\t+)\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z\s])")
#: Abbreviations whose full stop ends no sentence: "Tel. 020 7946 0321", "Mon.–Fri. 9–5", "approx. 3 days".
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:tel|ph|no|nr|approx|ca|incl|excl|e\.g|i\.e|vs|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.$",
    re.I,
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_space(text: str) -> str:
    """Collapse runs of (including non-breaking) whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[str]:
    """Non-empty visible lines, whitespace-normalised (innerText keeps block structure)."""
    return [ln for ln in (normalise_space(x) for x in re.split(r"[\r\n]+", text or "")) if ln]


def split_sentences(text: str) -> list[str]:
    """Split visible text into short claim-sized sentences.

    Deliberately generous with breaks: a claim spanning a line break is rare,
    while two unrelated claims glued into one "sentence" is a false match.
    """
    out: list[str] = []
    for chunk in _HARD_BREAK.split(text or ""):
        pending = ""
        for sentence in _SENTENCE_END.split(chunk):
            sentence = normalise_space(f"{pending} {sentence}")
            if _ABBREVIATION.search(sentence):
                pending = sentence  # "Tel." / "Mon." end no sentence: keep reading
                continue
            pending = ""
            if sentence:
                out.append(sentence)
        if pending:
            out.append(pending)
    return out


def normalise_name(name: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a product name for matching."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", folded.lower()).strip()


def contains_phrase(haystack_norm: str, needle_norm: str) -> bool:
    """Whole-word containment on already-normalised strings ("tent" is not in "content")."""
    if not needle_norm:
        return False
    return f" {needle_norm} " in f" {haystack_norm} "
