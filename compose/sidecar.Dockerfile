# One image for the TypeScript side: gateway, provisioner, RouterOS simulator lab.
# Built from the repository root (context ..); the service is chosen by the compose `command`,
# which runs node itself (not `pnpm <script>`: pnpm exits on SIGTERM without passing it on, so
# `docker stop` would never reach the service's graceful shutdown).
FROM node:22-bookworm-slim
ENV NODE_ENV=production PNPM_HOME=/pnpm CI=true
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY tools ./tools
COPY scripts ./scripts
RUN pnpm install --frozen-lockfile && chown -R node:node /app
USER node
CMD ["node", "--import", "tsx", "services/gateway/src/main.ts"]
