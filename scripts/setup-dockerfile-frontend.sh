#!/usr/bin/env bash
# A Dockerfile frontend new enough for the Dockerfiles Harbor tasks are written in, for Docker engines whose
# built-in one is older (Debian 12's docker.io is Engine 20.10: its BuildKit reads no heredocs, which
# Dockerfile syntax 1.4 brought). AutoAgent builds through BuildKit (src/sandbox/image.ts) and, when the
# image below exists, hands it each build as its frontend (BuildKit's BUILDKIT_SYNTAX build argument).
#
# No registry is reachable here, so `docker/dockerfile:1.4` cannot be pulled: the frontend of that release
# (moby/buildkit v0.10.6, the last one whose frontend still speaks to Engine 20.10's BuildKit) is built from
# the Go module proxy in a throwaway wrapper module (buildkit's go.mod has a replace directive, repeated
# there) and imported as a FROM-scratch image. The binary is cached outside the repo by version.
#
# Engines from 23.0 on carry a newer built-in frontend: nothing is done. Idempotent; fails loudly.
set -euo pipefail
log() { echo "[setup-dockerfile-frontend] $*" >&2; }
fail() { log "$*"; exit 1; }

IMAGE=autoagent/dockerfile-frontend:1.4
BUILDKIT_VERSION=v0.10.6
DOCKER_REPLACE="github.com/docker/docker => github.com/docker/docker v20.10.3-0.20220414164044-61404de7df1a+incompatible"
CACHE_BIN=${AUTOAGENT_CACHE_DIR:-$HOME/.cache/autoagent}/bin
BIN=$CACHE_BIN/dockerfile-frontend-$BUILDKIT_VERSION

major=$(docker version --format '{{.Server.Version}}' | cut -d. -f1)
if [ "$major" -ge 23 ]; then
  log "Engine $(docker version --format '{{.Server.Version}}') has a current built-in Dockerfile frontend"
  exit 0
fi
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE is here"
  exit 0
fi

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null 2>&1 || PATH=$PATH:/usr/local/go/bin
  command -v go >/dev/null 2>&1 || fail "no Go toolchain on PATH: the frontend is built from the Go module proxy"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  log "building the Dockerfile frontend of buildkit $BUILDKIT_VERSION from the Go module proxy ($(go env GOPROXY))"
  (
    cd "$work"
    export GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off CGO_ENABLED=0
    printf 'module autoagent/dockerfile-frontend\n\ngo 1.21\n\nrequire github.com/moby/buildkit %s\n\nreplace %s\n' \
      "$BUILDKIT_VERSION" "$DOCKER_REPLACE" >go.mod
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend"\n' >tools.go
    go mod tidy >&2
    go build -trimpath -ldflags=-s -o frontend github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend
  ) || fail "building the Dockerfile frontend failed"
  mkdir -p "$CACHE_BIN"
  mv "$work/frontend" "$BIN"
fi

# The labels the upstream image carries: the frontend needs no network, and which gateway features it uses.
root=$(mktemp -d)
mkdir -p "$root/bin"
cp "$BIN" "$root/bin/dockerfile-frontend"
tar -C "$root" -c bin | docker import \
  --change 'ENTRYPOINT ["/bin/dockerfile-frontend"]' \
  --change 'LABEL moby.buildkit.frontend.network.none="true"' \
  --change 'LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"' \
  --change 'LABEL autoagent.dockerfile-frontend="1.4"' \
  - "$IMAGE" >/dev/null
rm -rf "$root"
docker image inspect "$IMAGE" >/dev/null 2>&1 || fail "$IMAGE is missing after import"
log "imported $IMAGE (Dockerfile syntax 1.4 for Engine $(docker version --format '{{.Server.Version}}'))"
