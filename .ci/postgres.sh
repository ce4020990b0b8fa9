#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the history tests and print its URL.
#
#   eval "$(.ci/postgres.sh)"          # exports CX_AUDIT_TEST_POSTGRES_URL
#   .ci/postgres.sh stop               # stops it and removes the cluster
#
# Installs PostgreSQL with apt-get if no server binaries are found, creates a
# cluster in $CX_PG_DIR (default: a fixed folder under ${TMPDIR:-/tmp}),
# listens on 127.0.0.1 on a free port, and creates the database cx_audit_test.
# Idempotent: a second call finds the running server and prints the same URL.
# The server runs as the `postgres` user when called as root (initdb refuses root).
set -euo pipefail

PG_DIR="${CX_PG_DIR:-${TMPDIR:-/tmp}/cx-audit-pg}"
DB_NAME="${CX_PG_DB:-cx_audit_test}"
DATA="$PG_DIR/data"

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$dir" ]] && command -v initdb >/dev/null 2>&1; then dir="$(dirname "$(command -v initdb)")"; fi
  echo "$dir"
}

as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

emit_url() {
  local url="postgresql+psycopg://postgres@127.0.0.1:$1/$DB_NAME"
  echo "export CX_AUDIT_TEST_POSTGRES_URL=$url" > "$PG_DIR/env"
  echo "export CX_AUDIT_TEST_POSTGRES_URL=$url"
}

BIN="$(find_bin)"
if [[ "${1:-start}" == "stop" ]]; then
  if [[ -n "$BIN" && -f "$DATA/PG_VERSION" ]]; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true; fi
  rm -rf "$PG_DIR"
  exit 0
fi

if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  log "installing PostgreSQL"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
  BIN="$(find_bin)"
fi

mkdir -p "$PG_DIR"
if [[ "$(id -u)" == "0" ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" postgres
  chown postgres "$PG_DIR"
fi

# Already running: print the URL again.
if [[ -f "$PG_DIR/port" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  emit_url "$(cat "$PG_DIR/port")"
  exit 0
fi

if [[ ! -f "$DATA/PG_VERSION" ]]; then
  log "creating a cluster in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-sync >&2
fi

PORT="$(free_port)"
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >&2
echo "$PORT" > "$PG_DIR/port"

if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
     "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB_NAME"
fi
log "PostgreSQL is listening on 127.0.0.1:$PORT (database $DB_NAME)"
emit_url "$PORT"
