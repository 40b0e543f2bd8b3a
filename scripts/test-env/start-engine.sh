#!/usr/bin/env bash
# Makes a Docker engine and an image registry reachable for the tests and writes
# <repo>/.test-engine/env (export lines: DOCKER_HOST, OPENMATES_TEST_REGISTRY).
#
# Engine: $OPENMATES_TEST_DOCKER_HOST when set (used as is), otherwise a private dockerd with all
#   its state under /tmp/openmates-test-engine (socket /tmp/openmates-test-engine/docker.sock),
#   started unless it already runs. The system's default daemon and its state are never touched.
# Registry: a docker-registry on 127.0.0.1:${OPENMATES_TEST_REGISTRY_PORT:-5055}, storage under
#   /tmp/openmates-test-engine/registry, started unless something already answers /v2/ there.
# Idempotent: a second run reuses what runs. stop-engine.sh stops what this script started.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${OPENMATES_TEST_ENGINE_DIR:-/tmp/openmates-test-engine}
SOCK=$STATE/docker.sock
DOCKERD_PID=$STATE/dockerd.pid
DOCKERD_LOG=$STATE/dockerd.log
REG_PORT=${OPENMATES_TEST_REGISTRY_PORT:-5055}
REG_ADDR=127.0.0.1:$REG_PORT
REG_PID=$STATE/registry.pid
REG_LOG=$STATE/registry.log
REG_CONF=$STATE/registry.yml
BRIDGE=${OPENMATES_TEST_BRIDGE:-omt-br0}
BRIDGE_CIDR=${OPENMATES_TEST_BRIDGE_CIDR:-10.212.0.1/24}
ENGINE_DEADLINE=30
REGISTRY_DEADLINE=15

log() { printf 'start-engine: %s\n' "$*" >&2; }
die() { printf 'start-engine: ERROR: %s\n' "$*" >&2; exit 1; }

# dockerd lives in /usr/sbin, which a non-login root shell may lack.
export PATH="$PATH:/usr/sbin:/sbin"
for tool in docker curl; do
  command -v "$tool" >/dev/null || die "$tool not found; run scripts/test-env/ensure-tools.sh"
done

mkdir -p "$STATE"

engine_answers() { # $1 = DOCKER_HOST
  DOCKER_HOST=$1 timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}
# True when the process lives and (given $2) runs that program. A zombie (dead, not yet reaped:
# PID 1 in a container may be slow to reap) does not count, nor a pid reused by another program.
alive() { # $1 = pid, $2 = expected program name (optional)
  [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]] || return 1
  [[ -z ${2:-} || $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]]
}
pid_alive() { # $1 = pid file, $2 = program name
  [[ -s $1 ]] && alive "$(cat "$1")" "$2"
}

ensure_bridge() {
  command -v ip >/dev/null || die "the ip command (iproute2) is missing; run scripts/test-env/ensure-tools.sh"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "creating bridge interface $BRIDGE ($BRIDGE_CIDR) for the private engine"
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
}

# ---------------------------------------------------------------------------------------- engine
if [[ -n ${OPENMATES_TEST_DOCKER_HOST:-} ]]; then
  DOCKER_HOST_VALUE=$OPENMATES_TEST_DOCKER_HOST
  engine_answers "$DOCKER_HOST_VALUE" ||
    die "the engine at OPENMATES_TEST_DOCKER_HOST=$DOCKER_HOST_VALUE does not answer (try: DOCKER_HOST=$DOCKER_HOST_VALUE docker version)"
  log "using the engine at OPENMATES_TEST_DOCKER_HOST=$DOCKER_HOST_VALUE"
