"""Link discovery: a bounded, reproducible, shardable breadth-first crawl of one site.

Besides the scripted journeys, ``--discover N`` audits up to N more pages of
the site, so consistency and reachability checks see the whole catalogue.

Two properties shape the design:

* **Reproducible.** The frontier is expanded from each page's *served HTML*
  (a plain HTTP fetch, links parsed with BeautifulSoup), never from the
  rendered DOM, and level by level in a fixed order: pages of one BFS level in
  the order they were found, the new links of each page sorted by URL. Timing,
  concurrency and which browser rendered what cannot change the result.
* **Shardable.** With ``--shard i/n`` each discovered URL belongs to exactly one
  shard (a stable hash of its normalised URL). Every shard walks the same
  frontier with cheap HTTP fetches, but only renders the pages it owns, so the
  union of the shards' visits is exactly what an unsharded run records, with
  the same ids (``{channel}-discover-{sha1(url)[:10]}``) and ``step_index`` (the
  page's 1-based position in BFS order).

Memory stays flat: a rendered visit goes straight to the artifacts writer; the
crawl keeps only the set of URLs seen and the current and next BFS levels.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import urllib.robotparser
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit

from cx_auditor.urls import (  # noqa: F401 - re-exported: discovery's public names
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    normalise_origin,
    normalise_url,
    origin_of,
)

if TYPE_CHECKING:
    from cx_auditor.config import AuditConfig
    from cx_auditor.models import PageVisit

USER_AGENT = "cx-auditor"
JOURNEY = "discover"

#: Extensions of things that are not web pages: never fetched, never rendered.
ASSET_EXTENSIONS = frozenset(
    "7z apk avi avif bmp css csv dmg doc docx eot exe gif gz ico jpeg jpg js json map mjs mov mp3 mp4 "
    "ogg otf pdf png ppt pptx rar rss svg tar tgz tif tiff ttf txt wav webm webp woff woff2 xls xlsx "
    "xml zip".split()
)

#: Pages a render worker renders in one browser context before it starts a fresh one.
RECYCLE_EVERY = 40


class VisitSink(Protocol):
    """Where rendered visits go: :class:`auditor.artifacts.ArtifactWriter` in practice."""

    def add_visit(self, visit: PageVisit) -> None: ...


#: Returns a browser context (or the ``(context, page)`` pair the collector's
#: ``_context`` returns), already set up for the channel being audited.
ContextFactory = Callable[[], Awaitable[Any]]
#: Loads ``url`` in ``page`` and returns what it recorded, or None when the page could not be loaded.
Renderer = Callable[[Any, str], Awaitable["PageVisit | None"]]
ProgressFn = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class Fetched:
    """What the lightweight fetch of a URL learned: enough to expand the frontier."""

    url: str  # final URL after redirects
    status: int
    html: bool
    links: list[str] = field(default_factory=list)


Fetcher = Callable[[str], Awaitable["Fetched | None"]]


@dataclass
class CrawlResult:
    """What a crawl did. ``order`` is the global BFS order, identical in every shard."""

    order: list[str] = field(default_factory=list)
    rendered: int = 0
    failed: list[str] = field(default_factory=list)
    unreachable_robots: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.order)


# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------


def is_asset(url: str) -> bool:
    """True for links to files that are not web pages (images, PDFs, scripts, feeds ...)."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in ASSET_EXTENSIONS


def shard_of(url: str, total: int) -> int:
    """The 1-based shard that owns ``url`` (normalised): stable across runs, machines and Pythons."""
    digest = hashlib.sha1(url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % total + 1


def discover_id(channel: str, url: str) -> str:
    """A visit id that is the same whichever shard renders the page."""
    return f"{channel}-{JOURNEY}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}"


# ---------------------------------------------------------------------------
# Links and robots.txt
# ---------------------------------------------------------------------------


def extract_links(html: str, page_url: str) -> list[str]:
    """Absolute hrefs of ``a``/``area`` elements, honouring ``<base href>`` and nofollow.

    Links marked ``rel=nofollow``, and every link of a page whose robots meta tag
    says ``nofollow``, are not followed, as a polite crawler should.
    """
    from bs4 import BeautifulSoup, SoupStrainer

    soup = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer(["a", "area", "base", "meta"]))
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or "").lower()
        if name in ("robots", USER_AGENT) and "nofollow" in str(meta.get("content") or "").lower():
            return []
    base_tag = soup.find("base", href=True)
    base = urljoin(page_url, str(base_tag["href"])) if base_tag else page_url
    links: list[str] = []
    for tag in soup.find_all(["a", "area"], href=True):
        rel: Any = tag.get("rel") or []
        rels = [str(r) for r in rel] if isinstance(rel, list) else str(rel).split()
        if "nofollow" in (r.lower() for r in rels):
            continue
        links.append(urljoin(base, str(tag["href"])))
    return links


