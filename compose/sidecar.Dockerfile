# One image for the TypeScript side: gateway, provisioner, RouterOS simulator lab.
# Built from the repository root (context ..); the service is chosen by the compose `command`,
# which runs node itself (not `pnpm <script>`: pnpm exits on SIGTERM without passing it on, so
# `docker stop` would never reach the service's graceful shutdown).
FROM node:22-bookworm-slim
# pnpm, the version package.json pins, installed at build time for every user: nothing is
# downloaded when a container starts, whoever it runs as and without internet.
ENV CI=true
WORKDIR /app
COPY package.json ./
RUN npm install --global --no-fund --no-audit "$(node -p 'require("./package.json").packageManager')" \
 && npm cache clean --force && pnpm --version
# The workspace as it is (what is left out: .dockerignore), so every package pnpm-lock.yaml names is here.
COPY . .
# tsx (a root dev dependency) runs the services, so the whole workspace is installed; the store is
# a build cache, not part of the image. The code stays root's: the service user only reads it.
RUN --mount=type=cache,id=isp-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --package-import-method copy
# The lab's router state (ROUTEROS_SIM_STATE_FILE) lives in a volume mounted here, owned by node.
RUN mkdir -p /var/lib/routeros-lab && chown node:node /var/lib/routeros-lab
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "services/gateway/src/main.ts"]
