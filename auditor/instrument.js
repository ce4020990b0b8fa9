// cx-auditor page instrumentation: injected before any page script runs.
// It only observes: buffered PerformanceObservers for paint, LCP, layout
// shifts, long tasks and Event Timing, plus listeners that time the journey's
// own interactions, a MutationObserver and a pass-through wrapper of
// history.pushState/replaceState that notes URL changes (soft navigations).
// Nothing here changes what the page does or shows.
(() => {
  if (window.__cx) return;
  const cx = (window.__cx = {
    fcp: null, lcp: null, lcpEl: null, lcpUrl: null,
    shifts: [], longtasks: [], events: [], fallback: [],
    lastEntryAt: 0, loadAt: null, ignoreInput: false, doc: Math.random().toString(36).slice(2),
  });
  const touch = () => { cx.lastEntryAt = performance.now(); };
  const describe = (node) => {
    try {
      if (!node || node.nodeType !== 1) node = node && node.parentElement;
      if (!node) return "";
      const tid = node.getAttribute("data-testid");
      if (tid) return `${node.tagName.toLowerCase()}[data-testid="${tid}"]`;
      if (node.id) return `${node.tagName.toLowerCase()}#${node.id}`;
      const cls = (node.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 2);
      const own = node.tagName.toLowerCase() + (cls.length ? "." + cls.join(".") : "");
      const parent = node.parentElement;
      if (parent && parent !== document.body && parent !== document.documentElement) {
        const p = parent.id ? `#${parent.id}` : parent.tagName.toLowerCase();
        return `${p} > ${own}`;
      }
      return own;
    } catch (e) { return ""; }
  };
  const observe = (type, fn, extra) => {
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) fn(e); touch(); })
        .observe(Object.assign({ type, buffered: true }, extra || {}));
    } catch (e) { /* entry type unsupported: the metric stays "not measured" */ }
  };
  observe("paint", (e) => { if (e.name === "first-contentful-paint") cx.fcp = e.startTime; });
  observe("largest-contentful-paint", (e) => {
    cx.lcp = e.startTime; cx.lcpEl = describe(e.element); cx.lcpUrl = e.url || null;
  });
  observe("layout-shift", (e) => {
    if (e.hadRecentInput) return;
    cx.shifts.push({
      value: e.value, time_ms: e.startTime,
      sources: (e.sources || []).map((s) => describe(s.node)).filter(Boolean).slice(0, 5),
    });
  });
  observe("longtask", (e) => { cx.longtasks.push({ start: e.startTime, duration: e.duration }); });
  observe("event", (e) => {
    if (!e.interactionId || cx.ignoreInput) return;
    cx.events.push({ kind: e.name, target: describe(e.target), duration_ms: e.duration, start: e.startTime });
  }, { durationThreshold: 16 });
  observe("resource", () => {});
  window.addEventListener("load", () => { cx.loadAt = performance.now(); touch(); });

  // Clicks that navigate away unload the page before Event Timing reports, so
  // time input delay + processing here (window bubble phase runs after the
  // target's handlers) and keep it in sessionStorage for the next page.
  const KEY = "__cx_pending_interactions";

  // ---- Soft navigations (after Chrome's soft-navigation heuristics) ----------------------
  // A trusted click or key press, then a URL change through pushState/replaceState or the
  // hash, with a DOM change attributable to that input, starts a new page visit: its
  // LCP, CLS, INP and TBT windows restart at the input's processing end (Chrome 122+).
  // LCP there is approximated without the experimental API: the largest text block or
  // image the input added to the viewport, timed at the animation frame after it
  // rendered (images: after they loaded). TTFB and FCP do not apply to such a visit.
  cx.softNavs = [];
  cx.url = location.href;
  let input = null; // the latest trusted input: {start, end, mutatedAt, best, seen}
  const candidate = (el) => {
    if (!el || el.nodeType !== 1 || !input || input.seen.has(el)) return;
    const tag = el.tagName;
    const own = tag === "IMG" || tag === "VIDEO" || tag === "svg" ||
      Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) return;
    input.seen.add(el);
    const target = input;
    const measure = () => requestAnimationFrame(() => {
      if (!el.isConnected || !visible(el)) return;
      const r = el.getBoundingClientRect();
      const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
      const hh = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
      const area = w * hh;
      if (area > 0 && (!target.best || area > target.best.area)) {
        target.best = { area, time: performance.now(), el: describe(el), url: el.currentSrc || null };
      }
    });
    if (tag === "IMG" && !(el.complete && el.naturalWidth)) {
      el.addEventListener("load", measure, { once: true });
    } else measure();
  };
  try {
    new MutationObserver((records) => {
      cx.lastMutation = performance.now();
      if (!input) return;
      let budget = 400;
      for (const m of records) {
        if (m.target === document.head || (m.target.closest && m.target.closest("head"))) continue;
        input.mutatedAt = input.mutatedAt || performance.now();
        if (m.type === "characterData") { candidate(m.target.parentElement); continue; }
        if (m.type === "attributes") { input.seen.delete(m.target); candidate(m.target); continue; }
        for (const n of m.addedNodes) {
          if (budget <= 0) break;
          if (n.nodeType === 3) { candidate(n.parentElement); budget--; continue; }
          if (n.nodeType !== 1) continue;
          candidate(n); budget--;
          for (const d of n.querySelectorAll("*")) { if (budget-- <= 0) break; candidate(d); }
        }
      }
      const nav = cx.softNavs[cx.softNavs.length - 1];
      if (nav && nav.input === input && !nav.confirmed) nav.confirmed = true;
    }).observe(document, { childList: true, subtree: true, characterData: true,
                           attributes: true, attributeFilter: ["src", "srcset"] }); // a late image source
  } catch (e) { /* no MutationObserver: soft navigations stay unconfirmed */ }
  const urlChanged = () => {
    const href = location.href;
    if (href === cx.url) return;
    cx.url = href;
    // Without a recent input it is a redirect or a state update, not a navigation.
    if (!input || input.used || performance.now() - input.start > 10000) return;
    input.used = true;
    cx.softNavs.push({
      url: href, input, start: input.end !== null ? input.end : performance.now(),
      open: input.end === null, confirmed: input.mutatedAt !== null,
    });
  };
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    if (typeof original !== "function") continue;
    history[name] = function () {
      const out = original.apply(this, arguments);
      try { urlChanged(); } catch (e) {}
      return out;
    };
  }
  window.addEventListener("hashchange", urlChanged);
  window.addEventListener("popstate", urlChanged);
  for (const type of ["click", "keydown"]) {
    window.addEventListener(type, (ev) => {
      if (cx.ignoreInput || !ev.isTrusted) return;
      if (input && input.start === ev.timeStamp) return; // one input, several listeners
      input = { start: ev.timeStamp, end: null, mutatedAt: null, best: null, seen: new WeakSet(), used: false };
    }, true);
  }

  for (const type of ["click", "keydown"]) {
    window.addEventListener(type, (ev) => {
      if (cx.ignoreInput || !ev.isTrusted) return;
      const rec = {
        kind: type, target: describe(ev.target),
        duration_ms: performance.now() - ev.timeStamp, start: ev.timeStamp, url: location.href, doc: cx.doc,
      };
      cx.fallback.push(rec);
      if (input && input.start === ev.timeStamp && input.end === null) {
        input.end = performance.now(); // processing end: the page's own handlers have run
        const nav = cx.softNavs[cx.softNavs.length - 1];
        if (nav && nav.input === input && nav.open) { nav.start = input.end; nav.open = false; }
      }
      try {
        const list = JSON.parse(sessionStorage.getItem(KEY) || "[]");
        list.push(rec);
        sessionStorage.setItem(KEY, JSON.stringify(list.slice(-50)));
      } catch (e) { /* storage disabled */ }
    }, false);
  }

  const clsOf = (shifts) => {
    // Session windows: shifts less than 1 s apart, window at most 5 s; CLS is the largest window.
    let best = 0, cur = 0, first = null, prev = null;
    for (const s of shifts) {
      if (prev !== null && (s.time_ms - prev > 1000 || s.time_ms - first > 5000)) { cur = 0; first = null; }
      if (first === null) first = s.time_ms;
      cur += s.value; prev = s.time_ms;
      if (cur > best) best = cur;
    }
    return best;
  };

  // Where the soft navigation k (null = the document's own load) starts and ends.
  const windowOf = (k) => {
    const next = cx.softNavs[k === null || k === undefined ? 0 : k + 1];
    const own = k === null || k === undefined ? null : cx.softNavs[k];
    return { from: own ? own.start : 0, to: next ? next.start : Infinity, soft: own };
  };
  // For the dwell after a soft navigation: time since the DOM last changed, and images in
  // view still loading (a late image is exactly what shifts a view after it rendered).
  cx.lastMutation = 0;
  cx.quiet = () => ({
    quiet_ms: performance.now() - cx.lastMutation,
    loading: Array.from(document.images).filter((i) => !i.complete && visible(i) &&
      i.getBoundingClientRect().top < innerHeight).length,
  });
  cx.state = () => ({ doc: cx.doc, soft: cx.softNavs.length, now: performance.now(), url: location.href,
                      confirmed: cx.softNavs.map((n) => n.confirmed) });

  // k: index of a soft navigation (null: the page load); since: drop interactions before it (ms).
  cx.metrics = (k, since) => {
    const win = windowOf(k);
    const inWin = (t) => t >= win.from && t < win.to && (since === null || since === undefined || t >= since);
    if (win.soft) return softMetrics(win, inWin);
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource").filter((r) => r.startTime < win.to);
    const origin = location.origin;
    const rows = resources.slice(0, 400).map((r) => ({
      url: r.name,
      type: ({ img: "image", script: "script", css: "stylesheet", link: "stylesheet", fetch: "fetch",
               xmlhttprequest: "xhr", font: "font", other: "other" })[r.initiatorType] ||
            (/\.(woff2?|ttf|otf)(\?|$)/.test(r.name) ? "font" : r.initiatorType || "other"),
      status: r.responseStatus || null,
      transfer_bytes: Math.round(r.transferSize || 0),
      duration_ms: Math.round(r.duration * 10) / 10,
      third_party: !r.name.startsWith(origin),
    }));
    const fcp = cx.fcp;
    let tbt = null;
    if (fcp !== null) {
      tbt = 0;
      for (const t of cx.longtasks.filter((x) => x.start < win.to)) {
        const start = Math.max(t.start, fcp);
        const end = t.start + t.duration;
        if (end - start > 50) tbt += end - start - 50;
      }
    }
    let pending = [];
    try {
      // Records made by this document are already in cx.fallback; hand back only earlier pages'.
      const all = JSON.parse(sessionStorage.getItem(KEY) || "[]");
      pending = all.filter((r) => r.doc !== cx.doc);
      sessionStorage.setItem(KEY, JSON.stringify(all.filter((r) => r.doc === cx.doc)));
    } catch (e) {}
    return {
      navigated: !!nav,
      status: nav ? (nav.responseStatus || null) : null,
      ttfb_ms: nav ? Math.max(0, nav.responseStart - (nav.activationStart || 0)) : null,
      dom_content_loaded_ms: nav && nav.domContentLoadedEventEnd ? nav.domContentLoadedEventEnd : null,
      load_ms: nav && nav.loadEventEnd ? nav.loadEventEnd : null,
      doc_bytes: nav ? Math.round(nav.transferSize || 0) : 0,
      fcp_ms: fcp, lcp_ms: cx.lcp, lcp_element: cx.lcpEl, lcp_url: cx.lcpUrl,
      cls: nav ? clsOf(cx.shifts.filter((x) => x.time_ms < win.to)) : null,
      shifts: cx.shifts.filter((x) => x.time_ms < win.to).slice(0, 50),
      tbt_ms: tbt, long_tasks: cx.longtasks.filter((x) => x.start < win.to).length,
      events: cx.events.filter((x) => inWin(x.start)).slice(0, 100),
      fallback: cx.fallback.filter((x) => inWin(x.start)).slice(0, 100),
      pending, resources: rows,
    };
  };

  const resourceRows = (list) => list.slice(0, 400).map((r) => ({
    url: r.name,
    type: ({ img: "image", script: "script", css: "stylesheet", link: "stylesheet", fetch: "fetch",
             xmlhttprequest: "xhr", font: "font", other: "other" })[r.initiatorType] ||
          (/\.(woff2?|ttf|otf)(\?|$)/.test(r.name) ? "font" : r.initiatorType || "other"),
    status: r.responseStatus || null,
    transfer_bytes: Math.round(r.transferSize || 0),
    duration_ms: Math.round(r.duration * 10) / 10,
    third_party: !r.name.startsWith(location.origin),
  }));

  // A soft navigation's own windows: everything is measured from its start, nothing inherited.
  const softMetrics = (win, inWin) => {
    const from = win.from;
    const best = win.soft.input.best;
    const shifts = cx.shifts.filter((x) => x.time_ms >= from && x.time_ms < win.to);
    let tbt = 0;
    const tasks = cx.longtasks.filter((t) => t.start + t.duration > from && t.start < win.to);
    for (const t of tasks) {
      const span = t.start + t.duration - Math.max(t.start, from);
      if (span > 50) tbt += span - 50;
    }
    return {
      navigated: false, soft: true, confirmed: win.soft.confirmed, status: null,
      ttfb_ms: null, fcp_ms: null, dom_content_loaded_ms: null, load_ms: null, doc_bytes: 0,
      lcp_ms: best ? Math.max(0, best.time - from) : null,
      lcp_element: best ? best.el : null, lcp_url: best ? best.url : null,
      cls: clsOf(shifts),
      shifts: shifts.map((x) => Object.assign({}, x, { time_ms: x.time_ms - from })).slice(0, 50),
      tbt_ms: tbt, long_tasks: tasks.length,
      events: cx.events.filter((x) => inWin(x.start)).slice(0, 100),
      fallback: cx.fallback.filter((x) => inWin(x.start)).slice(0, 100),
      pending: [],
      resources: resourceRows(performance.getEntriesByType("resource")
        .filter((r) => r.startTime >= from && r.startTime < win.to)),
    };
  };

  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    if (typeof el.checkVisibility === "function") {
      return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const accName = (el) => (el.getAttribute("aria-label") || el.innerText || el.textContent ||
                           el.getAttribute("title") || "").replace(/\s+/g, " ").trim().slice(0, 200);
  const CHAT_VENDORS = [
    ["intercom", /intercom/i], ["zendesk", /zopim|zendesk|zdassets/i], ["drift", /drift/i],
    ["livechat", /livechatinc|livechat/i], ["tawk", /tawk\.to/i], ["crisp", /crisp\.chat/i],
    ["freshchat", /freshchat|freshworks/i], ["hubspot", /hubspot|hs-scripts/i], ["olark", /olark/i],
    ["tidio", /tidio/i], ["gorgias", /gorgias/i], ["salesforce", /embeddedservice|salesforceliveagent/i],
  ];

  cx.content = () => {
    const linkRows = [];
    let order = 0;
    for (const a of document.querySelectorAll("a[href], area[href]")) {
      const raw = a.getAttribute("href") || "";
      if (!raw || raw.startsWith("#") && raw.length === 1) continue;
      const href = /^(tel|mailto|sms):/i.test(raw) ? raw : a.href;
      const inHeader = a.closest("header, nav, [role=banner], [role=navigation]");
      const inFooter = a.closest("footer, [role=contentinfo]");
      const vis = visible(a);
      let place = "main";
      if (inFooter) place = "footer";
      else if (inHeader) place = vis ? (a.closest("nav, [role=navigation]") ? "nav" : "header") : "menu";
      linkRows.push({ href, text: accName(a), rel: a.getAttribute("rel") || "", location: place, visible: vis,
                      order: order++ });
      if (linkRows.length >= 1500) break;
    }
    const fields = [];
    for (const el of document.querySelectorAll("input, select, textarea")) {
      const type = (el.getAttribute("type") || el.tagName).toLowerCase();
      if (["hidden", "submit", "button", "image", "reset"].includes(type)) continue;
      if (!visible(el) && !(type === "radio" || type === "checkbox")) continue;
      let label = "";
      if (el.id) {
        const l = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
        if (l) label = l.innerText;
      }
      if (!label && el.closest("label")) label = el.closest("label").innerText;
      label = (label || el.getAttribute("aria-label") || el.getAttribute("placeholder") || "")
        .replace(/\s+/g, " ").trim().slice(0, 120);
      fields.push({ name: el.getAttribute("name") || el.id || "", type, label,
                    required: el.required || el.getAttribute("aria-required") === "true",
                    visible: visible(el) });
    }
    const widgets = {};
    const scripts = Array.from(document.querySelectorAll("script[src], iframe[src]")).map((s) => s.src).join(" ");
    for (const [name, re] of CHAT_VENDORS) { if (re.test(scripts)) { widgets.chat_vendor = name; break; } }
    const launcher = Array.from(document.querySelectorAll(
      "[data-testid*=chat i], [aria-label*=chat i], [class*=chat i], [id*=chat i], button, a[role=button]"
    )).find((el) => {
      if (!visible(el) || !(el.matches("button, a, [role=button], [tabindex]"))) return false;
      const name = (accName(el) + " " + (el.id || "") + " " + (el.getAttribute("data-testid") || "")).toLowerCase();
      return /\b(live )?chat\b|message us|talk to us/.test(name);
    });
    if (launcher) widgets.chat_launcher = describe(launcher);
    const toggle = Array.from(document.querySelectorAll("button[aria-controls], button[aria-expanded], [data-testid*=menu i]"))
      .find((el) => visible(el) && /menu|navigation|☰/i.test(accName(el) + (el.getAttribute("data-testid") || "")));
    if (toggle) widgets.menu_toggle = describe(toggle);
    return {
      title: document.title || "",
      text: (document.body ? document.body.innerText : "").slice(0, 200000),
      links: linkRows, fields, widgets,
    };
  };

  // Click a chat launcher and report whether something opened (dialog, panel, iframe).
  cx.probeChat = async (selector) => {
    const el = document.querySelector(selector);
    if (!el) return { clicked: false, opened: false, detail: "launcher not found" };
    const candidates = () => Array.from(document.querySelectorAll(
      "[role=dialog], dialog, iframe, [aria-modal=true], [class*=chat i], [id*=chat i], [data-testid*=chat i]"
    )).filter((n) => n !== el && !n.contains(el) && visible(n));
    const before = new Set(candidates());
    const expandedBefore = el.getAttribute("aria-expanded");
    cx.ignoreInput = true;
    el.click();
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const fresh = candidates().filter((n) => !before.has(n));
      if (fresh.length) {
        return { clicked: true, opened: true, detail: `opened ${describe(fresh[0])}` };
      }
      if (el.getAttribute("aria-expanded") === "true" && expandedBefore !== "true") {
        return { clicked: true, opened: true, detail: "launcher reports aria-expanded=true" };
      }
    }
    cx.ignoreInput = false;
    return { clicked: true, opened: false, detail: "nothing became visible within 600 ms of the click" };
  };
})();
