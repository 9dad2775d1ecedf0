/* Jiedao: small behaviour shared by every page. Loaded in <head>, before the page is drawn. */
(function () {
  "use strict";
  // Tell the stylesheet that scripts run, so that the phone menu may fold behind its button.
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) {
      return;
    }
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
