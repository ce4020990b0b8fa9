"""How far two annotators of the held-out corpus agree: the ceiling any extractor is measured under.

Some held-out batches were labelled a second time, blind (the second annotator saw the corpus
README, the texts and the shop's region, never the first labels or the extractors). This prints,
per claim kind, the second annotator's precision and recall against the corpus labels, and the
rows labelled identically. With ``--extractors`` it also scores the extractors on the rows both
annotators labelled the same: the reading with label noise taken out.

    .venv/bin/python benchmarks/claims_agreement.py [--extractors]

It reads held-out text and (with ``--extractors``) held-out figures: not for whoever writes rules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_claims import _table  # noqa: E402

from tests import claims_corpus as cc  # noqa: E402

SECOND = cc.CORPUS_DIR / "heldout_second_annotation"


def second_labels(path: Path, rows: list[cc.Row]) -> list[frozenset[cc.Label]]:
    """The second annotation of one batch, row for row with the corpus (same patterns, same texts)."""
    labels: list[frozenset[cc.Label]] = []
    for pattern in yaml.safe_load(path.read_text(encoding="utf-8")):
        for text, row_labels in pattern["rows"]:
            labels.append(frozenset(cc.parse_label(lb) for lb in row_labels or []))
            row = rows[len(labels) - 1] if len(labels) <= len(rows) else None
            if row is None or (row.pattern, row.text) != (pattern["pattern"], text):
                where = f"{path}: row {len(labels)} ({pattern['pattern']})"
                raise SystemExit(f"{where} is not the corpus row there: realign it with claims_heldout.yaml")
    if len(labels) != len(rows):
        raise SystemExit(f"{path}: {len(labels)} rows, the corpus batch has {len(rows)}")
    return labels


def agreement(
    texts: list[str], reference: list[frozenset[cc.Label]], other: list[frozenset[cc.Label]]
) -> dict[str, cc.Score]:
    """Per kind, the other reading against the reference; kinds neither reading has are left out."""
    scores = cc.compare(zip(texts, reference, other, strict=True))
    return {kind: s for kind, s in scores.items() if s.tp + s.fp + s.fn}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extractors", action="store_true", help="also score the extractors on agreed rows")
    args = parser.parse_args()
    heldout = cc.load("heldout")
    for path in sorted(SECOND.glob("*.yaml")):
        batch = path.stem
        rows = [r for r in heldout if r.batch == batch]
        first = [r.expected for r in rows]
        second = second_labels(path, rows)
        same = sum(a == b for a, b in zip(first, second, strict=True))
        title = f"Batch {batch}: second annotator against the corpus labels ({len(rows)} rows)"
        _table(title, agreement([r.text for r in rows], first, second))
        print(f"  rows labelled identically: {same} of {len(rows)} ({same / len(rows):.1%})")
        if args.extractors:
            agreed = [r for r, b in zip(rows, second, strict=True) if r.expected == b]
            read = [cc.extracted(r.text, r.region) for r in agreed]
            _table(
                f"Batch {batch}: extractors on the {len(agreed)} rows both annotators labelled the same",
                agreement([r.text for r in agreed], [r.expected for r in agreed], read),
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
