/* Where Leaflet's default marker images are. Leaflet guesses it from the address of an image in
   leaflet.css, which fails once the static files carry a hash in their names (the manifest
   storage): the pin became a broken image. The addresses come from the page instead, from the
   data-* attributes of this script's tag (written by {% static %}), and the guess is switched
   off (an empty imagePath). Loaded right after leaflet.js by web/leaflet_scripts.html. */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!window.L || !tag) {
    return;
  }
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: tag.dataset.iconUrl,
    iconRetinaUrl: tag.dataset.iconRetinaUrl,
    shadowUrl: tag.dataset.shadowUrl
  });
})();
