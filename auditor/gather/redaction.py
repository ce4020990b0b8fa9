"""Redaction: no secret from the config lands in any artifact, note or trace.

Secrets are matched as typed and in every URL encoding a browser or a page
script might produce; the longest variant is replaced first so overlapping
variants redact whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

from cx_auditor.artifacts import scrub_zip

__all__ = ["REDACTED", "Redactor", "secret_variants"]

REDACTED = "[redacted]"


def secret_variants(secrets: Iterable[str]) -> list[str]:
    """Each secret as typed and as it appears in URLs, longest first (so overlaps redact whole)."""
    out: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        out.update(
            {
                secret,
                quote(secret, safe=""),
                quote_plus(secret),
                quote(secret),
                quote(secret, safe="!'()*"),  # JavaScript's encodeURIComponent
                quote(secret, safe=";,/?:@&=+$!'()*#"),  # JavaScript's encodeURI
            }
        )
    return sorted(out, key=len, reverse=True)


class Redactor:
    """Replaces every variant of the run's secrets; callable on a string."""

    def __init__(self, secrets: Iterable[str]) -> None:
        #: the raw secrets (screenshots paint these over on the page)
        self.secrets = [s for s in secrets if s]
        #: every variant, longest first
        self.variants = secret_variants(self.secrets)

    def __bool__(self) -> bool:
        return bool(self.variants)

    def __call__(self, text: str) -> str:
        for secret in self.variants:
            text = text.replace(secret, REDACTED)
        return text

    def scrub_trace(self, path: Path) -> None:
        """Clean a Playwright trace zip in place; a trace that cannot be cleaned is deleted."""
        if not self.variants or not path.exists():
            return
        try:
            scrub_zip(path, self.variants)
        except Exception:  # noqa: BLE001 - a trace we cannot clean is not kept
            path.unlink(missing_ok=True)
