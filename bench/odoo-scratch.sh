# Sourced by the Odoo benchmarks: a scratch database with one addon installed, dropped on exit.
# Needs `name` (the database prefix) and `port` set; reads BENCH_DB, ODOO_BIN, PGHOST.
# Provides `odoo_bin` and `common` (the options every odoo call of the benchmark takes).
db=${BENCH_DB:-${name}_$$}
odoo_bin=${ODOO_BIN:-odoo}
pghost=${PGHOST:-127.0.0.1}
common="-d $db --db_host $pghost --db_user odoo --addons-path=$here/../odoo-addons --http-port $port --log-level=warn"

cleanup() { dropdb -h "$pghost" -U postgres --force --if-exists "$db"; }
trap cleanup EXIT INT TERM

install_addon() {
  echo "installing $1 into scratch database $db" >&2
  # shellcheck disable=SC2086
  "$odoo_bin" $common -i "$1" --stop-after-init >&2
}