class RobotsRules:
    """robots.txt of each audited origin, as RFC 9309 reads a missing or broken one.

    A 4xx answer means no rules (everything allowed); an unreachable file or a
    5xx answer means "assume everything is disallowed" for that origin.
    """

    def __init__(
        self, parsers: dict[str, urllib.robotparser.RobotFileParser | None], *, agent: str = USER_AGENT
    ) -> None:
        self._parsers = parsers  # origin -> parser; None = all disallowed
        self.agent = agent

    @classmethod
    def from_texts(cls, texts: dict[str, str | None]) -> RobotsRules:
        """Rules from robots.txt bodies by origin ("" = no file, None = unreachable)."""
        parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        for origin, text in texts.items():
            if text is None:
                parsers[origin] = None
                continue
            parser = urllib.robotparser.RobotFileParser()
            parser.parse(text.splitlines())
            parsers[origin] = parser
        return cls(parsers)

    def allowed(self, url: str) -> bool:
        origin = origin_of(url)
        if origin not in self._parsers:
            return True
        parser = self._parsers[origin]
        return parser is not None and parser.can_fetch(self.agent, url)

    def unreachable(self) -> list[str]:
        return sorted(o for o, p in self._parsers.items() if p is None)


async def fetch_robots(request: Any, origins: Iterable[str], *, timeout_ms: int = 10_000) -> RobotsRules:
    """Read ``/robots.txt`` of each origin with a Playwright ``APIRequestContext``."""
    texts: dict[str, str | None] = {}
    for origin in sorted(origins):
        try:
            resp = await request.get(f"{origin}/robots.txt", timeout=timeout_ms, max_redirects=5)
        except Exception:  # noqa: BLE001 - unreachable: RFC 9309 says assume full disallow
            texts[origin] = None
            continue
        try:
            if resp.status >= 500:
                texts[origin] = None
            elif resp.status >= 400:
                texts[origin] = ""
            else:
                texts[origin] = await resp.text()
        finally:
            with contextlib.suppress(Exception):
                await resp.dispose()
    return RobotsRules.from_texts(texts)


def request_fetcher(request: Any, *, timeout_ms: int = 15_000) -> Fetcher:
    """A :data:`Fetcher` over a Playwright ``APIRequestContext`` (``context.request``)."""

    async def fetch(url: str) -> Fetched | None:
        try:
            resp = await request.get(url, timeout=timeout_ms, max_redirects=10, fail_on_status_code=False)
        except Exception:  # noqa: BLE001 - an unreachable link is simply not discovered
            return None
        try:
            ctype = (resp.headers.get("content-type") or "").lower()
            html = "text/html" in ctype or "application/xhtml" in ctype
            links = extract_links(await resp.text(), resp.url) if html else []
            return Fetched(url=resp.url, status=resp.status, html=html, links=links)
        except Exception:  # noqa: BLE001 - an undecodable body: nothing to follow
            return None
        finally:
            with contextlib.suppress(Exception):
                await resp.dispose()

    return fetch


# ---------------------------------------------------------------------------
# The crawl
# ---------------------------------------------------------------------------


@dataclass
class _Scope:
    origins: frozenset[str]
    robots: RobotsRules

    def allows(self, url: str) -> bool:
        return origin_of(url) in self.origins and not is_asset(url) and self.robots.allowed(url)


