#!/bin/sh
# A PostgreSQL server with the official postgres image's interface, for the compose test: on first
# start (empty PGDATA) it creates the cluster with superuser POSTGRES_USER (password
# POSTGRES_PASSWORD, scram-sha-256 for every network client) and database POSTGRES_DB.
set -eu
bin=/usr/lib/postgresql/15/bin
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  pw="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pw"
  "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile="$pw" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-sync >/dev/null
  rm -f "$pw"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    "$bin/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses='' -k /tmp" start >/dev/null
    psql -h /tmp -U "$user" -d postgres -q -c "CREATE DATABASE \"$db\" OWNER \"$user\""
    "$bin/pg_ctl" -D "$PGDATA" -w stop >/dev/null
  fi
fi
# jit=off: the image leaves out LLVM
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c jit=off -k /tmp
