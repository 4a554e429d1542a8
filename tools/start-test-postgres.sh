#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the test suite, listening on 127.0.0.1 only, and print
# the URL the tests read from SELFREG_TEST_POSTGRES_URL. Used by .ci/run; by hand:
#   export SELFREG_TEST_POSTGRES_URL=$(bash tools/start-test-postgres.sh)
# The cluster runs without fsync: it holds only test data and is thrown away (PGDATA below).
set -euo pipefail

PORT="${SELFREG_TEST_POSTGRES_PORT:-54329}"
PGDATA="${SELFREG_TEST_POSTGRES_DIR:-/tmp/selfreg-test-postgres}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/postgres" ]; then
  echo "PostgreSQL server binaries not found (Debian package: postgresql)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root; CI runs as root, a developer usually does not.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA"
  as_owner "$BIN/initdb" -D "$PGDATA" -U selfreg --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start -o \
    "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=300" >/dev/null
fi
echo "postgresql+psycopg://selfreg@127.0.0.1:$PORT/postgres"
