"""Generated SVG artwork, so the store ships no binary assets and needs no CDN.

Images are drawn from simple shapes with deterministic "scenery" (trees, stars)
seeded by the product SKU.  The scenery is not just decoration: Chrome ignores
very low-entropy images (< 0.05 bits per pixel) as LCP candidates, so the images
are kept comfortably above that size for the sizes they are displayed at.
"""

from __future__ import annotations

import random
import zlib
from functools import lru_cache

from .catalog import Product


def _scenery(rng: random.Random, w: int, h: int, ground: int, hue: int, trees: int) -> str:
    """Layered mountains, a sun and a row of pine trees."""
    parts = [
        f'<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},55%,88%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 30) % 360},45%,96%)"/></linearGradient></defs>',
        f'<rect width="{w}" height="{h}" fill="url(#sky)"/>',
        f'<circle cx="{rng.randrange(w // 6, w - w // 6)}" cy="{h // 5}" r="{h // 12}" '
        f'fill="hsl(45,95%,70%)" opacity="0.9"/>',
    ]
    for layer, (light, jitter) in enumerate(((70, 0.35), (55, 0.25), (40, 0.15))):
        base = ground - layer * 4
        pts = [f"0,{base}"]
        x = 0
        while x < w:
            x += rng.randrange(w // 10, w // 4)
            peak = int(base - h * (jitter + rng.random() * 0.2))
            pts.append(f"{min(x, w)},{peak}")
        pts.append(f"{w},{base}")
        parts.append(
            f'<polygon points="{" ".join(pts)}" fill="hsl({(hue + 180) % 360},{20 + layer * 8}%,{light}%)"/>'
        )
    parts.append(f'<rect y="{ground}" width="{w}" height="{h - ground}" fill="hsl(110,28%,{34}%)"/>')
    for _ in range(trees):
        tx = rng.randrange(0, w)
        ts = rng.randrange(h // 14, h // 7)
        ty = ground + rng.randrange(-4, 6)
        parts.append(
            f'<polygon points="{tx},{ty - ts} {tx - ts // 3},{ty} {tx + ts // 3},{ty}" '
            f'fill="hsl({130 + rng.randrange(-15, 15)},35%,{20 + rng.randrange(0, 12)}%)"/>'
        )
    return "".join(parts)


def _item(art: str, hue: int, cx: int, cy: int, s: int) -> str:
    """The product itself, drawn as a simple, recognisable silhouette.

    Shapes are given in units of ``s`` relative to the centre ``(cx, cy)``.
    """
    main, dark, light = f"hsl({hue},65%,48%)", f"hsl({hue},60%,32%)", f"hsl({hue},70%,70%)"

    def pt(x: float, y: float) -> str:
        return f"{cx + x * s:.1f},{cy + y * s:.1f}"

    def poly(fill: str, *pts: tuple[float, float]) -> str:
        return f'<polygon points="{" ".join(pt(x, y) for x, y in pts)}" fill="{fill}"/>'

    def rect(fill: str, x: float, y: float, w: float, h: float, r: float = 0) -> str:
        return (
            f'<rect x="{cx + x * s:.1f}" y="{cy + y * s:.1f}" width="{w * s:.1f}" height="{h * s:.1f}" '
            f'rx="{r * s:.1f}" fill="{fill}"/>'
        )

    def line(x1: float, y1: float, x2: float, y2: float, width: int = 4) -> str:
        a, b = pt(x1, y1).split(","), pt(x2, y2).split(",")
        return (
            f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" stroke="{dark}" stroke-width="{width}"/>'
        )

    if art == "tent":
        return (
            poly(main, (-1, 0.6), (0, -0.7), (1, 0.6))
            + poly(dark, (-0.25, 0.6), (0, -0.1), (0.25, 0.6))
            + line(0, -0.7, 0, -0.9)
        )
    if art == "pack":
        return (
            rect(main, -0.5, -0.7, 1, 1.35, 0.25)
            + rect(dark, -0.35, 0.05, 0.7, 0.45, 0.1)
            + rect(light, -0.5, -0.7, 1, 0.3, 0.15)
        )
    if art in ("jacket", "tee"):
        w = 0.95 if art == "jacket" else 0.7
        body = poly(
            main,
            (-0.45, -0.65), (-w, -0.2), (-w * 0.8, 0.05), (-0.45, -0.2), (-0.45, 0.7),
            (0.45, 0.7), (0.45, -0.2), (w * 0.8, 0.05), (w, -0.2), (0.45, -0.65),
        )  # fmt: skip
        if art == "jacket":
            return body + line(0, -0.6, 0, 0.7)
        return body + f'<circle cx="{cx}" cy="{cy - s * 0.62:.1f}" r="{s * 0.15:.1f}" fill="{light}"/>'
    if art == "pants":
        legs = poly(
            main,
            (-0.45, -0.7), (0.45, -0.7), (0.5, 0.8), (0.1, 0.8), (0, -0.1), (-0.1, 0.8), (-0.5, 0.8),
        )  # fmt: skip
        return legs + rect(dark, -0.45, -0.7, 0.9, 0.12)
    if art == "pad":
        ribs = "".join(line(-1 + 0.25 * k, -0.1, -1 + 0.25 * k, 0.25, 3) for k in range(1, 8))
        return rect(main, -1, -0.15, 2, 0.45, 0.2) + ribs
    if art == "stove":
        flame = (
            f'<path d="M{pt(-0.2, -0.25)} q{s * 0.1:.1f},{-s * 0.4:.1f} {s * 0.2:.1f},{-s * 0.1:.1f} '
            f'q{s * 0.1:.1f},{-s * 0.5:.1f} {s * 0.2:.1f},{s * 0.05:.1f}" fill="hsl(25,95%,55%)"/>'
        )
        burner = (
            f'<ellipse cx="{cx}" cy="{cy - s * 0.15:.1f}" rx="{s * 0.6:.1f}" ry="{s * 0.12:.1f}" '
            f'fill="{dark}"/>'
        )
        return rect(main, -0.35, -0.1, 0.7, 0.8, 0.12) + burner + flame
    if art == "chair":
        return (
            line(-0.6, 0.7, 0.4, -0.2, 6)
            + line(0.6, 0.7, -0.4, -0.2, 6)
            + rect(main, -0.55, -0.35, 1.1, 0.3, 0.05)
            + rect(light, -0.5, -0.9, 1, 0.55, 0.06)
        )
    return f'<circle cx="{cx}" cy="{cy}" r="{s * 0.6:.1f}" fill="{main}"/>'


def _svg(w: int, h: int, body: str, label: str) -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-label="{label}">{body}</svg>'
    ).encode()


@lru_cache(maxsize=4096)
def _product_svg_cached(sku: str, art: str, hue: int, name: str) -> bytes:
    rng = random.Random(zlib.crc32(sku.encode()))
    w, h = 600, 450
    body = _scenery(rng, w, h, ground=330, hue=(hue + 40) % 360, trees=34)
    body += '<ellipse cx="300" cy="390" rx="170" ry="18" fill="rgba(0,0,0,.18)"/>'
    body += _item(art, hue, 300, 250, 130)
    return _svg(w, h, body, name.replace('"', "'"))


def product_svg(product: Product) -> bytes:
    """600x450 product shot: the product silhouette in front of a landscape."""
    return _product_svg_cached(product.sku, product.art, product.hue, product.name)


@lru_cache(maxsize=8)
def category_svg(slug: str) -> bytes:
    """600x400 tile artwork for a category."""
    art, hue = {"camping": ("tent", 150), "backpacks": ("pack", 210), "apparel": ("jacket", 20)}.get(
        slug, ("generic", 200)
    )
    rng = random.Random(zlib.crc32(slug.encode()))
    body = _scenery(rng, 600, 400, ground=300, hue=hue, trees=30) + _item(art, hue, 300, 215, 110)
    return _svg(600, 400, body, slug)


@lru_cache(maxsize=1)
def hero_svg() -> bytes:
    """1200x480 home page hero: a wide mountain landscape at golden hour."""
    rng = random.Random(1200)
    body = _scenery(rng, 1200, 480, ground=380, hue=28, trees=90)
    body += (
        '<polygon points="520,380 600,300 680,380" fill="hsl(150,55%,40%)"/>'
        '<polygon points="580,380 600,345 620,380" fill="hsl(150,55%,25%)"/>'
        '<circle cx="700" cy="372" r="8" fill="hsl(25,95%,55%)"/>'
    )
    return _svg(1200, 480, body, "Tent pitched below mountains at sunset")


#: the one picture the flawed store shows for every product on category pages
PLACEHOLDER_SVG = _svg(
    600,
    450,
    '<rect width="600" height="450" fill="#d9d4cb"/><text x="300" y="235" font-size="32" '
    'text-anchor="middle" fill="#7a7368" font-family="sans-serif">Image coming soon</text>',
    "Image coming soon",
)


LOGO_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
    b'<rect width="32" height="32" rx="7" fill="#1f5f4a"/>'
    b'<polygon points="4,25 13,10 18,18 21,14 28,25" fill="#f4efe6"/>'
    b'<circle cx="23" cy="9" r="3" fill="#f2b544"/></svg>'
)
