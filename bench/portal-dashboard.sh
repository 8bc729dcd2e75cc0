#!/bin/sh
# Customer portal benchmark: the server time of /my/isp for one customer, with
# BENCH_SUBSCRIPTIONS (100000) subscriptions of other customers in the database, against Odoo's
# own /my in the same run (target: at most 2x). Scratch database, dropped afterwards.
# Usage: bench/portal-dashboard.sh   (env: BENCH_SUBSCRIPTIONS, BENCH_REQUESTS=30, BENCH_DB, ODOO_BIN=odoo,
#        PGHOST=127.0.0.1, BENCH_HTTP_PORT=18299)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=isp_portal_bench
port=${BENCH_HTTP_PORT:-18299}
. "$here/odoo-scratch.sh"

install_addon isp_portal
echo "creating ${BENCH_SUBSCRIPTIONS:-100000} subscriptions and the bench customer" >&2
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/portal-dashboard-data.py"

# shellcheck disable=SC2086
"$odoo_bin" $common --http-interface 127.0.0.1 --workers 0 --max-cron-threads 0 >&2 &
server=$!
trap 'kill $server 2>/dev/null; cleanup' EXIT INT TERM
BENCH_URL="http://127.0.0.1:$port" BENCH_DB_NAME="$db" /usr/bin/python3 "$here/portal-dashboard-http.py"
