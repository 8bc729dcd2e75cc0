#!/usr/bin/env bash
# Prepares a fresh machine (Debian, npm registry reachable) and runs `pnpm test` (and, where podman
# is installed, `pnpm test:stack`).
# Idempotent: every step checks first and installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

TOOLCHAIN="${ISP_TOOLCHAIN_DIR:-$HOME/.cache/isp-toolchain}"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)"
NODE_MAJOR="$(tr -dc '0-9' < .node-version)"
export PATH="$TOOLCHAIN/node_modules/.bin:$PATH"

log() { printf '[ci] %s\n' "$*"; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$NODE_MAJOR" ] || [ "$(pnpm -v 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  log "installing Node $NODE_MAJOR and pnpm $PNPM_VERSION into $TOOLCHAIN"
  mkdir -p "$TOOLCHAIN"
  npm install --prefix "$TOOLCHAIN" --no-save --no-audit --no-fund --loglevel=error \
    "node@$NODE_MAJOR" "pnpm@$PNPM_VERSION"
  hash -r
fi
log "node $(node -v), pnpm $(pnpm -v)"

apt_missing=()
command -v flake8 >/dev/null || apt_missing+=(flake8)
command -v docker-compose >/dev/null || apt_missing+=(docker-compose)

# The Odoo tier runs when Odoo 19 is present (ODOO_HOME or `odoo` on PATH); its Python
# dependencies are Debian packages (scripts/ci/odoo-debian-packages.txt, from Odoo's debian/control).
if [ -n "${ODOO_HOME:-}" ] || command -v odoo >/dev/null; then
  if ! /usr/bin/python3 -c 'import psycopg2, lxml, werkzeug, babel, passlib, reportlab, cryptography, zeep, geoip2' 2>/dev/null; then
    mapfile -t odoo_pkgs < <(grep -v '^#' scripts/ci/odoo-debian-packages.txt | sed '/^$/d')
    apt_missing+=("${odoo_pkgs[@]}")
  fi
  # Odoo's browser tests (the dashboard tour) drive a headless Chromium; Odoo skips them without it.
  command -v chromium >/dev/null || apt_missing+=(chromium)
  # The browser end-to-end suite (e2e/) drives that Chromium through Debian's chromedriver.
  [ -x /usr/bin/chromedriver ] || apt_missing+=(chromium-driver)
fi

# The stack tier (pnpm test:stack) runs where podman is; compose's services find each other by name
# through netavark's DNS, aardvark-dns.
if command -v podman >/dev/null; then
  [ -x /usr/lib/podman/netavark ] || apt_missing+=(netavark)
  [ -x /usr/lib/podman/aardvark-dns ] || apt_missing+=(aardvark-dns)
fi

if [ "${#apt_missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && [ -z "${DATABASE_URL:-}" ]; then
  if command -v pg_ctlcluster >/dev/null; then
    log "starting the local PostgreSQL cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  fi
fi

log "pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile --reporter=append-only

log "pnpm test"
status=0
pnpm test || status=$?

# The stack tier (compose/docker-compose.yml under podman, see the README) is not part of
# `pnpm test`; it runs where podman is installed and prints why it skips otherwise.
if command -v podman >/dev/null; then
  log "pnpm test:stack"
  pnpm test:stack || status=$?
fi
exit "$status"
