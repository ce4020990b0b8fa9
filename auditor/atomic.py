"""Write files so a crash never leaves half of one behind.

Each file is written to a temporary sibling (``.NAME.XXXX.tmp``), flushed and
fsynced, then moved over the target with :func:`os.replace` (atomic on POSIX and
Windows): readers see the old file or the new one, never a torn one, and an
earlier report or artifact survives a writer that fails midway. Used for
artifacts, reports and everything else cx-audit writes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cx_auditor.textsafe import clean_text

TEMP_SUFFIX = ".tmp"


def temp_sibling(path: Path) -> str:
    """A new, empty temporary file next to ``path`` (same filesystem, so the rename is atomic)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    return tmp


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Atomically replace ``path`` with ``data`` (text is UTF-8); returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = clean_text(data).encode("utf-8") if isinstance(data, str) else data
    tmp = temp_sibling(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
