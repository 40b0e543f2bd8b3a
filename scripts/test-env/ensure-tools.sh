#!/usr/bin/env bash
# Installs the tools the test engine needs, only when one is missing:
#   docker.io (dockerd + docker CLI), docker-compose (Compose v1), docker-registry,
#   busybox-static (the fixture images' only binary, and the full-screen `busybox vi` of the remote
#   shell test), tmux (full-screen e2e tests), curl,
#   iproute2 (the private engine's own bridge interface), chromium (the web page's browser e2e
#   tests drive it headless through puppeteer-core), systemd (systemd-analyze verifies the agent's
#   unit file; nothing is started), tcpdump (the relay test captures loopback traffic on the relay's
#   port and checks it holds no plaintext), git (isolated runs clone with it; their tests make
#   repositories with it);
# then Compose v2 as a Docker CLI plugin (ensure-compose-v2.sh: Debian trixie's binary, fetched
# through a private apt configuration, never installed as a package).
# Idempotent; needs root only when something has to be installed.
set -euo pipefail

log() { printf 'ensure-tools: %s\n' "$*" >&2; }

# package -> a file it installs that we need
declare -A wanted=(
  [docker.io]=dockerd
  [docker-compose]=docker-compose
  [docker-registry]=docker-registry
  [busybox-static]=busybox
  [tmux]=tmux
  [curl]=curl
  [iproute2]=ip
  [chromium]=chromium
  [systemd]=systemd-analyze
  [tcpdump]=tcpdump
  [git]=git
)

missing=()
for pkg in docker.io docker-compose docker-registry busybox-static tmux curl iproute2 chromium systemd tcpdump git; do
  cmd=${wanted[$pkg]}
  if [[ $pkg == busybox-static ]]; then
    # Any busybox will not do: the images are FROM scratch, so it has to be the static one.
    if dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then continue; fi
  elif PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1; then
    continue
  fi
  missing+=("$pkg")
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ((${#missing[@]} == 0)); then
  log "all tools present (docker.io, docker-compose, docker-registry, busybox-static, tmux, curl, iproute2, chromium, systemd, tcpdump, git)"
  exec bash "$HERE/ensure-compose-v2.sh"
fi

log "missing: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  log "ERROR: installing ${missing[*]} needs root. Run as root, or: sudo apt-get install -y ${missing[*]}"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "ERROR: apt-get not found; install ${missing[*]} with this system's package manager"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Keep the packages' services (the system's docker daemon above all) from starting on install: the
# tests run their own engine, and the system's default daemon state is not ours to create.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY"
  chmod 0755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi
apt_install() { apt-get install -y -q --no-install-recommends "$@" </dev/null; }
if ! apt_install "${missing[@]}"; then
  log "first attempt failed; running apt-get update and retrying"
  apt-get update -q </dev/null
  apt_install "${missing[@]}"
fi
log "installed: ${missing[*]}"
bash "$HERE/ensure-compose-v2.sh"
