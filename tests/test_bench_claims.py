"""The claim benchmark's own arithmetic and its promise to rule writers.

``benchmarks/bench_claims.py`` is how issue 15's targets are read, so its confidence bound must be
the Wilson interval's, and ``--dev-only`` must print no held-out figure (rule writers use that mode
so a held-out reading stays a deliberate act by someone else).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_claims", ROOT / "benchmarks" / "bench_claims.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("hits", "n", "low"),
    [
        # The Wilson score interval at z = 1.96, its lower end from the closed formula.
        (9, 9, 0.7008),
        (23, 23, 0.8569),
        (95, 100, 0.8883),
        (0, 10, 0.0),
    ],
)
def test_wilson_lower_bound(hits: int, n: int, low: float) -> None:
    assert _bench()._wilson_low(hits, n) == pytest.approx(low, abs=5e-4)


def test_no_claims_is_no_evidence_against_the_target() -> None:
    assert _bench()._wilson_low(0, 0) == 1.0


def test_dev_only_prints_no_held_out_figure(monkeypatch, capsys) -> None:
    bench = _bench()
    loaded: list[str] = []
    real_load = bench.cc.load
    monkeypatch.setattr(bench.cc, "load", lambda part: loaded.append(part) or real_load(part))
    monkeypatch.setattr(sys, "argv", ["bench_claims.py", "--dev-only", "--per-kind", "5"])
    assert bench.main() == 0
    out = capsys.readouterr().out
    assert loaded == ["dev"]
    assert "held-out" not in out.replace("held-out part left out", "")
    assert "(low)" in out and "target met" in out


def test_second_annotations_stay_aligned_with_the_held_out_batches() -> None:
    """Each blind second annotation lines up row for row with its corpus batch, so the agreement
    figures in the docs stay reproducible after any edit to the held-out file."""
    spec = importlib.util.spec_from_file_location(
        "claims_agreement", ROOT / "benchmarks" / "claims_agreement.py"
    )
    assert spec and spec.loader
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    heldout = module.cc.load("heldout")
    paths = sorted(module.SECOND.glob("*.yaml"))
    assert [p.stem for p in paths] == ["session-4c", "session-5"]
    for path in paths:
        rows = [r for r in heldout if r.batch == path.stem]
        labels = module.second_labels(path, rows)
        assert len(labels) == len(rows) > 200
        agreed = module.agreement([r.text for r in rows], [r.expected for r in rows], labels)
        tp = sum(s.tp for s in agreed.values())
        assert tp >= 0.9 * sum(s.tp + s.fn for s in agreed.values())  # two careful readers mostly agree
