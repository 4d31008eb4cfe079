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
  # storage_mb as a kernel quota (on unless AUTOAGENT_DOCKER_QUOTA=0): a btrfs data root with quotas, on a loop
  # file unless one is given, lets the daemon take `--storage-opt size` (src/sandbox/storage-quota.ts).
  # Without it the watchdog holds the limit alone; AUTOAGENT_REQUIRE_STORAGE_QUOTA=1 makes that an error.
  dockerd_args=""
  if [ "${AUTOAGENT_DOCKER_QUOTA:-1}" != 0 ]; then
    # shellcheck source=scripts/docker-quota-root.sh
    source "$(dirname "$0")/docker-quota-root.sh"
    if root=$(prepare_quota_root); then
      dockerd_args="--data-root $root --storage-driver btrfs"
    elif [ "${AUTOAGENT_REQUIRE_STORAGE_QUOTA:-0}" = 1 ]; then
      log "no btrfs data root with quotas, and AUTOAGENT_REQUIRE_STORAGE_QUOTA=1"; exit 1
    else
      log "WARNING: no btrfs data root with quotas; storage_mb is held by the watchdog only"
    fi
  fi
  log "starting dockerd $dockerd_args"
  # setsid: the daemon must outlive the shell (and process group) that started it.
  $SUDO setsid sh -c "nohup dockerd $dockerd_args >/var/log/dockerd.log 2>&1 &" </dev/null
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/dockerd.log"; tail -n 30 /var/log/dockerd.log >&2 || true; exit 1; }
fi
log "docker engine up: $(docker version --format '{{.Server.Version}}'), storage driver $(docker info --format '{{.Driver}}')"
# shellcheck source=scripts/docker-base.sh
source "$(dirname "$0")/docker-base.sh"
ensure_debian_base debian:bookworm-slim bookworm
# Aliases Harbor / Terminal-Bench task Dockerfiles commonly start from, served by the same rootfs.
for alias in debian:bookworm debian:12 debian:12-slim; do
  docker image inspect "$alias" >/dev/null 2>&1 || docker tag debian:bookworm-slim "$alias"
done

# Whether this daemon holds storage_mb in the kernel, asked the way the sandboxes ask: a container with a size
# (above the image's own: a btrfs limit counts the image's blocks too).
probe_mb=$(( $(docker image inspect debian:bookworm-slim --format '{{.Size}}') / 1048576 + 64 ))
if docker run --rm --network none --storage-opt "size=${probe_mb}M" debian:bookworm-slim true >/dev/null 2>&1; then
  log "storage quota: yes (--storage-opt size is held by $(docker info --format '{{.Driver}}') on $(docker info --format '{{.DockerRootDir}}'))"
elif [ "${AUTOAGENT_REQUIRE_STORAGE_QUOTA:-0}" = 1 ]; then
  log "AUTOAGENT_REQUIRE_STORAGE_QUOTA=1 but the running daemon ($(docker info --format '{{.Driver}}') on $(docker info --format '{{.DockerRootDir}}')) refuses --storage-opt size"
  log "stop it and re-run this script, which starts one on a btrfs data root with quotas"; exit 1
else
  log "WARNING: the running daemon holds no storage quota; storage_mb is held by the watchdog only"
fi

# Dockerfile syntax 1.4 (heredocs) on engines whose built-in BuildKit frontend predates it (Engine < 23).
bash "$(dirname "$0")/setup-dockerfile-frontend.sh"
