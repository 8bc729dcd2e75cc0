#!/bin/sh
# KPI dashboard benchmark of isp_core on a scratch database, dropped afterwards.
# Usage: bench/dashboard-kpis.sh   (env: BENCH_SUBSCRIPTIONS=100000 BENCH_SMALL=1000 BENCH_DB, ODOO_BIN=odoo,
#        PGHOST=127.0.0.1, BENCH_HTTP_PORT=18298)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
addons="$here/../odoo-addons"
db=${BENCH_DB:-isp_dashboard_bench_$$}
odoo_bin=${ODOO_BIN:-odoo}
pghost=${PGHOST:-127.0.0.1}
port=${BENCH_HTTP_PORT:-18298}
common="-d $db --db_host $pghost --db_user odoo --addons-path=$addons --http-port $port --log-level=warn"

cleanup() { dropdb -h "$pghost" -U postgres --force --if-exists "$db"; }
trap cleanup EXIT INT TERM

echo "installing isp_core into scratch database $db" >&2
# shellcheck disable=SC2086
"$odoo_bin" $common -i isp_core --stop-after-init >&2
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/dashboard-kpis.py"
