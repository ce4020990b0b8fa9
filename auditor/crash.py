"""An internal error is a bug report, never a verdict.

CI reads exit code 1 as "the gate failed", so a crash must not look like one:
it exits with :attr:`~cx_auditor.errors.ExitCode.INTERNAL` (70, ``EX_SOFTWARE``
in ``sysexits.h``), prints one paragraph, and writes the traceback to a crash
log instead of the terminal. Values of environment variables whose names look
secret are redacted from the log, since CI keeps its secrets there.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

import typer
from cx_auditor import __version__
from cx_auditor.errors import ExitCode
from cx_auditor.textsafe import clean_text

#: where crash logs go; falls back to the system temporary folder when it cannot be written
CRASH_DIR_ENV = "CX_AUDIT_CRASH_DIR"
DEFAULT_CRASH_DIR = ".cx-audit/crashes"
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE|CREDENTIAL|AUTH", re.I)


def _redact(text: str) -> str:
    values = sorted(
        {v for k, v in os.environ.items() if _SECRET_NAME.search(k) and len(v) >= 4}, key=len, reverse=True
    )
    for value in values:
        text = text.replace(value, "[redacted]")
    return text


def is_cli_exit(exc: BaseException) -> bool:
    """The CLI framework's own ways out (``typer.Exit``, usage errors, Abort): not crashes."""
    return isinstance(exc, (typer.Exit, typer.Abort, typer.TyperException))


def write_crash_log(exc: BaseException, argv: list[str] | None = None) -> Path | None:
    """Write the traceback and context of ``exc``; its path, or ``None`` when nowhere is writable."""
    body = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    text = _redact(
        clean_text(
            f"cx-audit {__version__} internal error\n"
            f"time: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
            f"python: {sys.version.split()[0]} on {platform.platform()}\n"
            f"command: {' '.join(argv if argv is not None else sys.argv)}\n\n{body}"
        )
    )
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{os.getpid()}.log"
    for folder in (Path(os.environ.get(CRASH_DIR_ENV) or DEFAULT_CRASH_DIR), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path.resolve()
        except OSError:
            continue
    return None


def report_crash(exc: BaseException) -> int:
    """Log ``exc``, print one paragraph to stderr, and return the exit code to use."""
    log = write_crash_log(exc)
    where = (
        f"The details are in {log}; please attach that file when you report the issue."
        if log
        else "No crash log could be written (no writable folder)."
    )
    print(
        f"error: cx-audit hit an internal error ({type(exc).__name__}). This is a bug in cx-audit, "
        f"not a verdict on your site: the gate was not evaluated (exit code {int(ExitCode.INTERNAL)}). "
        f"{where}",
        file=sys.stderr,
    )
    return int(ExitCode.INTERNAL)
