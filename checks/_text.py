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

# Bounds that keep reading a hostile page linear. The claim rules look around each number for its
# cue, scope and conditions; on one "sentence" tens of thousands of characters long (a page of
# "1111…", of "9am-5pm 9am-5pm …" without a full stop) that look-around made reading quadratic:
# 20,000 characters took 10-20 s. A claim a shopper reads is a few dozen words, so a line or a
# sentence longer than these is read in pieces cut at a sentence end or a space, and a run of
# more than 80 characters without a space (no word, price, phone or address is that long) is not
# read at all.
MAX_LINE = 600
MAX_SENTENCE = 400
_LONG_RUN = re.compile(r"\S{81,}")


def _pieces(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after a sentence end or at a space."""
    out: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        cut = cut + 1 if cut >= limit // 2 else window.rfind(" ")
        if cut < limit // 2:
            cut = limit  # no space in the second half: a hard cut
        out.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        out.append(text)
    return [p for p in out if p]


def normalise_space(text: str) -> str:
    """Collapse runs of (including non-breaking) whitespace to one space."""
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str) -> list[str]:
    """Non-empty visible lines, whitespace-normalised (innerText keeps block structure).

    A line longer than :data:`MAX_LINE` comes back in pieces (see the bounds above).
    """
    out: list[str] = []
    for raw in re.split(r"[\r\n]+", text or ""):
        line = normalise_space(_LONG_RUN.sub(" ", raw) if len(raw) > 80 else raw)
        out.extend(_pieces(line, MAX_LINE) if len(line) > MAX_LINE else [line] if line else [])
    return out


def split_sentences(text: str) -> list[str]:
    """Split visible text into short claim-sized sentences.

    Deliberately generous with breaks: a claim spanning a line break is rare,
    while two unrelated claims glued into one "sentence" is a false match.
    """
    out: list[str] = []
    text = _LONG_RUN.sub(" ", text) if text and len(text) > 80 else text
    for chunk in _HARD_BREAK.split(text or ""):
        pending = ""
        for sentence in _SENTENCE_END.split(chunk):
            sentence = normalise_space(f"{pending} {sentence}")
            if _ABBREVIATION.search(sentence) and len(sentence) <= MAX_SENTENCE:
                pending = sentence  # "Tel." / "Mon." end no sentence: keep reading
                continue
            pending = ""
            if sentence:
                out.extend(_pieces(sentence, MAX_SENTENCE))
        if pending:
            out.extend(_pieces(pending, MAX_SENTENCE))
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
