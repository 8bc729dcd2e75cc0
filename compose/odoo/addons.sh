#!/bin/sh
# One-shot (the odoo-addons service, at every `up`, before odoo-init and Odoo): the addons Odoo runs,
# assembled in the `addons` volume from the repository's odoo-addons/ (mounted read-only) and the
# browser libraries of the sidecar image (Leaflet and supercluster, copied from npm by its build and
# never committed). A fresh clone thus runs without pnpm on the host; a pnpm-made copy on the host
# (odoo-addons/isp_core/static/lib) is left out, so Odoo always serves the image's.
set -eu
src=/src/odoo-addons
libs=/app/static-libs
out=/srv/odoo-addons
test -d "$src/isp_core" || { echo "odoo-addons: no addons in $src" >&2; exit 1; }
test -f "$libs/isp_core/static/lib/leaflet/leaflet.js" || { echo "odoo-addons: no Leaflet in $libs" >&2; exit 1; }
find "$out" -mindepth 1 -delete
tar -C "$src" --exclude=__pycache__ --exclude=./isp_core/static/lib -cf - . | tar -C "$out" -xf -
tar -C "$libs" -cf - . | tar -C "$out" -xf -
echo "odoo-addons: $(ls "$out" | tr '\n' ' ')with $(find "$out/isp_core/static/lib" -type f | wc -l) library files"
