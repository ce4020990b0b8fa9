// Storefront reading for `cx-audit init --from-url`: which visible controls play which
// part in a shopping journey. Runs in the page via page.evaluate(fn, {kind}); returns
// plain data only (selectors, names, scores and why), never acts on the page.
//
// Evidence, strongest first: schema.org (itemtype/JSON-LD Product), ARIA roles and
// accessible names, common shop platforms' markup (Shopify, WooCommerce, Magento),
// then URL paths and class/test-id words. Only visible, enabled controls are offered.
(args) => {
  const kind = args.kind;
  const origin = location.origin;
  const WORDS = {
    category: /\b(categor(y|ies)|collections?|departments?|shop all|catalog(ue)?)\b/i,
    product: /\bproduct(s)?\b/i,
    add: /\b(add to (cart|bag|basket|trolley)|add item|buy now)\b/i,
    cart: /\b(cart|basket|bag|trolley)\b/i,
    checkout: /\b(check ?out|proceed to checkout|secure checkout|go to checkout)\b/i,
    next: /\b(continue|next|proceed|review order|go to (payment|shipping|delivery|review)|save and continue|use this address|ship to this address)\b/i,
    place: /\b(place (your |my )?order|pay now|complete (order|purchase)|submit order|confirm (order|purchase|and pay)|order now|pay and place)\b/i,
    contact: /\b(contact|get in touch|customer service)\b/i,
    help: /\b(help|faq|faqs|support|questions)\b/i,
    returns: /\b(returns?|refunds?|exchanges?)\b/i,
    shipping: /\b(shipping|delivery)\b/i,
  };
  const PATHS = {
    category: /\/(collections?|categor(y|ies)|product-category|c|shop|catalog|department)(\/|$)/i,
    product: /\/(products?|p|item|dp)\/[^/]+|\.html$/i,
    cart: /\/(cart|basket|bag|checkout\/cart)\/?$/i,
    checkout: /\/checkout\/?$/i,
    contact: /contact/i,
    help: /\/(help|faq|faqs|support)/i,
    returns: /(returns?|refund)/i,
    shipping: /(shipping|delivery)/i,
  };
  // Platform conventions: selectors that mean the role on that platform.
  const PLATFORM = {
    category: ['a[href*="/collections/"]', '.product-category a', 'a.level-top', '.category-item a'],
    product: ['a[href*="/products/"]', 'a.woocommerce-LoopProduct-link', 'a.product-item-link', '.product-item-info a'],
    add: ['form[action*="/cart/add"] [type=submit]', 'button[name="add"]', '.single_add_to_cart_button', '#product-addtocart-button'],
    cart: ['a[href$="/cart"]', 'a.cart-contents', 'a.showcart', 'a[href*="/checkout/cart"]'],
    checkout: ['[name="checkout"]', 'a.checkout-button', '[data-role="proceed-to-checkout"]'],
    place: ['#place_order', 'button.checkout[title="Place Order"]'],
  };

  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
  };
  const name = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map((id) => document.getElementById(id)?.innerText || '').join(' ').trim();
      if (t) return t;
    }
    const text = (el.innerText || el.value || el.title || el.getAttribute('alt') || '').trim();
    return text.replace(/\s+/g, ' ').slice(0, 120);
  };
  const q = (s) => JSON.stringify(s);
  const unique = (sel) => {
    try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; }
  };
  const stableClasses = (el) =>
    [...el.classList].filter((c) => /^[a-z][\w-]{2,40}$/i.test(c) && !/(active|open|hover|focus|selected|current|is-|has-|js-|\d{3,})/i.test(c));
  // A selector for the *kind* of control (so the journey picks the first visible one),
  // from the most stable evidence available.
  const selectorFor = (el, preferText) => {
    const tag = el.tagName.toLowerCase();
    for (const attr of ['data-testid', 'data-test', 'data-qa', 'data-cy']) {
      const v = el.getAttribute(attr);
      if (v) return `[${attr}=${q(v)}]`;
    }
    if (el.id && !/\d{4,}/.test(el.id) && unique('#' + CSS.escape(el.id))) return '#' + CSS.escape(el.id);
    const nm = el.getAttribute('name');
    if (nm && /^(input|select|textarea|button)$/.test(tag)) return `${tag}[name=${q(nm)}]`;
    const href = el.getAttribute('href');
    if (tag === 'a' && href && href !== '#' && !href.startsWith('javascript:') && !preferText) return `a[href=${q(href)}]`;
    const label = name(el);
    if (label && label.length <= 60 && !/["\\\n]/.test(label)) {
      const role = el.getAttribute('role') || (tag === 'a' ? 'link' : (tag === 'button' || (tag === 'input' && /submit|button/.test(el.type)) ? 'button' : null));
      if (role === 'link' || role === 'button') return `role=${role}[name=${q(label)}]`;
    }
    const cls = stableClasses(el);
    if (cls.length) return tag + '.' + cls.slice(0, 2).map((c) => CSS.escape(c)).join('.');
    if (href && tag === 'a') return `a[href=${q(href)}]`;
    return null;
  };
  const clickable = 'a[href], button, [role=button], [role=link], input[type=submit], input[type=button], [onclick], [data-testid], [tabindex="0"]';
  const score = (el) => {
    const why = [];
    let s = 0;
    const text = name(el);
    const href = el.getAttribute('href') || '';
    let path = '';
    try { path = href ? new URL(href, location.href).pathname : ''; } catch (e) { path = ''; }
    const words = [el.className && String(el.className), el.getAttribute('data-testid'), el.id, el.getAttribute('name')].filter(Boolean).join(' ');
    if (WORDS[kind] && WORDS[kind].test(text)) { s += 3; why.push(`named ${q(text.slice(0, 40))}`); }
    if (PATHS[kind] && path && PATHS[kind].test(path)) {
      // a path that names the role outright is a convention of most shop platforms
      s += (kind === 'category' && /\/(categor(y|ies)|collections|product-category)\//i.test(path)) ? 3 : 2;
      why.push(`path ${path}`);
    }
    if (kind === 'product' || kind === 'category') {
      // the card around the link: <article class="product_pod">, <li class="product-item">
      let card = el.parentElement;
      for (let up = 0; card && up < 4; up += 1, card = card.parentElement) {
        const words2 = [String(card.className || ''), card.getAttribute('data-testid') || ''].join(' ').replace(/[-_]/g, ' ').trim();
        if (WORDS[kind].test(words2) && !/\b(list|grid|carousel|categories|products)\b$/i.test(words2)) {
          s += 2; why.push(`inside a ${kind} card (${words2.slice(0, 30)})`);
          if (kind === 'product' && /[$€£¥]\s?\d|\d[.,]\d\d\s?[$€£¥]?/.test(card.innerText || '')) { s += 1; why.push('the card shows a price'); }
          break;
        }
      }
    }
    if (WORDS[kind] && WORDS[kind].test(words.replace(/[-_]/g, ' '))) { s += 2; why.push(`class/test id ${q(words.slice(0, 40))}`); }
    if ((PLATFORM[kind] || []).some((p) => { try { return el.matches(p); } catch (e) { return false; } })) { s += 3; why.push('shop-platform markup'); }
    if (kind === 'product' && el.closest('[itemtype*="schema.org/Product"]')) { s += 3; why.push('schema.org Product'); }
    if (kind === 'product' && el.querySelector('img') && /[$€£¥]\s?\d|\d[.,]\d\d/.test(el.closest('li,article,div')?.innerText || '')) { s += 1; why.push('card with image and price'); }
    if (kind === 'category' && el.querySelector('img')) { s += 1; why.push('tile with image'); }
    if ((kind === 'category' || kind === 'product') && el.closest('nav, header, footer, [role=navigation]')) { s -= 1; }
    if (kind === 'cart' && el.closest('header, nav, [role=banner]')) { s += 1; why.push('in the header'); }
    if (kind === 'cart' && WORDS.checkout.test(text)) s -= 3;
    if (kind === 'cart' && WORDS.add.test(text)) s -= 5;
    if (kind === 'category' && PATHS.product.test(path)) s -= 2;
    if (kind === 'product' && PATHS.category.test(path)) s -= 2;
    if (href && !href.startsWith('#') && !href.startsWith('javascript:')) {
      try { if (new URL(href, location.href).origin !== origin) s -= 10; } catch (e) { s -= 10; }
    }
    return { s, why };
  };
  const seen = new Set();
  const out = [];
  const forKinds = ['contact', 'help', 'returns', 'shipping'].includes(kind);
  for (const el of document.querySelectorAll(clickable)) {
    if (!visible(el) && !forKinds) continue;
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') {
      if (kind !== 'place') continue;
    }
    // the innermost clickable only: a card's <a> rather than the <div onclick> around it
    if (el.querySelector('a[href], button') && !el.matches('a[href], button')) continue;
    const { s, why } = score(el);
    if (s < 3) continue;
    const sel = selectorFor(el, ['add', 'next', 'place', 'checkout'].includes(kind));
    if (!sel || seen.has(sel)) continue;
    seen.add(sel);
    let href = null;
    try { href = el.getAttribute('href') ? new URL(el.getAttribute('href'), location.href).href : null; } catch (e) { href = null; }
    out.push({ selector: sel, name: name(el).slice(0, 80), href, score: s, why, disabled: !!el.disabled, hidden: !visible(el) });
  }
  out.sort((a, b) => b.score - a.score);
  return out.slice(0, 12);
}
