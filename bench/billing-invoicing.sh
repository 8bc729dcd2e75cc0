#!/bin/sh
# Recurring-invoicing benchmark of isp_billing on a scratch database, dropped afterwards.
# Usage: bench/billing-invoicing.sh   (env: BENCH_SUBSCRIPTIONS=10000 BENCH_NAIVE=300 BENCH_CHUNKS=10 BENCH_BATCH_SIZE=500
#        BENCH_DB, ODOO_BIN=odoo, PGHOST=127.0.0.1, BENCH_HTTP_PORT=18299)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
addons="$here/../odoo-addons"
db=${BENCH_DB:-isp_billing_bench_$$}
odoo_bin=${ODOO_BIN:-odoo}
pghost=${PGHOST:-127.0.0.1}
port=${BENCH_HTTP_PORT:-18299}
common="-d $db --db_host $pghost --db_user odoo --addons-path=$addons --http-port $port --log-level=warn"

cleanup() { dropdb -h "$pghost" -U postgres --force --if-exists "$db"; }
trap cleanup EXIT INT TERM

echo "installing isp_billing into scratch database $db" >&2
# shellcheck disable=SC2086
"$odoo_bin" $common -i isp_billing --stop-after-init >&2
# shellcheck disable=SC2086
"$odoo_bin" shell $common --no-http < "$here/billing-invoicing.py"
