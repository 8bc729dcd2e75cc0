# One image for the TypeScript side: gateway, provisioner, RouterOS simulator lab, and the
# browser libraries the Odoo addons serve (copied into the addons by the odoo-addons service).
# Built from the repository root (context ..); the service is chosen by the compose `command`,
# which runs node itself (not `pnpm <script>`: pnpm exits on SIGTERM without passing it on, so
# `docker stop` would never reach the service's graceful shutdown).

# Build stage: the workspace installed (the root postinstall copies Leaflet and supercluster from
# npm into odoo-addons/isp_core/static/lib), then each service bundled by esbuild into one file of
# dist/ with its dependencies (scripts/bundle/sidecars.ts). The pnpm store is a build cache.
FROM node:22-bookworm-slim AS build
# Names the stage's leftover image, so that a test run can remove it (scripts/stack/images.ts).
LABEL isp.build-stage=sidecars
ENV CI=true
WORKDIR /app
COPY package.json ./
RUN npm install --global --no-fund --no-audit "$(node -p 'require("./package.json").packageManager')" \
 && npm cache clean --force && pnpm --version
# The workspace as it is (what is left out: .dockerignore), so every package pnpm-lock.yaml names is here.
COPY . .
RUN --mount=type=cache,id=isp-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --package-import-method copy \
 && node --import tsx scripts/bundle/sidecars.ts dist

# Run stage: node and the bundles only — no tsx, no node_modules, no package manager, no secret
# (every setting comes from the environment at run time). The code stays root's: the service
# user only reads it.
FROM node:22-bookworm-slim
WORKDIR /app
COPY --from=build /app/dist/ ./dist/
COPY --from=build /app/odoo-addons/isp_core/static/lib/ ./static-libs/isp_core/static/lib/
# The lab's router state (ROUTEROS_SIM_STATE_FILE) lives in a volume mounted here, owned by node;
# so does the addons tree the odoo-addons service assembles for Odoo.
RUN mkdir -p /var/lib/routeros-lab /srv/odoo-addons \
 && chown node:node /var/lib/routeros-lab /srv/odoo-addons
ENV NODE_ENV=production
USER node
CMD ["node", "dist/gateway.mjs"]
