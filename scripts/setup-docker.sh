#!/usr/bin/env bash
# Make a Docker engine and the base images task Dockerfiles expect available on this machine.
# Installs docker.io if dockerd is missing, starts it in the background if no daemon answers, and, when no
# registry can be reached, builds debian:bookworm-slim locally with debootstrap. Fails loudly otherwise.
# Stand-ins for other base images (python:*, ubuntu:*) are built on demand by scripts/standin-images.sh.
set -euo pipefail
log() { echo "[setup-docker] $*" >&2; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing docker.io"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker.io >/dev/null
  fi
  # storage_mb as a kernel quota, opt-in (AUTOAGENT_DOCKER_QUOTA=1): a btrfs data root (on a loop file unless
  # one is given) lets the daemon take `--storage-opt size` (see src/sandbox/storage-quota.ts). Opt-in because
  # btrfs qgroup accounting kept dockerd at ~100% system CPU on 2 cores here, making every trial several times
  # slower. Without it the watchdog holds the limit alone; AUTOAGENT_REQUIRE_STORAGE_QUOTA=1 makes that an error.
  dockerd_args=""
  if [ "${AUTOAGENT_DOCKER_QUOTA:-0}" = 1 ]; then
    # shellcheck source=scripts/docker-quota-root.sh
    source "$(dirname "$0")/docker-quota-root.sh"
    if root=$(prepare_quota_root); then
      dockerd_args="--data-root $root --storage-driver btrfs"
    elif [ "${AUTOAGENT_REQUIRE_STORAGE_QUOTA:-0}" = 1 ]; then
      log "no btrfs data root for a storage quota, and AUTOAGENT_REQUIRE_STORAGE_QUOTA=1"; exit 1
    else
      log "WARNING: no btrfs data root; storage_mb is held by the watchdog only"
    fi
  fi
  log "starting dockerd $dockerd_args"
  # setsid: the daemon must outlive the shell (and process group) that started it.
  $SUDO setsid sh -c "nohup dockerd $dockerd_args >/var/log/dockerd.log 2>&1 &" </dev/null
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/dockerd.log"; tail -n 30 /var/log/dockerd.log >&2 || true; exit 1; }
fi
log "docker engine up: $(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}')"
if [ "${AUTOAGENT_REQUIRE_STORAGE_QUOTA:-0}" = 1 ] && [ "$(docker info --format '{{.Driver}}')" != btrfs ]; then
  log "AUTOAGENT_REQUIRE_STORAGE_QUOTA=1 but the running daemon uses $(docker info --format '{{.Driver}}'), which holds no storage quota"
  log "stop it and re-run this script, which starts one on a btrfs data root"; exit 1
fi

# shellcheck source=scripts/docker-base.sh
source "$(dirname "$0")/docker-base.sh"
ensure_debian_base debian:bookworm-slim bookworm
# Aliases Harbor / Terminal-Bench task Dockerfiles commonly start from, served by the same rootfs.
for alias in debian:bookworm debian:12 debian:12-slim; do
  docker image inspect "$alias" >/dev/null 2>&1 || docker tag debian:bookworm-slim "$alias"
done
