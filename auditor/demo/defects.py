"""The catalogue of defects the ``flawed`` demo store deliberately contains.

Every defect is declared exactly once, here.  The store turns each one on or off
by id (``DemoStore`` looks ids up in its set of active defects), so this tuple is
the single source of truth for *what* is broken.  The auditor's own test-suite
uses it as ground truth: a check that is working should find each defect listed
for it, and should find nothing on the ``clean`` variant.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The auditor checks a defect can belong to.
CHECKS: tuple[str, ...] = (
    "load_time",
    "checkout_steps",
    "messaging_consistency",
    "support_reachability",
    "journey_health",
)


@dataclass(frozen=True)
class Defect:
    """One deliberately seeded CX problem.

    ``where`` is a URL path pattern (``/product/*``), or a channel name such as
    ``mobile`` (only mobile user agents see it) or ``documents`` (it lives in the
    documents returned by :func:`auditor.demo.documents_dir`).
    """

    id: str
    check: str
    description: str
    where: str

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"unknown check {self.check!r} for defect {self.id!r}")


SEEDED_DEFECTS: tuple[Defect, ...] = (
    # --- load_time -------------------------------------------------------
    Defect(
        id="slow-product-page",
        check="load_time",
        description=(
            "Product detail pages respond only after a 2.2 s server delay (poor TTFB) and "
            "their main image is served another 0.5 s late, so LCP exceeds 2.5 s."
        ),
        where="/product/*",
    ),
    Defect(
        id="layout-shift-banner",
        check="load_time",
        description=(
            "About 400 ms after load (and at least 1.2 s after navigation start), "
            "/static/promo.js inserts a tall flash-sale banner at the top of the home page's "
            "main content without reserved space, pushing everything below it down (CLS > 0.25)."
        ),
        where="/",
    ),
    Defect(
        id="slow-add-to-cart",
        check="load_time",
        description=(
            "A tracking script (/static/tracking.js) busy-loops ~400 ms on the main thread "
            "in the add-to-cart click handler before the form submits: a long task and "
            "poor interaction latency (INP)."
        ),
        where="/product/*",
    ),
    # --- checkout_steps --------------------------------------------------
    Defect(
        id="forced-account",
        check="checkout_steps",
        description=(
            "After the email step an extra step /checkout/account forces the shopper to "
            "create an account (password + confirm password, both required); there is no "
            "guest option."
        ),
        where="/checkout/account",
    ),
    Defect(
        id="extra-fields",
        check="checkout_steps",
        description=(
            "The shipping step asks for unnecessary required fields (company, date of "
            "birth, alternative phone, 'how did you hear about us', fax), pushing the "
            "checkout's form-field count far past the 11.3 benchmark."
        ),
        where="/checkout/shipping",
    ),
    Defect(
        id="mobile-extra-step",
        check="checkout_steps",
        description=(
            "Mobile user agents get an additional interstitial step /checkout/confirm-address "
            "('Confirm your address', one button) after shipping, so mobile checkout has "
            "more steps than desktop."
        ),
        where="mobile",
    ),
    # --- messaging_consistency -------------------------------------------
    Defect(
        id="mobile-shipping-threshold",
        check="messaging_consistency",
        description=(
            "For mobile user agents the promo banner and product pages promise free "
            "shipping over $75; desktop (and every other page) says $50."
        ),
        where="mobile",
    ),
    Defect(
        id="listing-price-mismatch",
        check="messaging_consistency",
        description=(
            "The second catalogue product is listed at $89.00 on category, search and home "
            "cards but costs $94.00 on its detail page and in the cart."
        ),
        where="/category/*",
    ),
    Defect(
        id="faq-return-window",
        check="messaging_consistency",
        description="The FAQ says returns are accepted within 14 days; the policy page says 30.",
        where="/help",
    ),
    Defect(
        id="email-phone-mismatch",
        check="messaging_consistency",
        description=(
            "The email, SMS, app-store and chatbot documents give the support phone as "
            "1-800-555-0123 (the site says 1-800-555-0199) and promise returns within 60 days."
        ),
        where="documents",
    ),
    Defect(
        id="cart-charges-shipping-over-threshold",
        check="messaging_consistency",
        description=(
            "The cart (and checkout review) charges $5.99 standard shipping even when the "
            "subtotal is over the advertised $50 free-shipping threshold."
        ),
        where="/cart",
    ),
    # --- support_reachability --------------------------------------------
    Defect(
        id="checkout-contact-404",
        check="support_reachability",
        description=(
            "On checkout pages the header and footer Contact links point to /contact-us, which returns 404."
        ),
        where="/checkout/*",
    ),
    Defect(
        id="checkout-no-help-mobile",
        check="support_reachability",
        description=(
            "On checkout pages for mobile user agents the footer help links, the chat "
            "launcher and the menu's Help/Contact links are all removed: no way to get help."
        ),
        where="mobile",
    ),
    Defect(
        id="help-order-varies",
        check="support_reachability",
        description=(
            "On category pages the footer lists the help options in a different order "
            "(phone and email first, Contact last) than on every other page."
        ),
        where="/category/*",
    ),
    Defect(
        id="broken-chat-launcher",
        check="support_reachability",
        description=(
            "On product pages the chat launcher does nothing when clicked (the chat panel "
            "is missing from the page)."
        ),
        where="/product/*",
    ),
    Defect(
        id="malformed-tel",
        check="support_reachability",
        description="On the contact page the phone link is the malformed 'tel:1-800-555-01 99x'.",
        where="/contact",
    ),
    # --- journey_health --------------------------------------------------
    Defect(
        id="dead-add-to-cart",
        check="journey_health",
        description=(
            "On the product page of the third product of the first category, 'Add to cart' is a "
            "plain button that does nothing: no request, no page change, the cart stays empty."
        ),
        where="/product/*",
    ),
    Defect(
        id="wrong-product-link",
        check="journey_health",
        description=(
            "On category pages the card of the fourth product of the first category links to the "
            "next product in the catalogue: the shopper clicks one product and gets another."
        ),
        where="/category/*",
    ),
    Defect(
        id="contact-field-mirror",
        check="journey_health",
        description=(
            "On the contact form, a script copies whatever is typed into 'Email address' into "
            "'Your name' and clears the email field."
        ),
        where="/contact",
    ),
    Defect(
        id="search-script-error",
        check="journey_health",
        description=(
            "The search results page loads /static/search-facets.js, which throws an uncaught "
            "TypeError (it reads a configuration object that is never defined)."
        ),
        where="/search",
    ),
    Defect(
        id="cart-recommendations-500",
        check="journey_health",
        description=(
            "The cart page fetches /api/recommendations, which answers HTTP 500 "
            "(the recommendations silently never appear)."
        ),
        where="/cart",
    ),
    Defect(
        id="placeholder-product-images",
        check="journey_health",
        description=(
            "Category pages show one 'Image coming soon' placeholder picture on every product card."
        ),
        where="/category/*",
    ),
    Defect(
        id="place-order-throws",
        check="journey_health",
        description=(
            "On the review step, the 'Place order' button's script cancels the form submission and "
            "throws a TypeError: the page stays where it is and no order is placed."
        ),
        where="/checkout/review",
    ),
)

DEFECT_IDS: frozenset[str] = frozenset(d.id for d in SEEDED_DEFECTS)


def defects_for(check: str) -> tuple[Defect, ...]:
    """The seeded defects a given auditor check is expected to find."""
    if check not in CHECKS:
        raise ValueError(f"unknown check {check!r}; expected one of {CHECKS}")
    return tuple(d for d in SEEDED_DEFECTS if d.check == check)


# --- single-page-app mode (``DemoStore(..., spa=True)``, ``cx-audit demo --spa``) ----------
#: Defects of the SPA mode's ``flawed`` variant.  Each is one that an auditor reading
#: only server-rendered pages, links and titles cannot find: cards link to ``#``, every
#: route has one title, views change by the History API and prices arrive as JSON.
SPA_DEFECTS: tuple[Defect, ...] = (
    Defect(
        id="spa-listing-price-mismatch",
        check="messaging_consistency",
        description=(
            "The second catalogue product's card (home, category; a link to '#') says $89.00; its "
            "product view, JSON-LD and the cart say $94.00. Only product identity by visible name "
            "or structured data ties the card to the product."
        ),
        where="/category/*",
    ),
    Defect(
        id="spa-structured-data-price",
        check="messaging_consistency",
        description=(
            "The third product's JSON-LD Offer says price 49.00 USD while its product view shows $54.00."
        ),
        where="/product/*",
    ),
    Defect(
        id="spa-structured-data-returns",
        check="messaging_consistency",
        description=(
            "Every product's JSON-LD MerchantReturnPolicy declares merchantReturnDays 14; the pages "
            "promise 30-day free returns."
        ),
        where="/product/*",
    ),
    Defect(
        id="spa-mobile-product-shift",
        check="load_time",
        description=(
            "On mobile user agents the product view reserves no space for its tall (3:4) lazy image "
            "(no dimensions, no aspect-ratio box) and the image arrives 1.2 s after the view "
            "renders, pushing the name, price and button down: a layout shift after a soft "
            "navigation (CLS > 0.25), more than 500 ms after the click."
        ),
        where="mobile",
    ),
    Defect(
        id="spa-slow-product-api",
        check="load_time",
        description=(
            "/api/products/<sku> answers after 2.8 s, so the product view's content paints about "
            "3 s after the card click (soft-navigation LCP > 2.5 s)."
        ),
        where="/product/*",
    ),
    Defect(
        id="spa-cart-subtotal-ignores-quantity",
        check="checkout_steps",
        description=(
            "The cart's 'Item total' adds each line's unit price once, ignoring its quantity: with "
            "2 of an item the lines add up to more than the item total."
        ),
        where="/cart",
    ),
    Defect(
        id="spa-cart-total-ignores-discount",
        check="checkout_steps",
        description=(
            "The 'Order total' of cart and checkout review does not subtract the displayed "
            "'Welcome discount −$5.00' row."
        ),
        where="/cart",
    ),
    Defect(
        id="spa-contact-soft-404",
        check="support_reachability",
        description=(
            "The footer's 'Contact us' link (href '#') routes to /contact-us, which renders a "
            "'Sorry, we can't find that page' view with HTTP 200 (a soft 404)."
        ),
        where="/contact-us",
    ),
    # --- journey_health ----------------------------------------------------
    Defect(
        id="spa-dead-add-to-cart",
        check="journey_health",
        description=(
            "On the product view of the third product of the first category, 'Add to cart' is wired "
            "to nothing: no request, no view change, the cart count stays as it was."
        ),
        where="/product/*",
    ),
    Defect(
        id="spa-wrong-product-link",
        check="journey_health",
        description=(
            "The card of the fourth product of the first category routes to the next product in the "
            "catalogue: the shopper clicks one product and the view shows another."
        ),
        where="/category/*",
    ),
    Defect(
        id="spa-contact-field-mirror",
        check="journey_health",
        description=(
            "On the contact view an 'autofill helper' copies what is typed into 'Email address' into "
            "'Your name' and clears the email field."
        ),
        where="/contact",
    ),
    Defect(
        id="spa-help-script-error",
        check="journey_health",
        description=(
            "The help view mounts a FAQ search widget whose script never loaded: an uncaught "
            "TypeError each time the view renders."
        ),
        where="/help",
    ),
    Defect(
        id="spa-recommendations-500",
        check="journey_health",
        description=(
            "The cart view fetches /api/recommendations, which answers HTTP 500; the 'You may also "
            "like' section silently stays empty."
        ),
        where="/cart",
    ),
    Defect(
        id="spa-placeholder-product-images",
        check="journey_health",
        description="Category views show one placeholder picture on every product card.",
        where="/category/*",
    ),
    Defect(
        id="spa-place-order-throws",
        check="journey_health",
        description=(
            "The store sends no order settings, so the review's 'Place order' button throws a "
            "TypeError: the view stays where it is and no order is placed (seen with --allow-orders)."
        ),
        where="/checkout/review",
    ),
)

SPA_DEFECT_IDS: frozenset[str] = frozenset(d.id for d in SPA_DEFECTS)


def spa_defects_for(check: str) -> tuple[Defect, ...]:
    """The SPA-mode seeded defects a given auditor check is expected to find."""
    if check not in CHECKS:
        raise ValueError(f"unknown check {check!r}; expected one of {CHECKS}")
    return tuple(d for d in SPA_DEFECTS if d.check == check)
