"""Make any text the browser hands us safe to write anywhere.

A page can put *lone UTF-16 surrogates* in its text (``'A\\ud800B'`` in
JavaScript): the DevTools protocol passes them on as JSON escapes and Python
turns them into a ``str`` that cannot be encoded as UTF-8. Every writer (JSON
lines, reports, SQLite) would then fail. Text is cleaned at the boundary where
it enters our files: a properly paired surrogate becomes the character it
stands for, a lone one becomes U+FFFD (the replacement character).
"""

from __future__ import annotations

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with every surrogate code point resolved or replaced; unchanged (same object) when clean."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean(value: Any) -> Any:
    """:func:`clean_text` applied to every string (keys too) of a JSON-like structure."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value
