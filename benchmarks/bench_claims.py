"""Claim extraction and comparison measured on the labelled corpus (tests/corpus/).

Prints, per claim kind, precision and recall on the held-out part, the
development part and the whole corpus, then conflict detection on pairs of
corpus texts (contradicting or equivalent) run through the real messaging
check as two documents. Targets (issue 15): on held-out, recall >= 95 % and
precision >= 98 % per kind; >= 95 % of contradictions found, no equivalent
pair flagged.

    .venv/bin/python benchmarks/bench_claims.py [--misses] [--per-kind N]

Beside each precision and recall the table prints the lower end of its 95 % Wilson interval
("low"): on a few dozen claims a point figure says little, and a target is shown to be met only
when that bound reaches it.

``--misses`` lists every missed and every false claim (development part only
unless ``--heldout-misses``: the held-out part is for measuring, not tuning).
``--dev-only`` leaves the held-out part out entirely, figures included: the
mode for whoever writes rules, so a held-out measurement stays a single,
deliberate act by someone else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import claims_corpus as cc  # noqa: E402

TARGET_PRECISION, TARGET_RECALL = 0.98, 0.95  # issue 15, per claim kind on the held-out part


def _wilson_low(hits: int, n: int) -> float:
    """The lower end of the 95 % Wilson interval: the rate the evidence supports at the least.

    A kind read on 9 claims at 100 % is not shown to meet a 95 % target: its interval reaches down to
    70 %. The point figure alone hides that, so the table prints this bound beside it.
    """
    if n == 0:
        return 1.0
    from scipy.stats import binomtest  # lazy: a second's import, needed only here

    return float(binomtest(hits, n).proportion_ci(confidence_level=0.95, method="wilson").low)


def _row(name: str, tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    met = "yes" if precision >= TARGET_PRECISION and recall >= TARGET_RECALL else "no"
    return (
        f"  {name:26} {tp + fn:6d} {precision:9.1%} {_wilson_low(tp, tp + fp):6.1%}"
        f" {recall:7.1%} {_wilson_low(tp, tp + fn):6.1%} {tp:4d} {fp:3d} {fn:3d}  {met}"
    )


def _table(title: str, scores: dict[str, cc.Score]) -> None:
    print(f"\n{title}")
    print(
        f"  {'kind':26} {'claims':>6} {'precision':>9} {'(low)':>6} {'recall':>7} {'(low)':>6}"
        "   tp  fp  fn  target met"
    )
    for kind, s in scores.items():
        print(_row(kind, s.tp, s.fp, s.fn))
    tp = sum(s.tp for s in scores.values())
    fp = sum(s.fp for s in scores.values())
    fn = sum(s.fn for s in scores.values())
    print(_row("ALL", tp, fp, fn))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list misses and false claims (dev part)")
    parser.add_argument("--heldout-misses", action="store_true", help="also list them for the held-out part")
    parser.add_argument("--per-kind", type=int, default=60, help="pairs of each sort per kind (default 60)")
    parser.add_argument(
        "--dev-only", action="store_true", help="development part only: no held-out figure is read or printed"
    )
    args = parser.parse_args()
    if args.dev_only and args.heldout_misses:
        parser.error("--dev-only and --heldout-misses contradict each other: choose one")

    dev = cc.load("dev")
    if args.dev_only:
        print(f"corpus: {len(dev)} development rows (held-out part left out: --dev-only)")
        parts = {"development": dev}
    else:
        heldout = cc.load("heldout")
        print(f"corpus: {len(dev)} development rows, {len(heldout)} held-out rows")
        parts = {"held-out": heldout}
        # Each batch of the held-out part alone too: a batch measured for the first time is the
        # fairest reading of wording no rule has seen (older rows have been measured before).
        for batch in sorted({r.batch for r in heldout if r.batch}):
            parts[f"held-out, batch {batch}"] = [r for r in heldout if r.batch == batch]
        parts |= {"development": dev, "whole corpus": dev + heldout}
    for name, rows in parts.items():
        scores = cc.score(rows)
        _table(f"Extraction, {name} ({len(rows)} rows)", scores)
        if args.misses and (name == "development" or (name == "held-out" and args.heldout_misses)):
            for kind, s in scores.items():
                for text, label in sorted(s.misses):
                    print(f"    MISS  {kind}: {label[1:]!s:40} in {text!r}")
                for text, label in sorted(s.false):
                    print(f"    FALSE {kind}: {label[1:]!s:40} in {text!r}")

    pair_parts = [("development", dev)]
    if not args.dev_only:
        pair_parts = [(name, rows) for name, rows in parts.items() if name.startswith("held-out")]
        pair_parts.append(("whole corpus", dev + heldout))
    for name, rows in pair_parts:
        detection = cc.pair_detection(rows, args.per_kind)
        print(f"\nConflict detection on pairs, {name}")
        print(f"  {'kind':26} {'contradictions found':>22} {'equivalent flagged':>19} {'both read':>10}")
        found = total = flagged = equivalent = both = 0
        for kind, (f, t, fl, eq, br) in sorted(detection.items()):
            print(f"  {kind:26} {f:>10d} / {t:<9d} {fl:>8d} / {eq:<8d} {br:>10d}")
            found, total, flagged = found + f, total + t, flagged + fl
            equivalent, both = equivalent + eq, both + br
        share = found / total if total else 1.0
        print(
            f"  {'ALL':26} {found:>10d} / {total:<9d} {flagged:>8d} / {equivalent:<8d} {both:>10d}"
            f"  ({share:.1%} of contradictions found, low {_wilson_low(found, total):.1%})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
