"""Redaction: no secret from the config lands in any artifact, note or trace.

A hostile page (or an innocent one) can show a secret in many encodings, so each
secret is matched as typed and as the encodings browsers and page scripts produce:
URL and form encoding (``encodeURIComponent``, ``encodeURI``, ``quote_plus``), JS
``escape()``, base64 and base64url (also inside a longer base64 string, such as a
``user:password`` basic-auth header), HTML entities (named, decimal, hex) and any
letter case. Matching is case-insensitive; the longest variant is tried first so
overlapping variants redact whole.

What cannot be redacted: pixels. Text a ``<canvas>`` draws, CSS generated content
(``::before``/``::after``), and text in images are not text in the DOM; screenshots
paint over the DOM elements that hold a secret, not those pixels (README, "Secrets").
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

from cx_auditor.artifacts import scrub_zip

__all__ = ["REDACTED", "Redactor", "secret_variants"]

REDACTED = "[redacted]"

#: the shortest base64 fragment worth matching inside a longer base64 string
_MIN_B64_FRAGMENT = 6
_JS_ESCAPE_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@*_+-./")


def js_escape(text: str) -> str:
    """JavaScript's legacy ``escape()``: ``%XX`` for Latin-1, ``%uXXXX`` above, a few characters kept."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _JS_ESCAPE_SAFE:
            out.append(ch)
        elif code < 256:
            out.append(f"%{code:02X}")
        else:
            units = ch.encode("utf-16-be")
            for i in range(0, len(units), 2):
                out.append(f"%u{units[i]:02X}{units[i + 1]:02X}")
    return "".join(out)


def _base64_forms(raw: bytes) -> set[str]:
    """``raw`` in base64 and base64url, whole and at each of the three byte alignments.

    Inside a longer encoded string the secret starts at byte offset 0, 1 or 2 of a
    3-byte group; the characters that depend on the secret's bytes only are matched.
    """
    forms: set[str] = set()
    whole = base64.b64encode(raw).decode("ascii")
    forms |= {whole, whole.rstrip("=")}
    n = len(raw)
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + raw + b"\0\0").decode("ascii")
        start = -(-8 * k // 6)  # first character made of secret bits only
        end = (8 * k + 8 * n) // 6  # one past the last such character
        fragment = enc[start:end]
        if len(fragment) >= _MIN_B64_FRAGMENT:
            forms.add(fragment)
    return forms | {f.replace("+", "-").replace("/", "_") for f in forms}


def _entity_forms(secret: str) -> set[str]:
    """The secret as HTML text: escaped, and every character as a decimal or hex reference."""
    return {
        html.escape(secret, quote=True),
        html.escape(secret, quote=False),
        "".join(f"&#{ord(c)};" for c in secret),
        "".join(f"&#x{ord(c):x};" for c in secret),
        "".join(f"&#x{ord(c):02x};" if not c.isalnum() else c for c in secret),
        "".join(f"&#{ord(c)};" if not c.isalnum() else c for c in secret),
    }


def secret_variants(secrets: Iterable[str]) -> list[str]:
    """Each secret as typed and in every common encoding, longest first (so overlaps redact whole)."""
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
                js_escape(secret),
            }
        )
        out |= _base64_forms(secret.encode("utf-8"))
        out |= _entity_forms(secret)
    # Case variants as literal strings too, for byte-level scrubbing (traces) that cannot ignore case.
    out |= {v.upper() for v in out} | {v.lower() for v in out}
    return sorted(out, key=len, reverse=True)


class Redactor:
    """Replaces every variant of the run's secrets, in any letter case; callable on a string."""

    def __init__(self, secrets: Iterable[str]) -> None:
        #: the raw secrets (screenshots paint these over on the page)
        self.secrets = [s for s in secrets if s]
        #: every variant, longest first
        self.variants = secret_variants(self.secrets)
        self._pattern = (
            re.compile("|".join(re.escape(v) for v in self.variants), re.IGNORECASE)
            if self.variants
            else None
        )

    def __bool__(self) -> bool:
        return bool(self.variants)

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)

    def scrub_trace(self, path: Path) -> None:
        """Clean a Playwright trace zip in place; a trace that cannot be cleaned is deleted."""
        if not self.variants or not path.exists():
            return
        try:
            scrub_zip(path, self.variants)
        except Exception:  # noqa: BLE001 - a trace we cannot clean is not kept
            path.unlink(missing_ok=True)
