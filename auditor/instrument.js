// cx-auditor page instrumentation: injected before any page script runs.
// It only observes: buffered PerformanceObservers for paint, LCP, layout
// shifts, long tasks and Event Timing, plus listeners that time the journey's
// own interactions. Nothing here changes the page.
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
  for (const type of ["click", "keydown"]) {
    window.addEventListener(type, (ev) => {
      if (cx.ignoreInput || !ev.isTrusted) return;
      const rec = {
        kind: type, target: describe(ev.target),
        duration_ms: performance.now() - ev.timeStamp, start: ev.timeStamp, url: location.href, doc: cx.doc,
      };
      cx.fallback.push(rec);
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

  cx.metrics = () => {
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
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
      for (const t of cx.longtasks) {
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
      cls: nav ? clsOf(cx.shifts) : null,
      shifts: cx.shifts.slice(0, 50),
      tbt_ms: tbt, long_tasks: cx.longtasks.length,
      events: cx.events.slice(0, 100), fallback: cx.fallback.slice(0, 100),
      pending, resources: rows,
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
