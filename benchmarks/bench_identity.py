"""How fast are product identity, structured-data and cart reading on big pages?

    .venv/bin/python benchmarks/bench_identity.py                  # 24, 240, 2400 cards
    .venv/bin/python benchmarks/bench_identity.py --sizes 24 96    # quicker

These run once per recorded page in the checks (no browser), so their cost per
page bounds how large an audit ``cx-audit check`` can re-judge quickly. For each
size a listing page of N product cards (each with microdata, as Magento-like
themes emit) plus one JSON-LD ``ItemList`` of N products, and a cart text of N/8
lines, are generated; reported: median wall time of ``structured_products``,
``visible_products`` and ``read_cart`` + ``check_cart`` over a few repeats, and
the peak of Python allocations (``tracemalloc``) during one pass.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def listing_html(n: int) -> str:
    cards = []
    items = []
    for i in range(n):
        name = f"Trail Product {i:05d}"
        price = f"{10 + i % 200}.{i % 100:02d}"
        cards.append(
            f'<li class="item product product-item" itemscope itemtype="http://schema.org/Product">'
            f'<div class="product-item-info"><strong class="product-item-name">'
            f'<a itemprop="name" href="#">{name}</a></strong>'
            f'<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
            f'<span class="price" itemprop="price" content="{price}">${price}</span>'
            f'<meta itemprop="priceCurrency" content="USD"></div></div></li>'
        )
        items.append(
            {
                "@type": "ListItem",
                "position": i + 1,
                "item": {"@type": "Product", "name": name, "sku": f"TP-{i}", "offers": {"price": price}},
            }
        )
    ld = json.dumps({"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items})
    return (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        f'<ol class="products list items product-items">{"".join(cards)}</ol></body></html>'
    )


def cart_text(lines: int) -> str:
    rows = [f"Trail Product {i:05d}\nQty 2\n$10.00 each $20.00" for i in range(lines)]
    total = 20 * lines
    return "Your cart\n" + "\n".join(rows) + f"\nSubtotal\n${total}.00\nShipping\nFree\nTotal\n${total}.00"


def _median_ms(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    from cx_auditor.checks._cart import check_cart, read_cart
    from cx_auditor.checks._products import structured_products, visible_products

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[24, 240, 2400])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"{'cards':>6} {'KB':>7} {'structured ms':>14} {'visible ms':>11} {'cart ms':>8} {'peak MB':>8} found"
    )
    for n in args.sizes:
        html, text = listing_html(n), cart_text(max(1, n // 8))
        sd = _median_ms(lambda h=html: structured_products(h), args.repeats)
        vis = _median_ms(lambda h=html: visible_products(h), args.repeats)
        cart = _median_ms(lambda t=text: check_cart(read_cart(t)), args.repeats)  # type: ignore[arg-type]
        tracemalloc.start()
        found = (len(structured_products(html)), len(visible_products(html)))
        reading = read_cart(text)
        assert reading is not None and not check_cart(reading)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{n:>6} {len(html) / 1024:>7.0f} {sd:>14.1f} {vis:>11.1f} {cart:>8.1f} {peak:>8.1f} {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
