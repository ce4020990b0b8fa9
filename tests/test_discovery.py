"""Link discovery: URL normalisation, scope, robots.txt, shard ownership and the BFS crawl.

The crawl core is tested on a made-up link graph (no browser: an injected
fetcher and renderer); one browser test crawls the real demo store.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from cx_auditor.discovery import (
    Fetched,
    RobotsRules,
    crawl,
    discover_id,
    extract_links,
    is_asset,
    normalise_url,
    shard_of,
)
from cx_auditor.models import PageVisit

# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("HTTP://Shop.Example.COM/a", "http://shop.example.com/a"),
        ("https://shop.example.com:443/a", "https://shop.example.com/a"),
        ("http://shop.example.com:8080/a", "http://shop.example.com:8080/a"),
        ("https://shop.example.com", "https://shop.example.com/"),
        ("https://shop.example.com/p#reviews", "https://shop.example.com/p"),
        ("https://shop.example.com/s?q=tent&page=2", "https://shop.example.com/s?page=2&q=tent"),
        (
            "https://shop.example.com/s?utm_source=mail&q=a&UTM_Medium=x&gclid=1",
            "https://shop.example.com/s?q=a",
        ),
        ("https://shop.example.com/s?fbclid=abc", "https://shop.example.com/s"),
        ("https://shop.example.com/s?a=", "https://shop.example.com/s?a="),
        ("/help", "https://shop.example.com/help"),
        ("../up", "https://shop.example.com/up"),
        ("mailto:help@example.com", None),
        ("tel:+18005550199", None),
        ("javascript:void(0)", None),
        ("", None),
        ("https://shop.example.com:notaport/", None),
    ],
)
def test_normalise_url(href: str, expected: str | None) -> None:
    assert normalise_url(href, "https://shop.example.com/dir/page") == expected


def test_query_duplicates_normalise_to_one_url() -> None:
    variants = [
        "https://s.example/c?page=2&sort=price",
        "https://s.example/c?sort=price&page=2#top",
        "https://s.example/c?utm_campaign=x&sort=price&page=2",
    ]
    assert len({normalise_url(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("url", "asset"),
    [
        ("https://s.example/guide.pdf", True),
        ("https://s.example/img/Hero.JPG", True),
        ("https://s.example/static/app.css", True),
        ("https://s.example/sitemap.xml", True),
        ("https://s.example/product/ABC-1", False),
        ("https://s.example/v1.2/", False),
        ("https://s.example/", False),
        ("https://s.example/page.html", False),
    ],
)
def test_is_asset(url: str, asset: bool) -> None:
    assert is_asset(url) is asset


def test_extract_links_honours_base_and_nofollow() -> None:
    html = """<html><head><base href="/shop/"></head><body>
      <a href="a">A</a><a href="/b#x">B</a><a rel="nofollow sponsored" href="/ad">Ad</a>
      <map><area href="c" alt="C"></map><a>no href</a></body></html>"""
    assert extract_links(html, "https://s.example/x/y") == [
        "https://s.example/shop/a",
        "https://s.example/b#x",
        "https://s.example/shop/c",
    ]


def test_extract_links_meta_nofollow_follows_nothing() -> None:
    html = '<meta name="robots" content="noindex, nofollow"><a href="/a">A</a>'
    assert extract_links(html, "https://s.example/") == []


# ---------------------------------------------------------------------------
# robots.txt and shards
# ---------------------------------------------------------------------------

DEMO_ROBOTS = "User-agent: *\nDisallow: /checkout/\nDisallow: /cart/add\nAllow: /\n"


def test_robots_rules() -> None:
    rules = RobotsRules.from_texts(
        {
            "https://s.example": DEMO_ROBOTS,
            "https://open.example": "",
            "https://down.example": None,
        }
    )
    assert rules.allowed("https://s.example/product/1")
    assert not rules.allowed("https://s.example/checkout/email")
    assert not rules.allowed("https://s.example/cart/add")
    assert rules.allowed("https://s.example/cart")
    assert rules.allowed("https://open.example/anything")
    assert not rules.allowed("https://down.example/")  # unreachable robots.txt: assume disallowed
    assert rules.unreachable() == ["https://down.example"]


def test_robots_rules_for_our_user_agent() -> None:
    text = "User-agent: cx-auditor\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    rules = RobotsRules.from_texts({"https://s.example": text})
    assert rules.allowed("https://s.example/public")
    assert not rules.allowed("https://s.example/private/x")


def test_shard_assignment_is_stable_and_balanced() -> None:
    urls = [f"https://s.example/product/P-{i}" for i in range(400)]
    owners = [shard_of(u, 4) for u in urls]
    assert owners == [shard_of(u, 4) for u in urls]
    assert set(owners) == {1, 2, 3, 4}
    assert all(60 < owners.count(k) < 140 for k in (1, 2, 3, 4))
    # Pinned values: a change of the hash would silently reshuffle every CI matrix.
    assert [shard_of(f"http://x.com/{i}", 4) for i in range(10)] == [1, 1, 3, 2, 4, 4, 2, 1, 2, 4]
    assert shard_of("https://s.example/", 1) == 1
    assert discover_id("desktop", "https://s.example/") == discover_id("desktop", "https://s.example/")
    assert discover_id("desktop", "https://s.example/").startswith("desktop-discover-")
    assert discover_id("desktop", "https://s.example/a") != discover_id("desktop", "https://s.example/b")


# ---------------------------------------------------------------------------
# The crawl, on a made-up site
# ---------------------------------------------------------------------------

SITE = "https://s.example"


def _graph(products: int = 30) -> dict[str, tuple[str, list[str]]]:
    """url -> (content type, hrefs as a page would write them)."""
    nav = [
        "/",
        "/help",
        "/cart",
        "/category/a",
        "/category/b",
        "https://elsewhere.example/x",
        "/checkout/email",
        "/static/app.css",
        "mailto:x@s.example",
        "/help#faq",
        "/?utm_source=x",
    ]
    g: dict[str, tuple[str, list[str]]] = {
        "/": ("text/html", nav + ["/product/1", "/old-help"]),
        "/help": ("text/html", nav + ["/policies/returns"]),
        "/cart": ("text/html", nav),
        "/old-help": ("text/html", []),  # redirects to /help, see _Site.fetch
        "/policies/returns": ("text/html", nav),
        "/guide": ("application/pdf", []),
        "/checkout/email": ("text/html", nav),
    }
    for cat, ids in (("a", range(1, products, 2)), ("b", range(2, products, 2))):
        g[f"/category/{cat}"] = ("text/html", nav + [f"/product/{i}" for i in ids] + ["/guide"])
    for i in range(1, products):
        g[f"/product/{i}"] = ("text/html", nav + [f"/product/{(i % (products - 1)) + 1}", "../category/a"])
    return g


class _Site:
    def __init__(self, graph: dict[str, tuple[str, list[str]]]) -> None:
        self.graph = graph
        self.fetched: list[str] = []

    async def fetch(self, url: str) -> Fetched | None:
        self.fetched.append(url)
        path = url[len(SITE) :].split("?")[0]
        if path == "/old-help":
            path = "/help"
        if path not in self.graph:
            return Fetched(url=url, status=404, html=True, links=[])
        ctype, hrefs = self.graph[path]
        await asyncio.sleep(0.001 * (hash(url) % 3))  # completion order must not matter
        return Fetched(
            url=SITE + path,
            status=200,
            html=ctype == "text/html",
            links=[normalise_url(h, SITE + path) or h for h in hrefs],
        )


class _Context:
    def __init__(self) -> None:
        self.closed = False

        self.cookie_clears = 0

    async def new_page(self) -> object:
        return object()

    async def clear_cookies(self) -> None:
        self.cookie_clears += 1

    async def close(self) -> None:
        self.closed = True


class _Sink:
    def __init__(self) -> None:
        self.visits: list[PageVisit] = []

    def add_visit(self, visit: PageVisit) -> None:
        self.visits.append(visit)


def _run(
    limit: int, shard: tuple[int, int] | None = None, *, workers: int = 3, fail: set[str] | None = None
) -> tuple[Any, _Sink, _Site, list[_Context]]:
    site = _Site(_graph())
    sink = _Sink()
    contexts: list[_Context] = []

    async def new_context() -> _Context:
        ctx = _Context()
        contexts.append(ctx)
        return ctx

    async def render(page: object, url: str) -> PageVisit | None:
        if fail and url in fail:
            raise RuntimeError("navigation failed")
        await asyncio.sleep(0.001 * (len(url) % 4))
        return PageVisit(id="tmp", channel="x", journey="x", step_index=-1, url=url, title=url)

    robots = RobotsRules.from_texts({SITE: DEMO_ROBOTS})
    result = asyncio.run(
        crawl(
            new_context,
            render,
            writer=sink,
            seeds=[SITE + "/", SITE + "/help"],
            origins=[SITE + "/"],
            limit=limit,
            channel="desktop",
            shard=shard,
            workers=workers,
            fetch=site.fetch,
            robots=robots,
        )
    )
    return result, sink, site, contexts


def test_crawl_is_breadth_first_bounded_and_in_scope() -> None:
    result, sink, site, contexts = _run(20)
    assert result.pages == 20 and result.rendered == 20
    order = result.order
    assert len(set(order)) == 20
    assert order[:2] == [SITE + "/", SITE + "/help"]  # seeds first, in the order given
    for url in order:
        assert url.startswith(SITE + "/")
        assert "/checkout/" not in url and not url.endswith(".css") and "#" not in url and "utm_" not in url
    assert "https://elsewhere.example/x" not in site.fetched
    assert all(not u.startswith(SITE + "/checkout/") for u in site.fetched)
    assert SITE + "/guide" not in order  # a PDF is fetched (its extension does not tell) but not a page
    # Visits: stamped with stable ids and their BFS position, written once each.
    assert sorted(v.step_index for v in sink.visits) == list(range(1, 21))
    by_pos = {v.step_index: v for v in sink.visits}
    assert [by_pos[i].url for i in range(1, 21)] == order
    assert all(v.discovered and v.journey == "discover" and v.channel == "desktop" for v in sink.visits)
    assert {v.id for v in sink.visits} == {discover_id("desktop", u) for u in order}
    assert contexts and all(c.closed for c in contexts)
    assert sum(c.cookie_clears for c in contexts) == 20  # every page seen as by a first-time visitor


def test_crawl_level_order_exactly() -> None:
    result, *_ = _run(8)
    assert result.order == [
        SITE + "/",
        SITE + "/help",
        # new links of "/", sorted (the redirecting /old-help lands on /help: already seen)
        SITE + "/cart",
        SITE + "/category/a",
        SITE + "/category/b",
        SITE + "/product/1",
        # new links of /help
        SITE + "/policies/returns",
        # level 2: new links of /cart (none), /category/a, sorted
        SITE + "/product/11",
    ]


def test_crawl_stops_when_the_site_is_exhausted() -> None:
    result, sink, *_ = _run(500)
    # "/", help, cart, returns, 2 categories, 29 products; no checkout, no PDF, no redirect duplicate
    assert result.pages == 35 == len(sink.visits)


def test_crawl_is_deterministic() -> None:
    first, *_ = _run(25, workers=1)
    second, *_ = _run(25, workers=6)
    assert first.order == second.order


def test_shards_partition_the_unsharded_crawl() -> None:
    whole, whole_sink, *_ = _run(30)
    parts = [_run(30, (i, 3)) for i in (1, 2, 3)]
    for result, *_ in parts:
        assert result.order == whole.order  # every shard walks the same frontier
    ids = [v.id for _, sink, *_ in parts for v in sink.visits]
    assert len(ids) == len(set(ids))  # disjoint
    merged = {(v.id, v.step_index, v.url) for _, sink, *_ in parts for v in sink.visits}
    assert merged == {(v.id, v.step_index, v.url) for v in whole_sink.visits}
    assert all(0 < len(sink.visits) < 30 for _, sink, *_ in parts)


def test_a_failing_page_is_skipped_not_fatal() -> None:
    bad = SITE + "/cart"
    result, sink, _, contexts = _run(10, fail={bad}, workers=1)
    assert result.failed == [bad]
    assert len(contexts) == 2 and all(c.closed for c in contexts)  # the failed page's context was replaced
    assert result.pages == 10 and result.rendered == 9
    assert bad not in {v.url for v in sink.visits}


def test_zero_limit_does_nothing() -> None:
    result, sink, site, contexts = _run(0)
    assert result.pages == 0 and not sink.visits and not site.fetched and not contexts


def test_render_contexts_are_recycled(monkeypatch: pytest.MonkeyPatch) -> None:
    import cx_auditor.discovery as discovery_module

    monkeypatch.setattr(discovery_module, "RECYCLE_EVERY", 5)
    result, sink, _, contexts = _run(20, workers=1)
    assert result.rendered == 20 == len(sink.visits)
    assert len(contexts) == 4 and all(c.closed for c in contexts)
    assert [c.cookie_clears for c in contexts] == [5, 5, 5, 5]


# ---------------------------------------------------------------------------
# The real demo store
# ---------------------------------------------------------------------------


def crawl_demo(
    store_url: str, out: Path, limit: int, *, shard: tuple[int, int] | None = None, workers: int = 3
) -> Any:
    """Crawl the demo store through the collector's own context setup and page recorder."""
    from cx_auditor.artifacts import ArtifactWriter
    from cx_auditor.browser import find_browser
    from cx_auditor.demo_config import demo_config
    from cx_auditor.gather import CollectOptions, Collector, read_discovered
    from cx_auditor.gather.discovery import crawl_config
    from playwright.async_api import async_playwright

    cfg = demo_config(store_url, "clean", work_dir=out)
    col = Collector(cfg, find_browser(), CollectOptions(out=out))
    writer = ArtifactWriter(out / "artifacts")
    state = col.new_state(writer)
    channel = cfg.browser_channels()[0]

    async def go() -> Any:
        async with async_playwright() as pw:
            await col.session.start(pw)
            try:
                return await crawl_config(
                    cfg,
                    lambda: col.session.new_context(channel),
                    lambda page, url: read_discovered(page, url, channel=channel.name, index=0, state=state),
                    writer=writer,
                    limit=limit,
                    channel=channel.name,
                    shard=shard,
                    workers=workers,
                )
            finally:
                await col.session.close()

    try:
        return asyncio.run(go())
    finally:
        writer.close()


