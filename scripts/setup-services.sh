#!/usr/bin/env bash
# The real services the many-machine tests need, on this machine's loopback: PostgreSQL (records) and
# SeaweedFS's S3 API (artifacts). Installs, builds and starts them (scripts/setup-postgres.sh,
# scripts/setup-seaweedfs.sh), then writes their connection settings to .tools/services.env, which
# scripts/test.sh sources. Idempotent and quick when both already run; fails loudly when either cannot start.
#
# Overrides (defaults in brackets): AUTOAGENT_SERVICES_DIR [/var/lib/autoagent/services as root, else
# ~/.local/state/autoagent/services], AUTOAGENT_PG_PORT [55432], AUTOAGENT_S3_PORT [58333],
# AUTOAGENT_CACHE_DIR [~/.cache/autoagent; the built weed binary is kept in its bin/].
# Every credential here is a throwaway local one, for these test services only.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[setup-services] $*" >&2; }

if [ "$(id -u)" = 0 ]; then default_dir=/var/lib/autoagent/services
else default_dir=${XDG_STATE_HOME:-$HOME/.local/state}/autoagent/services; fi
export AUTOAGENT_SERVICES_DIR=${AUTOAGENT_SERVICES_DIR:-$default_dir}
export AUTOAGENT_PG_PORT=${AUTOAGENT_PG_PORT:-55432} AUTOAGENT_PG_DATABASE=autoagent \
  AUTOAGENT_PG_USER=autoagent AUTOAGENT_PG_PASSWORD=autoagent-local
export AUTOAGENT_S3_PORT=${AUTOAGENT_S3_PORT:-58333} AUTOAGENT_S3_ACCESS_KEY=autoagent \
  AUTOAGENT_S3_SECRET_KEY=autoagent-local-secret AUTOAGENT_S3_REGION=us-east-1 AUTOAGENT_S3_BUCKET=autoagent
mkdir -p "$AUTOAGENT_SERVICES_DIR"

started=$(date +%s)
bash scripts/setup-postgres.sh
bash scripts/setup-seaweedfs.sh

mkdir -p .tools
cat >.tools/services.env.tmp <<EOF
# Written by scripts/setup-services.sh: the local test services (throwaway credentials). Sourced by scripts/test.sh.
AUTOAGENT_TEST_PG_URL=postgres://$AUTOAGENT_PG_USER:$AUTOAGENT_PG_PASSWORD@127.0.0.1:$AUTOAGENT_PG_PORT/$AUTOAGENT_PG_DATABASE
AUTOAGENT_TEST_S3_ENDPOINT=http://127.0.0.1:$AUTOAGENT_S3_PORT
AUTOAGENT_TEST_S3_BUCKET=$AUTOAGENT_S3_BUCKET
AWS_ACCESS_KEY_ID=$AUTOAGENT_S3_ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$AUTOAGENT_S3_SECRET_KEY
AWS_REGION=$AUTOAGENT_S3_REGION
EOF
mv .tools/services.env.tmp .tools/services.env
log "services up in $(($(date +%s) - started))s; settings in .tools/services.env"
