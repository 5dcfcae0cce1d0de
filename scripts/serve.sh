#!/usr/bin/env bash
# `make serve`: the web app as production runs it (docs/reliability.md):
#   gunicorn (workers from nproc) on PostgreSQL, static files collected and served by WhiteNoise,
#   DEBUG off, the cache on Redis (HEALTHGAP_CACHE_URL, default redis://127.0.0.1:6379/1; set it
#   empty for per-process memory).
# Environment (all optional):
#   HEALTHGAP_DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/healthgap_app (created if missing)
#   HEALTHGAP_PORT          default 8000 (bound to 127.0.0.1 unless HEALTHGAP_BIND is set)
#   HEALTHGAP_WORKERS       default 2 x nproc + 1 (gunicorn's rule of thumb)
#   HEALTHGAP_SERVE_DEMO=1  also load the demo accounts and data (load tests; never with real data)
# `make run` stays the demo (runserver on SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=healthgap.web.settings
export HEALTHGAP_DATABASE_URL=${HEALTHGAP_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/healthgap_app}
PORT=${HEALTHGAP_PORT:-8000}
export HEALTHGAP_CACHE_URL=${HEALTHGAP_CACHE_URL-redis://127.0.0.1:6379/1}
BIND=${HEALTHGAP_BIND:-127.0.0.1:${PORT}}
WORKERS=${HEALTHGAP_WORKERS:-$(( 2 * $(nproc) + 1 ))}

# Create the database when missing (connecting to the server's maintenance database).
$BIN/python - <<'PY'
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

url = os.environ["HEALTHGAP_DATABASE_URL"]
parts = urlsplit(url)
name = parts.path.lstrip("/")
admin = urlunsplit(parts._replace(path="/postgres"))
with psycopg.connect(admin, autocommit=True) as conn:
    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
PY
$BIN/python -m healthgap.web migrate --no-input -v 0
$BIN/python -m healthgap.web collectstatic --no-input -v 0
if [ "${HEALTHGAP_SERVE_DEMO:-0}" = 1 ]; then
  $BIN/python -m healthgap.web load_demo
fi
echo "healthgap (gunicorn, ${WORKERS} workers) on http://${BIND}/  (Ctrl-C to stop)"
exec $BIN/gunicorn healthgap.web.wsgi:application --bind "$BIND" --workers "$WORKERS" \
  --worker-class gthread --threads "${HEALTHGAP_THREADS:-4}" --timeout 60 --graceful-timeout 10 --max-requests 2000 \
  --max-requests-jitter 200 --access-logfile - --error-logfile -
