#!/bin/sh
# make test-postgres: starts a throwaway PostgreSQL server (initdb into a
# temporary folder, Unix socket only, no TCP), runs the PostgreSQL
# driver's tests against it, and stops it. As root, the server runs as
# the "postgres" user (Debian's postgresql package creates it).
set -u
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "test-postgres: PostgreSQL's server is not installed (Debian: apt-get install postgresql libpq-dev)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/dconn-pg.XXXXXX)
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_pg() { runuser -u postgres -- "$@"; }
fi
cleanup() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=40" start >/dev/null || { cat "$dir/server.log"; exit 1; }
# the tests reach the server through libpq's environment, as a user would
PGHOST=$dir PGUSER=postgres PGDATABASE=postgres "$@"
rc=$?
exit $rc