class _Frontier:
    """Breadth-first order over the served-HTML link graph, fetched in bounded batches."""

    def __init__(self, scope: _Scope, fetch: Fetcher, *, batch: int) -> None:
        self.scope = scope
        self.fetch = fetch
        self.batch = batch
        self.seen: set[str] = set()

    def admit(self, urls: Iterable[str | None]) -> list[str]:
        """The not-yet-seen, in-scope URLs among ``urls``, sorted, now marked seen."""
        fresh = sorted({u for u in urls if u and u not in self.seen and self.scope.allows(u)})
        self.seen.update(fresh)
        return fresh

    async def pages(self, seeds: Sequence[str]) -> AsyncGenerator[str, None]:
        """Yield the canonical URLs of HTML pages in BFS order."""
        level: list[str] = []
        for seed in seeds:  # seeds keep the caller's order
            level.extend(self.admit([normalise_url(seed)]))
        while level:
            upcoming: list[str] = []
            for start in range(0, len(level), self.batch):
                chunk = level[start : start + self.batch]
                results = await asyncio.gather(*(self.fetch(u) for u in chunk))
                for url, got in zip(chunk, results, strict=True):
                    page = self._resolve(url, got)
                    if page is None or got is None:
                        continue
                    yield page
                    upcoming.extend(self.admit(normalise_url(h) for h in got.links))
            level = upcoming

    def _resolve(self, url: str, got: Fetched | None) -> str | None:
        """The page's canonical URL, or None when it is not a new in-scope HTML page."""
        if got is None or not got.html:
            return None
        final = normalise_url(got.url) or url
        if final != url:  # redirected: count the page under where it landed, once
            if final in self.seen or not self.scope.allows(final):
                return None
            self.seen.add(final)
        return final


async def _open(new_context: ContextFactory) -> tuple[Any, Any]:
    made = await new_context()
    if isinstance(made, tuple):
        return made[0], made[1]
    return made, await made.new_page()


async def crawl(
    new_context: ContextFactory,
    render: Renderer,
    *,
    writer: VisitSink,
    seeds: Sequence[str],
    origins: Iterable[str],
    limit: int,
    channel: str,
    shard: tuple[int, int] | None = None,
    workers: int = 4,
    timeout_ms: int = 15_000,
    progress: ProgressFn | None = None,
    fetch: Fetcher | None = None,
    robots: RobotsRules | None = None,
) -> CrawlResult:
    """Discover up to ``limit`` same-site pages breadth-first and render this shard's share.

    ``new_context`` makes a browser context set up for ``channel`` (one per
    render worker, plus one for plain HTTP fetches unless ``fetch`` is given);
    ``render(page, url)`` loads a page and returns its :class:`PageVisit`, which
    gets its discovery id, ``step_index`` (BFS position, from 1) and
    ``discovered=True`` here and goes straight to ``writer``. ``fetch`` and
    ``robots`` can be injected (tests); by default both use ``context.request``.
    """
    result = CrawlResult()
    if limit <= 0:
        return result
    allowed = frozenset(o for o in (normalise_origin(x) for x in origins) if o)
    contexts: list[Any] = []
    try:
        if fetch is None or robots is None:
            fetch_ctx, fetch_page = await _open(new_context)
            contexts.append(fetch_ctx)
            with contextlib.suppress(Exception):
                await fetch_page.close()
            if robots is None:
                robots = await fetch_robots(fetch_ctx.request, allowed, timeout_ms=min(timeout_ms, 10_000))
            fetch = fetch or request_fetcher(fetch_ctx.request, timeout_ms=timeout_ms)
        result.unreachable_robots = robots.unreachable()
        frontier = _Frontier(_Scope(allowed, robots), fetch, batch=max(4, workers * 2))
        queue: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue(maxsize=max(2, workers * 2))
        n_workers = max(1, workers)
        renderers = [
            asyncio.create_task(
                _render_worker(
                    new_context,
                    render,
                    queue,
                    writer,
                    contexts,
                    result,
                    channel=channel,
                    limit=limit,
                    progress=progress,
                )
            )
            for _ in range(n_workers)
        ]
        try:
            async with contextlib.aclosing(frontier.pages(seeds)) as pages:
                async for url in pages:
                    result.order.append(url)
                    position = len(result.order)
                    if shard is None or shard_of(url, shard[1]) == shard[0]:
                        await queue.put((position, url))
                    if position >= limit:
                        break
            for _ in renderers:
                await queue.put(None)
            await asyncio.gather(*renderers)
        finally:
            for task in renderers:
                task.cancel()
            await asyncio.gather(*renderers, return_exceptions=True)
    finally:
        for ctx in contexts:
            with contextlib.suppress(Exception):
                await ctx.close()
    return result