else
  DOCKER_HOST_VALUE=unix://$SOCK
  if pid_alive "$DOCKERD_PID" dockerd && engine_answers "$DOCKER_HOST_VALUE"; then
    log "private engine already running (pid $(cat "$DOCKERD_PID"), $DOCKER_HOST_VALUE)"
  else
    command -v dockerd >/dev/null || die "dockerd not found; run scripts/test-env/ensure-tools.sh"
    [[ $(id -u) -eq 0 ]] || die "starting a private dockerd needs root; run as root or set OPENMATES_TEST_DOCKER_HOST to an engine you can use"
    if pid_alive "$DOCKERD_PID" dockerd; then
      # Alive but not answering: give it the rest of the deadline below instead of starting a second one.
      log "private engine (pid $(cat "$DOCKERD_PID")) is running but not answering yet; waiting for it"
    else
      rm -f "$DOCKERD_PID" "$STATE/dockerd.started-by-us"
      # After a crash, dockerd trusts containerd's pid file if that pid merely exists, even as a
      # zombie, and then times out connecting to it: drop the file unless containerd really runs.
      containerd_pid=$STATE/exec/containerd/containerd.pid
      if [[ -f $containerd_pid ]] && ! alive "$(cat "$containerd_pid")" containerd; then
        rm -f "$containerd_pid"
      fi
      log "starting a private dockerd (state in $STATE, log $DOCKERD_LOG)"
      # The engine gets its own bridge interface instead of docker0: another daemon on this host
      # (a developer's) may own docker0, and two engines allocating addresses on one bridge clash.
      # Never pass --bridge=none or --default-address-pool: on (re)start dockerd 20.10 then deletes
      # the host's docker0 interface, even while another daemon uses it.
      ensure_bridge
      # setsid: a Ctrl-C in the terminal that ran the tests must not take the engine down with it.
      # The inner shell records its own pid and execs, so the file holds dockerd's pid.
      setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$STATE/dockerd.started-by-us" \
        dockerd \
        --iptables=false --ip6tables=false \
        --bridge="$BRIDGE" \
        --data-root "$STATE/data" \
        --exec-root "$STATE/exec" \
        --pidfile "$DOCKERD_PID" \
        -H "unix://$SOCK" \
        >"$DOCKERD_LOG" 2>&1 </dev/null &
      sleep 0.1
    fi
    deadline=$((SECONDS + ENGINE_DEADLINE))
    until engine_answers "$DOCKER_HOST_VALUE"; do
      if ((SECONDS >= deadline)); then
        log "the private engine did not answer on $SOCK within ${ENGINE_DEADLINE}s; last lines of $DOCKERD_LOG:"
        tail -n 30 "$DOCKERD_LOG" >&2 || true
        die "engine not ready"
      fi
      if [[ -s $STATE/dockerd.started-by-us ]] && ! alive "$(cat "$STATE/dockerd.started-by-us")"; then
        log "dockerd exited during startup; last lines of $DOCKERD_LOG:"
        tail -n 30 "$DOCKERD_LOG" >&2 || true
        rm -f "$STATE/dockerd.started-by-us"
        die "engine failed to start"
      fi
      sleep 0.2
    done
    log "private engine ready ($DOCKER_HOST_VALUE, pid $(cat "$DOCKERD_PID" 2>/dev/null || echo '?'))"
  fi
fi

# -------------------------------------------------------------------------------------- registry
registry_answers() {
  curl -fsS --max-time 3 -o /dev/null -D - "http://$REG_ADDR/v2/" 2>/dev/null |
    grep -qi '^docker-distribution-api-version: *registry/2'
}

if registry_answers; then
  log "registry already answering on http://$REG_ADDR/v2/"
else
  command -v docker-registry >/dev/null || die "docker-registry not found; run scripts/test-env/ensure-tools.sh"
  if (exec 3<>"/dev/tcp/127.0.0.1/$REG_PORT") 2>/dev/null; then
    die "port $REG_PORT on 127.0.0.1 is taken by something that is not a Docker registry; set OPENMATES_TEST_REGISTRY_PORT to a free port"
  fi
  if pid_alive "$REG_PID" docker-registry; then
    log "stopping an unresponsive registry we started earlier (pid $(cat "$REG_PID"))"
    kill "$(cat "$REG_PID")" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$REG_PID"
  mkdir -p "$STATE/registry"
  cat >"$REG_CONF" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $REG_ADDR
YAML
  log "starting docker-registry on $REG_ADDR (storage $STATE/registry, log $REG_LOG)"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$REG_PID" \
    docker-registry serve "$REG_CONF" >"$REG_LOG" 2>&1 </dev/null &
  sleep 0.1
  deadline=$((SECONDS + REGISTRY_DEADLINE))
  until registry_answers; do
    if ((SECONDS >= deadline)) || { [[ -s $REG_PID ]] && ! alive "$(cat "$REG_PID")"; }; then
      log "the registry did not answer on http://$REG_ADDR/v2/ within ${REGISTRY_DEADLINE}s; last lines of $REG_LOG:"
      tail -n 30 "$REG_LOG" >&2 || true
      rm -f "$REG_PID"
      die "registry not ready"
    fi
    sleep 0.1
  done
  log "registry ready on $REG_ADDR"
fi

# ------------------------------------------------------------------------------------------- env
mkdir -p "$REPO/.test-engine"
tmp=$(mktemp "$REPO/.test-engine/env.XXXXXX")
{
  echo "# Written by scripts/test-env/start-engine.sh; read by scripts/test.sh and test/e2e."
  printf 'export DOCKER_HOST=%q\n' "$DOCKER_HOST_VALUE"
  printf 'export OPENMATES_TEST_REGISTRY=%q\n' "$REG_ADDR"
} >"$tmp"
mv "$tmp" "$REPO/.test-engine/env"
log "wrote $REPO/.test-engine/env (DOCKER_HOST=$DOCKER_HOST_VALUE, OPENMATES_TEST_REGISTRY=$REG_ADDR)"
