"""The one place URLs are normalised, compared and cut down to a path.

Every module that asks "is this the same page?", "which origin?" or "what path
does a fingerprint keep?" uses these functions, so the answers agree. Pure and
unit-tested (tests/test_urls.py).

- :func:`normalise_url` -- the canonical http(s) URL (discovery, shard ownership).
- :func:`origin_of` / :func:`normalise_origin` -- ``scheme://host[:port]`` (origin guards, probes).
- :func:`url_path` -- path *and query*, no host: stable across runs on changing ports
  (finding fingerprints; changing it changes every fingerprint).
- :func:`path_of` -- the bare path (page identity inside a check: one page, many query strings).
- :func:`without_fragment` -- the URL minus ``#...`` (link-probe targets).
- :func:`same_site` -- is a link an http(s) link to the page's own origin (checks' link graphs).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "normalise_origin",
    "normalise_url",
    "origin_of",
    "path_of",
    "same_site",
    "url_path",
    "without_fragment",
]

#: Query parameters that only say where a visitor came from; two URLs that
#: differ only in these are the same page.
TRACKING_PARAMS = frozenset(
    {
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "fbclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "li_fat_id",
        "srsltid",
    }
)
TRACKING_PREFIXES = ("utm_",)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def normalise_url(href: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else.

    Resolves against ``base``, drops the fragment and tracking parameters,
    sorts the query, lower-cases scheme and host and drops a default port, so
    that links that mean the same page compare equal.
    """
    href = href.strip()
    if not href:
        return None
    absolute = urljoin(base, href) if base else href
    try:
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:  # e.g. a non-numeric port
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def origin_of(url: str) -> str:
    """``scheme://netloc`` of a URL, lower-cased (no normalisation of ports)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def normalise_origin(origin: str) -> str | None:
    """``https://Shop.example.com:443/`` -> ``https://shop.example.com``."""
    url = normalise_url(origin)
    return origin_of(url) if url else None


def url_path(url: str | None) -> str:
    """The path (and query) of a URL, without scheme/host/port: stable across runs."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def path_of(url: str) -> str:
    """The bare path of a URL (``/`` when empty): the page, whatever its query string."""
    return urlsplit(url).path or "/"


def without_fragment(url: str) -> str:
    """The URL without its ``#fragment`` (the same document for an HTTP request)."""
    return urldefrag(url)[0]


def same_site(href: str, page_url: str) -> bool:
    """Is ``href`` an http(s) link to the origin of ``page_url``?

    Origins compare normalised (case, default port), so ``HTTPS://Shop.example:443/a``
    is the same site as ``https://shop.example/``. A page URL without an origin (a
    document's relative path) accepts any http(s) link: there is no site to leave.
    """
    link = normalise_url(href)
    if link is None:
        return False
    if not urlsplit(page_url).netloc:
        return True
    page = normalise_url(page_url)
    return page is not None and origin_of(link) == origin_of(page)
