#!/usr/bin/env bash
# Copy front-end packages from node_modules into network/static/vendor (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
v=network/static/vendor
rm -rf "$v"; mkdir -p "$v/kern/themes" "$v/htmx"
cp -r node_modules/@kern-ux/native/dist/. "$v/kern/"
cp node_modules/@kern-ux/native/src/scss/themes/examples/bw.css "$v/kern/themes/bw.css"
cp node_modules/htmx.org/dist/htmx.min.js "$v/htmx/htmx.min.js"
echo "assets copied to $v"
