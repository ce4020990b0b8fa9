/* cx-auditor step-effects recorder: page-side code (see auditor/step_effects.py).
 * Each section starts at a line beginning with the marker "//==" and a name; it holds one expression. Never changes the DOM. */
//== install
(() => {
  if (window.__cxFx) return;
  const fx = { doc: Math.random().toString(36).slice(2) + Date.now().toString(36), mutations: 0 };
  Object.defineProperty(window, "__cxFx", { value: fx, enumerable: false });
  const start = () => {
    try {
      new MutationObserver((records) => {
        for (const m of records) {
          if (m.type === "childList") fx.mutations += m.addedNodes.length + m.removedNodes.length;
          else fx.mutations += 1;
        }
      }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
    } catch (e) { /* no document element yet */ }
  };
  if (document.documentElement) start();
  else document.addEventListener("readystatechange", start, { once: true });
})();
//== snapshot
(args) => {
  const lookFor = args && args.lookFor;
  const fx = window.__cxFx || { doc: "", mutations: 0 };
  const vis = (el) => {
    if (!el || !el.getClientRects().length) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none";
  };
  const clean = (t, n) => (t || "").replace(/\s+/g, " ").trim().slice(0, n || 160);
  const products = [];
  for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const walk = (o) => {
        if (!o || typeof o !== "object") return;
        if (Array.isArray(o)) { o.forEach(walk); return; }
        const t = [].concat(o["@type"] || []);
        if (t.includes("Product") && o.name) products.push(clean(String(o.name)));
        if (o["@graph"]) walk(o["@graph"]);
      };
      walk(JSON.parse(s.textContent));
    } catch (e) { /* invalid JSON-LD is another check's business */ }
  }
  for (const el of document.querySelectorAll('[itemtype*="schema.org/Product"] [itemprop="name"]')) {
    products.push(clean(el.content || el.textContent));
  }
  const h1 = Array.from(document.querySelectorAll("h1")).find(vis);
  const heading = h1 ? clean(h1.innerText) : "";
  const ogType = (document.querySelector('meta[property="og:type"]') || {}).content || "";
  const isProductPage = products.length > 0 || /product/i.test(ogType)
    || Array.from(document.querySelectorAll('button, input[type="submit"], [role="button"]')).some(
      (b) => vis(b) && /add(ed)?\s*to\s*(cart|bag|basket|trolley)|buy\s*now/i.test(b.innerText || b.value || ""));
  // cart count: a visible badge near a cart/basket link, else a number in the link's name
  let cart = null;
  const badgeSel = '[data-testid*="cart-count" i], [data-cart-count], [class*="cart-count" i], [class*="cartcount" i], '
    + '[id*="cart-count" i], [class*="basket-count" i], [class*="cart" i] [class*="count" i], [class*="cart" i] [class*="badge" i]';
  for (const el of document.querySelectorAll(badgeSel)) {
    if (!vis(el) && !el.closest("header, nav")) continue;
    const m = (el.textContent || "").match(/\d+/);
    if (m) { cart = parseInt(m[0], 10); break; }
  }
  if (cart === null) {
    for (const a of document.querySelectorAll('a[href*="cart" i], a[href*="basket" i], a[href*="bag" i], [aria-label*="cart" i]')) {
      const m = ((a.getAttribute("aria-label") || "") + " " + (a.textContent || "")).match(/\b(\d{1,3})\b/);
      if (m) { cart = parseInt(m[1], 10); break; }
    }
  }
  const fields = {};
  const controls = document.querySelectorAll("input, select, textarea");
  controls.forEach((el, i) => {
    const type = (el.type || "").toLowerCase();
    if (["hidden", "submit", "button", "image", "reset", "file"].includes(type)) return;
    const key = el.id ? "#" + el.id : (el.name ? el.tagName.toLowerCase() + "[name=" + el.name + "]" : el.tagName.toLowerCase() + ":" + i);
    fields[key] = (type === "checkbox" || type === "radio") ? String(el.checked) : String(el.value || "");
  });
  const messages = [];
  for (const el of document.querySelectorAll('[role="alert"], [aria-live="assertive"], .error, .field-error, [class*="error-message" i], [aria-invalid="true"] + *')) {
    if (!vis(el)) continue;
    const t = clean(el.innerText, 200);
    if (t && !messages.includes(t)) messages.push(t);
    if (messages.length >= 5) break;
  }
  // a submission the browser blocked by constraint validation focuses the first invalid field
  const active = document.activeElement;
  if (active && active.matches && active.matches(":invalid") && active.validationMessage && messages.length < 5) {
    messages.push(clean(active.validationMessage, 200));
  }
  let found = null;
  if (lookFor) {
    const norm = (t) => (t || "").toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    found = norm(document.body ? document.body.innerText : "").includes(norm(lookFor));
  }
  return { doc: fx.doc, mutations: fx.mutations, url: location.href, title: clean(document.title),
           heading, products, isProductPage, cart, fields, messages, found };
}
//== target
(el) => {
  const clean = (t) => (t || "").replace(/\s+/g, " ").trim().slice(0, 160);
  const card = el.closest('[itemtype*="Product"], [class*="product" i], [data-testid*="product" i], [class*="card" i], li, article') || el;
  const named = card.querySelector('[itemprop="name"], [class*="name" i], [class*="title" i], h2, h3, h4');
  let name = clean(named && named.innerText);
  if (!name) name = clean(el.getAttribute("aria-label") || el.innerText || el.value || el.getAttribute("title") || el.getAttribute("alt"));
  name = name.split(" | ")[0];
  const blob = [el.innerText, el.value, el.getAttribute("aria-label"), el.getAttribute("data-testid"), el.id, el.className, el.name]
    .filter(Boolean).join(" ");
  const link = el.closest("a[href]");
  const productish = !!el.closest('[itemtype*="Product"], [class*="product" i], [data-testid*="product" i]')
    || (link && /\/(product|products|p|item|dp)\//i.test(link.getAttribute("href") || ""));
  const key = el.id ? "#" + el.id : (el.name ? el.tagName.toLowerCase() + "[name=" + el.name + "]" : null);
  return { name, blob: clean(blob), isLink: !!link || el.getAttribute("role") === "link", productish, key };
}
//== images
(limit) => {
  const clean = (t) => (t || "").replace(/\s+/g, " ").trim().slice(0, 160);
  const pageProduct = (() => {
    const h1 = document.querySelector("h1");
    return h1 ? clean(h1.innerText) : null;
  })();
  const out = [];
  for (const img of Array.from(document.images).slice(0, limit)) {
    const src = img.currentSrc || img.src;
    if (!src || src.startsWith("data:") && src.length > 200) { if (!src) continue; }
    const r = img.getBoundingClientRect();
    const cs = getComputedStyle(img);
    const attrs = img.hasAttribute("width") && img.hasAttribute("height");
    const ratio = cs.aspectRatio && cs.aspectRatio !== "auto";
    const styled = img.style.width && img.style.height;
    const card = img.closest('[itemtype*="Product"], [class*="product-card" i], [data-testid*="product" i], [class*="card" i], li, article');
    let product = null;
    if (card) {
      const n = card.querySelector('[itemprop="name"], [class*="name" i], [class*="title" i], h2, h3, h4');
      product = clean(n ? n.innerText : (img.alt || "")) || null;
    } else if (img.closest('[class*="product" i], main') && r.width >= 200) {
      product = clean(img.alt) || pageProduct;
    }
    const cls = (typeof img.className === "string" && img.className) ? "." + img.className.trim().split(/\s+/).join(".") : "";
    out.push({ src: src.slice(0, 300), natural_width: img.naturalWidth, natural_height: img.naturalHeight,
               rendered_width: Math.round(r.width), rendered_height: Math.round(r.height), complete: img.complete,
               has_dimensions: !!(attrs || ratio || styled), visible: r.width > 0 && r.height > 0 && cs.visibility !== "hidden",
               product, selector: "img" + (img.id ? "#" + img.id : "") + cls });
  }
  return out;
}