@pytest.mark.browser
def test_crawl_of_the_demo_store(browser_ok: None, tmp_path: Path) -> None:
    from cx_auditor.artifacts import iter_visits
    from cx_auditor.demo import DemoStore

    with DemoStore("clean", products=60) as store:
        base = store.url
        result = crawl_demo(base, tmp_path, 40)
    robots = RobotsRules.from_texts({base: DEMO_ROBOTS})
    visits = list(iter_visits(tmp_path / "artifacts"))
    assert result.pages == 40 and len(visits) == 40 and not result.failed
    urls = [normalise_url(v.url) for v in sorted(visits, key=lambda v: v.step_index)]
    assert len(set(urls)) == 40
    assert [v.step_index for v in sorted(visits, key=lambda v: v.step_index)] == list(range(1, 41))
    assert all(u and u.startswith(base + "/") and robots.allowed(u) for u in urls)
    assert not any("/checkout/" in u or "/cart/add" in u for u in urls if u)
    assert all(v.discovered and v.status == 200 and v.title and v.links for v in visits)
    # Breadth-first: each page after the seeds is linked from an earlier page, and the
    # depth (1 + depth of its first linking page) never decreases along the order.
    depth: dict[str, int] = {}
    # the seeds are the config's own start and goto pages (config_seeds), each at depth 0
    from cx_auditor.demo_config import demo_config
    from cx_auditor.gather.discovery import config_seeds

    seeds = {normalise_url(u) for u in config_seeds(demo_config(base, "clean", work_dir=tmp_path))}
    ordered = sorted(visits, key=lambda v: v.step_index)
    for i, url in enumerate(urls):
        assert url is not None
        if url in seeds:
            depth[url] = 0
            continue
        parents = [
            depth[urls[j]]
            for j in range(i)
            if any(normalise_url(link.href) == url for link in ordered[j].links)
        ]
        assert parents, f"{url} is not linked from any earlier page"
        depth[url] = 1 + min(parents)
    levels = [depth[u] for u in urls if u]
    assert levels == sorted(levels) and max(levels) >= 1, list(zip(urls, levels, strict=False))
