"""Errors a user can cause, and the exit code each one means.

::

    CxAuditError            base; .exit_code, .show()
    ├── UsageError          bad flags, missing files, unwritable output    -> 2
    │   ├── ConfigError     audit.yaml invalid: names file, line, field     -> 2
    │   └── PluginError     a check plugin that cannot load                -> 2
    └── UnreachableError    no browser, or the site cannot be reached      -> 3

Everything else is a bug in cx-auditor: the CLI exits 70 (``ExitCode.INTERNAL``) and writes the
traceback to a crash log (:mod:`cx_auditor.crash`).
"""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import IO, Any


class ExitCode(IntEnum):
    """Process exit codes, documented in the README and ``--help``."""

    OK = 0  #: audit ran and the gate passed
    GATE_FAILED = 1  #: budgets, thresholds or a baseline regression failed
    USAGE = 2  #: bad command line or config
    UNREACHABLE = 3  #: no browser, or nothing of the site could be reached
    INTERNAL = 70  #: a bug in cx-audit (EX_SOFTWARE); the traceback is in a crash log
    INTERRUPTED = 130


class CxAuditError(Exception):
    """Base of user-facing errors: the CLI shows it as one paragraph and exits with :attr:`exit_code`."""

    exit_code: int = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format_message(self) -> str:
        return self.message + (f" {self.hint}" if self.hint else "")

    def show(self, file: IO[Any] | None = None) -> None:
        print(f"error: {self.format_message()}", file=file or sys.stderr)


class UsageError(CxAuditError):
    exit_code: int = ExitCode.USAGE


class ConfigError(UsageError):
    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path:
            where = f"{path}"
            if line:
                where += f", line {line}"
            if field:
                where += f", field '{field}'"
            where += ": "
        elif field:
            where = f"field '{field}': "
        super().__init__(where + message, hint=hint)
        self.path = path
        self.line = line
        self.field = field


class PluginError(UsageError):
    pass


class UnreachableError(CxAuditError):
    exit_code: int = ExitCode.UNREACHABLE


class BrowserNotFoundError(UnreachableError):
    pass
