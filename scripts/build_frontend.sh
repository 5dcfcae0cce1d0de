#!/usr/bin/env bash
# Vendor the web app's front-end files from npm (exact versions in package-lock.json) into
# src/healthgap/web/static/vendor/, which is git-ignored. The app never loads anything from a CDN.
#   nhsuk-frontend -> vendor/nhsuk/   (CSS, JS module, images; the NHS.UK Frutiger web font is
#                                      hosted on assets.nhs.uk, so its @font-face rules are
#                                      dropped and the font stack falls back to Arial)
#   htmx.org       -> vendor/htmx/
#   maplibre-gl    -> vendor/maplibre/ (the CSP build: its worker is a separate same-origin file)
#   axe-core       -> vendor/axe/      (used by the accessibility tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=src/healthgap/web/static/vendor

if [ "${1:-}" != "--no-install" ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi

rm -rf "$out"
mkdir -p "$out"/nhsuk "$out"/htmx "$out"/maplibre "$out"/axe

nhs=node_modules/nhsuk-frontend/dist/nhsuk
cp "$nhs"/nhsuk-frontend.min.js "$nhs"/nhsuk-frontend.min.js.map "$out"/nhsuk/
cp -R "$nhs"/assets "$out"/nhsuk/assets
# Image URLs in the CSS are absolute (/assets/...): make them relative to the CSS file, and drop
# the @font-face rules that point at assets.nhs.uk (blocked by our Content-Security-Policy).
node -e '
  const fs = require("fs");
  const [src, dest] = process.argv.slice(1);
  let css = fs.readFileSync(src, "utf8");
  css = css.replace(/@font-face\{[^}]*assets\.nhs\.uk[^}]*\}/g, "");
  css = css.replace(/url\(\/assets\//g, "url(assets/");
  css = css.replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
  if (/https?:\/\//.test(css.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, ""))) {
    console.error("build_frontend: nhsuk-frontend CSS still refers to another origin");
    process.exit(1);
  }
  fs.writeFileSync(dest, css);
' "$nhs"/nhsuk-frontend.min.css "$out"/nhsuk/nhsuk-frontend.min.css

cp node_modules/htmx.org/dist/htmx.min.js "$out"/htmx/
cp node_modules/maplibre-gl/dist/maplibre-gl-csp.js node_modules/maplibre-gl/dist/maplibre-gl-csp-worker.js \
   node_modules/maplibre-gl/dist/maplibre-gl.css "$out"/maplibre/
cp node_modules/axe-core/axe.min.js "$out"/axe/
for pkg in nhsuk-frontend htmx.org maplibre-gl axe-core; do
  node -p "require('$root/node_modules/$pkg/package.json').version" | sed "s/^/$pkg /"
done > "$out"/VERSIONS
echo "build_frontend: vendored into $out:"
cat "$out"/VERSIONS
