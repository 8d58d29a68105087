# syntax=docker/dockerfile:1.7
# One image, every role: `node dist/src/main.js [relay|api|worker]` (default: all).
# Build:        docker build -t sift .
# CUDA variant: docker build --target runtime-cuda -t sift:cuda .

ARG NODE_VERSION=20

# ---- build: compile TypeScript and build the bundled GloVe model ----
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# No install scripts: the image's npm may predate package.json's allowScripts, onnxruntime-node's
# would fetch CUDA binaries (the CPU provider ships in the package; build-cuda fetches them on
# purpose), and the root's `prepare` needs the sources, built below instead.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
# `npm install`, not `npm ci`, as .ci/run does: npm 11 writes lockfiles without other platforms'
# optional packages and `npm ci` then refuses them; `npm install` keeps the lockfile's versions.
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.runtime.json nest-cli.json ./
COPY src ./src
COPY libs ./libs
COPY migrations ./migrations
COPY scripts ./scripts
# The dashboard (vite build into dist/web, served by the api role).
COPY web ./web
# build:runtime = the server without bench/ and tests, plus the dashboard.
RUN npm run build:runtime && npm run build:model && npm prune --omit=dev

# ---- runtime (CPU) ----
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    EMBEDDINGS_MODEL_DIR=/app/models \
    SIFT_ENV_FILE=none
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/models ./models
COPY --chown=node:node data ./data
USER node
EXPOSE 3000
# Liveness of whatever role this container runs; orchestrators should gate traffic on /health/ready.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/main.js"]

# ---- build-cuda: onnxruntime-node with its CUDA 12 provider fetched at build time ----
FROM build AS build-cuda
# The package's own install script, told to fetch the CUDA 12 execution provider this time.
RUN cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=cuda12 node ./script/install

# ---- runtime-cuda: needs the NVIDIA container runtime on the host ----
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS runtime-cuda
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1001 sift
WORKDIR /app
# Prefer a GPU model when the operator mounts one at /app/models/<name> (e.g. bge-small with
# model_fp16.onnx); the CPU int8 variant and the bundled GloVe model are the fallbacks.
ENV NODE_ENV=production PORT=3000 EMBEDDINGS_MODEL_DIR=/app/models SIFT_ENV_FILE=none \
    EMBEDDINGS_CHAIN=bge-small:fp16@cuda,bge-small:int8@cpu,glove-100d
COPY --from=build-cuda --chown=sift:sift /app/package.json ./
COPY --from=build-cuda --chown=sift:sift /app/node_modules ./node_modules
COPY --from=build-cuda --chown=sift:sift /app/dist ./dist
COPY --from=build-cuda --chown=sift:sift /app/models ./models
COPY --chown=sift:sift data ./data
USER sift
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/src/main.js"]
