/* Northwind Outfitters: progressive enhancement for the menu and the chat panel. */
(function () {
  "use strict";

  var toggle = document.querySelector('[data-testid="menu-toggle"]');
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
  }

  var launcher = document.querySelector('[data-testid="chat-launcher"]');
  function panel() { return document.getElementById("chat-panel"); }
  function setChat(open) {
    var p = panel();
    if (!p || !launcher) { return; }
    p.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      var close = p.querySelector("[data-chat-close]");
      if (close) { close.focus(); }
    } else {
      launcher.focus();
    }
  }
  if (launcher) {
    launcher.addEventListener("click", function () {
      var p = panel();
      setChat(!!p && p.hidden);
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-chat-close]")) { setChat(false); }
  });
  document.addEventListener("keydown", function (event) {
    var p = panel();
    if (event.key === "Escape" && p && !p.hidden) { setChat(false); }
  });
})();
