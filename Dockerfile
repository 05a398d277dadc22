# syntax=docker/dockerfile:1
# Freshchat helpdesk subgraph: build with dev dependencies, run with production ones only.
#   docker build -t freshchat-subgraph .
#   docker run -p 4001:4001 -e FRESHCHAT_API_URL=... -e FRESHCHAT_API_TOKEN=... freshchat-subgraph

# ── build: TypeScript → dist/ ─────────────────────────────────────────────────────────────────────
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY src ./src
RUN npm run build

# ── production dependencies only ──────────────────────────────────────────────────────────────────
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# ── runtime: node, dist/ and the SDL; no compiler, no npm in the command ─────────────────────────
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4001
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node schema ./schema
# The image's unprivileged user: the process never runs as root.
USER node
EXPOSE 4001
# /health: the process is up (liveness). Readiness (/ready) is the orchestrator's probe to set.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm), so SIGTERM reaches the process and its drain runs (docs/design.md#operations).
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/src/index.js"]
