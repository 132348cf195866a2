#!/usr/bin/env bash
# A local PostgreSQL for the db test suite (test/db runs every case on PGlite and on this server).
# Idempotent: installs Debian's postgresql when missing, starts the first cluster, creates the
# `synchro` role, waits until it answers, and prints the URL to export as TEST_DATABASE_URL.
# Logs go to stderr so that `TEST_DATABASE_URL=$(scripts/ci/postgres.sh)` works.
set -euo pipefail

ROLE=synchro
PASSWORD=synchro
HOST=127.0.0.1

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "cd / && $1"; else sudo -u postgres sh -c "cd / && $1"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
  log "installing postgresql (apt-get)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

# The first cluster Debian created (15/main here); its port comes from its own configuration.
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1)
if [ "$STATUS" != online ]; then
  log "starting cluster $VERSION/$CLUSTER"
  # pg_ctlcluster refuses to start a server as root; run it as the cluster's owner.
  as_postgres "pg_ctlcluster $VERSION $CLUSTER start" >&2
fi

for _ in $(seq 1 30); do
  if as_postgres "psql -p $PORT -tAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

if [ "$(as_postgres "psql -p $PORT -tAc \"select 1 from pg_roles where rolname = '$ROLE'\"")" != 1 ]; then
  log "creating role $ROLE"
  as_postgres "psql -p $PORT -qc \"CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD'\"" >&2
fi

# Check the password login the tests will use (TCP, not the peer-authenticated socket).
PGPASSWORD=$PASSWORD psql "postgres://$ROLE@$HOST:$PORT/postgres" -tAc 'select 1' >/dev/null
echo "postgres://$ROLE:$PASSWORD@$HOST:$PORT/postgres"
