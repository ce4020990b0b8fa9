"""Join the artifacts of sharded runs into one, to be judged as a single run.

Shards split the ordered list of units (channel x journey x repeat) round-robin,
so merging is a union: visits and journey outcomes are re-sorted into the
order an unsharded run writes them, link checks are unioned, documents come
from shard 1. The result judges to the same scorecard as an unsharded run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditor.artifacts import load_artifacts, save_artifacts
from auditor.errors import UsageError
from auditor.models import Artifacts

_SHOT_DIR = "screenshots"


def merge_artifacts(dirs: Sequence[Path], out: Path) -> Path:
    """Merge the artifacts under each of ``dirs`` into ``out/artifacts``; return that folder."""
    if not dirs:
        raise UsageError("merge needs at least one shard folder (the --out of each `run --shard i/n`).")
    parts: list[tuple[Path, Artifacts]] = []
    for d in dirs:
        root = d / "artifacts" if (d / "artifacts").is_dir() else d
        parts.append((root, load_artifacts(root)))
    merged = merge([a for _, a in parts])
    target = out / "artifacts"
    (target / _SHOT_DIR).mkdir(parents=True, exist_ok=True)
    for root, _ in parts:
        shots = root / _SHOT_DIR
        if shots.is_dir() and shots.resolve() != (target / _SHOT_DIR).resolve():
            for f in shots.iterdir():
                dest = target / _SHOT_DIR / f.name
                if not dest.exists():
                    dest.write_bytes(f.read_bytes())
    save_artifacts(merged, target)
    return target


def merge(parts: Sequence[Artifacts]) -> Artifacts:
    sites = {p.meta.base_url for p in parts}
    if len(sites) > 1:
        raise UsageError(f"These shards audited different sites ({', '.join(sorted(sites))}); merge one site's shards.")
    hashes = {p.meta.config_hash for p in parts}
    if len(hashes) > 1:
        raise UsageError("These shards were run with different configs (config hashes differ); re-run them alike.")
    first = min(parts, key=lambda p: p.meta.shard or "")
    meta = first.meta.model_copy(deep=True)
    meta.shard = None
    meta.started_at = min(p.meta.started_at for p in parts)
    meta.finished_at = max(p.meta.finished_at for p in parts)
    meta.complete = all(p.meta.complete for p in parts)
    visits = sorted(
        (v for p in parts for v in p.visits),
        key=lambda v: (v.discovered, v.run_index, v.journey, v.channel, v.step_index, v.id),
    )
    journeys = sorted((j for p in parts for j in p.journeys), key=lambda o: (o.run_index, o.journey, o.channel))
    documents = next((p.documents for p in parts if p.documents), [])
    link_status: dict[str, int | None] = {}
    for p in parts:
        link_status.update(p.link_status)
    return Artifacts(meta=meta, visits=visits, journeys=journeys, documents=documents,
                     link_status=dict(sorted(link_status.items())))
