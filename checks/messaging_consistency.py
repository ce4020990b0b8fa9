"""Messaging consistency: does the shop say the same thing everywhere?

Every page visit (on every browser channel) and every document of a documents
channel is read sentence by sentence; the extractors in
:mod:`checks.extractors` turn sentences into claims (prices, free-shipping
thresholds, return windows, dispatch and delivery times, promo terms,
warranties, support hours, phone numbers, email addresses, custom claims from
config). Claims of the same kind — and the same product, promo code or
qualifier — are then compared across sources: different normalised values are
ONE finding per claim (per product for prices) listing every variant with
where it was seen. Cart pages are also checked for arithmetic that breaks a
promise (shipping charged above the advertised threshold; totals that do not
add up).

No per-site code: products are matched across listing, detail, cart and
documents by product-card links, detail-page titles, SKUs and normalised names.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import unquote

from cx_auditor.checks import _claims as cl
from cx_auditor.checks import extractors as ex
from cx_auditor.checks._products import (
    PRODUCT_BOXES,
    page_identity,
    product_boxes_script,
)
from cx_auditor.checks._structured import structured_findings
from cx_auditor.checks._text import contains_phrase, normalise_name, split_lines, split_sentences
from cx_auditor.checks_api import (
    Check,
    CheckOptions,
    NotApplicable,
    PageScript,
    Requirements,
    SelectorText,
    finding,
    resolve_options,
    url_path,
)
from cx_auditor.models import (
    Artifacts,
    CheckResult,
    Direction,
    Document,
    Finding,
    MetricValue,
    PageVisit,
    Quote,
    Severity,
    Variant,
    VariantsDetail,
)
from cx_auditor.urls import same_site
from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, model_validator

__all__ = ["MessagingConsistencyCheck", "Source", "Sighting", "CartFigures", "read_cart"]

CHECK_ID = "messaging_consistency"

#: Kinds whose sources may legitimately list several values side by side
#: (delivery tiers, hours of different teams, per-product warranties): only a
#: value stated *instead of* another one is a contradiction.
MULTI_VALUED = {ex.DISPATCH_TIME, ex.DELIVERY_TIME, ex.SUPPORT_HOURS, ex.WARRANTY}
#: Support contacts are compared per channel/document by their main value.
CONTACT_KINDS = {ex.PHONE, ex.EMAIL}
DEFAULT_FAIL_KINDS = {ex.PRICE, ex.THRESHOLD, ex.RETURN_WINDOW, ex.PHONE, ex.EMAIL}

_ADD_TO_CART = re.compile(
    r"\badd to (?:cart|bag|basket|trolley)\b|\bbuy now\b|\bin stock\b|\bpre-?order\b", re.I
)
_NOT_PRODUCT_TITLE = re.compile(
    r"\b(cart|basket|bag|checkout|search|results?|category|categories|home|account|sign in|log ?in|"
    r"help|contact|faq|polic(?:y|ies)|order|shipping|returns?|about|shop all|sale|new arrivals|"
    r"wishlist|page not found|error)\b",
    re.I,
)
_TITLE_SPLIT = re.compile(r"\s+[|–—:·-]\s+|\s+::\s+")
_SKU_RE = re.compile(
    r"\b(?:SKU|Item|Model|Style|Art\.?)\s*(?:#|no\.?|number)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{2,})\b"
)
_PRODUCT_PATH = re.compile(r"/(?:products?|p|item|items|dp|shop/[^/]+)/[^/]+", re.I)
_CART_LIKE = re.compile(r"\bsub-?total\b", re.I)


# ---------------------------------------------------------------------------
# Sources and sightings
# ---------------------------------------------------------------------------


@dataclass
class Source:
    """One place a claim can be read: a page (channel + URL path) or a document."""

    channel: str
    ref: str  # URL path for pages, file path for documents
    url: str | None = None
    is_document: bool = False
    texts: list[str] = field(default_factory=list)
    visits: list[PageVisit] = field(default_factory=list)

    @property
    def ident(self) -> tuple[str, str, bool]:
        return (self.channel, self.ref, self.is_document)

    def evidence(self, sentence: str) -> dict[str, Any]:
        where: dict[str, Any] = {"channel": self.channel, "sentence": sentence[:300]}
        if self.is_document:
            where["document"] = self.ref
        else:
            where["url"] = self.url or self.ref
        return where


@dataclass
class Sighting:
    """A claim as seen in one source."""

    claim: ex.Claim
    source: Source
    key: str  # comparison key (product id for prices; code/qualifier otherwise)
    cart: bool = False


def _page_path(visit: PageVisit) -> str:
    return url_path(visit.final_url or visit.url) or "/"


def _sources(artifacts: Artifacts) -> list[Source]:
    """Pages merged by (channel, path) — the same page seen by two journeys is one source."""
    by_key: dict[tuple[str, str], Source] = {}
    for visit in artifacts.visits:
        key = (visit.channel, _page_path(visit))
        src = by_key.get(key)
        if src is None:
            src = by_key[key] = Source(channel=visit.channel, ref=key[1], url=visit.final_url or visit.url)
        src.visits.append(visit)
        if visit.text and visit.text not in src.texts:
            src.texts.append(visit.text)
    out = list(by_key.values())
    for doc in artifacts.documents:
        out.append(_document_source(doc))
    return out


def _document_source(doc: Document) -> Source:
    text = "\n".join(t for t in (doc.title, doc.text) if t)
    return Source(channel=doc.channel, ref=doc.path, is_document=True, texts=[text] if text else [])


# ---------------------------------------------------------------------------
# Product identity: union-find over url:/sku:/name: nodes
# ---------------------------------------------------------------------------


class _Catalogue:
    """Which names, URLs and SKUs denote the same product (learned from the run itself)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self.labels: dict[str, str] = {}  # node -> human name
        self.urls: dict[str, str] = {}  # url node -> absolute URL
        self.names: dict[str, str] = {}  # normalised name -> node
        self._pending: dict[str, set[str]] = defaultdict(set)  # alias -> product url nodes
        self.detail_paths: set[str] = set()  # pages recognised as a product's detail page

    def _find(self, node: str) -> str:
        self._parent.setdefault(node, node)
        while self._parent[node] != node:
            self._parent[node] = self._parent[self._parent[node]]
            node = self._parent[node]
        return node

    def union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            # keep url: nodes as roots: they make the most stable identity
            if rb.startswith("url:") and not ra.startswith("url:"):
                ra, rb = rb, ra
            self._parent[rb] = ra

    def add_name(self, name: str, node: str) -> None:
        """Propose that ``name`` denotes the product at ``node`` (decided in :meth:`settle`)."""
        norm = normalise_name(name)
        if len(norm) < 4 or not re.search(r"[a-z]", norm):
            return
        self._pending[f"name:{norm}"].add(node)
        self.labels.setdefault(f"name:{norm}", name.strip())
        self.labels.setdefault(node, name.strip())

    def pending_aliases(self) -> set[str]:
        """Aliases proposed so far (before :meth:`settle`)."""
        return set(self._pending)

    def add_sku(self, sku: str, node: str) -> None:
        self._pending[f"sku:{sku}"].add(node)

    def settle(self) -> None:
        """Join aliases that point at exactly one product page.

        A name or SKU seen with two different product URLs ("View details",
        the shop's own name in every title) is ambiguous and joins nothing;
        merging on it would turn all products into one.
        """
        for alias, nodes in self._pending.items():
            if len(nodes) != 1:
                continue
            self.union(next(iter(nodes)), alias)
            if alias.startswith("name:"):
                self.names[alias[5:]] = alias
        self._pending.clear()

    def root(self, node: str) -> str:
        return self._find(node)

    def label(self, root: str) -> str:
        members = [n for n in self._parent if self._find(n) == root]
        for node in [root, *members]:
            if node in self.labels:
                return self.labels[node]
        return root.split(":", 1)[-1]

    def url_of(self, root: str) -> str | None:
        if root.startswith("url:"):
            return self.urls.get(root)
        return None


