"""The one URL normaliser (cx_auditor.urls): each function's contract, pinned."""

from __future__ import annotations

from cx_auditor import checks_api, discovery, urls


def test_normalise_url_canonicalises_and_drops_tracking() -> None:
    assert (
        urls.normalise_url("HTTPS://Shop.Example:443/p?b=2&utm_source=x&a=1&gclid=9#top")
        == "https://shop.example/p?a=1&b=2"
    )
    assert urls.normalise_url("/help", "http://shop.test:8080/a/b") == "http://shop.test:8080/help"
    assert urls.normalise_url("mailto:a@b.c") is None and urls.normalise_url("http://x:port/") is None
    assert urls.normalise_url("  ") is None


def test_origins() -> None:
    assert urls.origin_of("https://Shop.test:8443/a?b") == "https://shop.test:8443"
    assert urls.normalise_origin("https://Shop.example.com:443/") == "https://shop.example.com"


def test_url_path_keeps_the_query_and_path_of_does_not() -> None:
    assert urls.url_path("http://127.0.0.1:5000/search?q=x#f") == "/search?q=x"
    assert urls.url_path("http://127.0.0.1:6000") == "/" and urls.url_path(None) == ""
    assert urls.path_of("http://h/search?q=x") == "/search" and urls.path_of("http://h") == "/"
    assert urls.without_fragment("http://h/a?b=1#c") == "http://h/a?b=1"


def test_older_homes_are_the_same_functions() -> None:
    assert discovery.normalise_url is urls.normalise_url and checks_api.url_path is urls.url_path


def test_same_site_compares_normalised_origins() -> None:
    from cx_auditor.urls import same_site

    page = "https://Shop.example/products?x=1"
    assert same_site("HTTPS://shop.example:443/help", page)
    assert same_site("/help", "https://shop.example/") is False  # relative: not an http(s) URL
    assert not same_site("https://shop.example:8443/help", page)  # another port is another origin
    assert not same_site("http://shop.example/help", page)  # another scheme too
    assert not same_site("mailto:help@shop.example", page)
    assert not same_site("https://evil.example/shop.example", page)
    # a document (email copy) has no origin of its own: any web link is "on site"
    assert same_site("https://shop.example/a", "emails/welcome.txt")
