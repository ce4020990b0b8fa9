/* "You may also like" on the cart page, loaded from the store's own API. */
(function () {
  "use strict";
  fetch("/api/recommendations", { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) { throw new Error("recommendations: HTTP " + r.status); }
      return r.json();
    })
    .then(function (items) {
      var list = document.createElement("ul");
      list.className = "recommendations";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "/product/" + encodeURIComponent(item.sku);
        a.textContent = item.name;
        li.appendChild(a);
        list.appendChild(li);
      });
      document.querySelector("main").appendChild(list);
    })
    .catch(function () { /* the cart works without recommendations */ });
})();
