"""Support reachability: from any page, can a person get help — and does the help work?

For every page of every browser channel the check works out how many clicks
it takes to reach a help mechanism (a contact/help/FAQ/chat link, a visible
phone number or email link, a chat launcher), using the link graph the run
recorded; links in a collapsed mobile menu cost one extra tap. It lists the
support channels the site offers, verifies they work (well-formed ``tel:`` and
``mailto:`` links, help targets answering 2xx, chat launchers that open), checks
that checkout pages offer help, and that help mechanisms keep the same relative
order on every page of a channel (WCAG 2.2 SC 3.2.6 Consistent Help).

Differing phone numbers or email addresses are *not* reported here: that is
messaging_consistency's job.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import phonenumbers
from cx_auditor.checks import extractors as ex
from cx_auditor.checks._text import normalise_name, split_sentences
from cx_auditor.checks_api import Check, CheckOptions, LinkProbe, NotApplicable, Requirements, finding
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Column,
    Direction,
    Finding,
    Link,
    MetricValue,
    PageVisit,
    Scope,
    Severity,
    TableDetail,
)
from cx_auditor.urls import path_of, same_site
from pydantic import Field, NonNegativeFloat

__all__ = [
    "SupportReachabilityCheck",
    "classify_link",
    "is_help_link",
    "tel_problem",
    "mailto_problem",
    "path_pattern",
    "HELP_KINDS",
]

CHECK_ID = "support_reachability"

#: Mechanisms that put a person in touch with help (order tracking is self-service only).
HELP_KINDS = frozenset({"contact", "help", "chat", "phone", "email"})
_ORDERED_LOCATIONS = ("header", "nav", "menu", "footer")

_TRACKING = re.compile(
    r"\btrack(?:ing)?\s+(?:your\s+|my\s+|an\s+)?order|\border\s+(?:status|tracking)\b|"
    r"where(?:'s| is) my order|"
    r"sendungsverfolgung|suivi de commande|seguimiento",
    re.I,
)
_CHAT = re.compile(r"\b(?:live\s+)?chat\b|\bmessenger\b|\bwhatsapp\b", re.I)
_CONTACT = re.compile(
    r"contact|get in touch|\bkontakt|contacto|contato|contatti|contattaci|nous contacter|contactez|"
    r"お問い合わせ|联系我们|\bcall us\b|\bemail us\b|\bwrite to us\b",
    re.I,
)
_HELP = re.compile(
    r"\bhelp|\bfaqs?\b|frequently asked|\bsupport\b|customer[\s_-]*(?:service|care)|\bassistance\b|\bhilfe\b|"
    r"\baide\b|\bayuda\b|\baiuto\b|\bajuda\b|klantenservice|kundenservice|service client|\bkundendienst\b",
    re.I,
)
_CHECKOUT = re.compile(r"checkout|\bcart\b|basket|payment|\bbag\b|warenkorb|kasse|panier|carrito|cesta", re.I)
_CONTACT_FORM_FIELD = re.compile(r"message|comment|enquiry|inquiry|question|how can we help", re.I)
_EMAIL_SYNTAX = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_TEL_CHARS = re.compile(r"^\+?[0-9().\- ]+$")


# ---------------------------------------------------------------------------
# Classification helpers (public: the collector and other checks may reuse them)
# ---------------------------------------------------------------------------


def _href_words(href: str) -> str:
    parts = urlsplit(href)
    return unquote(f"{parts.path} {parts.fragment}").replace("-", " ").replace("_", " ").replace("/", " ")


def classify_link(link: Link) -> str | None:
    """What kind of help a link offers: contact, help, chat, phone, email, tracking — or None.

    The accessible text decides first (it is what the person reads); the URL
    is the fallback for icon-only links.
    """
    href = link.href.strip()
    low = href.lower()
    if low.startswith("tel:"):
        return "phone"
    if low.startswith("mailto:"):
        return "email"
    if not low.startswith(("http://", "https://", "/")):
        return None
    for subject in (link.text or "", _href_words(href)):
        if not subject.strip():
            continue
        for kind, rx in (("tracking", _TRACKING), ("chat", _CHAT), ("contact", _CONTACT), ("help", _HELP)):
            if rx.search(subject):
                return kind
    return None


_NOT_FOUND = re.compile(
    r"\bpage (?:was |is )?not found\b|"
    r"\b(?:can(?:no|')t|could(?:n't| not)|unable to) (?:find|locate) (?:that|this|the|your) page\b|"
    r"\bpage (?:you(?:'re| were| are) looking for|you requested) (?:does(?:n't| not) exist|"
    r"(?:could(?:n't| not)|can(?:no|')t) be found|(?:is|was) not found|no longer exists)\b|"
    r"\bthis page (?:does(?:n't| not) exist|no longer exists|(?:could(?:n't| not)|can(?:no|')t) be found)\b|"
    r"^(?:error\s*)?404\b",
    re.I,
)


def not_found_line(text: str) -> str | None:
    """The line of a page's text that says "page not found", or None.

    Only short lines count (a heading or a notice, at most 120 characters): an FAQ
    answer that mentions a missing page is not an error page.
    """
    for line in (text or "").replace("\u2019", "'").splitlines():
        line = line.strip()
        if 0 < len(line) <= 120 and _NOT_FOUND.search(line):
            return line
    return None


def soft_not_found(visit: PageVisit) -> str | None:
    """A help page that shows a not-found view without an HTTP error (a soft 404): the line, or None.

    A help page is one whose URL or the step that led there names help or contact;
    single-page stores answer every route with 200 and render their own error view.
    """
    if visit.status is not None and visit.status >= 400:
        return None  # a hard error: the HTTP status already says it
    link = Link(href=visit.final_url or visit.url, text=visit.step_label or "")
    if classify_link(link) not in HELP_KINDS:
        return None
    return not_found_line(visit.text)


def is_help_link(link: Link) -> bool:
    """Is this a link the check judges as a way to help (so its target should be probed)?"""
    return classify_link(link) is not None


def tel_problem(href: str, region: str = "US") -> str | None:
    """Why a ``tel:`` link cannot be dialled, or None when it is well-formed.

    RFC 3966 allows digits, a leading ``+`` and visual separators, plus
    ``;ext=`` style parameters; letters or a number ``phonenumbers`` cannot
    validate mean a phone shows an error instead of dialling.
    """
    number = unquote(href.split(":", 1)[1] if ":" in href else href).strip()
    base = number.split(";", 1)[0]
    if not base:
        return "empty number"
    if not _TEL_CHARS.match(base):
        return f"invalid characters in {base!r}"
    try:
        parsed = phonenumbers.parse(base, region)
    except phonenumbers.NumberParseException as exc:
        return f"not a phone number ({exc})"
    if not phonenumbers.is_valid_number(parsed):
        return f"{base!r} is not a valid number"
    return None


def mailto_problem(href: str) -> str | None:
    """Why a ``mailto:`` link cannot open a mail draft to a valid address, or None."""
    target = unquote(href.split(":", 1)[1] if ":" in href else "").split("?", 1)[0].strip()
    if not target:
        return "no address"
    for address in (a.strip() for a in target.split(",")):
        if not _EMAIL_SYNTAX.match(address):
            return f"{address!r} is not an email address"
    return None


def path_pattern(path: str) -> str:
    """Group pages by template: ``/product/a`` and ``/product/b`` are both ``/product/*``."""
    segments = [s for s in path.split("?", 1)[0].split("/") if s]
    if not segments:
        return "/"
    if len(segments) == 1:
        return "/*" if segments[0].isdigit() else f"/{segments[0]}"
    return f"/{segments[0]}/*"


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


_path = path_of


@dataclass
class _Page:
    """One distinct page (channel + path), merged over every visit of it."""

    channel: str
    path: str
    url: str
    title: str = ""
    visits: list[PageVisit] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    chat: bool = False
    chat_broken: bool = False
    #: a phone number or email address readable in the page text (no link needed)
    text_contact: bool = False
    dist: float = math.inf

    def help_links(self) -> list[tuple[str, Link]]:
        return [(k, ln) for ln in self.links if (k := classify_link(ln)) in HELP_KINDS]

    @property
    def checkout(self) -> bool:
        return bool(_CHECKOUT.search(self.path) or _CHECKOUT.search(self.title))


def _text_has_contact(text: str) -> bool:
    """Whether visible text shows a phone number or an email address (cheap pre-filter first)."""
    if not re.search(r"@|\d{3}", text or ""):
        return False
    return any(ex.extract_emails(s) or ex.extract_phones(s) for s in split_sentences(text))


def _pages(visits: list[PageVisit]) -> dict[str, _Page]:
    pages: dict[str, _Page] = {}
    for v in visits:
        u = v.final_url or v.url
        page = pages.setdefault(_path(u), _Page(channel=v.channel, path=_path(u), url=u, title=v.title))
        page.visits.append(v)
        known = {(ln.href, ln.location, ln.text) for ln in page.links}
        for ln in sorted(v.links, key=lambda x: x.order):
            if (ln.href, ln.location, ln.text) not in known:
                page.links.append(ln)
        if v.widgets.get("chat_launcher") or v.widgets.get("chat_vendor"):
            page.chat = True
        if not page.text_contact:
            page.text_contact = _text_has_contact(v.text)
        probe = v.probes.get("chat_launcher")
        if isinstance(probe, dict) and probe.get("clicked", True) and probe.get("opened") is False:
            page.chat_broken = True
    return pages


class _Status:
    """HTTP status of link targets: the collector's probes first, then the pages visited."""

    def __init__(self, artifacts: Artifacts) -> None:
        self.probed = artifacts.link_status
        self.visited: dict[str, int | None] = {}
        #: help pages that render a not-found view without an HTTP error, by path
        self.soft_404: dict[str, tuple[PageVisit, str]] = {}
        for v in artifacts.visits:
            line = soft_not_found(v)
            if line is not None:
                self.soft_404.setdefault(_path(v.final_url or v.url), (v, line))
            if v.status is not None:
                self.visited.setdefault(_path(v.final_url or v.url), v.status)
                self.visited.setdefault(_path(v.url), v.status)

    def broken(self, href: str) -> tuple[bool, int | None]:
        """(broken?, status). Unknown targets are given the benefit of the doubt."""
        for key in (href, href.split("#", 1)[0]):
            if key in self.probed:
                status = self.probed[key]
                return (status is None or status >= 400), status
        if _path(href) in self.soft_404:
            return True, self.visited.get(_path(href))
        status = self.visited.get(_path(href))
        if status is not None:
            return status >= 400, status
        return False, None


# ---------------------------------------------------------------------------
# Reachability (shortest clicks to help over the recorded link graph)
# ---------------------------------------------------------------------------


def _link_cost(link: Link) -> int | None:
    if link.location == "menu":
        return 2  # open the menu, then tap
    return 1 if link.visible else None


def _direct(page: _Page, status: _Status) -> bool:
    """Help without navigating: a help page itself, a visible number/address, a working chat."""
    if (page.chat and not page.chat_broken) or page.text_contact:
        return True
    if _CONTACT.search(_href_words(page.url)) or _HELP.search(_href_words(page.url)):
        return not status.broken(page.url)[0]
    return any(
        k in ("phone", "email") and ln.visible and ln.location != "menu" and _contact_link_ok(ln)
        for k, ln in page.help_links()
    )


def _contact_link_ok(link: Link) -> bool:
    problem = tel_problem(link.href) if link.href.lower().startswith("tel:") else mailto_problem(link.href)
    return problem is None


def _distances(pages: dict[str, _Page], status: _Status) -> None:
    """Fill ``page.dist``: fewest clicks to a help mechanism (Bellman-Ford; graphs are small)."""
    edges: dict[str, list[tuple[int, str | None]]] = defaultdict(list)  # None = help itself
    for page in pages.values():
        page.dist = 0 if _direct(page, status) else math.inf
        for ln in page.links:
            cost = _link_cost(ln)
            if cost is None:
                continue
            kind = classify_link(ln)
            if kind in ("phone", "email"):
                if _contact_link_ok(ln):
                    edges[page.path].append((cost - 1, None))
            elif kind in HELP_KINDS:
                if not status.broken(ln.href)[0]:
                    edges[page.path].append((cost, None))
            elif same_site(ln.href, page.url) and _path(ln.href) in pages:
                edges[page.path].append((cost, _path(ln.href)))
    for _ in range(len(pages) + 1):
        changed = False
        for path, out in edges.items():
            for cost, target in out:
                d = cost + (0 if target is None else pages[target].dist)
                if d < pages[path].dist:
                    pages[path].dist, changed = d, True
        if not changed:
            break


# ---------------------------------------------------------------------------
# Consistent help (WCAG 2.2 SC 3.2.6)
# ---------------------------------------------------------------------------


def _mechanism_id(kind: str, link: Link) -> str:
    """Identity of a help mechanism as a person sees it: its kind and label (not its URL)."""
    label = normalise_name(link.text)
    if not label:
        label = link.href.split(":", 1)[1] if kind in ("phone", "email") else _path(link.href)
    return f"{kind}:{label}"


def _mechanism_labels(pages: list[_Page]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for page in pages:
        for ln in page.links:
            kind = classify_link(ln)
            if kind is not None:
                labels.setdefault(_mechanism_id(kind, ln), (ln.text or ln.href).strip())
    return labels


def _help_sequences(page: _Page) -> dict[str, list[str]]:
    """Per page region, help mechanisms in document order (first occurrence of each)."""
    seqs: dict[str, list[str]] = defaultdict(list)
    for ln in sorted(page.links, key=lambda x: x.order):
        kind = classify_link(ln)
        if kind is None or ln.location not in _ORDERED_LOCATIONS:
            continue
        mid = _mechanism_id(kind, ln)
        if mid not in seqs[ln.location]:
            seqs[ln.location].append(mid)
    return seqs


def _order_deviations(pages: list[_Page], min_share: float) -> dict[str, tuple[str, list[str], list[str]]]:
    """Pages whose help order breaks the channel's majority order: path -> (region, found, expected)."""
    by_region: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for page in pages:
        for region, seq in _help_sequences(page).items():
            if len(seq) >= 2:
                by_region[region][page.path] = seq
    deviations: dict[str, tuple[str, list[str], list[str]]] = {}
    for region, seqs in by_region.items():
        before: Counter[tuple[str, str]] = Counter()
        for seq in seqs.values():
            for i, a in enumerate(seq):
                for b in seq[i + 1 :]:
                    before[(a, b)] += 1
        for path, seq in seqs.items():
            if path in deviations:
                continue
            for i, a in enumerate(seq):
                broken = [
                    b
                    for b in seq[i + 1 :]
                    if before[(b, a)] >= 2 and before[(b, a)] >= min_share * (before[(a, b)] + before[(b, a)])
                ]
                if broken:
                    deviations[path] = (region, seq, _expected_order(seq, seqs))
                    break
    return deviations


def _expected_order(seq: list[str], seqs: dict[str, list[str]]) -> list[str]:
    """The most common order among pages listing the same mechanisms."""
    same_set = [tuple(s) for s in seqs.values() if set(s) == set(seq)]
    if not same_set:
        return seq
    return list(Counter(same_set).most_common(1)[0][0])


# ---------------------------------------------------------------------------
# Support channels offered
# ---------------------------------------------------------------------------


def _offered(artifacts: Artifacts, region: str) -> dict[str, bool]:
    offered = dict.fromkeys(
        ("phone", "email", "chat", "contact_form", "help_centre", "order_tracking", "opening_hours"), False
    )
    for v in artifacts.visits:
        kinds = {classify_link(ln) for ln in v.links}
        offered["phone"] |= "phone" in kinds
        offered["email"] |= "email" in kinds
        offered["chat"] |= (
            bool(v.widgets.get("chat_launcher") or v.widgets.get("chat_vendor")) or "chat" in kinds
        )
        offered["help_centre"] |= "help" in kinds or bool(_HELP.search(_href_words(v.url)))
        offered["order_tracking"] |= "tracking" in kinds or bool(_TRACKING.search(v.text))
        if _CONTACT.search(_href_words(v.url)) or _HELP.search(_href_words(v.url)):
            offered["contact_form"] |= any(
                f.type == "textarea" or _CONTACT_FORM_FIELD.search(f"{f.name} {f.label}") for f in v.fields
            )
        if not (offered["phone"] and offered["email"] and offered["opening_hours"]):
            for sentence in split_sentences(v.text):
                offered["phone"] = offered["phone"] or bool(ex.extract_phones(sentence, region))
                offered["email"] = offered["email"] or bool(ex.extract_emails(sentence))
                offered["opening_hours"] = offered["opening_hours"] or bool(
                    ex.extract_support_hours(sentence)
                )
    return offered


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------


def _pages_by_pattern(pages: list[_Page]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for p in pages:
        grouped[path_pattern(p.path)].append(p.path)
    return dict(grouped)


def _describe_pages(grouped: dict[str, list[str]]) -> str:
    return ", ".join(
        paths[0] if len(paths) == 1 else f"{pattern} ({len(paths)} pages)"
        for pattern, paths in grouped.items()
    )


@dataclass
class _Collector:
    """Gathers per-page problems across channels so each problem becomes one finding."""

    max_evidence: int
    malformed: dict[tuple[str, str, str], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    broken: dict[tuple[str, str, int | None], list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def note_links(self, page: _Page, status: _Status, region: str) -> None:
        seen: set[str] = set()
        for kind, ln in page.help_links() + [
            (k, ln) for ln in page.links if (k := classify_link(ln)) == "tracking"
        ]:
            if ln.href in seen:
                continue
            seen.add(ln.href)
            if kind == "phone" and (problem := tel_problem(ln.href, region)):
                self.malformed[("tel", ln.href, problem)].append((page.channel, page.url))
            elif kind == "email" and (problem := mailto_problem(ln.href)):
                self.malformed[("mailto", ln.href, problem)].append((page.channel, page.url))
            elif kind not in ("phone", "email"):
                is_broken, code = status.broken(ln.href)
                if is_broken:
                    self.broken[(kind or "help", ln.href.split("#", 1)[0], code)].append(
                        (page.channel, page.url)
                    )

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for (scheme, href, problem), where in self.malformed.items():
            out.append(
                finding(
                    CHECK_ID,
                    f"malformed-{scheme}",
                    Severity.FAIL,
                    f"The {scheme}: link {href!r} is malformed ({problem}); shown on {_where(where)}",
                    url=where[0][1],
                    evidence={
                        "href": href,
                        "problem": problem,
                        "pages": _pages_evidence(where, self.max_evidence),
                    },
                    identity=(href,),
                )
            )
        for (kind, href, code), where in self.broken.items():
            answer = "could not be reached" if code is None else f"answers {code}"
            out.append(
                finding(
                    CHECK_ID,
                    "broken-help-link",
                    Severity.FAIL,
                    f"The {kind} link to {urlsplit(href).path or href} {answer}; linked from {_where(where)}",
                    url=href,
                    evidence={
                        "href": href,
                        "status": code,
                        "kind": kind,
                        "pages": _pages_evidence(where, self.max_evidence),
                    },
                )
            )
        return out


def _soft_404_findings(
    status: _Status, reported: dict[tuple[str, str, int | None], list[tuple[str, str]]]
) -> list[Finding]:
    """Help pages reached by a journey that show "page not found" with no HTTP error."""
    already = {_path(href) for (_kind, href, _code) in reported}
    out = []
    for path, (visit, line) in sorted(status.soft_404.items()):
        if path in already:
            continue  # a link to it is already reported as broken, with its pages
        how = "an in-app route change" if visit.navigation == "soft" else "HTTP 200"
        via = f" (reached by the step {visit.step_label!r})" if visit.step_label else ""
        out.append(
            finding(
                CHECK_ID,
                "broken-help-link",
                Severity.FAIL,
                f"The help page {path}{via} shows a not-found page ({line!r}) with {how}: a soft 404, "
                "so a person looking for help lands on an error",
                channel=visit.channel,
                url=visit.final_url or visit.url,
                evidence={
                    "href": visit.final_url or visit.url,
                    "status": visit.status,
                    "soft_404": True,
                    "navigation": visit.navigation,
                    "line": line,
                    "step": visit.step_label,
                },
            )
        )
    return out


def _where(where: list[tuple[str, str]]) -> str:
    by_pattern: dict[str, set[str]] = defaultdict(set)
    channels_by_pattern: dict[str, set[str]] = defaultdict(set)
    for channel, url in where:
        pattern = path_pattern(_path(url))
        by_pattern[pattern].add(_path(url))
        channels_by_pattern[pattern].add(channel)
    parts = []
    for pattern, paths in by_pattern.items():
        name = next(iter(paths)) if len(paths) == 1 else f"{pattern} ({len(paths)} pages)"
        parts.append(f"{name} [{', '.join(sorted(channels_by_pattern[pattern]))}]")
    return ", ".join(parts)


def _pages_evidence(where: list[tuple[str, str]], limit: int) -> list[dict[str, str]]:
    unique = list(dict.fromkeys(where))
    return [{"channel": c, "url": u} for c, u in unique[:limit]]


class SupportOptions(CheckOptions):
    """Options of ``support_reachability``."""

    max_clicks: int = Field(
        2, ge=0, le=10, description="Clicks from any page to help before it is a finding."
    )
    region: str = Field(
        "US", min_length=2, max_length=2, description="Region for tel: numbers without a country code."
    )
    consistent_help_severity: Literal["fail", "warn", "info"] = Field(
        "warn", description="Severity when help options change order across pages (WCAG 2.2 SC 3.2.6)."
    )
    consistent_help_min_share: float = Field(
        0.6, gt=0, le=1, description="Share of pages that must agree on an order."
    )
    broken_penalty: NonNegativeFloat = Field(
        0.15,
        description="score = 100 * reachable share * exp(-(fails * broken_penalty + warns * warn_penalty)).",
    )
    warn_penalty: NonNegativeFloat = Field(0.05, description="See broken_penalty.")
    max_evidence: int = Field(25, ge=1, description="Pages listed as evidence per finding.")


class SupportReachabilityCheck(Check):
    id = CHECK_ID
    title = "Support reachability"
    description = (
        "From every page a person can reach working help within a couple of clicks, checkout pages offer "
        "help, and help options stay in the same order across pages (WCAG 2.2 SC 3.2.6)."
    )
    Options = SupportOptions

    #: the help, contact, chat and order-tracking links this check judges are probed for their status
    requires = Requirements(link_probes=(LinkProbe(name=f"{CHECK_ID}.help", accepts=is_help_link),))

    def run(self, artifacts: Artifacts, options: SupportOptions) -> CheckResult:
        opts = options
        channels = [c for c in artifacts.browser_channels() if artifacts.visits_for(c)]
        if not channels:
            raise NotApplicable("no browser page visits to judge")
        max_clicks = opts.max_clicks
        region = opts.region
        status = _Status(artifacts)
        collector = _Collector(opts.max_evidence)
        findings: list[Finding] = []
        per_channel: dict[str, dict[str, Any]] = {}
        total = reachable = 0
        for channel in channels:
            pages = _pages(artifacts.visits_for(channel))
            _distances(pages, status)
            for page in pages.values():
                collector.note_links(page, status, region)
            channel_findings, stats = self._channel_findings(channel, pages, max_clicks, opts)
            findings += channel_findings
            per_channel[channel] = stats
            total += len(pages)
            reachable += stats["pages_with_reachable_help"]
        findings = collector.findings() + _soft_404_findings(status, collector.broken) + findings
        offered = _offered(artifacts, region)
        if not (offered["phone"] or offered["email"] or offered["chat"]):
            findings.insert(
                0,
                finding(
                    CHECK_ID,
                    "no-direct-support-channel",
                    Severity.FAIL,
                    "The site offers no phone number, no email address and no chat: "
                    "a person cannot talk to anyone",
                    evidence={"offered": offered},
                ),
            )
        share = reachable / total if total else 1.0
        reach_rules = {"help-unreachable", "help-too-far", "checkout-without-help"}
        fails = sum(f.severity == Severity.FAIL and f.rule not in reach_rules for f in findings)
        warns = sum(f.severity == Severity.WARN and f.rule not in reach_rules for f in findings)
        score = 100 * share * math.exp(-(fails * opts.broken_penalty + warns * opts.warn_penalty))
        values = [
            MetricValue(
                name="reachable_share",
                label="Pages with help in reach",
                unit="ratio",
                value=round(share, 3),
                direction=Direction.HIGHER,
            ),
            MetricValue(name="pages", label="Pages", unit="count", value=total, direction=Direction.HIGHER),
            MetricValue(
                name="pages_with_reachable_help",
                label="Pages with help in reach",
                unit="count",
                value=reachable,
                direction=Direction.HIGHER,
            ),
        ]
        for channel, stats in per_channel.items():
            scope = Scope(channel=channel)
            pages_n = stats["pages"]
            values += [
                MetricValue(name="pages", label="Pages", unit="count", value=pages_n, scope=scope),
                MetricValue(
                    name="pages_with_reachable_help",
                    label="Pages with help in reach",
                    unit="count",
                    value=stats["pages_with_reachable_help"],
                    direction=Direction.HIGHER,
                    scope=scope,
                ),
                MetricValue(
                    name="checkout_pages",
                    label="Checkout pages",
                    unit="count",
                    value=stats["checkout_pages"],
                    scope=scope,
                ),
            ]
            values.append(
                MetricValue(
                    name="reachable_share",
                    label="Pages with help in reach",
                    unit="ratio",
                    value=round(stats["pages_with_reachable_help"] / pages_n, 3) if pages_n else 1.0,
                    direction=Direction.HIGHER,
                    scope=scope,
                )
            )
            if stats["median_clicks_to_help"] is not None:
                values.append(
                    MetricValue(
                        name="median_clicks_to_help",
                        label="Clicks to help (median)",
                        unit="count",
                        value=stats["median_clicks_to_help"],
                        scope=scope,
                    )
                )
        offered_table = TableDetail(
            title="Support channels offered",
            columns=[Column(key="channel", label="Support channel"), Column(key="offered", label="Offered")],
            rows=[{"channel": kind, "offered": yes} for kind, yes in offered.items()],
        )
        return self.result(score=score, findings=findings, values=values, details=[offered_table])

    def _channel_findings(
        self, channel: str, pages: dict[str, _Page], max_clicks: int, opts: SupportOptions
    ) -> tuple[list[Finding], dict[str, Any]]:
        findings: list[Finding] = []
        no_help = [
            p for p in pages.values() if p.checkout and not (p.help_links() or p.chat or p.text_contact)
        ]
        if no_help:
            findings.append(
                finding(
                    CHECK_ID,
                    "checkout-without-help",
                    Severity.FAIL,
                    f"{channel}: checkout pages offer no way to get help (no help or contact link, phone, "
                    f"email or chat): {_describe_pages(_pages_by_pattern(no_help))}",
                    channel=channel,
                    url=no_help[0].url,
                    evidence={"pages": [p.url for p in no_help]},
                )
            )
        skip = {p.path for p in no_help}
        far = [p for p in pages.values() if p.dist > max_clicks and p.path not in skip]
        for pattern, paths in _pages_by_pattern(far).items():
            group = [pages[p] for p in paths]
            unreachable = all(math.isinf(p.dist) for p in group)
            clicks = (
                "no path to help was found"
                if unreachable
                else f"help is {int(min(p.dist for p in group))} clicks away"
            )
            findings.append(
                finding(
                    CHECK_ID,
                    "help-unreachable" if unreachable else "help-too-far",
                    Severity.FAIL if unreachable else Severity.WARN,
                    f"{channel}: from {_describe_pages({pattern: paths})} {clicks} (limit {max_clicks})",
                    channel=channel,
                    url=group[0].url,
                    evidence={
                        "pages": [
                            {"url": p.url, "clicks": None if math.isinf(p.dist) else p.dist} for p in group
                        ],
                        "max_clicks": max_clicks,
                    },
                    identity=(pattern,),
                )
            )
        broken_chat = [p for p in pages.values() if p.chat_broken]
        if broken_chat:
            findings.append(
                finding(
                    CHECK_ID,
                    "chat-launcher-broken",
                    Severity.FAIL,
                    f"{channel}: the chat launcher opens nothing when clicked on "
                    f"{_describe_pages(_pages_by_pattern(broken_chat))}",
                    channel=channel,
                    url=broken_chat[0].url,
                    evidence={
                        "pages": [p.url for p in broken_chat],
                        "probe": next(
                            (v.probes.get("chat_launcher") for v in broken_chat[0].visits if v.probes), None
                        ),
                    },
                )
            )
        findings += _consistent_help_findings(channel, pages, opts)
        # a checkout page whose only help is "leave checkout first" does not count as reachable
        reachable = sum(p.dist <= max_clicks and p.path not in skip for p in pages.values())
        dists = sorted(p.dist for p in pages.values() if not math.isinf(p.dist))
        stats = {
            "pages": len(pages),
            "pages_with_reachable_help": reachable,
            "median_clicks_to_help": statistics.median_high(dists) if dists else None,
            "checkout_pages": sum(p.checkout for p in pages.values()),
        }
        return findings, stats


def _consistent_help_findings(channel: str, pages: dict[str, _Page], opts: SupportOptions) -> list[Finding]:
    deviations = _order_deviations(list(pages.values()), opts.consistent_help_min_share)
    grouped: dict[str, list[str]] = defaultdict(list)
    for path in deviations:
        grouped[path_pattern(path)].append(path)
    labels = _mechanism_labels(list(pages.values()))
    out: list[Finding] = []
    for pattern, paths in grouped.items():
        region, found, expected = deviations[paths[0]]
        out.append(
            finding(
                CHECK_ID,
                "inconsistent-help-order",
                opts.consistent_help_severity,
                f"{channel}: on {_describe_pages({pattern: paths})} the {region} lists help "
                f"in a different order "
                f"({' → '.join(labels.get(m, m) for m in found)}) than other pages "
                f"({' → '.join(labels.get(m, m) for m in expected)}) (WCAG 2.2 SC 3.2.6 Consistent Help)",
                channel=channel,
                url=pages[paths[0]].url,
                evidence={
                    "region": region,
                    "found": [labels.get(m, m) for m in found],
                    "expected": [labels.get(m, m) for m in expected],
                    "pages": [pages[p].url for p in paths],
                    "wcag": "3.2.6",
                },
                identity=(pattern, region),
            )
        )
    return out
