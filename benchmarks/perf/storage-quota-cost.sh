#!/usr/bin/env bash
# What a kernel storage quota costs a sandbox, measured side by side in one run: two throwaway dockerd's,
#   plain  overlay2 on a directory of the host's filesystem (ext4 here): no quota, the watchdog alone
#   btrfs  the btrfs driver on a loop-mounted btrfs file with quotas in MODE (simple, the default and what
#          scripts/setup-docker.sh enables, or classic), every container created with --storage-opt size
# each doing CYCLES sandbox cycles (create, start, write WRITE_MB, measure the writable layer the way the
# watchdog does — SizeRw — and remove), alternating between the daemons so both see the same machine load.
# Prints wall time per cycle, one SizeRw poll (through curl + python, ~150 ms of process start included on
# both), the daemons' CPU seconds, and the machine's busy CPU per cycle (kernel threads included). Root only;
# nothing is left behind.
#   CYCLES=20 WRITE_MB=20 bash benchmarks/perf/storage-quota-cost.sh
set -euo pipefail
CYCLES=${CYCLES:-20}
WRITE_MB=${WRITE_MB:-20}
IMAGE=${IMAGE:-debian:bookworm-slim}
WORK=$(mktemp -d /var/tmp/aa-quota-bench.XXXXXX)
log() { echo "[storage-quota-cost] $*" >&2; }
command -v mkfs.btrfs >/dev/null || { log "needs btrfs-progs (apt-get install btrfs-progs)"; exit 1; }
docker image inspect "$IMAGE" >/dev/null || { log "the machine's daemon has no $IMAGE: run scripts/setup.sh"; exit 1; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  umount "$WORK/btrfs/root" 2>/dev/null || true
  # Each daemon has its own bridge: a daemon started with --bridge=none deletes docker0, the machine's bridge.
  for b in aa-bench-plain aa-bench-btrfs; do ip link del "$b" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start_daemon() { # name subnet driver
  local name=$1 dir=$WORK/$1
  mkdir -p "$dir/root" "$dir/exec"
  ip link add "aa-bench-$name" type bridge && ip addr add "$2" dev "aa-bench-$name" && ip link set "aa-bench-$name" up
  dockerd --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" --host "unix://$dir/docker.sock" \
    --bridge "aa-bench-$name" --iptables=false --storage-driver "$3" >"$dir/dockerd.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do DOCKER_HOST=unix://$dir/docker.sock docker info >/dev/null 2>&1 && break; sleep 0.5; done
  DOCKER_HOST=unix://$dir/docker.sock docker info >/dev/null || { tail "$dir/dockerd.log" >&2; exit 1; }
  docker save "$IMAGE" | DOCKER_HOST=unix://$dir/docker.sock docker load -q >/dev/null
}

mkdir -p "$WORK/btrfs/root"
truncate -s 8G "$WORK/btrfs.img" && mkfs.btrfs -q "$WORK/btrfs.img" >/dev/null
mount -o loop "$WORK/btrfs.img" "$WORK/btrfs/root"
python3 "$(dirname "$0")/../../scripts/btrfs-quota-mode.py" "$WORK/btrfs/root" "${MODE:-simple}" >/dev/null
start_daemon plain 172.31.251.1/24 overlay2
start_daemon btrfs 172.31.252.1/24 btrfs
# Classic qgroups count the image's blocks too (src/sandbox/storage-quota.ts); simple quotas do not.
image_mb=0; [ "${MODE:-simple}" = classic ] && image_mb=$(( $(docker image inspect "$IMAGE" --format '{{.Size}}') / 1048576 + 4 ))

now() { date +%s.%N; }
cpu_of() { awk '{ print ($14 + $15) / 100 }' "/proc/$1/stat"; } # utime + stime, in seconds (USER_HZ 100)

machine_jiffies() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 }' /proc/stat; } # busy time of every core, kernel threads (btrfs-cleaner) included
declare -A wall poll cpu0 busy
for name in plain btrfs; do wall[$name]=0; poll[$name]=0; busy[$name]=0; cpu0[$name]=$(cpu_of "$(cat "$WORK/$name/dockerd.pid")"); done
for i in $(seq 1 "$CYCLES"); do
  for name in plain btrfs; do
    export DOCKER_HOST=unix://$WORK/$name/docker.sock
    opt=(); [ $name = btrfs ] && opt=(--storage-opt size=$((image_mb + WRITE_MB + 50))M)
    j0=$(machine_jiffies); t0=$(now)
    id=$(docker create --network none "${opt[@]}" "$IMAGE" sh -c "head -c $((WRITE_MB * 1048576)) /dev/urandom > /blob; sleep 30")
    docker start "$id" >/dev/null
    while [ "$(docker exec "$id" sh -c 'stat -c %s /blob 2>/dev/null || echo 0')" -lt $((WRITE_MB * 1048576)) ]; do sleep 0.05; done
    t1=$(now)
    size=$(curl -s --unix-socket "$WORK/$name/docker.sock" "http://d/containers/$id/json?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["SizeRw"])')
    t2=$(now)
    [ "$size" -ge $((WRITE_MB * 1048576)) ] || { log "$name: SizeRw $size below the $WRITE_MB MB written"; exit 1; }
    docker rm -f "$id" >/dev/null
    t3=$(now); j3=$(machine_jiffies)
    busy[$name]=$(( ${busy[$name]} + j3 - j0 ))
    wall[$name]=$(echo "${wall[$name]} + ($t1 - $t0) + ($t3 - $t2)" | bc)
    poll[$name]=$(echo "${poll[$name]} + ($t2 - $t1)" | bc)
  done
done
unset DOCKER_HOST
# The btrfs-cleaner deletes removed subvolumes after the next commit (up to 30 s later): its CPU is the quota's
# cost too, so it is waited for and charged to btrfs (not to the cycles' wall time: it runs in the background).
j0=$(machine_jiffies); t0=$(now)
btrfs subvolume sync "$WORK/btrfs/root" >/dev/null 2>&1 || true
busy[btrfs]=$(( ${busy[btrfs]} + $(machine_jiffies) - j0 ))
log "btrfs-cleaner backlog drained in $(echo "$(now) - $t0" | bc) s"

# The quota really holds on the btrfs daemon: a container with 30 MB over its image cannot write 60 MB.
held=$(DOCKER_HOST=unix://$WORK/btrfs/docker.sock docker run --rm --network none --storage-opt size=$((image_mb + 30))M "$IMAGE" \
  sh -c 'dd if=/dev/zero of=/big bs=1M count=60 2>/dev/null; echo $(( $(stat -c %s /big) / 1048576 ))')
printf '%-6s %10s %17s %16s %22s\n' daemon "cycle (s)" "SizeRw poll (ms)" "dockerd CPU (s)" "machine CPU/cycle (s)"
for name in plain btrfs; do
  c=$(echo "$(cpu_of "$(cat "$WORK/$name/dockerd.pid")") - ${cpu0[$name]}" | bc)
  printf '%-6s %10.3f %17.1f %16.2f %22.3f\n' $name "$(echo "${wall[$name]} / $CYCLES" | bc -l)" "$(echo "${poll[$name]} * 1000 / $CYCLES" | bc -l)" "$c" "$(echo "${busy[$name]} / 100 / $CYCLES" | bc -l)"
done
echo "btrfs quota mode: ${MODE:-simple}"
echo "ratio btrfs/plain per cycle: $(echo "scale=2; ${wall[btrfs]} / ${wall[plain]}" | bc)"
echo "btrfs quota check: a 60 MB write with 30 MB over the image kept ${held} MB"
