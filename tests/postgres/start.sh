#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1:${PGPORT:-55432} (trust auth, loopback only) for the
# multi-instance tests, installing Debian's postgresql package first when it is missing.
# Prints the connection string on success; exits non-zero (with a reason on stderr) when it cannot.
set -euo pipefail
port="${PGPORT:-55432}"
data="${PGDATA_DIR:-/tmp/themodel-pg}"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) >&2 || { echo "apt-get install postgresql failed" >&2; exit 2; }
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "PostgreSQL is not installed and cannot be installed here (need root and apt-get)" >&2
    exit 2
  fi
fi

# As root the server runs as postgres, from a folder postgres may enter (the caller's may be private, e.g. mktemp -d).
run() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

if [ -f "$data/postmaster.pid" ]; then
  run "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
fi
rm -rf "$data"
mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
run "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
if ! run "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-h 127.0.0.1 -p $port -k /tmp -c max_connections=200 -c fsync=off" start >/dev/null 2>&1; then
  echo "the server did not start on 127.0.0.1:$port: $(grep -E 'FATAL|ERROR' "$data/server.log" 2>/dev/null | tail -n 1 || true)" >&2
  rm -rf "$data"
  exit 3
fi
echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
