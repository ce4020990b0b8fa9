"""Join the artifacts of sharded runs into one, to be judged as a single run.

``cx-audit run --shard i/n`` records a deterministic slice of the work: the
scripted units (channel x journey x repeat, round-robin) and the discovered
pages it owns (a stable hash of the page's URL, see :mod:`auditor.discovery`).
Merging is therefore a union, checked for completeness (every shard ``1..n``
exactly once) and put in :func:`canonical order <canonicalise>`, the same order
an unsharded run is judged in, so both give the same scorecard.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from cx_auditor.artifacts import journey_order_key, load_artifacts, save_artifacts, visit_order_key
from cx_auditor.errors import UsageError
from cx_auditor.models import Artifacts, Document

_COPIED_DIRS = ("screenshots", "traces")


def canonicalise(artifacts: Artifacts) -> Artifacts:
    """Put visits, journeys and link checks in canonical order (in place; returned for chaining).

    Checks may legitimately depend on order (the first page a claim was seen
    on, say), so every run is judged in this order, sharded or not.
    """
    artifacts.visits.sort(key=visit_order_key)
    artifacts.journeys.sort(key=journey_order_key)
    artifacts.link_status = dict(sorted(artifacts.link_status.items()))
    return artifacts


def _artifacts_root(d: Path) -> Path:
    return d / "artifacts" if (d / "artifacts").is_dir() else d


def merge_artifacts(dirs: Sequence[Path], out: Path) -> Path:
    """Merge the artifacts under each of ``dirs`` into ``out/artifacts``; return that folder."""
    if not dirs:
        raise UsageError("merge needs at least one shard folder (the --out of each `run --shard i/n`).")
    parts: list[tuple[Path, Artifacts]] = []
    for d in dirs:
        root = _artifacts_root(d)
        parts.append((root, load_artifacts(root)))
    merged = merge([a for _, a in parts], names=[str(d) for d in dirs])
    target = out / "artifacts"
    for sub in _COPIED_DIRS:
        for root, _ in parts:
            _copy_missing(root / sub, target / sub)
    (target / "screenshots").mkdir(parents=True, exist_ok=True)
    save_artifacts(merged, target)
    return target


def _copy_missing(src: Path, dest: Path) -> None:
    if not src.is_dir() or (dest.exists() and src.resolve() == dest.resolve()):
        return
    dest.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file() and not (dest / f.name).exists():
            shutil.copy2(f, dest / f.name)


def _shard_of(meta_shard: str | None, name: str) -> tuple[int, int]:
    try:
        i, n = (int(x) for x in (meta_shard or "").split("/", 1))
    except ValueError:
        raise UsageError(
            f"{name} is not the output of a sharded run (its run has no --shard); "
            "merge joins the folders of `cx-audit run --shard 1/N` .. `--shard N/N`."
        ) from None
    return i, n


def check_shards(parts: Sequence[Artifacts], names: Sequence[str] | None = None) -> int:
    """Refuse a merge that would not equal an unsharded run; return the shard count.

    Every shard ``1..n`` must be there exactly once, all of one site and one config.
    """
    names = list(names) if names else [f"part {k + 1}" for k in range(len(parts))]
    sites = {p.meta.base_url for p in parts}
    if len(sites) > 1:
        raise UsageError(
            f"These shards audited different sites ({', '.join(sorted(sites))}); merge one site's shards."
        )
    hashes = {p.meta.config_hash for p in parts}
    if len(hashes) > 1:
        raise UsageError(
            "These shards were run with different configs (config hashes differ); re-run them alike."
        )
    shards = [_shard_of(p.meta.shard, name) for p, name in zip(parts, names, strict=True)]
    totals = {n for _, n in shards}
    if len(totals) > 1:
        splits = ", ".join(f"/{n}" for n in sorted(totals))
        raise UsageError(f"These shards split the work differently ({splits}); merge the shards of one run.")
    total = totals.pop()
    have = sorted(i for i, _ in shards)
    dupes = sorted({i for i in have if have.count(i) > 1})
    if dupes:
        raise UsageError(f"Shard {', '.join(f'{i}/{total}' for i in dupes)} was given more than once.")
    missing = [i for i in range(1, total + 1) if i not in have]
    if missing:
        raise UsageError(
            f"Shard {', '.join(f'{i}/{total}' for i in missing)} is missing: a merged run must hold "
            f"every shard 1/{total} .. {total}/{total}, or it would be judged on part of the site."
        )
    return total


def merge(parts: Sequence[Artifacts], names: Sequence[str] | None = None) -> Artifacts:
    """One :class:`Artifacts` from the shards of a run, in canonical order."""
    check_shards(parts, names)
    first = min(parts, key=lambda p: _shard_of(p.meta.shard, "")[0])
    meta = first.meta.model_copy(deep=True)
    meta.shard = None
    meta.started_at = min(p.meta.started_at for p in parts)
    meta.finished_at = max(p.meta.finished_at for p in parts)
    meta.complete = all(p.meta.complete for p in parts)
    meta.git_commit = next((p.meta.git_commit for p in parts if p.meta.git_commit), None)
    meta.git_branch = next((p.meta.git_branch for p in parts if p.meta.git_branch), None)
    visits = [v for p in parts for v in p.visits]
    ids = [v.id for v in visits]
    if len(ids) != len(set(ids)):
        clash = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise UsageError(
            f"Two shards recorded the same visit ({', '.join(clash)}); were they run from one plan?"
        )
    documents: list[Document] = next((p.documents for p in parts if p.documents), [])
    link_status: dict[str, int | None] = {}
    for p in parts:
        for url, status in p.link_status.items():
            # A target probed by two shards: keep an answer over "unreachable".
            if link_status.get(url) is None:
                link_status[url] = status
    merged = Artifacts(
        meta=meta,
        visits=visits,
        journeys=[j for p in parts for j in p.journeys],
        documents=documents,
        link_status=link_status,
    )
    return canonicalise(merged)
