# Code-Learn: one image for every service; SERVICES picks a node's role at deploy time.
#
# Runtime: the compiled build, `node dist/server.js` (`npm run build` in the build stage, from the
# sources CI tests; a test starts the same build). tsx is for development and tests only, so the
# runtime stage installs production dependencies and runs plain JavaScript: no compiler in memory.
# Pinned by full version; pin by digest too (node:24.21.0-bookworm-slim@sha256:…) in a registry
# you control.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Scripts off: `prepare` builds the web client from sources not copied yet; it runs below instead.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# A type error fails the build (never `tsc || true`): noEmitOnError, and the web client checked too.
RUN npm run build
RUN npx tsc --noEmit -p client
# The web client (Vite): hashed, precompressed files in client/dist, which the gateway serves.
RUN node client/build/ensure-built.mjs

FROM ${NODE_IMAGE} AS runtime
# HOST: listen on every interface of the container, not the loopback default of `npm start`.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    HEALTH_PORT=3001 \
    METRICS_PORT=3030 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# The judge's Python sandbox: python3 runs the programs, bubblewrap isolates each run (docs/judge.md).
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# No scripts: the web client comes built from the build stage (its build needs dev dependencies).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# The compiled build and the web client's, from the stage that made them; owned by root, so the app
# cannot rewrite them. package.json stays beside dist/: it marks the project's root (lib/project-root.ts).
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
# Only the embedded database (no DATABASE_URL) writes here.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data

# The base image's `node` user, numeric so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000

# Gateway HTTP, health probes of nodes without the gateway, Prometheus metrics.
EXPOSE 8080 3001 3030

# A node running the gateway answers the probes on PORT, any other node on HEALTH_PORT.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const e = process.env, s = (e.SERVICES || '').split(',').map(x => x.trim()).filter(Boolean); const port = s.length === 0 || s.includes('gateway') ? e.PORT || 8080 : e.HEALTH_PORT || 3001; fetch('http://127.0.0.1:' + port + '/health/live', { signal: AbortSignal.timeout(2000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself is PID 1 (not npm), so SIGTERM reaches the broker's graceful shutdown directly.
CMD ["node", "dist/server.js"]
