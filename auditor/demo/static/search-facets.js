/* Search facets for the results page (flawed store: reads a config object that is never defined). */
(function () {
  "use strict";
  var config = window.northwindSearchConfig;
  var facets = config.facets.map(function (f) { return f.label; });
  document.querySelector(".page-head").setAttribute("data-facets", facets.join(","));
})();
