#!/usr/bin/env bash
# Stops what start-engine.sh started: the private dockerd under /tmp/openmates-test-engine and the
# private docker-registry. An engine given through OPENMATES_TEST_DOCKER_HOST, and a registry that
# was already answering when start-engine.sh ran, are left alone. State (images, volumes, registry
# storage) stays on disk for the next start; remove /tmp/openmates-test-engine for a cold start.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${OPENMATES_TEST_ENGINE_DIR:-/tmp/openmates-test-engine}
BRIDGE=${OPENMATES_TEST_BRIDGE:-omt-br0}
DEADLINE=30

log() { printf 'stop-engine: %s\n' "$*" >&2; }

# True when the process lives and (given $2) runs that program. A zombie (dead, not yet reaped:
# PID 1 in a container may be slow to reap) does not count, nor a pid reused by another program.
alive() { # $1 = pid, $2 = expected program name (optional)
  [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]] || return 1
  [[ -z ${2:-} || $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]]
}

stop_pid() { # $1 = what, $2 = pid file, $3 = program name
  local what=$1 pidfile=$2 program=$3 pid
  if [[ ! -s $pidfile ]]; then
    log "$what: not started by start-engine.sh (no $pidfile)"
    return 0
  fi
  pid=$(cat "$pidfile")
  if ! alive "$pid" "$program"; then
    log "$what: not running (stale pid $pid)"
    rm -f "$pidfile"
    return 0
  fi
  log "stopping $what (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + DEADLINE))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$what (pid $pid) did not stop within ${DEADLINE}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
}

stop_pid "private dockerd" "$STATE/dockerd.pid" dockerd
rm -f "$STATE/dockerd.started-by-us"

# dockerd mounts its data root onto itself (and a killed one leaves that behind); unmount what
# is left under the state dir, deepest first, so `rm -rf` of it works.
if ! { [[ -s $STATE/dockerd.pid ]] && alive "$(cat "$STATE/dockerd.pid")" dockerd; }; then
  awk -v prefix="$STATE/" '$2 == substr(prefix, 1, length(prefix) - 1) || index($2, prefix) == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r mountpoint; do
      umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" 2>/dev/null || log "could not unmount $mountpoint"
    done
fi
stop_pid "private registry" "$STATE/registry.pid" docker-registry

# The bridge start-engine.sh created for the private engine; only once no dockerd uses it.
if command -v ip >/dev/null && ip link show "$BRIDGE" >/dev/null 2>&1 && ! pgrep -f -- "--bridge=$BRIDGE" >/dev/null; then
  ip link delete "$BRIDGE" 2>/dev/null && log "removed bridge interface $BRIDGE" || true
fi
rm -f "$REPO/.test-engine/env"
log "done"
