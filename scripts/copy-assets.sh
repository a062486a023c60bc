#!/usr/bin/env bash
# Copy front-end packages from node_modules into network/static/vendor (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
v=network/static/vendor
rm -rf "$v"; mkdir -p "$v/kern/themes" "$v/htmx" "$v/swagger-ui"
cp -r node_modules/@kern-ux/native/dist/. "$v/kern/"
cp node_modules/@kern-ux/native/src/scss/themes/examples/bw.css "$v/kern/themes/bw.css"
cp node_modules/htmx.org/dist/htmx.min.js "$v/htmx/htmx.min.js"
# the API documentation at /api/v1/docs (Swagger UI; started by static/js/api-docs.js)
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE "$v/swagger-ui/"
echo "assets copied to $v"
