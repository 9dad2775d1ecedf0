/* The inbox: the filters are open on a wide screen and folded on a phone (the list comes first). */
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 720px)").matches) {
    panel.open = true;
  }
})();
