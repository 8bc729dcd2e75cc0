#!/bin/sh
# Map view benchmark: in headless Chromium, the time from opening the subscriptions' map until its
# clustered markers are drawn, with BENCH_SUBSCRIPTIONS (100000) placed subscriptions, against the
# list view of the same action in the same run (target: the map in under 2 s). Scratch database,
# dropped afterwards.
# Usage: bench/map-100k.sh   (env: BENCH_SUBSCRIPTIONS, BENCH_RUNS=5, BENCH_DB, ODOO_BIN=odoo,
#        PGHOST=127.0.0.1, BENCH_HTTP_PORT=18297, BENCH_DEBUG_PORT=18296 (Chromium's DevTools), CHROMIUM=chromium)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=isp_map_bench
port=${BENCH_HTTP_PORT:-18297}
. "$here/odoo-scratch.sh"

if [ ! -f "$here/../odoo-addons/isp_core/static/lib/leaflet/leaflet.js" ]; then
  echo "Leaflet is missing from isp_core/static/lib: run pnpm install first" >&2
  exit 1
fi
install_addon isp_billing
echo "creating ${BENCH_SUBSCRIPTIONS:-100000} placed subscriptions" >&2
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/map-100k-data.py"

# shellcheck disable=SC2086
"$odoo_bin" $common --http-interface 127.0.0.1 --workers 0 --max-cron-threads 0 >&2 &
server=$!
trap 'kill $server 2>/dev/null; cleanup' EXIT INT TERM
BENCH_URL="http://127.0.0.1:$port" BENCH_DB_NAME="$db" /usr/bin/python3 "$here/map-100k-browser.py"
