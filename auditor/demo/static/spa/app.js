/* Northwind Outfitters, single-page-app mode (auditor/demo/spa.py serves the API).
 *
 * Written the way many real SPA storefronts are: History API routing, one document
 * title for every route, cards that are <a href="#"> with click handlers, products
 * fetched as JSON, lazy images without width/height, JSON-LD injected on product
 * views.  Everything is rendered with DOM calls and textContent, never innerHTML of
 * API data.  The seeded defects live in what the API returns (a card's route, a
 * product's cart_enabled, the store's contact_autofill / faq_widget / order), not in
 * switches of this file.
 */
(function () {
  "use strict";

  var app = document.getElementById("app");
  var store = null;
  var CHECKOUT_KEY = "nw_checkout";
  var STEPS = [
    { slug: "contact", title: "Contact", fields: [
      { name: "email", label: "Email address", type: "email", autocomplete: "email" }] },
    { slug: "shipping", title: "Shipping address", fields: [
      { name: "full_name", label: "Full name", autocomplete: "name" },
      { name: "address1", label: "Address line 1", autocomplete: "address-line1" },
      { name: "city", label: "City", autocomplete: "address-level2" },
      { name: "postal_code", label: "Postal code", autocomplete: "postal-code" },
      { name: "country", label: "Country", type: "select", autocomplete: "country",
        options: [["US", "United States"], ["CA", "Canada"], ["GB", "United Kingdom"]] }] },
    { slug: "payment", title: "Payment", fields: [
      { name: "card_number", label: "Card number", autocomplete: "cc-number", inputmode: "numeric" },
      { name: "expiry", label: "Expiry date (MM/YY)", autocomplete: "cc-exp" },
      { name: "cvc", label: "Security code (CVC)", autocomplete: "cc-csc", inputmode: "numeric" },
      { name: "card_name", label: "Name on card", autocomplete: "cc-name" }] },
    { slug: "review", title: "Review your order", fields: [] }
  ];

  // ---- helpers ---------------------------------------------------------------

  /** h("p", {class: "x"}, "text", child) -> element; strings become text nodes. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === "onclick" || k === "onsubmit") { el.addEventListener(k.slice(2), v); }
      else { el.setAttribute(k, v === true ? "" : String(v)); }
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) { continue; }
      if (Array.isArray(c)) { c.forEach(function (x) { if (x) { el.appendChild(x); } }); }
      else { el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    }
    return el;
  }

  /** A link the SPA way: href="#" and a click handler that routes. */
  function routeLink(path, attrs) {
    var a = h("a", Object.assign({ href: "#", "data-route": path }, attrs || {}));
    for (var i = 2; i < arguments.length; i++) { a.appendChild(typeof arguments[i] === "string" ? document.createTextNode(arguments[i]) : arguments[i]); }
    return a;
  }

  function api(path, form) {
    var opts = { credentials: "same-origin" };
    if (form) { opts.method = "POST"; opts.body = new URLSearchParams(form); }
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data.error || ("HTTP " + r.status)); }
        return data;
      });
    });
  }

  function navigate(path) {
    if (path !== location.pathname + location.search) { history.pushState({}, "", path); }
    window.scrollTo(0, 0);
    render();
  }

  function show() {
    app.replaceChildren.apply(app, Array.prototype.slice.call(arguments).filter(Boolean));
  }

  function setJsonLd(data) {
    var old = document.getElementById("product-jsonld");
    if (old) { old.remove(); }
    if (!data) { return; }
    var s = document.createElement("script");
    s.type = "application/ld+json";
    s.id = "product-jsonld";
    s.textContent = JSON.stringify(data);
    document.head.appendChild(s);
  }

  function setCartCount(n) { document.getElementById("cart-count").textContent = String(n); }

  function card(p) {
    return h("li", null,
      h("a", { href: "#", class: "card", "data-testid": "product-card", "data-sku": p.sku,
               onclick: function (e) { e.preventDefault(); navigate("/product/" + encodeURIComponent(p.route || p.sku)); } },
        h("div", { class: "media-box" }, h("img", { src: p.image, alt: "", loading: "lazy" })),
        h("h3", { "data-testid": "product-name" }, p.name),
        h("p", { class: "price", "data-testid": "price" }, p.price_display)));
  }

  function rows(cart) {
    return h("div", { class: "rows", "data-testid": "cart-summary" }, cart.rows.map(function (r) {
      return h("p", { class: "row" + (r.testid === "cart-total" ? " total" : ""), "data-testid": r.testid },
        h("span", null, r.label), " ", h("span", null, r.value));
    }));
  }

  function lines(cart) {
    return h("div", { class: "cart-lines" }, cart.lines.map(function (l) {
      return h("div", { class: "cart-line", "data-testid": "cart-line", "data-sku": l.sku },
        h("img", { src: l.image, alt: "", loading: "lazy" }),
        h("span", { "data-testid": "line-name" }, l.name),
        h("span", { "data-testid": "line-qty" }, "Qty " + l.qty),
        h("span", null, h("span", { "data-testid": "line-unit" }, l.unit_display + " each"), " ",
          h("strong", { "data-testid": "line-total" }, l.line_display)));
    }));
  }

  function checkoutState() {
    try { return JSON.parse(sessionStorage.getItem(CHECKOUT_KEY) || "{}"); } catch (e) { return {}; }
  }

  // ---- views -----------------------------------------------------------------

  function home() {
    return api("/api/products").then(function (data) {
      show(
        h("section", { class: "hero" }, h("h1", null, "Outdoor gear for every trail"),
          h("p", null, "Free shipping on orders over " + store.threshold + " · " + store.return_days + "-day free returns")),
        h("h2", null, "Shop by category"),
        h("ul", { class: "grid" }, store.categories.map(function (c) {
          return h("li", null, routeLink("/category/" + c.slug, { class: "card", "data-testid": "category-tile" },
            h("h3", null, c.name), h("p", null, c.blurb)));
        })),
        h("h2", null, "Featured"),
        h("ul", { class: "grid", "data-testid": "featured" }, data.products.slice(0, 4).map(card)));
    });
  }

  function category(slug) {
    var cat = store.categories.filter(function (c) { return c.slug === slug; })[0];
    if (!cat) { return Promise.resolve(notFound()); }
    return api("/api/products?category=" + encodeURIComponent(slug)).then(function (data) {
      show(h("h1", null, cat.name), h("p", null, cat.blurb),
        h("ul", { class: "grid", "data-testid": "product-grid" }, data.products.map(card)));
    });
  }

  function product(sku) {
    show(h("div", { class: "skeleton", "aria-busy": "true" }));
    return api("/api/products/" + encodeURIComponent(sku)).then(function (p) {
      setJsonLd(p.jsonld);
      var qty = h("input", { id: "qty", name: "qty", type: "number", min: 1, max: 99, value: 1, "data-testid": "qty" });
      show(h("article", { class: "detail", "data-testid": "product-detail" },
        h("div", { class: p.reserve_media ? "media-box" : "media" },
          h("img", { src: p.image, alt: p.name, loading: "lazy", "data-testid": "product-image" })),
        h("div", null,
          h("p", null, routeLink("/category/" + p.category, null, p.category_name)),
          h("h1", { "data-testid": "product-name" }, p.name),
          h("p", { class: "price", "data-testid": "price" }, p.price_display),
          h("p", { class: "sku" }, "SKU ", h("span", { "data-testid": "sku" }, p.sku)),
          h("p", null, "In stock · Free shipping on orders over " + store.threshold + " · " +
            store.return_days + "-day free returns"),
          h("label", { for: "qty" }, "Quantity "), qty, " ",
          h("button", { type: "button", "data-testid": "add-to-cart", onclick: function (e) {
            if (!p.cart_enabled) { return; }  // a button wired to nothing
            e.target.disabled = true;
            api("/api/cart/add", { sku: p.sku, qty: qty.value }).then(function (cart) {
              setCartCount(cart.count);
              navigate("/cart");
            });
          } }, "Add to cart"),
          h("p", null, p.description),
          h("ul", null, p.highlights.map(function (x) { return h("li", null, x); })),
          p.warranty ? h("p", null, "2-year warranty") : null)));
    }, function () { show(notFound()); });
  }

  function cartView() {
    return api("/api/cart").then(function (cart) {
      setCartCount(cart.count);
      if (!cart.lines.length) {
        show(h("h1", null, "Your cart"), h("p", { "data-testid": "empty-cart" }, "Your cart is empty."),
          routeLink("/", { class: "button" }, "Continue shopping"));
        return;
      }
      var more = h("section", { "data-testid": "recommendations" });
      show(h("h1", null, "Your cart"), lines(cart),
        h("aside", null, h("h2", null, "Order summary"), rows(cart),
          cart.free_gap && cart.free_gap !== "$0.00" ? h("p", null, "Add " + cart.free_gap + " more for free standard shipping.") : null,
          h("button", { type: "button", "data-testid": "checkout", onclick: function () { navigate("/checkout/contact"); } }, "Checkout")),
        more);
      // "You may also like": optional, so a failure leaves the section empty
      api("/api/recommendations").then(function (data) {
        more.replaceChildren(h("h2", null, "You may also like"),
          h("ul", { class: "grid" }, data.products.map(function (x) {
            return h("li", null, routeLink("/product/" + x.sku, null, x.name));
          })));
      }, function () { /* silently missing */ });
    });
  }

  function checkout(slug) {
    var index = STEPS.findIndex(function (s) { return s.slug === slug; });
    if (index < 0) { return Promise.resolve(notFound()); }
    var step = STEPS[index];
    var state = checkoutState();
    for (var i = 0; i < index; i++) {
      if (!state[STEPS[i].slug]) { navigate("/checkout/" + STEPS[i].slug); return Promise.resolve(); }
    }
    return api("/api/cart").then(function (cart) {
      if (!cart.lines.length) { navigate("/cart"); return; }
      var heading = h("h1", null, "Checkout — Step " + (index + 1) + " of " + STEPS.length + ": " + step.title);
      if (step.slug === "review") {
        show(heading, lines(cart), rows(cart),
          h("p", null, "Ship to: " + state.shipping.full_name + ", " + state.shipping.address1 + ", " + state.shipping.city),
          h("button", { type: "button", "data-testid": "place-order", onclick: function (e) {
            var endpoint = store.order.endpoint;  // throws when the store sends no order settings
            e.target.disabled = true;
            api(endpoint, {}).then(function (order) {
              sessionStorage.removeItem(CHECKOUT_KEY);
              setCartCount(0);
              sessionStorage.setItem("nw_order", JSON.stringify(order));
              navigate("/order/confirmation");
            });
          } }, "Place order"));
        return;
      }
      var errors = h("p", { class: "error", role: "alert" });
      var form = h("form", { class: "step", novalidate: true, onsubmit: function (e) {
        e.preventDefault();
        var values = {}; var missing = [];
        step.fields.forEach(function (f) {
          values[f.name] = form.elements[f.name].value.trim();
          if (!values[f.name]) { missing.push(f.label); }
        });
        if (missing.length) { errors.textContent = missing.join(", ") + " required."; return; }
        var st = checkoutState(); st[step.slug] = values;
        sessionStorage.setItem(CHECKOUT_KEY, JSON.stringify(st));
        navigate("/checkout/" + STEPS[index + 1].slug);
      } }, step.fields.map(function (f) {
        var id = "f-" + f.name;
        var input = f.type === "select"
          ? h("select", { id: id, name: f.name, required: true, autocomplete: f.autocomplete },
              f.options.map(function (o) { return h("option", { value: o[0] }, o[1]); }))
          : h("input", { id: id, name: f.name, type: f.type || "text", required: true,
              autocomplete: f.autocomplete, inputmode: f.inputmode,
              value: (state[step.slug] || {})[f.name] || "" });
        return h("div", null, h("label", { for: id }, f.label), input);
      }), errors, h("button", { type: "submit", "data-testid": "continue" }, "Continue"));
      show(heading, form, h("aside", null, h("h2", null, "Order summary"), rows(cart)));
    });
  }

  function confirmation() {
    var order = JSON.parse(sessionStorage.getItem("nw_order") || "null");
    if (!order) { navigate("/"); return Promise.resolve(); }
    show(h("h1", null, "Thank you! Order " + order.number + " is confirmed."), h("p", null, "Total charged: " + order.total));
    return Promise.resolve();
  }

  function helpView() {
    show(h("h1", null, "Help & FAQ"),
      h("h2", null, "How long do I have to return something?"),
      h("p", null, "Returns are accepted within " + store.return_days + " days of delivery, free of charge."),
      h("h2", null, "How much is shipping?"),
      h("p", null, "Standard shipping is free on orders over " + store.threshold + "; otherwise $5.99."),
      h("h2", null, "How do I reach you?"),
      h("p", null, "Call ", h("a", { href: store.phone_tel }, store.phone_display), " (" + store.hours + ") or email ",
        h("a", { href: "mailto:" + store.email }, store.email), "."));
    if (store.faq_widget) {
      // the FAQ search widget's script is expected to have defined window.faqSearch
      setTimeout(function () { window.faqSearch.mount(app); }, 0);
    }
    return Promise.resolve();
  }

  function policyView() {
    show(h("h1", null, "Shipping & Returns"),
      h("p", null, "Free standard shipping on orders over " + store.threshold + ". Standard delivery takes 3–5 business days."),
      h("p", null, store.return_days + "-day free returns: send anything back within " + store.return_days + " days of delivery."));
    return Promise.resolve();
  }

  function contactView() {
    var thanks = h("p", { role: "status" });
    var form = h("form", { class: "step", "data-testid": "contact-form", onsubmit: function (e) {
      e.preventDefault(); thanks.textContent = "Thanks, we will reply within one business day.";
    } },
      h("label", { for: "c-name" }, "Your name"), h("input", { id: "c-name", name: "name", required: true }),
      h("label", { for: "c-email" }, "Email address"), h("input", { id: "c-email", name: "email", type: "email", required: true }),
      h("label", { for: "c-msg" }, "Message"), h("textarea", { id: "c-msg", name: "message", required: true }),
      h("p", null, h("button", { type: "submit" }, "Send message")));
    if (store.contact_autofill) {
      // an "autofill helper" that copies the email into the name field and clears the email
      form.elements.email.addEventListener("input", function () {
        form.elements.name.value = form.elements.email.value;
        form.elements.email.value = "";
      });
    }
    show(h("h1", null, "Contact us"),
      h("p", null, "Call ", h("a", { href: store.phone_tel, "data-testid": "contact-phone" }, store.phone_display), " · " + store.hours),
      h("p", null, "Email ", h("a", { href: "mailto:" + store.email }, store.email)), form, thanks);
    return Promise.resolve();
  }

  function notFound() {
    show(h("h1", null, "Sorry, we can't find that page"),
      h("p", null, "The page you were looking for does not exist."), routeLink("/", { class: "button" }, "Back to the shop"));
  }

  // ---- router ----------------------------------------------------------------

  function render() {
    var path = location.pathname.replace(/\/+$/, "") || "/";
    var m;
    if (!/^\/product\//.test(path)) { setJsonLd(null); }
    if (path === "/") { return home(); }
    if ((m = path.match(/^\/category\/([a-z-]+)$/))) { return category(m[1]); }
    if ((m = path.match(/^\/product\/([A-Za-z0-9-]+)$/))) { return product(m[1]); }
    if (path === "/cart") { return cartView(); }
    if ((m = path.match(/^\/checkout\/([a-z]+)$/))) { return checkout(m[1]); }
    if (path === "/order/confirmation") { return confirmation(); }
    if (path === "/help") { return helpView(); }
    if (path === "/contact") { return contactView(); }
    if (path === "/policies/shipping-returns") { return policyView(); }
    notFound();
    return Promise.resolve();
  }

  function chrome() {
    document.getElementById("nav").replaceChildren.apply(document.getElementById("nav"),
      store.categories.map(function (c) { return routeLink("/category/" + c.slug, { "data-testid": "nav-category" }, c.name); })
        .concat([routeLink("/help", null, "Help")]));
    document.getElementById("footer").replaceChildren(
      h("h2", null, "Customer service"),
      h("ul", { "data-testid": "footer-help" },
        h("li", null, routeLink(store.contact_route, { "data-testid": "footer-contact" }, "Contact us")),
        h("li", null, routeLink("/help", null, "Help & FAQ")),
        h("li", null, routeLink("/policies/shipping-returns", null, "Shipping & Returns")),
        h("li", null, "Call ", h("a", { href: store.phone_tel }, store.phone_display)),
        h("li", null, "Email ", h("a", { href: "mailto:" + store.email }, store.email))),
      h("p", null, store.hours + " · Free shipping on orders over " + store.threshold + " · " + store.return_days + "-day free returns"));
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-route]");
    if (!a || e.defaultPrevented) { return; }
    e.preventDefault();
    navigate(a.getAttribute("data-route"));
  });
  window.addEventListener("popstate", render);

  Promise.all([api("/api/store"), api("/api/cart")]).then(function (res) {
    store = res[0];
    setCartCount(res[1].count);
    chrome();
    return render();
  }).catch(function (err) {
    show(h("p", { class: "error", role: "alert" }, "The shop could not load: " + err.message));
  });
})();
