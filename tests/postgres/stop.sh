#!/usr/bin/env bash
# Stops the throw-away PostgreSQL server tests/postgres/start.sh started (same PGDATA_DIR) and removes its data.
set -uo pipefail
data="${PGDATA_DIR:-/tmp/themodel-pg}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bindir" ] && [ -f "$data/postmaster.pid" ] || exit 0
if [ "$(id -u)" = 0 ]; then
  (cd / && runuser -u postgres -- "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null)
else
  "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null
fi
rm -rf "$data"
