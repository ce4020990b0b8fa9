"""What a check asks the collector to gather, beyond what every page visit records.

Lighthouse audits declare ``requiredArtifacts`` and gatherers serve them; here a
check declares :class:`Requirements` (from its options, see
:meth:`cx_auditor.checks_api.Check.requirements`), the pipeline takes the union
over the enabled checks, and the collector serves that union. The collector
itself knows no check's words or options: it only runs these requests.

Four kinds of request, each landing in a named place of the artifacts:

- :class:`SelectorText` -- the inner texts of elements matching a CSS selector,
  read when the journey leaves each page, into ``PageVisit.extracted[name]``.
- :class:`PageScript` -- the JSON result of a JavaScript function run in each
  page when the journey leaves it, into ``PageVisit.gathered[name]``.
- :class:`LinkProbe` -- which recorded links deserve an HTTP status probe; the
  status of every accepted same-site link lands in ``Artifacts.link_status``.
- ``structured_data`` -- the page's schema.org items (JSON-LD, microdata), into
  ``PageVisit.structured_data``.

This module is pure (no browser): a check imports it without Playwright.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from cx_auditor.models import Link

__all__ = ["LinkProbe", "PageScript", "Requirements", "SelectorText", "union"]

T = TypeVar("T")


@dataclass(frozen=True)
class SelectorText:
    """Texts of the elements matching ``selector`` on every page, stored under ``name``.

    Empty texts are dropped, the others stripped and redacted; at most ``limit`` per page.
    """

    name: str
    selector: str
    limit: int = 50


@dataclass(frozen=True)
class PageScript:
    """A JavaScript function (``"() => ..."``) run in every page before it is left.

    Its JSON-serialisable result is stored under ``PageVisit.gathered[name]`` (strings in
    it are redacted like every artifact). A script that throws stores nothing for that page.
    """

    name: str
    script: str


@dataclass(frozen=True)
class LinkProbe:
    """Which recorded links a check wants probed for their HTTP status.

    ``accepts`` is called with each recorded :class:`~cx_auditor.models.Link` of a page;
    the collector probes only same-site ``http(s)`` links, once each, whatever checks ask.
    ``name`` identifies the request (two checks asking under one name are one request).
    """

    name: str
    accepts: Callable[[Link], bool] = field(compare=False)


@dataclass(frozen=True)
class Requirements:
    """Everything one check (or, after :func:`union`, a whole run) asks the collector for."""

    selector_texts: tuple[SelectorText, ...] = ()
    page_scripts: tuple[PageScript, ...] = ()
    link_probes: tuple[LinkProbe, ...] = ()
    #: schema.org data (JSON-LD, microdata) of every page as the browser saw it, read when
    #: the journey leaves the page, into ``PageVisit.structured_data``
    structured_data: bool = False

    def __bool__(self) -> bool:
        return bool(self.selector_texts or self.page_scripts or self.link_probes or self.structured_data)

    def wants_probe(self, link: Link) -> bool:
        """Does any check want this link's status? (A faulty predicate counts as no.)"""
        for probe in self.link_probes:
            try:
                if probe.accepts(link):
                    return True
            except Exception:  # noqa: BLE001 - a check's predicate never breaks gathering
                continue
        return False


def _unique(items: Iterable[T], key: Callable[[T], Hashable]) -> tuple[T, ...]:
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def union(parts: Iterable[Requirements]) -> Requirements:
    """One request for a run: every part's requests, each once (first wins on a shared name)."""
    parts = list(parts)
    return Requirements(
        selector_texts=_unique((s for p in parts for s in p.selector_texts), lambda s: (s.name, s.selector)),
        page_scripts=_unique((s for p in parts for s in p.page_scripts), lambda s: s.name),
        link_probes=_unique((s for p in parts for s in p.link_probes), lambda s: s.name),
        structured_data=any(p.structured_data for p in parts),
    )
