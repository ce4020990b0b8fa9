"""Seed the benchmark's django-oscar shop: two categories, six products in stock, one shipping country."""

import django

django.setup()

from django.contrib.sites.models import Site  # noqa: E402
from oscar.apps.address.models import Country  # noqa: E402
from oscar.apps.catalogue.categories import create_from_breadcrumbs  # noqa: E402
from oscar.apps.catalogue.models import Product, ProductCategory, ProductClass  # noqa: E402
from oscar.apps.partner.models import Partner, StockRecord  # noqa: E402

Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1", "name": "Oscar bench shop"})
Country.objects.update_or_create(
    iso_3166_1_a2="US",
    defaults={
        "iso_3166_1_a3": "USA",
        "iso_3166_1_numeric": "840",
        "printable_name": "United States",
        "name": "United States of America",
        "is_shipping_country": True,
    },
)
kind, _ = ProductClass.objects.get_or_create(
    name="Gear", defaults={"requires_shipping": True, "track_stock": True}
)
partner, _ = Partner.objects.get_or_create(name="Bench warehouse")
ITEMS = [
    ("Camping > Tents", "Trail Tent 2P", "149.00"),
    ("Camping > Tents", "Basecamp Tent 4P", "289.00"),
    ("Camping > Stoves", "Pocket Stove", "39.00"),
    ("Clothing > Jackets", "Rain Shell Jacket", "119.00"),
    ("Clothing > Jackets", "Down Puffer", "199.00"),
    ("Clothing > Socks", "Merino Hiking Socks", "18.00"),
]
for n, (crumbs, title, price) in enumerate(ITEMS, start=1):
    category = create_from_breadcrumbs(crumbs)
    product, _ = Product.objects.get_or_create(
        upc=f"BENCH-{n:03d}", defaults={"title": title, "product_class": kind, "structure": "standalone"}
    )
    ProductCategory.objects.get_or_create(product=product, category=category)
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": f"SKU-{n:03d}",
            "price": price,
            "price_currency": "USD",
            "num_in_stock": 1000,
        },
    )
print(f"seeded {Product.objects.count()} products")
