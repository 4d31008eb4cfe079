#!/usr/bin/env bash
# A real S3-compatible store for the tests: SeaweedFS (`weed server -s3`, Apache-2.0; MinIO's server is
# AGPL), built from the Go module proxy and started on loopback. Called by scripts/setup-services.sh, which
# sets the variables below; runnable alone with the same defaults.
#
# Why a wrapper module: github.com/seaweedfs/seaweedfs has a replace directive in its go.mod, so
# `go install …@version` refuses it. We write a throwaway module (in a temp dir) that requires it at a pinned
# version and repeats its replace directives, read from the module's own go.mod, then `go build` the `weed`
# command. The binary is cached outside the repo by version (~/.cache/autoagent/bin/weed-<ver>), so a fresh
# clone on the same machine reuses it; the cold build takes minutes on 2 cores.
#
# Idempotent: a server already answering on the S3 port is left alone; otherwise it is started and the script
# waits until a signed request succeeds (create bucket, put, get, delete). Fails loudly when it cannot.
set -euo pipefail
log() { echo "[setup-seaweedfs] $*" >&2; }
fail() { log "$*"; exit 1; }

# The proxy lists no release tags for this module (its tags are not semver), only pseudo-versions: pin one.
WEED_MODULE=github.com/seaweedfs/seaweedfs
WEED_VERSION=${AUTOAGENT_WEED_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}
CACHE_BIN=${AUTOAGENT_CACHE_DIR:-$HOME/.cache/autoagent}/bin
WEED=$CACHE_BIN/weed-$WEED_VERSION

DIR=${AUTOAGENT_SEAWEEDFS_DIR:-${AUTOAGENT_SERVICES_DIR:-/var/lib/autoagent/services}/seaweedfs}
S3_PORT=${AUTOAGENT_S3_PORT:-58333}
# Fixed loopback ports for the other parts. gRPC ports are given too: weed's default (port + 10000) would
# leave the valid range for ports this high. The S3 gateway's Iceberg and Lance catalogues stay off.
# -master.electionTimeout=1s: a restarted single master otherwise waits ~20 s to elect itself before any write.
MASTER_PORT=${AUTOAGENT_WEED_MASTER_PORT:-59333}
VOLUME_PORT=${AUTOAGENT_WEED_VOLUME_PORT:-58080}
FILER_PORT=${AUTOAGENT_WEED_FILER_PORT:-58888}
S3_ACCESS_KEY=${AUTOAGENT_S3_ACCESS_KEY:-autoagent}
S3_SECRET_KEY=${AUTOAGENT_S3_SECRET_KEY:-autoagent-local-secret}
S3_REGION=${AUTOAGENT_S3_REGION:-us-east-1}
S3_BUCKET=${AUTOAGENT_S3_BUCKET:-autoagent}
ENDPOINT=http://127.0.0.1:$S3_PORT

build_weed() {
  command -v go >/dev/null 2>&1 || PATH=$PATH:/usr/local/go/bin   # where Go's own tarball installs it
  command -v go >/dev/null 2>&1 ||
    fail "no Go toolchain on PATH: SeaweedFS is built from the Go module proxy; install Go >= 1.21 (it fetches the toolchain the module needs)"
  local work started
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the trap must remove this directory, not a later value
  trap "rm -rf '$work'" RETURN
  started=$(date +%s)
  log "building weed $WEED_VERSION from the Go module proxy ($(go env GOPROXY)); the first build takes minutes"
  (
    cd "$work"
    export GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off CGO_ENABLED=0
    cat >go.mod <<EOF
module autoagent.local/weed-build

go 1.21

require $WEED_MODULE $WEED_VERSION
EOF
    # The module's own go.mod, from the proxy, for its replace directives (and its go/toolchain line).
    local modfile
    modfile=$(go mod download -json "$WEED_MODULE@$WEED_VERSION" | node -e \
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error)throw new Error(j.Error);console.log(j.GoMod)})')
    go mod edit -json "$modfile" | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const at = (m) => (m.Version ? `${m.Path}@${m.Version}` : m.Path);
        for (const r of JSON.parse(s).Replace ?? []) console.log(`-replace=${at(r.Old)}=${at(r.New)}`);
      })' >replaces
    [ -s replaces ] && log "repeating $(wc -l <replaces) replace directive(s): $(tr '\n' ' ' <replaces)"
    # shellcheck disable=SC2046 # one argument per line, none with spaces
    [ -s replaces ] && go mod edit $(cat replaces)
    go mod edit -go="$(go mod edit -json "$modfile" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Go))')"
    go build -trimpath -ldflags="-s -w" -o "$work/weed" "$WEED_MODULE/weed"
  ) || fail "building weed $WEED_VERSION failed (see the go output above)"
  mkdir -p "$CACHE_BIN"
  mv "$work/weed" "$WEED.tmp.$$" && mv "$WEED.tmp.$$" "$WEED"   # atomic: a half-written binary is never cached
  log "built $WEED in $(($(date +%s) - started))s"
}

