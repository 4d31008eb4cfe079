# The AutoAgent worker image: the compiled CLI, run as `autoagent worker` (see docker-compose.yml).
# Build from the repository root:  docker build -f deploy/worker.Dockerfile -t autoagent/worker .
#
# NODE_IMAGE lets machines without Docker Hub build from a local Node 20 image of their own (same Debian
# release, so the native modules compiled in the build stage load in the runtime stage).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm install (not ci): see scripts/setup.sh — the lock lacks foreign-platform llama binaries.
RUN npm install --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src
# tsconfig.json also includes benchmarks/perf (absent here: .dockerignore); tsc then compiles src alone.
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Non-code assets (meta-agent environment and harness, report client) are read from src/ at run time.
COPY --from=build /app/src ./src
# The built-in harness and starter tasks, so `autoagent` defaults resolve inside the image too.
COPY benchmarks/harnesses ./benchmarks/harnesses
COPY benchmarks/tasks ./benchmarks/tasks
COPY deploy/worker-healthcheck.js ./deploy/
# Root, on purpose: the worker drives the host's Docker engine through its socket, which is root-equivalent
# anyway, and the socket's group id differs from host to host.
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["worker"]
