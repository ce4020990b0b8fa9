"""Artifacts on disk: streamed while gathering, replayable afterwards.

Layout of ``DIR/artifacts/``::

    run.json          run metadata, journeys, documents, link checks (written last, atomically)
    visits.jsonl      one PageVisit per line, appended and flushed as each is made
    screenshots/      JPEG/PNG per visit or failed step
    traces/           Playwright traces (``--trace``)

Visits go to disk as they are made, so memory stays flat on large crawls and
an interrupted run keeps what it gathered: a torn last line is ignored and a
missing ``run.json`` marks the run incomplete.
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cx_auditor.atomic import temp_sibling, write_atomic
from cx_auditor.errors import UsageError
from cx_auditor.models import Artifacts, JourneyOutcome, PageVisit, RunMeta
from cx_auditor.textsafe import clean, clean_text

RUN_FILE = "run.json"
VISITS_FILE = "visits.jsonl"


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write via a temporary sibling, fsync, then rename over ``path`` (see :mod:`auditor.atomic`).

    A crash at any point leaves either the old file or the new one, never half of one.
    """
    write_atomic(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, data)


Redactor = Callable[[str], str]


def scrub(value: Any, redact: Redactor) -> Any:
    """Apply ``redact`` to every string (keys too) in a JSON-like structure.

    The writer's last line of defence for secrets: whatever field a secret found
    its way into (a resource URL, an LCP selector, a step label), it is replaced
    before a byte reaches the disk.
    """
    if isinstance(value, str):
        return redact(clean_text(value))
    if isinstance(value, dict):
        return {scrub(k, redact): scrub(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, redact) for v in value]
    return value


def scrub_zip(path: Path, secrets: list[str], replacement: str = "[redacted]") -> None:
    """Rewrite a zip (a Playwright trace) with every secret replaced in every member.

    Secrets are replaced as UTF-8 bytes and in their JSON-escaped form; the new zip
    replaces the old one atomically.
    """
    needles: list[tuple[bytes, bytes]] = []
    for secret in secrets:
        for form in {secret, json.dumps(secret)[1:-1]}:
            if form:
                needles.append((form.encode("utf-8"), replacement.encode("utf-8")))
    needles.sort(key=lambda pair: len(pair[0]), reverse=True)
    tmp = temp_sibling(path)
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                for needle, repl in needles:
                    data = data.replace(needle, repl)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ArtifactWriter:
    """Streams visits to ``visits.jsonl`` and writes ``run.json`` at the end.

    ``redact`` (when given) is applied to every string written, so no field can
    carry a secret to disk.
    """

    def __init__(self, root: Path, *, redact: Redactor | None = None) -> None:
        self.root = root
        self.redact = redact
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "screenshots").mkdir(exist_ok=True)
        for stale in (RUN_FILE, VISITS_FILE):
            (self.root / stale).unlink(missing_ok=True)
        self._visits = open(self.root / VISITS_FILE, "a", encoding="utf-8")  # noqa: SIM115
        self.count = 0

    def _dump(self, payload: dict[str, Any]) -> dict[str, Any]:
        # Browser text may hold lone surrogates, which no UTF-8 writer accepts: clean at the boundary.
        return scrub(payload, self.redact) if self.redact is not None else clean(payload)

    def add_visit(self, visit: PageVisit) -> None:
        data = self._dump(visit.model_dump(mode="json", exclude_defaults=True))
        self._visits.write(json.dumps(data, ensure_ascii=False) + "\n")
        self._visits.flush()
        self.count += 1

    def screenshot_path(self, name: str) -> tuple[Path, str]:
        rel = f"screenshots/{name}"
        return self.root / rel, rel

    def finish(self, artifacts_without_visits: Artifacts) -> None:
        self._visits.close()
        payload = self._dump(artifacts_without_visits.model_dump(mode="json", exclude={"visits"}))
        atomic_write_text(self.root / RUN_FILE, json.dumps(payload, indent=1))

    def close(self) -> None:
        if not self._visits.closed:
            self._visits.close()


def iter_visits(root: Path) -> Iterator[PageVisit]:
    path = root / VISITS_FILE
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield PageVisit.model_validate_json(line)
            except ValueError:
                try:  # lone surrogates written by an older version: clean, then validate
                    yield PageVisit.model_validate(clean(json.loads(line)))
                except ValueError:
                    continue  # a torn final line from an interrupted run


def visit_order_key(v: PageVisit) -> tuple[bool, int, str, str, int, str]:
    """Journeys first (by repeat, journey, channel, step), then discovered pages in BFS order.

    Nothing in the key depends on which shard or worker recorded the visit, or when.
    """
    return (v.discovered, v.run_index, v.journey, v.channel, v.step_index, v.id)


def journey_order_key(o: JourneyOutcome) -> tuple[int, str, str]:
    return (o.run_index, o.journey, o.channel)


def load_artifacts(root: str | os.PathLike[str]) -> Artifacts:
    """Read artifacts written by the collector (``DIR`` or ``DIR/artifacts``)."""
    path = Path(root)
    if (path / "artifacts" / VISITS_FILE).exists() or (path / "artifacts" / RUN_FILE).exists():
        path = path / "artifacts"
    run_file = path / RUN_FILE
    if not path.is_dir():
        raise UsageError(
            f"{path}: no such folder. Pass the artifacts folder of an earlier run (OUT/artifacts)."
        )
    if not run_file.exists() and not (path / VISITS_FILE).exists():
        raise UsageError(
            f"{path} holds no cx-audit artifacts (no {RUN_FILE} or {VISITS_FILE}). "
            "Pass the folder written by `cx-audit run --out DIR` (DIR or DIR/artifacts)."
        )
    if run_file.exists():
        try:
            data = clean(json.loads(run_file.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise UsageError(
                f"{run_file} is not valid JSON ({exc}); re-run the audit to regenerate it."
            ) from None
        data["visits"] = []
        artifacts = Artifacts.model_validate(data)
    else:
        artifacts = Artifacts(meta=RunMeta(site="(incomplete run)", complete=False))
    # Canonical order: visits are streamed in completion order, which varies with
    # scheduling; judging always sees journeys (repeat, journey, channel, step) then
    # discovered pages in BFS order, sharded or not.
    artifacts.visits = sorted(iter_visits(path), key=visit_order_key)
    artifacts.journeys.sort(key=journey_order_key)
    return artifacts


def save_artifacts(artifacts: Artifacts, root: Path) -> None:
    """Write a whole in-memory Artifacts bundle (used by ``merge`` and tests)."""
    root.mkdir(parents=True, exist_ok=True)
    lines = "".join(
        json.dumps(clean(v.model_dump(mode="json", exclude_defaults=True)), ensure_ascii=False) + "\n"
        for v in artifacts.visits
    )
    atomic_write_text(root / VISITS_FILE, lines)
    payload = clean(artifacts.model_dump(mode="json", exclude={"visits"}))
    atomic_write_text(root / RUN_FILE, json.dumps(payload, indent=1))
