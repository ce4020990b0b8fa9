"""Does reading claims stay linear on hostile page text?

    .venv/bin/python benchmarks/bench_hostile_text.py              # 20,000 and 200,000 characters
    .venv/bin/python benchmarks/bench_hostile_text.py --sizes 20000

The messaging check reads every page's visible text for claims, and a page decides what that text
is. For each case (a run of digits, of dashes, opening hours repeated without a full stop, one cue
repeated, capitalised words, random characters, an ordinary policy page) at each size, the wall
time of ``extract_text`` (every claim rule) and of the messaging check's text pass over one page
(``_text_sightings``, prices and claims) is printed, median of three. Linear means ten times the
text costs about ten times the time; before the line and sentence bounds of ``checks/_text.py``
20,000 characters of some of these cases took 10-20 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNITS = {
    "digits": "1" * 100,
    "dashes": "-" * 100,
    "hours, no full stop": "9am-5pm Mon-Fri ",
    "one cue repeated": "order by 2pm for same day dispatch ",
    "capitalised words": "Shipping Returns Delivery ",
    "spaced numbers": "12 34 56 ",
    "durations, no full stop": "within 3 days ",
    "abbreviations": "Tel. Mon. approx. ",
    "ordinary policy": (
        "Orders placed before 2pm ship the same day. Free shipping on orders over $50. "
        "Returns are accepted within 30 days. Call us on 1-800-555-0199, Mon-Fri 9am-5pm ET.\n"
    ),
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _random(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice(string.ascii_letters + string.digits + " .,:-$%/()\n") for _ in range(size))


def _median_s(fn: Callable[[str], object], text: str) -> float:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    args = parser.parse_args()

    from cx_auditor.checks import extractors as ex
    from cx_auditor.checks import messaging_consistency as mc

    def sightings(text: str) -> None:
        src = mc.Source(channel="desktop", ref="/hostile", url="http://shop.test/hostile", texts=[text])
        mc._text_sightings(src, "US", "USD", [])

    print(f"{'case':22} {'chars':>8} {'extract_text':>13} {'text pass':>10}")
    cases = [(name, lambda n, u=unit: _text(u, n)) for name, unit in UNITS.items()]
    cases.append(("random characters", _random))
    for name, make in cases:
        for size in args.sizes:
            text = make(size)
            a, b = _median_s(ex.extract_text, text), _median_s(sightings, text)
            print(f"{name:22} {size:8,d} {a * 1000:10.1f} ms {b * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
