#!/usr/bin/env bash
# Start (or stop) a private PostgreSQL for the test suite under var/test-pg, on a loopback port.
# Usage: scripts/postgres.sh start|stop   — prints the DATABASE_URL on start.
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT="${PERISAI_TEST_PGPORT:-55432}"
PGDIR="$(pwd)/var/test-pg"
BINDIR="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$BINDIR" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-start}" in
  start)
    mkdir -p "$PGDIR"
    [ "$(id -u)" = "0" ] && chown -R postgres: "$PGDIR"
    if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
      as_pg "$BINDIR/initdb" -D "$PGDIR/data" -U perisai --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
      as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
        -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    echo "postgres://perisai@127.0.0.1:$PGPORT/perisai"
    ;;
  stop)
    as_pg "$BINDIR/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
