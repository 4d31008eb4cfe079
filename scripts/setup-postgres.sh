#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` package (installed if missing), a
# cluster of our own (initdb + pg_ctl, not the package's `main` cluster) on 127.0.0.1, holding a database and
# a login role with a password. Called by scripts/setup-services.sh, which sets the variables below;
# runnable alone with the same defaults.
#
# initdb and pg_ctl refuse to run as root, so as root the cluster belongs to the `postgres` system user (the
# package creates it); otherwise to the calling user. Idempotent: a running cluster is left alone, a stopped
# one is started, the role and database are created only when missing. Fails loudly when it cannot start.
set -euo pipefail
log() { echo "[setup-postgres] $*" >&2; }
fail() { log "$*"; exit 1; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

DIR=${AUTOAGENT_PG_DIR:-${AUTOAGENT_SERVICES_DIR:-/var/lib/autoagent/services}/pg}
PORT=${AUTOAGENT_PG_PORT:-55432}
DB=${AUTOAGENT_PG_DATABASE:-autoagent}
USER_NAME=${AUTOAGENT_PG_USER:-autoagent}
PASSWORD=${AUTOAGENT_PG_PASSWORD:-autoagent-local}
DATA=$DIR/data
SOCKETS=$DIR/run   # Unix sockets live with the cluster: /var/run/postgresql is not ours to use
LOGFILE=$DIR/postgresql.log

bindir() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  log "installing Debian's postgresql package"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(bindir)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || fail "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"

if [ "$(id -u)" = 0 ]; then
  OWNER=postgres
  id -u "$OWNER" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false "$OWNER"
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown "$OWNER" "$DIR"
as_owner mkdir -p "$SOCKETS"
# Every parent must be traversable by the owner (a root-made /var/lib/autoagent is 0755: fine).
as_owner test -w "$DIR" || fail "$DIR is not writable by $OWNER"

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb $DATA (owner $OWNER, $("$BIN/postgres" --version))"
  # Local socket: trust (the socket directory is the owner's, mode 0700); TCP: passwords only.
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null || fail "initdb failed for $DATA"
  chmod 700 "$SOCKETS"
fi

pg_opts="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$SOCKETS -c fsync=off"
if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "cluster $DATA already running"
else
  log "starting PostgreSQL on 127.0.0.1:$PORT (data in $DATA)"
  # fsync=off: a throwaway test cluster; durability across power loss is not its job, speed on 2 cores is.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "$pg_opts" -w -t 60 start >/dev/null || {
    log "PostgreSQL did not start; the end of $LOGFILE:"
    tail -n 30 "$LOGFILE" >&2 || true
    exit 1
  }
fi

psql_admin() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -U postgres -d postgres "$@"; }
# The role may create databases, so tests can each take a fresh one.
psql_admin -v u="$USER_NAME" -v p="$PASSWORD" <<'SQL' || fail "cannot create role $USER_NAME"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SQL
psql_admin -v u="$USER_NAME" -v d="$DB" <<'SQL' || fail "cannot create database $DB"
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
# The check that matters: a password login over TCP, as the tests will connect.
PGPASSWORD=$PASSWORD "$BIN/psql" -X -q -At -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d "$DB" -c 'SELECT 1' >/dev/null ||
  fail "cannot log in to postgres://$USER_NAME@127.0.0.1:$PORT/$DB with its password; see $LOGFILE"
log "PostgreSQL ready at 127.0.0.1:$PORT (database $DB, role $USER_NAME)"
