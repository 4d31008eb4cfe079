# Sourced by setup-docker.sh. prepare_quota_root prints a btrfs directory with quotas enabled for dockerd's
# --data-root, or fails (quietly: the caller decides whether that is fatal). Why btrfs: overlay2's quota needs
# XFS or ext4 project quotas, and kernels built without them (CONFIG_XFS_QUOTA, CONFIG_QFMT_V2, as on these
# machines) have none; btrfs quotas are in every btrfs.
#   AUTOAGENT_DOCKER_ROOT  the directory (default /var/lib/autoagent/docker); used as is when already btrfs
#   AUTOAGENT_DOCKER_IMG   else, a sparse loop file formatted btrfs and mounted there (default
#                          /var/lib/autoagent/docker-btrfs.img, AUTOAGENT_DOCKER_IMG_SIZE, default 48G); kept
#                          across runs, so images built once survive a restart of the machine's daemon
prepare_quota_root() {
  local root="${AUTOAGENT_DOCKER_ROOT:-/var/lib/autoagent/docker}"
  local img="${AUTOAGENT_DOCKER_IMG:-/var/lib/autoagent/docker-btrfs.img}"
  command -v mkfs.btrfs >/dev/null 2>&1 || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq btrfs-progs >/dev/null; } || return 1
  $SUDO mkdir -p "$root" || return 1
  if [ "$(stat -f -c %T "$root")" != btrfs ]; then
    if [ ! -f "$img" ]; then
      $SUDO mkdir -p "$(dirname "$img")" && $SUDO truncate -s "${AUTOAGENT_DOCKER_IMG_SIZE:-48G}" "$img" \
        && $SUDO mkfs.btrfs -q "$img" >/dev/null 2>&1 || { $SUDO rm -f "$img"; log "mkfs.btrfs failed"; return 1; }
    fi
    $SUDO mount -o loop "$img" "$root" 2>/dev/null || { log "cannot loop-mount $img (no loop devices or no btrfs in this kernel?)"; return 1; }
  fi
  # Simple quotas where the kernel has them (>= 6.7): classic qgroups make every subvolume deletion cost
  # btrfs-cleaner a backref walk, which held one core of two at ~90% through the test suite here.
  if ! $SUDO python3 "$(dirname "${BASH_SOURCE[0]}")/btrfs-quota-mode.py" "$root" simple >/dev/null; then
    log "WARNING: no simple quotas in this kernel; classic btrfs qgroups make sandbox removal slow"
    $SUDO python3 "$(dirname "${BASH_SOURCE[0]}")/btrfs-quota-mode.py" "$root" classic >/dev/null || { log "btrfs quotas cannot be enabled on $root"; return 1; }
  fi
  echo "$root"
}
