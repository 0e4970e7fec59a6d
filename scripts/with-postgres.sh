#!/usr/bin/env bash
# Run a command against PostgreSQL. With DATABASE_URL set, use it; otherwise start a
# throwaway local cluster (Debian's postgresql binaries) on a free port and remove it after.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG_BIN/postgres" ] || { echo "PostgreSQL non installato: eseguire 'make system-packages'." >&2; exit 1; }

DATA_DIR=$(mktemp -d /tmp/peg-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres: "$DATA_DIR"
  AS_PG=(runuser -u postgres --)
fi

cleanup() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -l "$DATA_DIR/log" -w \
  -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL temporaneo su 127.0.0.1:$PORT"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
"$@"
