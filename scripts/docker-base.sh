# Sourced (not run) by setup-docker.sh and standin-images.sh: builds a Debian base image locally.
# ensure_debian_base TAG SUITE — no-op when TAG exists; else tries a registry pull (60 s), else debootstraps
# SUITE from deb.debian.org into a rootfs and `docker import`s it, slim like the official image.
# Needs: log(), SUDO set by the caller. Exits the caller loudly on failure.

ensure_debian_base() {
  local tag="$1" suite="$2"
  if docker image inspect "$tag" >/dev/null 2>&1; then return 0; fi
  if timeout 60 docker pull -q "$tag" >/dev/null 2>&1; then log "pulled $tag"; return 0; fi
  log "no registry: building $tag with debootstrap ($suite); takes a minute or two"
  command -v debootstrap >/dev/null 2>&1 || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq debootstrap >/dev/null; }
  local dir; dir=$(mktemp -d /tmp/rootfs-XXXX)
  $SUDO debootstrap --variant=minbase "$suite" "$dir" http://deb.debian.org/debian >/tmp/debootstrap-"$suite".log 2>&1 \
    || { log "debootstrap failed; see /tmp/debootstrap-$suite.log"; tail -n 20 /tmp/debootstrap-"$suite".log >&2; $SUDO rm -rf "$dir"; exit 1; }
  # mktemp -d makes the folder 0700, and it becomes the image's `/`: a non-root user could then reach nothing
  # (overlay2 hid this; btrfs snapshots keep the mode). The official images have a 0755 root.
  $SUDO chmod 0755 "$dir"
  # Slim like the official image: no apt lists or caches.
  $SUDO rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin
  $SUDO tar -C "$dir" -c . | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null
  $SUDO rm -rf "$dir"
  log "built $tag"
}
