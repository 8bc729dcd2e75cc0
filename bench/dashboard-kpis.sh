#!/bin/sh
# KPI dashboard benchmark of isp_core on a scratch database, dropped afterwards.
# Usage: bench/dashboard-kpis.sh   (env: BENCH_SUBSCRIPTIONS=100000 BENCH_SMALL=1000 BENCH_DB, ODOO_BIN=odoo,
#        PGHOST=127.0.0.1, BENCH_HTTP_PORT=18298)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=isp_dashboard_bench
port=${BENCH_HTTP_PORT:-18298}
. "$here/odoo-scratch.sh"

install_addon isp_core
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/dashboard-kpis.py"
