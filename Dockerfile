# Juece: one image for both processes of the production-like stack (docker-compose.yml).
#   API (default):  node --import tsx server/api-main.ts
#   Worker:         node --import tsx server/worker-main.ts   (scale out: docker compose up --scale worker=3)
# There is no compile step: tsx runs the TypeScript sources directly.
#
# Why `node --import tsx` and not `npx tsx`: on SIGTERM (docker stop, scale-down) npx exits at once
# without waiting for its child, so the container ends and the process is SIGKILLed before
# worker.shutdown() drains or the API closes its server (measured: exit 143, no drain). With
# `node --import tsx` the one node process gets the signal itself and stops cleanly (exit 0).
#
# No HEALTHCHECK here on purpose: the same image runs the worker, which serves no HTTP.
# The API's healthcheck (GET /healthz) is declared on the `api` service in docker-compose.yml.
FROM node:20-bookworm-slim

WORKDIR /app

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Dependencies first, so that a source-only change reuses this layer.
# Plain `npm ci` (the full lockfile): tsx, the runtime, is a regular dependency.
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force

# Sources (see .dockerignore for what stays out of the build context).
COPY . .

# Set after `npm ci`, which would otherwise skip the devDependencies.
ENV NODE_ENV=production \
    JUECE_HOST=0.0.0.0 \
    JUECE_PORT=3000

# Run unprivileged; the sources stay root-owned and read-only for the process.
USER node

EXPOSE 3000

CMD ["node", "--import", "tsx", "server/api-main.ts"]