def _link_name_and_price(text: str, currency: str) -> tuple[str, ex.Claim | None]:
    """Split a product-card link text into the product name and its price."""
    prices = ex.extract_prices(text, currency)
    name = text
    for money in ex.find_money(text, currency):
        name = name.replace(money.raw, " ")
    name = _SKU_RE.sub(" ", name)  # "Trailhead 28L Daypack SKU PAC-1005 $129.00": the SKU is no name
    name = re.sub(r"\b(?:was|now|sale|from|only|each)\b", " ", name, flags=re.I)
    name = re.sub(r"\s+", " ", name).strip(" -–—|·:")
    return name, (prices[0] if prices else None)


def _title_segments(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SPLIT.split(title or "") if p.strip()]


def _common_title_segments(sources: list[Source]) -> set[str]:
    """Title parts shared by several pages: the shop's name, not a product's."""
    paths_by_segment: dict[str, set[str]] = defaultdict(set)
    for src in sources:
        for visit in src.visits:
            for segment in _title_segments(visit.title):
                paths_by_segment[segment].add(src.ref)
    return {seg for seg, paths in paths_by_segment.items() if len(paths) >= 2}


def _detail_name(visit: PageVisit, common: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The product name of a detail page, or None when the page does not look like one."""
    segments = [seg for seg in _title_segments(visit.title) if seg not in common]
    name = segments[0] if segments else ""
    if not name or _NOT_PRODUCT_TITLE.search(name) or not _ADD_TO_CART.search(visit.text):
        return None
    norm = normalise_name(name)
    if len(norm) < 4 or not contains_phrase(normalise_name(visit.text), norm):
        return None
    return name


def _build_catalogue(sources: list[Source], currency: str) -> tuple[_Catalogue, list[Sighting]]:
    """Learn product identities; return the catalogue and prices read from product-card links."""
    cat = _Catalogue()
    link_prices: list[Sighting] = []
    detail_paths = cat.detail_paths
    common = _common_title_segments(sources)
    listed: list[str] = []
    for src in sources:
        for visit in src.visits:
            # Structured data and product boxes identify a page's product whatever its title
            # and links look like (one title for every route, cards linking to "#").
            boxes = visit.gathered.get(PRODUCT_BOXES)
            own, others = page_identity(
                visit.structured_data, boxes if isinstance(boxes, str) else None, currency
            )
            listed += [item.name for item in others]
            if own is not None and own.name:
                node = f"url:{src.ref}"
                cat.urls.setdefault(node, visit.final_url or visit.url)
                cat.add_name(own.name, node)
                detail_paths.add(src.ref)
                sku = getattr(own, "sku", None)
                if sku:
                    cat.add_sku(sku.strip(), node)
                continue
            name = _detail_name(visit, common)
            if name:
                node = f"url:{src.ref}"
                cat.urls.setdefault(node, visit.final_url or visit.url)
                cat.add_name(name, node)
                detail_paths.add(src.ref)
                sku = _SKU_RE.search(visit.text)  # the first SKU is the page's own
                if sku:
                    cat.add_sku(sku.group(1), node)
    for src in sources:
        for visit in src.visits:
            for link in visit.links:
                if not link.text or not same_site(link.href, visit.url):
                    continue
                path = url_path(link.href)
                node = f"url:{path}"
                name, price = _link_name_and_price(link.text, currency)
                if _NOT_PRODUCT_TITLE.search(name):
                    continue  # "Cart (2) $218.00" is a mini-cart, not a product card
                if price is not None and len(normalise_name(name)) >= 4:
                    cat.urls.setdefault(node, link.href)
                    cat.add_name(name, node)
                    sku = _SKU_RE.search(link.text)
                    if sku:
                        cat.add_sku(sku.group(1), node)
                    link_prices.append(Sighting(claim=price, source=src, key=node))
                elif path in detail_paths or _PRODUCT_PATH.search(path):
                    cat.urls.setdefault(node, link.href)
                    cat.add_name(name, node)
    # Products only ever listed (a card, a cart row, no detail page seen) are products too:
    # their name is their identity, unless it already names a product page.
    for name in dict.fromkeys(listed):
        alias = f"name:{normalise_name(name)}"
        if alias not in cat.pending_aliases():
            cat.add_name(name, alias)
    cat.settle()
    return cat, link_prices


def _name_in_line(line_norm: str, names: list[str]) -> str | None:
    for norm in names:  # longest first
        if contains_phrase(line_norm, norm):
            return norm
    return None


def _line_prices_after(line: str, name_norm: str, currency: str) -> list[ex.Claim]:
    """Prices on a line that follow the product name (a price before it belongs to something else)."""
    first_word = name_norm.split(" ", 1)[0]
    pos = line.lower().find(first_word)
    tail = line[pos:] if pos >= 0 else line
    return ex.extract_prices(tail, currency)


def _product_prices(src: Source, cat: _Catalogue, currency: str) -> list[Sighting]:
    """Attach each product's price in a source's text: the first product price after its name."""
    names = sorted(cat.names, key=len, reverse=True)
    out: list[Sighting] = []
    for text in src.texts:
        cart = bool(_CART_LIKE.search(text))
        current: str | None = None
        budget = 0
        for line in split_lines(text):
            norm = normalise_name(line)
            sku = _SKU_RE.search(line)
            found = _name_in_line(norm, names)
            node = cat.names[found] if found else None
            if found and len(found) < 0.5 * len(norm) and not ex.find_money(line, currency):
                node = None  # a paragraph that merely mentions a product
            if node is None and sku and current is None:
                node = f"sku:{sku.group(1)}"
            if node is not None:
                prices = _line_prices_after(line, found, currency) if found else []
                if prices:
                    out.append(Sighting(claim=prices[0], source=src, key=node, cart=cart))
                    current = None
                else:
                    current, budget = node, 3
                continue
            if current is None:
                continue
            prices = ex.extract_prices(line, currency)
            if prices:
                out.append(Sighting(claim=prices[0], source=src, key=current, cart=cart))
                current = None
            else:
                budget -= 1
                current = current if budget > 0 else None
    return out


# ---------------------------------------------------------------------------
# Claim collection
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Custom:
    name: str
    pattern: re.Pattern[str] | None
    selector: str | None
    severity: str
    multi: bool


SeverityName = Literal["fail", "warn", "info"]


class CustomClaim(BaseModel):
    """A claim the site makes that the built-in extractors do not know, found by regex or selector."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, description="Claim kind, used in findings and `severity`.")
    pattern: str | None = Field(None, description="Regex whose first group (or whole match) is the value.")
    selector: str | None = Field(
        None, description="CSS selector whose text is the value (collected by the browser)."
    )
    severity: SeverityName = "warn"
    multi_valued: bool = Field(False, description="Several values may be true at once (e.g. delivery times).")

    @model_validator(mode="after")
    def _pattern_or_selector(self) -> CustomClaim:
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(
                    f"custom claim {self.name!r}: invalid regex {self.pattern!r}: {exc}"
                ) from exc
        elif not self.selector:
            raise ValueError(f"custom claim {self.name!r} needs a 'pattern' or a 'selector'")
        return self


class MessagingOptions(CheckOptions):
    """Options of ``messaging_consistency``."""

    region: str = Field(
        "US", min_length=2, max_length=2, description="Region for phone numbers without a country code."
    )
    currency: str = Field("USD", min_length=3, max_length=3, description="What a bare '$' means.")
    severity: dict[str, SeverityName] = Field(
        default_factory=dict, description="Claim kind -> fail | warn | info, overriding the defaults."
    )
    custom_claims: list[CustomClaim] = Field(default_factory=list, description="Extra claims to compare.")
    max_evidence: int = Field(25, ge=1, description="Sightings listed per variant.")
    fail_penalty: NonNegativeFloat = Field(
        0.2, description="score = 100 * exp(-(fails * fail_penalty + warns * warn_penalty))."
    )
    warn_penalty: NonNegativeFloat = Field(0.07, description="See fail_penalty.")
    check_carts: bool = Field(True, description="Check cart totals against the advertised promises.")
    check_structured_data: bool = Field(
        True, description="Compare schema.org Offer data with what the page shows (checks/_structured.py)."
    )


def _custom_claims(options: MessagingOptions) -> list[_Custom]:
    return [
        _Custom(
            name=c.name,
            pattern=re.compile(c.pattern, re.I) if c.pattern else None,
            selector=c.selector,
            severity=c.severity,
            multi=c.multi_valued,
        )
        for c in options.custom_claims
    ]


def _mailto_addresses(artifacts: Artifacts) -> set[str]:
    """Addresses the shop links with ``mailto:`` anywhere in the run: offered to be written to."""
    out: set[str] = set()
    links = [lk for v in artifacts.visits for lk in v.links] + [
        lk for d in artifacts.documents for lk in d.links
    ]
    for lk in links:
        if lk.href.lower().startswith("mailto:"):
            address = unquote(lk.href[7:].split("?", 1)[0]).strip().lower()
            if "@" in address:
                out.add(address)
    return out


def _is_support_email(claim: ex.Claim, src: Source, mailto: set[str]) -> bool:
    """A support-email claim needs support context; a shopper's own address echoed back has none.

    Accepted: addresses linked with ``mailto:`` somewhere in the run, addresses
    in a sentence offering them as a contact ("Questions? Email us at ..."),
    and any address in a documents channel (the shop's own messages).
    """
    return src.is_document or claim.value in mailto or claim.extra.get("context") == "support"


def _text_sightings(
    src: Source, region: str, currency: str, customs: list[_Custom], mailto: set[str] | None = None
) -> list[Sighting]:
    """Non-price claims of one source, one sighting per (kind, key, value) with its first sentence."""
    out: list[Sighting] = []
    seen: set[tuple[str, str, str]] = set()
    mailto = mailto or set()

    def add(claim: ex.Claim) -> None:
        if claim.kind == ex.EMAIL and not _is_support_email(claim, src, mailto):
            return
        ident = (claim.kind, claim.key, claim.value)
        if ident not in seen:
            seen.add(ident)
            out.append(Sighting(claim=claim, source=src, key=claim.key))

    for text in src.texts:
        for claim in ex.extract_text(text, region=region, currency=currency):
            add(claim)
        for sentence in split_sentences(text):
            for custom in customs:
                if custom.pattern is not None:
                    for claim in ex.extract_custom(sentence, custom.name, custom.pattern):
                        add(claim)
    for visit in src.visits:
        for custom in customs:
            for raw in visit.extracted.get(custom.name, []):
                value = re.sub(r"\s+", " ", raw).strip()
                if value:
                    add(ex.Claim(kind=custom.name, value=value.lower(), display=value, sentence=value))
    return out


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------


def _merge_equivalent_values(
    kind: str, by_value: dict[str, list[Sighting]]
) -> tuple[dict[str, list[Sighting]], list[str]]:
    """One variant per value that does not contradict another (30 days = 1 month; "9-6" fits "9-6 ET").

    The merged sightings carry the variant's spelling, and its display notes
    what was merged, so a finding still shows how each source wrote it.
    """
    merged, notes = cl.merge_values(kind, by_value)
    out: dict[str, list[Sighting]] = {}
    all_notes = [f"{value} = {n}" for value, ns in notes.items() for n in ns]
    for value, sightings in merged.items():
        note = notes.get(value)
        display = next((s.claim.display for s in sightings if s.claim.value == value), value)
        if note:
            display = f"{display} (also stated as {'; '.join(note)})"
        out[value] = [
            s
            if s.claim.value == value and not note
            else Sighting(
                claim=replace(s.claim, value=value, display=display), source=s.source, key=s.key, cart=s.cart
            )
            for s in sightings
        ]
    return out, all_notes


def _equivalence_finding(kind: str, key: str, notes: list[str], sightings: list[Sighting]) -> Finding:
    """Info: one claim worded several compatible ways ("1 month" and "30 days", hours with and
    without a zone) — not a contradiction, but noted so the wording can be aligned."""
    label = ex.KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
    subject = f"{label} ({key})" if key and not key.startswith(("url:", "sku:", "name:")) else label
    return finding(
        CHECK_ID,
        "equivalent-wording",
        Severity.INFO,
        f"{subject} is worded differently without contradicting itself: {'; '.join(notes)} "
        f"({_where_summary(sightings)})",
        evidence={"claim": kind, "key": key, "equivalences": notes},
        identity=("equivalent-wording", kind, key),
    )


def _undialable_findings(sightings: list[Sighting], judge: _Judge) -> list[Finding]:
    """One finding per phone number that has the right length but is not an assigned number.

    A placeholder ("(555) 123-4567") or typo'd number cannot be called from
    any channel; it is reported once, with every page and document showing it.
    """
    by_number: dict[str, list[Sighting]] = defaultdict(list)
    for s in sightings:
        if s.claim.extra.get("dialable") == "no":
            by_number[s.claim.value].append(s)
    out: list[Finding] = []
    for number, items in sorted(by_number.items()):
        unique: dict[tuple[str, str, bool], Sighting] = {}
        for s in items:
            unique.setdefault(s.source.ident, s)
        channels = {s.source.channel for s in unique.values()}
        seen = [s.source.evidence(s.claim.sentence) for s in unique.values()]
        out.append(
            finding(
                CHECK_ID,
                "undialable-phone",
                judge.severity("undialable_phone"),
                f"Phone number {items[0].claim.display} is not a dialable number "
                f"({_where_summary(list(unique.values()))})",
                channel=next(iter(channels)) if len(channels) == 1 else None,
                evidence={"claim": ex.PHONE, "number": number, "seen": seen[: judge.max_evidence]},
                identity=("undialable-phone", number),
            )
        )
    return out


def _conflicting_values(by_source: dict[tuple[str, str, bool], set[str]], multi: bool) -> bool:
    values = set().union(*by_source.values()) if by_source else set()
    if len(values) < 2:
        return False
    if not multi:
        return True
    # several values side by side are tiers; a value stated *instead of* another is a contradiction
    for a in values:
        for b in values:
            if a < b:
                a_alone = any(a in s and b not in s for s in by_source.values())
                b_alone = any(b in s and a not in s for s in by_source.values())
                if a_alone and b_alone:
                    return True
    return False


def _primary(counter: Counter[str], order: dict[str, int]) -> str | None:
    if not counter:
        return None
    return max(counter, key=lambda v: (counter[v], -order.get(v, 0)))


def _contact_conflict_values(sightings: list[Sighting]) -> set[str]:
    """Support numbers/addresses that sources disagree on; empty when they agree.

    Each browser channel and each document has a *main* contact (the value on
    most of its sources). Main contacts that differ disagree; so does a page
    that shows only another value while its channel's main one is on at
    least two thirds of the channel's pages. Extra department numbers shown
    next to the main one are not a contradiction.
    """
    per_source: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
    order: dict[str, int] = {}
    for i, s in enumerate(sightings):
        per_source[s.source.ident].add(s.claim.value)
        order.setdefault(s.claim.value, i)
    groups: dict[tuple[str, str], list[set[str]]] = defaultdict(list)
    for (channel, ref, is_doc), values in per_source.items():
        groups[(channel, ref) if is_doc else (channel, "")].append(values)
    primaries: set[str] = set()
    orphans: set[str] = set()
    for sets in groups.values():
        counter: Counter[str] = Counter(v for values in sets for v in values)
        main = _primary(counter, order)
        if main is None:
            continue
        primaries.add(main)
        if len(sets) >= 3 and counter[main] >= (2 / 3) * len(sets):
            for values in sets:
                if main not in values:
                    orphans |= values
    if len(primaries | orphans) < 2:
        return set()
    return primaries | orphans


def _where_summary(sightings: list[Sighting]) -> str:
    """ "desktop: 14 pages, email: welcome.txt" — where one variant was seen."""
    pages: dict[str, list[str]] = defaultdict(list)
    docs: dict[str, list[str]] = defaultdict(list)
    for s in sightings:
        bucket = docs if s.source.is_document else pages
        if s.source.ref not in bucket[s.source.channel]:
            bucket[s.source.channel].append(s.source.ref)
    parts: list[str] = []
    for channel, refs in pages.items():
        parts.append(f"{channel}: {refs[0]}" if len(refs) == 1 else f"{channel}: {len(refs)} pages")
    for channel, refs in docs.items():
        parts.append(
            f"{channel}: {', '.join(refs)}" if len(refs) <= 2 else f"{channel}: {len(refs)} documents"
        )
    return ", ".join(parts)


def _drop_cart_multiples(by_value: dict[str, list[Sighting]]) -> dict[str, list[Sighting]]:
    """A cart line total ($258 for two $129 items) is not a second price of the product."""
    amounts = {v: s[0].claim.amount for v, s in by_value.items() if s[0].claim.amount}
    keep: dict[str, list[Sighting]] = {}
    for value, sightings in by_value.items():
        amount = amounts.get(value)
        only_cart = all(s.cart for s in sightings)
        is_multiple = amount is not None and any(
            other
            and other != amount
            and (amount / other) == int(amount / other)
            and 2 <= amount / other <= 20
            for v2, other in amounts.items()
            if v2 != value
        )
        if not (only_cart and is_multiple):
            keep[value] = sightings
    return keep


@dataclass
class _Judge:
    options: MessagingOptions
    customs: list[_Custom]
    max_evidence: int

    def severity(self, kind: str) -> Severity:
        overrides = self.options.severity
        if kind in overrides:
            return Severity(overrides[kind])
        for custom in self.customs:
            if custom.name == kind:
                return Severity(custom.severity)
        return Severity.FAIL if kind in DEFAULT_FAIL_KINDS else Severity.WARN

    def multi(self, kind: str) -> bool:
        custom = next((c for c in self.customs if c.name == kind), None)
        return custom.multi if custom else kind in MULTI_VALUED


def _variants(by_value: dict[str, list[Sighting]], limit: int) -> list[dict[str, Any]]:
    ordered = sorted(by_value.items(), key=lambda kv: -len({s.source.ident for s in kv[1]}))
    out: list[dict[str, Any]] = []
    for value, sightings in ordered:
        unique: dict[tuple[str, str, bool], Sighting] = {}
        for s in sightings:
            unique.setdefault(s.source.ident, s)
        seen = [s.source.evidence(s.claim.sentence) for s in unique.values()]
        out.append(
            {
                "value": value,
                "display": sightings[0].claim.display,
                "sources": len(unique),
                "seen": seen[:limit],
                "where": _where_summary(list(unique.values())),
            }
        )
    return out


def variants_detail(title: str, variants: list[dict[str, Any]]) -> VariantsDetail:
    """The variants side by side, each with the sentences it was quoted from."""
    return VariantsDetail(
        title=title,
        variants=[
            Variant(
                value=str(v["display"]),
                count=int(v["sources"]),
                quotes=[
                    Quote(
                        text=str(seen.get("sentence") or ""),
                        highlight=str(v["display"]),
                        channel=seen.get("channel"),
                        url=seen.get("url"),
                        source=str(seen.get("document") or seen.get("url") or ""),
                    )
                    for seen in v["seen"]
                ],
            )
            for v in variants
        ],
    )


def _claim_finding(
    kind: str,
    key: str,
    by_value: dict[str, list[Sighting]],
    judge: _Judge,
    cat: _Catalogue,
) -> Finding:
    variants = _variants(by_value, judge.max_evidence)
    label = ex.KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
    subject = label
    url: str | None = None
    key_label = key
    if kind == ex.PRICE:
        key_label = cat.label(key)
        subject = f"Price of {key_label}"
        url = cat.url_of(key)
    elif kind == ex.PROMO_CODE:
        subject = f"Terms of promo code {key}"
    elif key:
        subject = f"{label} ({key})"
    if kind == ex.WARRANTY and key.startswith(("url:", "name:", "sku:")):
        key_label = cat.label(key)
        subject = f"Warranty period of {key_label}"
    body = " vs ".join(f"{v['display']} ({v['where']})" for v in variants)
    channels = {s.source.channel for sightings in by_value.values() for s in sightings}
    return finding(
        CHECK_ID,
        f"inconsistent-{kind.replace('_', '-')}",
        judge.severity(kind),
        f"{subject} differs: {body}",
        channel=next(iter(channels)) if len(channels) == 1 else None,
        url=url,
        evidence={"claim": kind, "key": key_label, "variants": variants},
        details=[variants_detail(subject, variants)],
        identity=(kind, key if not key.startswith("name:") else key_label.lower()),
    )


def _group(sightings: list[Sighting], cat: _Catalogue) -> dict[tuple[str, str], list[Sighting]]:
    groups: dict[tuple[str, str], list[Sighting]] = defaultdict(list)
    for s in sightings:
        key = (
            cat.root(s.key)
            if s.claim.kind == ex.PRICE or s.key.startswith(("url:", "sku:", "name:"))
            else s.key
        )
        groups[(s.claim.kind, key)].append(s)
    return groups


def _compare(
    sightings: list[Sighting], judge: _Judge, cat: _Catalogue
) -> tuple[list[Finding], dict[str, int]]:
    findings: list[Finding] = []
    variants_per_kind: dict[str, int] = defaultdict(int)
    for (kind, key), group in sorted(_group(sightings, cat).items()):
        by_value: dict[str, list[Sighting]] = defaultdict(list)
        notes: list[str] = []
        for s in group:
            by_value[s.claim.value].append(s)
        if kind == ex.PRICE:
            by_value = _drop_cart_multiples(dict(by_value))
        elif kind not in CONTACT_KINDS:
            by_value, notes = _merge_equivalent_values(kind, by_value)
        if kind == ex.PHONE:
            findings += _undialable_findings(group, judge)
        variants_per_kind[kind] += len(by_value)
        if kind in CONTACT_KINDS:
            disputed = _contact_conflict_values(group)
            if not disputed:
                continue
            by_value = {v: s for v, s in by_value.items() if v in disputed}
        else:
            by_source: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
            for value, items in by_value.items():
                for s in items:
                    by_source[s.source.ident].add(value)
            if not _conflicting_values(by_source, judge.multi(kind)):
                if notes:
                    findings.append(_equivalence_finding(kind, key, notes, group))
                continue
        findings.append(_claim_finding(kind, key, by_value, judge, cat))
    return findings, dict(variants_per_kind)


# ---------------------------------------------------------------------------
# Cart arithmetic
# ---------------------------------------------------------------------------


@dataclass
class CartFigures:
    """The labelled amounts a cart or order summary shows (None = not shown or not a number)."""

    subtotal: Decimal | None = None
    shipping: Decimal | None = None
    shipping_shown: bool = False
    shipping_label: str = ""
    tax: Decimal | None = None
    discount: Decimal | None = None
    total: Decimal | None = None
    currency: str | None = None
    lines: dict[str, str] = field(default_factory=dict)


_CART_LABELS: list[tuple[str, re.Pattern[str]]] = [
    ("subtotal", re.compile(r"^(?:order\s+|cart\s+|items?\s+|merchandise\s+)?sub-?total\b", re.I)),
    (
        "shipping",
        re.compile(r"^(?:estimated\s+|standard\s+|express\s+)?(?:shipping|delivery|postage|p&p)\b", re.I),
    ),
    ("tax", re.compile(r"^(?:estimated\s+|sales\s+)?(?:tax|vat|gst)\b", re.I)),
    ("discount", re.compile(r"^(?:discount|promo(?:tion)?|coupon|savings?|you save)\b", re.I)),
    ("total", re.compile(r"^(?:order\s+|grand\s+|estimated\s+)?total\b", re.I)),
]
_FREE_WORD = re.compile(r"\bfree\b", re.I)
_EXPRESS = re.compile(r"express|priority|next[- ]day|overnight|expedited|rush", re.I)


def read_cart(text: str, currency: str = "USD") -> CartFigures | None:
    """Read Subtotal/Shipping/Tax/Discount/Total rows; None when the text has no subtotal and total."""
    figures = CartFigures()
    lines = split_lines(text)
    for i, line in enumerate(lines):
        if len(line) > 60:
            continue
        for label, rx in _CART_LABELS:
            m = rx.match(line)
            if not m or label in figures.lines:
                continue
            rest = line[m.end() :]
            candidates = [rest, lines[i + 1] if i + 1 < len(lines) else ""]
            _fill(figures, label, line, candidates, currency)
            break
    if figures.subtotal is None or figures.total is None:
        return None
    return figures


def _fill(figures: CartFigures, label: str, line: str, candidates: list[str], currency: str) -> None:
    for j, chunk in enumerate(candidates):
        if j == 1 and (len(chunk) > 25 or any(rx.match(chunk) for _, rx in _CART_LABELS)):
            break  # the next line is another row, not this row's value
        money = ex.find_money(chunk, currency)
        if money:
            figures.lines[label] = line if j == 0 else f"{line} {chunk}"
            setattr(figures, label, abs(money[0].amount))
            figures.currency = figures.currency or money[0].currency
            if label == "shipping":
                figures.shipping_shown, figures.shipping_label = True, figures.lines[label]
            return
        if label == "shipping" and _FREE_WORD.search(chunk):
            figures.lines[label] = line if j == 0 else f"{line} {chunk}"
            figures.shipping, figures.shipping_shown, figures.shipping_label = (
                Decimal(0),
                True,
                figures.lines[label],
            )
            return
    if label == "shipping":
        figures.shipping_shown, figures.shipping_label = True, line
        figures.lines[label] = line


def _channel_threshold(sightings: list[Sighting], channel: str) -> ex.Claim | None:
    """The free-shipping threshold most often advertised on this channel (else anywhere)."""
    plain = [s for s in sightings if s.claim.kind == ex.THRESHOLD and not s.claim.key]
    for pool in ([s for s in plain if s.source.channel == channel], plain):
        counter = Counter(s.claim.value for s in pool)
        if counter:
            value = counter.most_common(1)[0][0]
            return next(s.claim for s in pool if s.claim.value == value)
    return None


def _cart_findings(
    sources: list[Source], sightings: list[Sighting], currency: str, max_evidence: int
) -> tuple[list[Finding], int]:
    over: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mismatch: dict[str, list[dict[str, Any]]] = defaultdict(list)
    urls: dict[str, str] = {}
    checked = 0
    for src in sources:
        if src.is_document:
            continue
        for visit in src.visits:
            figures = read_cart(visit.text, currency)
            if figures is None:
                continue
            checked += 1
            urls.setdefault(src.ref, visit.final_url or visit.url)
            occurrence = {
                "channel": visit.channel,
                "url": visit.final_url or visit.url,
                "rows": figures.lines,
            }
            threshold = _channel_threshold(sightings, visit.channel)
            if _charges_over_threshold(figures, threshold):
                assert threshold is not None and threshold.amount is not None
                occurrence = {**occurrence, "threshold": threshold.display, "sentence": threshold.sentence}
                over[src.ref].append(occurrence)
            expected = _expected_total(figures)
            if (
                expected is not None
                and figures.total is not None
                and abs(expected - figures.total) > Decimal("0.01")
            ):
                mismatch[src.ref].append(
                    {**occurrence, "expected_total": str(expected), "total": str(figures.total)}
                )
    findings: list[Finding] = []
    for path, occ in over.items():
        channels = sorted({o["channel"] for o in occ})
        findings.append(
            finding(
                CHECK_ID,
                "shipping-charged-over-threshold",
                Severity.FAIL,
                f"{path} charges shipping ({occ[0]['rows'].get('shipping', '')}) on a subtotal above the "
                f"advertised free-shipping threshold of {occ[0]['threshold']} ({', '.join(channels)})",
                channel=channels[0] if len(channels) == 1 else None,
                url=urls[path],
                evidence={"claim": "cart", "occurrences": occ[:max_evidence]},
            )
        )
    for path, occ in mismatch.items():
        channels = sorted({o["channel"] for o in occ})
        findings.append(
            finding(
                CHECK_ID,
                "cart-total-mismatch",
                Severity.FAIL,
                f"{path}: total {occ[0]['total']} does not equal subtotal + shipping + tax − discount "
                f"({occ[0]['expected_total']}) ({', '.join(channels)})",
                channel=channels[0] if len(channels) == 1 else None,
                url=urls[path],
                evidence={"claim": "cart", "occurrences": occ[:max_evidence]},
            )
        )
    return findings, checked


def _charges_over_threshold(figures: CartFigures, threshold: ex.Claim | None) -> bool:
    if threshold is None or threshold.amount is None or figures.subtotal is None:
        return False
    if not figures.shipping or figures.currency != threshold.currency:
        return False
    if _EXPRESS.search(figures.shipping_label):
        return False  # a paid faster option is not the free standard shipping promised
    above = (
        figures.subtotal >= threshold.amount if threshold.inclusive else figures.subtotal > threshold.amount
    )
    return above


def _expected_total(figures: CartFigures) -> Decimal | None:
    if figures.subtotal is None or figures.total is None:
        return None
    if figures.shipping_shown and figures.shipping is None:
        return None  # "calculated at checkout": cannot add it up
    return figures.subtotal + (figures.shipping or 0) + (figures.tax or 0) - (figures.discount or 0)


# ---------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------


class MessagingConsistencyCheck(Check):
    id = CHECK_ID
    title = "Messaging consistency"
    description = (
        "Prices, shipping and returns promises, promo terms and support contacts say the same thing "
        "on every page and channel, and carts keep the promises."
    )
    Options = MessagingOptions

    def requirements(self, options: MessagingOptions | Mapping[str, Any]) -> Requirements:
        """Claims read by CSS selector need their elements' texts; structured rules need schema.org data."""
        opts: MessagingOptions = resolve_options(self, options)
        wanted = [
            SelectorText(name=c.name, selector=c.selector)
            for c in opts.custom_claims
            if c.selector and c.name
        ]
        # Structured data (schema.org Offer vs the page, product identity by sku/gtin) is
        # read from each page as the browser saw it, scripts run; identity needs it even
        # when the structured-data rules are off.
        # Product identity on any markup: the page's product boxes (cards, cart rows, heading).
        return Requirements(
            selector_texts=tuple(wanted),
            page_scripts=(PageScript(name=PRODUCT_BOXES, script=product_boxes_script()),),
            structured_data=True,
        )

    def run(self, artifacts: Artifacts, options: MessagingOptions) -> CheckResult:
        opts = options
        sources = [s for s in _sources(artifacts) if s.texts or s.visits]
        if not sources:
            raise NotApplicable("no page visits or documents to read claims from")
        region, currency = opts.region, opts.currency
        customs = _custom_claims(opts)
        judge = _Judge(opts, customs, opts.max_evidence)

        cat, sightings = _build_catalogue(sources, currency)
        mailto = _mailto_addresses(artifacts)
        for src in sources:
            sightings += _product_prices(src, cat, currency)
            sightings += _scoped(_text_sightings(src, region, currency, customs, mailto), src, cat)
        findings, variants = _compare(sightings, judge, cat)
        carts = 0
        if opts.check_carts:
            cart_findings, carts = _cart_findings(sources, sightings, currency, judge.max_evidence)
            findings += cart_findings
        if opts.check_structured_data:
            findings += structured_findings(artifacts.visits, CHECK_ID, currency, region)

        fails = sum(f.severity == Severity.FAIL for f in findings)
        warns = sum(f.severity == Severity.WARN for f in findings)
        score = 100 * math.exp(-(fails * opts.fail_penalty + warns * opts.warn_penalty))
        products = len({cat.root(s.key) for s in sightings if s.claim.kind == ex.PRICE})
        sources_compared = {
            "pages": sum(not s.is_document for s in sources),
            "documents": sum(s.is_document for s in sources),
            "channels": len({s.channel for s in sources}),
        }
        values = [
            MetricValue(
                name="claims",
                label="Claims read",
                unit="count",
                value=len(sightings),
                direction=Direction.HIGHER,
            ),
            MetricValue(
                name="conflicting_claims",
                label="Conflicting claims",
                unit="count",
                value=sum(1 for f in findings if f.severity != Severity.INFO),
            ),
            MetricValue(
                name="products_matched",
                label="Products matched",
                unit="count",
                value=products,
                direction=Direction.HIGHER,
            ),
            MetricValue(
                name="carts_checked",
                label="Carts checked",
                unit="count",
                value=carts,
                direction=Direction.HIGHER,
            ),
        ]
        values += _counts("claims_per_kind", "Claims", Counter(s.claim.kind for s in sightings))
        values += _counts("variants_per_kind", "Variants", variants)
        values += _counts("sources_compared", "Sources compared", sources_compared)
        return self.result(score=score, findings=findings, values=values)


def _counts(name: str, label: str, counts: Mapping[str, int]) -> list[MetricValue]:
    """One count per key, named ``<name>.<key>`` (``claims_per_kind.price``), as budgets address them."""
    return [
        MetricValue(name=f"{name}.{key}", label=f"{label}: {key.replace('_', ' ')}", unit="count", value=n)
        for key, n in sorted(counts.items())
    ]


def _scoped(sightings: list[Sighting], src: Source, cat: _Catalogue) -> list[Sighting]:
    """Warranties on a product's own detail page belong to that product, not to the whole shop."""
    node = f"url:{src.ref}"
    if src.is_document or src.ref not in cat.detail_paths:
        return sightings
    for s in sightings:
        if s.claim.kind == ex.WARRANTY and not s.key:
            s.key = node
    return sightings
