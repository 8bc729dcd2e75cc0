#!/bin/sh
# One-shot (the odoo-init service, at every `up`): create the database and install the ISP addons
# that are missing, then let init.py set what the sidecars and the routers rely on. Safe to re-run:
# a second run changes nothing.
set -eu
: "${ODOO_DB:?}" "${ODOO_ADMIN_PASSWORD:?}" "${ISP_FERNET_KEY:?}" "${ODOO_SIDECAR_API_KEY:?}" "${ISP_MAC_TOKEN:?}" "${ISP_SIDECAR_TOKEN:?}"
for name in ODOO_MASTER_PASSWORD ODOO_ADMIN_PASSWORD ISP_FERNET_KEY ODOO_SIDECAR_API_KEY \
  ISP_MAC_TOKEN ISP_SIDECAR_TOKEN LAB_ROUTER_PASSWORD ISP_DEMO_PORTAL_PASSWORD; do
  eval "value=\${$name:-}"
  case "$value" in change-me*)
    echo "odoo-init: $name is still the placeholder of .env.example; set a secret of your own" >&2
    exit 1
    ;;
  esac
done
if [ "${ISP_DEMO:-0}" = 1 ] && [ -z "${ISP_DEMO_PORTAL_PASSWORD:-}" ]; then
  echo "odoo-init: ISP_DEMO=1 needs ISP_DEMO_PORTAL_PASSWORD (the demo customers' portal password)" >&2
  exit 1
fi
if [ "$ODOO_ADMIN_PASSWORD" = admin ]; then
  echo "odoo-init: ODOO_ADMIN_PASSWORD must not be admin" >&2
  exit 1
fi
if ! printf '%s' "$ODOO_SIDECAR_API_KEY" | grep -Eqx '[0-9a-f]{40}'; then
  echo "odoo-init: ODOO_SIDECAR_API_KEY must be 40 lowercase hex digits (openssl rand -hex 20)" >&2
  exit 1
fi
if ! python3 -c 'import os, cryptography.fernet as f; f.Fernet(os.environ["ISP_FERNET_KEY"])' 2>/dev/null; then
  echo "odoo-init: ISP_FERNET_KEY is not a Fernet key (32 url-safe base64 bytes; see compose/.env.example)" >&2
  exit 1
fi
ADDONS=isp_core,isp_mikrotik,isp_billing,isp_portal
/opt/isp/start.sh -d "$ODOO_DB" -i "$ADDONS" --stop-after-init --no-http
# Settings reach init.py through the environment, never pasted into its code.
/opt/isp/start.sh shell -d "$ODOO_DB" --no-http < /opt/isp/init.py
# The demo data pnpm dev shows, when asked for; the loader skips what it loaded before.
if [ "${ISP_DEMO:-0}" = 1 ]; then
  /opt/isp/start.sh shell -d "$ODOO_DB" --no-http < /opt/isp/demo.py
fi