# A signed S3 request (SigV4, by curl) against the endpoint: answers only when the identity config is in force.
s3() {
  local method=$1 path=$2; shift 2
  curl -sS -f -o /dev/null -m 10 -X "$method" --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" "$ENDPOINT$path"
}
s3_ready() { s3 GET / 2>/dev/null; }

if s3_ready; then
  log "S3 already answering at $ENDPOINT"
else
  [ -x "$WEED" ] || build_weed
  "$WEED" version >/dev/null 2>&1 || fail "$WEED does not run; delete it and re-run to rebuild"
  mkdir -p "$DIR/data"
  # The identity config: one throwaway local key pair with every action. Written on each start so a changed
  # key takes effect; it holds only the local test credentials.
  cat >"$DIR/s3.json" <<EOF
{
  "identities": [
    {
      "name": "autoagent",
      "credentials": [{ "accessKey": "$S3_ACCESS_KEY", "secretKey": "$S3_SECRET_KEY" }],
      "actions": ["Admin", "Read", "List", "Tagging", "Write"]
    }
  ]
}
EOF
  chmod 600 "$DIR/s3.json"
  if [ -f "$DIR/weed.pid" ] && kill -0 "$(cat "$DIR/weed.pid")" 2>/dev/null; then
    log "weed (pid $(cat "$DIR/weed.pid")) is running but S3 does not answer yet; waiting for it"
  else
    log "starting weed server -s3 on 127.0.0.1:$S3_PORT (data in $DIR)"
    # setsid + nohup: the server must outlive the set-up shell and its process group.
    setsid nohup "$WEED" server -dir="$DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port="$MASTER_PORT" -master.port.grpc=$((MASTER_PORT + 1)) \
      -master.volumeSizeLimitMB=256 -master.defaultReplication=000 -master.electionTimeout=1s \
      -volume.port="$VOLUME_PORT" -volume.port.grpc=$((VOLUME_PORT + 1)) -volume.max=64 \
      -filer -filer.port="$FILER_PORT" -filer.port.grpc=$((FILER_PORT + 1)) \
      -s3 -s3.port="$S3_PORT" -s3.port.grpc=$((S3_PORT + 1)) -s3.config="$DIR/s3.json" \
      -s3.port.iceberg=0 -s3.port.lance=0 \
      >"$DIR/weed.log" 2>&1 </dev/null &
    echo $! >"$DIR/weed.pid"
  fi
  for _ in $(seq 1 120); do
    s3_ready && break
    kill -0 "$(cat "$DIR/weed.pid")" 2>/dev/null || break   # it exited: say so now, not after the timeout
    sleep 1
  done
  s3_ready || {
    log "SeaweedFS S3 did not answer at $ENDPOINT (weed pid $(cat "$DIR/weed.pid") $(kill -0 "$(cat "$DIR/weed.pid")" 2>/dev/null && echo 'still running after 120 s' || echo 'exited')); the end of $DIR/weed.log:"
    tail -n 40 "$DIR/weed.log" >&2 || true
    grep -E '^F[0-9]{4} ' "$DIR/weed.log" | tail -n 3 | sed 's/^/[setup-seaweedfs] fatal: /' >&2 || true
    exit 1
  }
  log "S3 answering at $ENDPOINT"
fi

# Prove the store takes writes (the first one waits for volume growth), and leave the default bucket.
probe=/$S3_BUCKET/.setup-probe-$$
s3 PUT "/$S3_BUCKET" 2>/dev/null || s3 HEAD "/$S3_BUCKET" || fail "cannot create or reach bucket $S3_BUCKET at $ENDPOINT"
ok=0
for _ in $(seq 1 30); do
  if printf probe | s3 PUT "$probe" --data-binary @- 2>/dev/null && s3 GET "$probe" && s3 DELETE "$probe"; then ok=1; break; fi
  sleep 1
done
[ $ok = 1 ] || fail "SeaweedFS at $ENDPOINT answers but cannot store an object; see $DIR/weed.log"
log "S3 ready at $ENDPOINT (bucket $S3_BUCKET)"
