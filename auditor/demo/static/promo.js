/* Marketing flash-sale banner (seeded defect "layout-shift-banner").
 * Injected ~400 ms after load at the top of <main> with no space reserved for it,
 * so everything below jumps down.
 * The delay is never less than 0.9 s after navigation start: Chrome's mobile emulation
 * records a synthetic input early in the load, and shifts within 500 ms of an input
 * are excluded from CLS (hadRecentInput), which would hide the defect. */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var delay = Math.max(300, 900 - performance.now());
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
