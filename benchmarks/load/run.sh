#!/usr/bin/env bash
# `make loadtest`: serve the app as production does (scripts/serve.sh: gunicorn, PostgreSQL,
# Redis cache, demo data) on 127.0.0.1, drive it with benchmarks/load/loadgen.py at 1, 10, 50
# and 100 concurrent users, then stop the server whatever happens. Bounded: each level runs at
# most LOADTEST_SECONDS (default 20) and LOADTEST_MAX_REQUESTS (default 5000); the server is
# given 5 minutes to start. Results: var/loadtest/load-<run>.{json,md} (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${LOADTEST_PORT:-8766}
export HEALTHGAP_DATABASE_URL=${HEALTHGAP_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/healthgap_load}
export HEALTHGAP_CACHE_URL=${HEALTHGAP_CACHE_URL-redis://127.0.0.1:6379/2}
mkdir -p var/loadtest
HEALTHGAP_PORT=$PORT HEALTHGAP_SERVE_DEMO=${HEALTHGAP_SERVE_DEMO:-1} bash scripts/serve.sh > var/loadtest/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:${PORT}/api/status" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || { tail -30 var/loadtest/server.log; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:${PORT}/api/status" >/dev/null
timeout 600 .venv/bin/python benchmarks/load/loadgen.py --base "http://127.0.0.1:${PORT}" \
  --seconds "${LOADTEST_SECONDS:-20}" --max-requests "${LOADTEST_MAX_REQUESTS:-5000}" \
  --users "${LOADTEST_USERS:-1,10,50,100}" "$@"
