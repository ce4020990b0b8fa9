"""Product catalogue of the demo store: 12 hand-written products plus generated filler.

The first twelve products are written out by hand so that screenshots and the
default store look like a real shop.  Larger catalogues (``products=2000``) are
padded with generated products whose names and prices come from a seeded RNG,
so the same ``seed`` always yields the same catalogue (stable URLs for tests and
benchmarks).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

#: Free standard shipping from this subtotal (cents).  The one true threshold.
FREE_SHIPPING_THRESHOLD = 50_00
#: Standard shipping under the threshold (cents).
STANDARD_SHIPPING = 5_99
#: Express shipping, always charged (cents).
EXPRESS_SHIPPING = 14_99


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    blurb: str
    sku_prefix: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str  # Category.slug
    price: int  # cents
    description: str
    highlights: tuple[str, ...] = ()
    warranty: bool = False
    #: Which artwork to draw (see images.py); the hue varies per product.
    art: str = "generic"
    hue: int = 200


CATEGORIES: tuple[Category, ...] = (
    Category("camping", "Camping", "Tents, sleep systems and camp kitchen.", "CAM"),
    Category("backpacks", "Backpacks", "Daypacks to multi-day trekking packs.", "PAC"),
    Category("apparel", "Apparel", "Layers for wind, rain and sun.", "APP"),
)

_HANDWRITTEN: tuple[tuple[str, str, int, str, tuple[str, ...], bool, str, int], ...] = (
    # (name, category, price cents, description, highlights, warranty, art, hue)
    (
        "Ridgeline 2-Person Backpacking Tent",
        "camping",
        249_00,
        "A freestanding three-season tent that pitches in under five minutes. Two doors and "
        "two vestibules mean nobody climbs over anybody at 3am.",
        ("Packed weight 1.9 kg", "Two doors, two vestibules", "Colour-coded poles"),
        True,
        "tent",
        150,
    ),
    (
        "Cascade Insulated Sleeping Pad",
        "camping",
        89_00,
        "R-value 4.2 insulation for shoulder-season nights, with a quiet fabric that will not "
        "crinkle every time you roll over.",
        ("R-value 4.2", "Inflates in 12 breaths", "Packs to the size of a water bottle"),
        True,
        "pad",
        25,
    ),
    (
        "Emberlite Camp Stove",
        "camping",
        54_00,
        "A compact canister stove with a wide burner and a simmer control that actually "
        "simmers. Boils a litre in about four minutes.",
        ("Boils 1 L in ~4 min", "Piezo igniter", "Folding pot supports"),
        True,
        "stove",
        5,
    ),
    (
        "Lakeside Folding Camp Chair",
        "camping",
        39_00,
        "A light, low camp chair with a breathable mesh back. Folds flat and carries on a shoulder strap.",
        ("Holds up to 120 kg", "Weighs 1.1 kg", "Cup holder"),
        False,
        "chair",
        190,
    ),
    (
        "Trailhead 28L Daypack",
        "backpacks",
        129_00,
        "Our best-selling daypack: a ventilated back panel, a hydration sleeve and enough room "
        "for layers, lunch and a first-aid kit.",
        ("28 litres", "Hydration compatible", "Rain cover included"),
        True,
        "pack",
        210,
    ),
    (
        "Backcountry 55L Trekking Pack",
        "backpacks",
        229_00,
        "Built for multi-day routes: an adjustable torso, a load-lifting hip belt and a "
        "front stash pocket for wet gear.",
        ("55 litres", "Adjustable torso length", "Weighs 1.6 kg"),
        True,
        "pack",
        130,
    ),
    (
        "Summit 12L Hydration Pack",
        "backpacks",
        69_00,
        "A slim running and biking pack with a 2-litre reservoir and a bite valve that does not leak.",
        ("2 L reservoir included", "Reflective trim", "Chest and hip straps"),
        True,
        "pack",
        350,
    ),
    (
        "Everyday 20L Roll-Top Pack",
        "backpacks",
        79_00,
        "A waterproof roll-top commuter pack with a padded laptop sleeve. Equally at home on "
        "the trail and the train.",
        ("Fits a 15-inch laptop", "Welded seams", "20 litres"),
        True,
        "pack",
        45,
    ),
    (
        "Stormshell Waterproof Jacket",
        "apparel",
        179_00,
        "A three-layer waterproof, breathable shell with pit zips and a helmet-compatible "
        "hood, for days when the forecast is wrong.",
        ("20,000 mm waterproof", "Pit zips", "Packs into its own pocket"),
        True,
        "jacket",
        200,
    ),
    (
        "Ridge Fleece Quarter-Zip",
        "apparel",
        65_00,
        "A midweight grid fleece that traps warmth and dries fast. The layer you will wear "
        "more than any other.",
        ("Grid fleece", "Thumb loops", "Zipped chest pocket"),
        False,
        "jacket",
        95,
    ),
    (
        "Merino Trail Tee",
        "apparel",
        42_00,
        "A soft merino-blend tee that regulates temperature and resists odour, day after day.",
        ("Merino blend", "Flatlock seams", "UPF 30"),
        False,
        "tee",
        280,
    ),
    (
        "Switchback Hiking Pants",
        "apparel",
        85_00,
        "Stretch hiking pants with articulated knees, a gusseted crotch and zipped pockets "
        "that keep your phone where you left it.",
        ("4-way stretch", "DWR finish", "Zipped thigh pocket"),
        False,
        "pants",
        60,
    ),
)

_ADJECTIVES = (
    "Granite",
    "Aspen",
    "Cedar",
    "Harbor",
    "Juniper",
    "Basin",
    "Canyon",
    "Timber",
    "Glacier",
    "Mesa",
    "Sierra",
    "Tundra",
    "Willow",
    "Falcon",
    "Boulder",
    "Alder",
    "Cobalt",
    "Drift",
    "Fjord",
    "Highland",
    "Larch",
    "Meadow",
    "Pinnacle",
    "Quarry",
    "Redwood",
    "Saddle",
)
_NOUNS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # (noun, art, warranty)
    "camping": (
        ("Ultralight 1P Tent", "tent", True),
        ("Family 4P Tent", "tent", True),
        ("Camp Lantern", "stove", True),
        ("Down Sleeping Bag 30°F", "pad", True),
        ("Synthetic Sleeping Bag 40°F", "pad", True),
        ("Camp Cookset", "stove", True),
        ("Trekking Poles", "chair", True),
        ("Hammock", "chair", False),
        ("Camp Pillow", "pad", False),
        ("Water Filter", "stove", True),
    ),
    "backpacks": (
        ("Daypack 24L", "pack", True),
        ("Travel Duffel 40L", "pack", True),
        ("Sling Bag 6L", "pack", True),
        ("Hip Pack 3L", "pack", True),
        ("Trekking Pack 45L", "pack", True),
        ("Kids' Daypack 12L", "pack", True),
        ("Dry Bag 10L", "pack", False),
        ("Climbing Pack 30L", "pack", True),
    ),
    "apparel": (
        ("Rain Jacket", "jacket", True),
        ("Fleece Hoodie", "jacket", False),
        ("Hiking Shorts", "pants", False),
        ("Softshell Pants", "pants", False),
        ("Insulated Vest", "jacket", False),
        ("Sun Hoody", "tee", False),
        ("Merino Crew", "tee", False),
        ("Down Jacket", "jacket", True),
        ("Wool Beanie", "tee", False),
        ("Base Layer Tights", "pants", False),
    ),
}
_CENTS_ENDINGS = (0, 0, 0, 50, 95)


def money(cents: int) -> str:
    """Format cents as the store shows prices everywhere: ``$1,234.00``."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


