"""The labelled claim corpus (tests/corpus/*.yaml): loading, scoring, and conflict pairs.

Shared by ``tests/test_claims_corpus.py`` (which asserts the development
part's figures) and ``benchmarks/bench_claims.py`` (which prints every figure,
held-out part included). Pure functions; nothing here tunes anything.

A row's claims are written ``kind[key]=value`` with short kind names (see
``tests/corpus/README.md``). Values are compared in their canonical form
(:func:`cx_auditor.checks._claims.canonical`), so "2 weeks" labels match an
extracted "14 days": the equivalence is the comparison's, not the label's.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from cx_auditor.checks import _claims as cl
from cx_auditor.checks import extractors as ex

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
PARTS = {"dev": CORPUS_DIR / "claims_dev.yaml", "heldout": CORPUS_DIR / "claims_heldout.yaml"}

KINDS = {
    "thr": ex.THRESHOLD,
    "ret": ex.RETURN_WINDOW,
    "dis": ex.DISPATCH_TIME,
    "del": ex.DELIVERY_TIME,
    "promo": ex.PROMO_CODE,
    "war": ex.WARRANTY,
    "hrs": ex.SUPPORT_HOURS,
    "phone": ex.PHONE,
    "email": ex.EMAIL,
    "cut": ex.ORDER_CUTOFF,
}
_LABEL = re.compile(r"^(?P<kind>[a-z]+)(?:\[(?P<key>[^\]]*)\])?=(?P<value>.+)$")

Label = tuple[str, str, str]  # (kind, key, canonical value)


@dataclass(frozen=True)
class Row:
    text: str
    expected: frozenset[Label]
    pattern: str
    source: str
    family: str
    part: str
    #: the shop's country (the audit's ``region`` option): a pattern from an Australian shop's page
    #: reads "within Australia" as home; rows without one are read as a US shop's
    region: str = "US"
    #: when the pattern joined the corpus, for patterns added as a batch ("session-4"): a batch
    #: measured for the first time is the fairest reading of wording no rule has seen
    batch: str = ""


def parse_label(label: str) -> Label:
    """ "thr[international]=USD 150.00" → (free_shipping_threshold, international, USD 150.00)."""
    m = _LABEL.match(label)
    if not m or m.group("kind") not in KINDS:
        raise ValueError(f"bad corpus label {label!r}: expected kind[key]=value with kind in {sorted(KINDS)}")
    kind = KINDS[m.group("kind")]
    return kind, m.group("key") or "", cl.canonical(kind, m.group("value").strip())


def load(part: str) -> list[Row]:
    """Rows of one corpus part ("dev" or "heldout")."""
    rows: list[Row] = []
    for pattern in yaml.safe_load(PARTS[part].read_text(encoding="utf-8")):
        for text, labels in pattern["rows"]:
            rows.append(
                Row(
                    text=text,
                    expected=frozenset(parse_label(lb) for lb in labels),
                    pattern=pattern["pattern"],
                    source=pattern["source"],
                    family=pattern["family"],
                    part=part,
                    region=pattern.get("region", "US"),
                    batch=pattern.get("batch", ""),
                )
            )
    return rows


def extracted(text: str, region: str = "US") -> frozenset[Label]:
    """What the extractors read from a corpus text, in label form."""
    return frozenset(
        (c.kind, c.key, cl.canonical(c.kind, c.value)) for c in ex.extract_text(text, region=region)
    )


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[str, Label]] = field(default_factory=list)
    false: list[tuple[str, Label]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(rows: list[Row]) -> dict[str, Score]:
    """Precision/recall per claim kind: a claim counts when kind, key and canonical value all match."""
    return compare((row.text, row.expected, extracted(row.text, row.region)) for row in rows)


def compare(readings: Iterable[tuple[str, frozenset[Label], frozenset[Label]]]) -> dict[str, Score]:
    """Per claim kind, how one reading of each text (text, reference, got) matches the reference.

    The extractors against the labels (:func:`score`), or one annotator against another.
    """
    scores: dict[str, Score] = {kind: Score() for kind in KINDS.values()}
    for text, expected, got in readings:
        for label in got & expected:
            scores[label[0]].tp += 1
        for label in got - expected:
            scores[label[0]].fp += 1
            scores[label[0]].false.append((text, label))
        for label in expected - got:
            scores[label[0]].fn += 1
            scores[label[0]].misses.append((text, label))
    return scores


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    kind: str
    key: str
    contradicts: bool
    region: str = "US"


def pairs(rows: list[Row], per_kind: int = 60) -> list[Pair]:
    """Pairs of corpus texts stating one claim (same kind and key) each: equivalent or contradicting.

    Only texts with exactly one claim are paired, so a pair tests one
    comparison. Equivalent pairs state values that the comparison must not
    flag (equal, equivalent or partial per :func:`_claims.relate`); the
    others contradict. At most ``per_kind`` of each, taken in corpus order.
    """
    single: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for row in rows:
        if len(row.expected) == 1:
            ((kind, key, value),) = row.expected
            single[(kind, key)].append((row.text, value, row.region))
    out: list[Pair] = []
    for (kind, key), items in sorted(single.items()):
        same: list[Pair] = []
        differ: list[Pair] = []
        for (ta, va, ra), (tb, vb, rb) in itertools.combinations(items, 2):
            if ra != rb:
                continue  # one audit reads both texts with one shop's region
            rel = cl.relate(kind, va, vb).kind
            bucket = differ if rel == "different" else same
            bucket.append(Pair(ta, tb, kind, key, rel == "different", ra))
        out += same[:per_kind] + differ[:per_kind]
    return out


def flagged(pair: Pair) -> bool:
    """Does a documents-only audit of the two texts report a difference of the pair's claim?

    The two texts are an email and an SMS of the shop; the real messaging
    check runs on them, comparison and all.
    """
    from cx_auditor.checks.messaging_consistency import MessagingConsistencyCheck
    from cx_auditor.models import Document
    from cx_auditor.runner import run_check

    from tests.artifact_factory import artifacts

    docs = [
        Document(id="a", channel="email", path="email/a.txt", kind="email", text=pair.a),
        Document(id="b", channel="sms", path="sms/b.txt", kind="sms", text=pair.b),
    ]
    result = run_check(
        MessagingConsistencyCheck(),
        artifacts(documents=docs, channels=["email", "sms"]),
        {"region": pair.region},
    )
    return any(
        f.evidence.get("claim") == pair.kind and (f.evidence.get("key") or "") == pair.key
        for f in result.findings
        if f.rule.startswith("inconsistent-")
    )


def read_on_both_sides(pair: Pair) -> bool:
    """Both texts state the pair's claim as the extractors read them (an unread side proves nothing)."""
    return all(
        any(label[0] == pair.kind and label[1] == pair.key for label in extracted(text, pair.region))
        for text in (pair.a, pair.b)
    )


def pair_detection(rows: list[Row], per_kind: int = 60) -> dict[str, tuple[int, int, int, int, int]]:
    """Per kind: (contradictions found, contradictions, equivalent pairs flagged, equivalent pairs,
    equivalent pairs read on both sides — the ones whose "not flagged" really tests the comparison)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for pair in pairs(rows, per_kind):
        hit = flagged(pair)
        counts = out[pair.kind]
        if pair.contradicts:
            counts[0] += hit
            counts[1] += 1
        else:
            counts[2] += hit
            counts[3] += 1
            counts[4] += read_on_both_sides(pair)
    return {k: (v[0], v[1], v[2], v[3], v[4]) for k, v in out.items()}