async def _render_worker(
    new_context: ContextFactory,
    render: Renderer,
    queue: asyncio.Queue[tuple[int, str] | None],
    writer: VisitSink,
    contexts: list[Any],
    result: CrawlResult,
    *,
    channel: str,
    limit: int,
    progress: ProgressFn | None,
) -> None:
    """Render queued pages one after another in this worker's own context (opened on first use).

    Cookies are cleared before each page, so every discovered page is seen as a
    first-time visitor sees it, whichever pages this worker happened to render before.
    The context is replaced every :data:`RECYCLE_EVERY` pages: Playwright's client
    keeps an object per request of a context until the context closes, which
    would otherwise make memory grow with the number of pages.
    """
    ctx = page = None
    used = 0
    while True:
        item = await queue.get()
        if item is None:
            return
        position, url = item
        try:
            if ctx is not None and used >= RECYCLE_EVERY:
                contexts.remove(ctx)
                with contextlib.suppress(Exception):
                    await ctx.close()
                ctx = page = None
            if ctx is None or page is None:
                ctx, page = await _open(new_context)
                contexts.append(ctx)
                used = 0
            used += 1
            await ctx.clear_cookies()
            visit = await render(page, url)
        except Exception:  # noqa: BLE001 - one bad page never stops the crawl
            visit = None
            with contextlib.suppress(Exception):  # the page may be wedged: the next one starts afresh
                await ctx.close()  # type: ignore[union-attr]
            ctx = page = None
        if visit is None:
            result.failed.append(url)
            continue
        _stamp(visit, channel=channel, url=url, position=position)
        writer.add_visit(visit)
        result.rendered += 1
        if progress:
            progress("discovered", {"url": url, "count": position, "limit": limit})


def _stamp(visit: PageVisit, *, channel: str, url: str, position: int) -> None:
    """Give a rendered visit the identity it has in every shard."""
    visit.id = discover_id(channel, url)
    visit.channel = channel
    visit.journey = JOURNEY
    visit.step_index = position
    visit.step_label = "discovered"
    visit.run_index = 0
    visit.discovered = True


# ---------------------------------------------------------------------------
# From a config
# ---------------------------------------------------------------------------


def config_seeds(cfg: AuditConfig) -> list[str]:
    """Where discovery starts: the base URL, then every journey's ``goto`` targets, in config order.

    Deliberately from the config, not from the pages the journeys visited: in a
    sharded run each shard sees only its own journeys' visits, and the frontier
    must be the same in every shard for merged shards to equal an unsharded run.
    """
    seeds = [cfg.site.base_url + "/"]
    for journey in cfg.journeys:
        if not journey.steps or journey.steps[0].goto is None:
            seeds.append(cfg.absolute_url(journey.start))  # the collector opens it first
        seeds.extend(cfg.absolute_url(step.goto) for step in journey.steps if step.goto)
    return seeds


def config_origins(cfg: AuditConfig) -> set[str]:
    return {origin_of(cfg.site.base_url)} | {o.rstrip("/") for o in cfg.collect.allowed_origins}


async def crawl_config(
    cfg: AuditConfig,
    new_context: ContextFactory,
    render: Renderer,
    *,
    writer: VisitSink,
    limit: int,
    channel: str,
    shard: tuple[int, int] | None = None,
    workers: int = 4,
    progress: ProgressFn | None = None,
) -> CrawlResult:
    """:func:`crawl` with seeds, origins and timeouts taken from an audit config."""
    return await crawl(
        new_context,
        render,
        writer=writer,
        seeds=config_seeds(cfg),
        origins=config_origins(cfg),
        limit=limit,
        channel=channel,
        shard=shard,
        workers=workers,
        timeout_ms=cfg.collect.timeout_ms,
        progress=progress,
    )
