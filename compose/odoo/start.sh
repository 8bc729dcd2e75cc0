#!/bin/sh
# Starts Odoo with the mounted odoo.conf plus the two settings that come from the environment:
# the master password (never committed) and the one database this stack serves. A subcommand
# (`shell`, …) comes first, as Odoo 19 takes it only as its first argument: start.sh shell -d db.
set -eu
: "${ODOO_MASTER_PASSWORD:?set ODOO_MASTER_PASSWORD in compose/.env}"
: "${ODOO_DB:?set ODOO_DB in compose/.env}"
conf=/tmp/odoo.conf
cp /etc/odoo/odoo.conf "$conf"
printf 'admin_passwd = %s\ndbfilter = ^%s$\n' "$ODOO_MASTER_PASSWORD" "$ODOO_DB" >> "$conf"
case "${1:-}" in
  '' | -*) exec /entrypoint.sh odoo -c "$conf" "$@" ;;
  *)
    command=$1
    shift
    exec /entrypoint.sh odoo "$command" -c "$conf" "$@"
    ;;
esac
