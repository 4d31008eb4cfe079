#!/usr/bin/env bash
# Installs the pinned PyPI `harbor` into .tools/harbor, a venv of Python >= 3.12 (Harbor's floor; the
# machine's python3 may be older). Our conformance tests validate every trajectory and job folder we write
# with Harbor's own pydantic models from this venv (scripts/harbor-validate.py). Idempotent: a venv that
# already holds the pinned version is left alone. Fails loudly when no Python >= 3.12 is found.
# Usage: bash scripts/setup-harbor.sh [--compose]
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[setup-harbor] $*" >&2; }

HARBOR_VERSION=0.26.0
VENV=.tools/harbor
COMPOSE_VERSION=v2.29.7

# --compose (for benchmarks/perf/harbor-side-by-side.ts, which runs Harbor itself): Harbor drives Docker
# through the `docker compose` v2 plugin. Without one on the system, build the pinned release from the Go
# module proxy into .tools/docker-config/cli-plugins (used via DOCKER_CONFIG; the system's Docker is untouched).
if [ "${1:-}" = --compose ]; then
  if docker compose version >/dev/null 2>&1 || DOCKER_CONFIG=$PWD/.tools/docker-config docker compose version >/dev/null 2>&1; then
    log "docker compose plugin present"
  else
    command -v go >/dev/null 2>&1 || { log "building the docker compose plugin needs Go (apt-get install golang)"; exit 1; }
    log "building docker compose $COMPOSE_VERSION (github.com/docker/compose/v2) into .tools/docker-config/cli-plugins"
    mkdir -p .tools/go-bin .tools/docker-config/cli-plugins
    GOBIN="$PWD/.tools/go-bin" go install "github.com/docker/compose/v2/cmd@$COMPOSE_VERSION"
    cp .tools/go-bin/cmd .tools/docker-config/cli-plugins/docker-compose
    DOCKER_CONFIG=$PWD/.tools/docker-config docker compose version >&2
  fi
fi

installed() {
  [ -x "$VENV/bin/python" ] &&
    [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("harbor"))' 2>/dev/null)" = "$HARBOR_VERSION" ]
}
if installed; then
  log "harbor $HARBOR_VERSION already in $VENV"
  exit 0
fi

# A Python >= 3.12: $HARBOR_PYTHON, then python3.13/python3.12 on PATH, then pyenv's versions.
find_python() {
  local c
  for c in ${HARBOR_PYTHON:-} python3.13 python3.12 python3 \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}
if ! PY=$(find_python); then
  log "no Python >= 3.12 found (tried HARBOR_PYTHON, python3.13, python3.12, python3, ~/.pyenv/versions/3.12+);"
  log "Harbor needs one: install it (e.g. pyenv install 3.12) or set HARBOR_PYTHON=/path/to/python3.12"
  exit 1
fi
log "installing harbor==$HARBOR_VERSION into $VENV with $PY ($("$PY" --version 2>&1))"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "harbor==$HARBOR_VERSION"
installed || { log "harbor $HARBOR_VERSION is not importable from $VENV after install"; exit 1; }
log "harbor $HARBOR_VERSION ready"
