# Smokejumper: a multi-stage image. The first stage installs everything and builds dist/; the
# second keeps only what `npm start` needs, and runs it as the unprivileged `node` user.
#   docker build -t smokejumper .
#   docker run --env-file .env -p 3000:3000 smokejumper
# Migrations are applied at start (under a lock, so several replicas may start at once); operator
# commands run from dist/ too: docker run --env-file .env smokejumper npm run db:migrate (or roster, digest, report).
# Roles (ROLE, SPEC.md section 8): the same image runs as `web`, `worker` or `all` (default).
#   docker run --env-file .env -e ROLE=web    -p 3000:3000 smokejumper   # Slack-facing: stores, acknowledges
#   docker run --env-file .env -e ROLE=worker smokejumper                # jobs and events; no Slack-facing port
# Port 3000 (PORT) is the only one to expose to the internet. GET /metrics is on METRICS_PORT
# (9464), for a private network only; it also serves /healthz in every role, and is the one
# port a worker listens on, so a health check that must work for every role asks
# http://127.0.0.1:${METRICS_PORT:-9464}/healthz (PORT answers /healthz only in web and all).
#
# The base image is pinned to an exact Node release (the one the tests run on). Pin its digest too
# when you build (`docker buildx imagetools inspect node:20.20.2-bookworm-slim`): no Docker engine
# or registry was at hand where this file was written, so it names the tag only.
# `test/faults/production-install.fault.ts` runs the same install, build and prune steps outside Docker.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The install runs `postinstall` (the Prisma client is generated from prisma/schema.prisma), so the
# schema and the script come first; source changes then do not invalidate the dependency layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build generates the Prisma client (the CLI is a dev dependency) and compiles it into dist/
# with the app; src/dev and src/sim are not built. Then the dev dependencies go. npm keeps the
# Prisma CLI and TypeScript (about 250 MB) because @prisma/client names them as optional peers;
# --omit=optional would drop them, but also the chart renderer's platform binary (@resvg/resvg-js
# ships it as an optional dependency), so they stay, unused by dist/.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 reaps orphans and passes `docker stop` (SIGTERM) on to npm, which passes it to the
# app; the app then finishes its running jobs and closes its connections before it exits.
# fonts-dejavu-core: the report chart's text (resvg draws with the system's fonts; without any, bars only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# COPY without --chown: the files stay owned by root (directories 755, files 644), so the `node`
# user can read and run the app but not change it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts/ensure-build.mjs /app/scripts/cli.mjs ./scripts/
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# dist/ is built above and there is no src/ here, so ensure-build.mjs has nothing to do.
CMD ["npm", "start"]
