#!/bin/sh
# Starts Odoo with the mounted odoo.conf plus the two settings that come from the environment:
# the master password (never committed) and the one database this stack serves.
set -eu
: "${ODOO_MASTER_PASSWORD:?set ODOO_MASTER_PASSWORD in compose/.env}"
: "${ODOO_DB:?set ODOO_DB in compose/.env}"
conf=/tmp/odoo.conf
cp /etc/odoo/odoo.conf "$conf"
printf 'admin_passwd = %s\ndbfilter = ^%s$\n' "$ODOO_MASTER_PASSWORD" "$ODOO_DB" >> "$conf"
exec /entrypoint.sh odoo -c "$conf" "$@"
