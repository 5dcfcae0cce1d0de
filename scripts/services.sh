#!/usr/bin/env bash
# Make sure the real services the test suite uses are up: PostgreSQL on 127.0.0.1:5432.
# On the project's machines it is started before each session; elsewhere we try to start a
# local cluster, and if that is impossible the PostgreSQL tests skip with a loud reason.
set -uo pipefail
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if pg_up; then
  echo "services: PostgreSQL is up on 127.0.0.1:5432"
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  echo "services: starting PostgreSQL with pg_ctlcluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 20); do pg_up && { echo "services: PostgreSQL started"; exit 0; }; sleep 1; done
fi
echo "services: WARNING: no PostgreSQL on 127.0.0.1:5432 and none could be started;" >&2
echo "services: WARNING: tests marked 'postgres' will be SKIPPED (set HEALTHGAP_PG_URL to use another server)." >&2
exit 0
