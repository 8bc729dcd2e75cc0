#!/bin/sh
# Recurring-invoicing benchmark of isp_billing on a scratch database, dropped afterwards.
# Usage: bench/billing-invoicing.sh   (env: BENCH_SUBSCRIPTIONS=10000 BENCH_NAIVE=300 BENCH_CHUNKS=10 BENCH_BATCH_SIZE=500
#        BENCH_DB, ODOO_BIN=odoo, PGHOST=127.0.0.1, BENCH_HTTP_PORT=18299)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=isp_billing_bench
port=${BENCH_HTTP_PORT:-18299}
. "$here/odoo-scratch.sh"

install_addon isp_billing
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/billing-invoicing.py"
