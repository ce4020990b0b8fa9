"""Atomic report writes: the one implementation lives in :mod:`auditor.atomic`."""

from __future__ import annotations

from cx_auditor.atomic import write_atomic

__all__ = ["write_atomic"]
