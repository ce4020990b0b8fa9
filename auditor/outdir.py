"""The ``--out`` folder: one writer at a time, and old results kept until new ones are whole.

Two promises:

* **A lock.** A run (or ``check --from``, or ``merge``) holds ``OUT/.cx-audit.lock`` while it
  writes the folder. A second run into the same folder exits 2 naming the
  holder's pid and host. The lock is an OS file lock (``flock``), so a holder
  that dies, even by ``kill -9``, releases it and the next run takes over.
* **A swap.** A run gathers into a fresh staging folder
  (``OUT/.cx-audit-staging-PID/artifacts``) and moves it over ``OUT/artifacts``
  only when gathering ended (complete, or interrupted and marked incomplete).
  A run killed in its first second leaves the previous artifacts and report
  exactly as they were; leftovers of such a run are removed by the next one.
  ``merge`` writes its joined artifacts the same way (:func:`staged`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cx_auditor.errors import UsageError

LOCK_FILE = ".cx-audit.lock"
STAGING_PREFIX = ".cx-audit-staging-"
OLD_ARTIFACTS = ".cx-audit-previous-artifacts"
ARTIFACTS = "artifacts"

try:  # POSIX
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False


class OutLockedError(UsageError):
    """Another live cx-audit process is writing the same ``--out`` folder."""


def _holder(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of ``out`` for the ``with`` block; :class:`OutLockedError` when it is taken."""
    path = out / LOCK_FILE
    while True:
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise UsageError(
                f"The output folder {out} cannot be written ({exc.strerror or exc}). "
                "Choose another with --out, or fix its permissions."
            ) from None
        if not _try_lock(fd):
            os.close(fd)
            who = _holder(path)
            since = f", since {who['started']}" if who.get("started") else ""
            raise OutLockedError(
                f"the output folder {out} is being written by another cx-audit run "
                f"(pid {who.get('pid', '?')} on host {who.get('host', '?')}{since}). "
                "Wait for it to finish, or give this run its own --out folder."
            )
        try:  # the file we locked must still be the one at `path` (a releasing holder unlinks it)
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: a waiter that opened it re-checks and retries
        os.close(fd)


@dataclass
class Staging:
    """A fresh folder to gather a run into, swapped over ``OUT/artifacts`` by :meth:`commit`."""

    out: Path

    @property
    def root(self) -> Path:
        """Pass this as the collector's ``out``: it writes ``root/artifacts``."""
        return self.out / f"{STAGING_PREFIX}{os.getpid()}"

    def prepare(self) -> Staging:
        """Remove leftovers of killed runs and start empty (call with the lock held)."""
        recover(self.out)
        for stale in self.out.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        (self.root / ARTIFACTS).mkdir(parents=True)
        return self

    def commit(self) -> Path:
        """Swap the gathered artifacts in: ``OUT/artifacts`` is old or new at every moment but one rename."""
        final = self.out / ARTIFACTS
        previous = self.out / OLD_ARTIFACTS
        shutil.rmtree(previous, ignore_errors=True)
        if final.exists():
            os.replace(final, previous)
        os.replace(self.root / ARTIFACTS, final)
        shutil.rmtree(previous, ignore_errors=True)
        self.discard()
        return final

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """Write new artifacts into ``root/artifacts`` (``root`` is yielded) and swap them in whole.

    For writers that either finish or fail, like ``merge``: when the block raises
    anything (a shard that does not fit, a Ctrl-C), the staging folder is dropped
    and ``OUT/artifacts`` stays exactly as it was. Call with :func:`locked` held.
    """
    staging = Staging(out).prepare()
    try:
        yield staging.root
    except BaseException:
        staging.discard()
        raise
    staging.commit()


def recover(out: Path) -> None:
    """Put back old artifacts a run killed between the two renames of :meth:`Staging.commit` left aside."""
    final = out / ARTIFACTS
    previous = out / OLD_ARTIFACTS
    if previous.is_dir() and not final.exists():
        os.replace(previous, final)
    shutil.rmtree(previous, ignore_errors=True)


def gather(staging: Staging, collect: Any) -> Any:
    """Run ``collect()`` (which writes ``staging.root/artifacts``) and swap its artifacts in.

    Interrupted runs return normally with artifacts marked incomplete and are swapped
    in, as is what a Ctrl-C that escapes the collector leaves (no ``run.json``: read as
    incomplete); a site that could not be reached is swapped in too (its failure
    screenshots are the evidence). Any other exception keeps the previous artifacts.
    """
    from cx_auditor.errors import UnreachableError

    try:
        result = collect()
    except (UnreachableError, KeyboardInterrupt):
        staging.commit()
        raise
    except BaseException:
        staging.discard()
        raise
    staging.commit()
    return result


def require_something(artifacts: Any, folder: Path) -> None:
    """``check --from`` on artifacts holding nothing is an error (exit 2), never a passed gate."""
    if not artifacts.visits and not artifacts.documents and not any(j.steps for j in artifacts.journeys):
        state = "" if artifacts.meta.complete else ", and the run that wrote them did not finish"
        raise UsageError(
            f"the artifacts in {folder} hold no page visits, journey steps or documents{state}: "
            "there is nothing to judge. Re-run the audit (`cx-audit run`) to gather them."
        )


def incomplete_reason(artifacts: Any) -> str:
    """Why the run that wrote ``artifacts`` stopped early, as the CLI shows it."""
    return str(artifacts.meta.incomplete_reason or "its artifacts are marked incomplete")
