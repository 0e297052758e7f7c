# Smokejumper: a multi-stage image. The first stage installs everything and builds dist/; the
# second keeps only what `npm start` needs, and runs it as the unprivileged `node` user.
#   docker build -t smokejumper .
#   docker run --env-file .env -p 3000:3000 smokejumper
# Migrations are applied at start (under a lock, so several replicas may start at once).
# Roles (ROLE, SPEC.md section 8): the same image runs as `web`, `worker` or `all` (default).
#   docker run --env-file .env -e ROLE=web    -p 3000:3000 smokejumper   # Slack-facing: stores, acknowledges
#   docker run --env-file .env -e ROLE=worker smokejumper                # jobs and events; no Slack-facing port
# Port 3000 (PORT) is the only one to expose to the internet. GET /metrics is on METRICS_PORT
# (9464), for a private network only; it also serves /healthz in every role, and is the one
# port a worker listens on, so a health check that must work for every role asks
# http://127.0.0.1:${METRICS_PORT:-9464}/healthz (PORT answers /healthz only in web and all).

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# The install runs `postinstall` (the Prisma client is generated from prisma/schema.prisma), so the
# schema and the script come first; source changes then do not invalidate the dependency layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# tini as PID 1 reaps orphans and passes `docker stop` (SIGTERM) on to npm, which passes it to the
# app; the app then finishes its running jobs and closes its connections before it exits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/scripts/ensure-build.mjs ./scripts/ensure-build.mjs
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# dist/ is built above and there is no src/ here, so ensure-build.mjs has nothing to do.
CMD ["npm", "start"]
