#!/usr/bin/env bash
# Copy the front-end libraries from node_modules into the project's static files, so that pages
# load them from our own server (government intranets have no internet, so no CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=jiedao/web/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/htmx" "$vendor/leaflet" "$vendor/leaflet.markercluster" "$vendor/echarts"
cp node_modules/htmx.org/dist/htmx.min.js "$vendor/htmx/"
# leaflet.js names its source map; the manifest storage of collectstatic needs it present.
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
  node_modules/leaflet/dist/leaflet.css "$vendor/leaflet/"
cp -r node_modules/leaflet/dist/images "$vendor/leaflet/"
# Marker clustering for the maps with many points (the same source map rule as leaflet.js).
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
  node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
  node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$vendor/leaflet.markercluster/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/leaflet.markercluster/LICENSE"
cp node_modules/echarts/dist/echarts.min.js "$vendor/echarts/"
for package in htmx.org leaflet echarts; do
  cp "node_modules/$package/LICENSE" "$vendor/${package%%.*}/LICENSE" 2>/dev/null || true
done
