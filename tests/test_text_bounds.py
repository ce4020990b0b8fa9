"""Reading a hostile page stays linear: lines and sentences are read in claim-sized pieces.

The claim rules look around each number for its cue, scope and conditions; before these bounds one
20,000-character "sentence" (a run of digits, "9am-5pm" repeated without a full stop) took 10-20 s
to read, and a page can be any size. ``benchmarks/bench_hostile_text.py`` times the cases; here
the bounds themselves, and that claims in long ordinary text are still read.
"""

from __future__ import annotations

import pytest
from cx_auditor.checks import extractors as ex
from cx_auditor.checks._text import MAX_LINE, MAX_SENTENCE, split_lines, split_sentences

HOSTILE = {
    "a run without spaces": "1" * 20_000,
    "dashes": "-" * 20_000,
    "hours without a full stop": "9am-5pm " * 3000,
    "one cue repeated": "order by 2pm for same day dispatch " * 600,
    "words": " ".join("Shipping" for _ in range(6000)),
    "abbreviations that end no sentence": "Tel. Mon. approx. " * 3000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=list(HOSTILE))
def test_lines_and_sentences_come_back_claim_sized(text: str) -> None:
    lines = split_lines(f"Returns\n{text}\nFree shipping on orders over $50.")
    assert lines[0] == "Returns" and lines[-1] == "Free shipping on orders over $50."
    assert all(len(line) <= MAX_LINE for line in lines)
    assert all(len(s) <= MAX_SENTENCE for s in split_sentences(text))


def test_a_run_of_more_than_80_characters_without_a_space_is_not_read() -> None:
    url = "https://example.com/" + "a" * 90
    assert split_lines(f"See {url} for details") == ["See for details"]
    assert split_sentences(f"Call 1-800-555-0199 or see {url}.") == ["Call 1-800-555-0199 or see"]


def test_a_long_paragraph_is_cut_between_its_sentences() -> None:
    sentences = [f"Sentence number {i} says nothing at all about shipping or returns." for i in range(40)]
    lines = split_lines(" ".join(sentences))
    assert len(lines) > 1
    assert all(line.endswith(".") for line in lines)  # cut after a full stop, not inside a sentence
    assert " ".join(lines) == " ".join(sentences)  # nothing lost


def test_claims_inside_long_ordinary_text_are_still_read() -> None:
    filler = " ".join(f"Our team packs item {i} with care and recycled paper." for i in range(60))
    text = (
        f"{filler} Free shipping on orders over $75. {filler} Returns are accepted within 30 days. {filler}"
    )
    assert len(text) > 10 * MAX_LINE
    claims = {(c.kind, c.value) for c in ex.extract_text(text)}
    assert ("free_shipping_threshold", "USD 75.00") in claims
    assert ("return_window", "30 days") in claims


@pytest.mark.parametrize("text", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_text_reads_no_claim_out_of_nothing(text: str) -> None:
    kinds = {c.kind for c in ex.extract_text(text)}
    assert not kinds - {"support_hours", "order_cutoff", "dispatch_time"}, kinds