@dataclass
class Catalog:
    """All categories and products, with lookups by SKU and category."""

    products: list[Product]
    categories: tuple[Category, ...] = CATEGORIES
    _by_sku: dict[str, Product] = field(default_factory=dict, repr=False)
    _by_category: dict[str, list[Product]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_sku = {p.sku: p for p in self.products}
        self._by_category = {c.slug: [] for c in self.categories}
        for p in self.products:
            self._by_category[p.category].append(p)

    def product(self, sku: str) -> Product | None:
        return self._by_sku.get(sku)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def in_category(self, slug: str) -> list[Product]:
        return self._by_category.get(slug, [])

    def page_count(self, slug: str, per_page: int) -> int:
        return max(1, math.ceil(len(self.in_category(slug)) / per_page))

    def search(self, query: str) -> list[Product]:
        """Case-insensitive match of every word against name, SKU, description, category."""
        words = query.lower().split()
        if not words:
            return []
        hits = []
        for p in self.products:
            haystack = f"{p.name} {p.sku} {p.description} {p.category}".lower()
            if all(w in haystack for w in words):
                hits.append(p)
        return hits


def build_catalog(count: int = 12, seed: int = 7) -> Catalog:
    """Build a deterministic catalogue of ``count`` products.

    The first 12 are the hand-written ones (fewer if ``count`` < 12); the rest are
    generated round-robin across the three categories from ``random.Random(seed)``.
    """
    if count < 1:
        raise ValueError("products must be >= 1")
    prefixes = {c.slug: c.sku_prefix for c in CATEGORIES}
    products: list[Product] = []
    for i, (name, cat, price, desc, hl, warranty, art, hue) in enumerate(_HANDWRITTEN[:count]):
        products.append(
            Product(f"{prefixes[cat]}-{1001 + i}", name, cat, price, desc, hl, warranty, art, hue)
        )

    rng = random.Random(seed)
    for i in range(len(products), count):
        cat = CATEGORIES[i % len(CATEGORIES)].slug
        noun, art, warranty = rng.choice(_NOUNS[cat])
        adjective = rng.choice(_ADJECTIVES)
        series = rng.choice(("", "", " II", " Pro", " Lite", " 2.0"))
        name = f"{adjective} {noun}{series}"
        price = rng.randrange(15, 350) * 100 + rng.choice(_CENTS_ENDINGS)
        desc = (
            f"The {name} is part of our {adjective} collection: dependable, repairable gear "
            f"built for everyday adventures and tested on the trails around Northwind's home base."
        )
        products.append(
            Product(
                sku=f"{prefixes[cat]}-{1001 + i}",
                name=name,
                category=cat,
                price=price,
                description=desc,
                highlights=("Tested in the field", "Repair-friendly design"),
                warranty=warranty,
                art=art,
                hue=rng.randrange(0, 360),
            )
        )
    return Catalog(products)
