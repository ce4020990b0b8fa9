/* Marketing flash-sale banner (seeded defect "layout-shift-banner").
 * Injected at least 600 ms after load at the top of <main> with no space reserved for it,
 * so everything below jumps down.
 * Never sooner than 1.2 s after navigation start, nor 600 ms after load: Chrome's mobile
 * emulation records a synthetic input early in the load, and shifts within 500 ms of an
 * input are excluded from CLS (hadRecentInput), which would hide the defect. On a starved
 * machine the load event comes late, and a banner only 300 ms after it was sometimes
 * excluded on the tablet channel (benchmarks/README.md, bench_noise.py). */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var delay = Math.max(600, 1200 - performance.now());
    setTimeout(function () {
      var main = document.querySelector("main");
      if (!main) { return; }
      var banner = document.createElement("section");
      banner.className = "flash-sale";
      banner.setAttribute("data-testid", "flash-sale-banner");
      banner.innerHTML =
        "<p class=\"flash-kicker\">48-hour flash sale</p>" +
        "<p class=\"flash-title\">Up to 40% off tents &amp; sleeping bags</p>" +
        "<p class=\"flash-sub\">Ends Sunday at midnight. While stocks last.</p>" +
        "<a class=\"button\" href=\"/category/camping\">Shop the sale</a>";
      main.insertBefore(banner, main.firstChild);
    }, delay);
  });
})();
