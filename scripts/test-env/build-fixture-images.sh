#!/usr/bin/env bash
# Builds the fixture images (test/fixtures/images/) and pushes them to the test registry:
#   $OPENMATES_TEST_REGISTRY/openmates-test/openmates-{api,webapp,database,cache,setup}:{v1.0.0,v1.1.0,v1.2.0}
#   $OPENMATES_TEST_REGISTRY/openmates-test/openmates-chatty:latest (log-heavy service for the log benchmarks)
#   $OPENMATES_TEST_REGISTRY/openmates-test/openmates-runner:latest (busybox with an ordinary user, for isolated runs)
#   $OPENMATES_TEST_REGISTRY/openmates-test/toolbox:latest       (busybox helper for volume access)
#   $OPENMATES_TEST_REGISTRY/openmates-test/fixture-stamp:<hash> (marks a complete push of <hash>)
# <hash> covers the build contexts, this script and the busybox binary. When the registry already
# has every tag and the stamp of the current hash, nothing is built. Needs .test-engine/env from
# start-engine.sh. The locally built copies are removed after the push, so the engine starts
# without them and installs really pull.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCRIPT=$REPO/scripts/test-env/build-fixture-images.sh
CONTEXTS=$REPO/test/fixtures/images
NAMESPACE=openmates-test
IMAGES=(api webapp database cache setup)
TAGS=(v1.0.0 v1.1.0 v1.2.0)
UNVERSIONED=(chatty runner) # test-only images, one tag: latest
BROKEN_API_TAG=v1.2.0 # this release's api never becomes healthy

log() { printf 'build-fixture-images: %s\n' "$*" >&2; }
die() { printf 'build-fixture-images: ERROR: %s\n' "$*" >&2; exit 1; }

ENV_FILE=$REPO/.test-engine/env
[[ -f $ENV_FILE ]] || die "$ENV_FILE is missing; run scripts/test-env/start-engine.sh first"
# shellcheck source=/dev/null
source "$ENV_FILE"
[[ -n ${DOCKER_HOST:-} && -n ${OPENMATES_TEST_REGISTRY:-} ]] ||
  die "$ENV_FILE does not set DOCKER_HOST and OPENMATES_TEST_REGISTRY; run scripts/test-env/start-engine.sh"
REG=$OPENMATES_TEST_REGISTRY
export DOCKER_HOST
export DOCKER_BUILDKIT=0 # the classic builder: present in every docker.io, no buildx needed

BUSYBOX=
for candidate in /usr/bin/busybox /bin/busybox; do
  if [[ -x $candidate ]]; then BUSYBOX=$candidate; break; fi
done
[[ -n $BUSYBOX ]] || die "no busybox binary; run scripts/test-env/ensure-tools.sh (installs busybox-static)"
if command -v ldd >/dev/null && ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; the FROM-scratch images need busybox-static (apt-get install busybox-static)"
fi

HASH=$(
  {
    (cd "$CONTEXTS" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    sha256sum <"$SCRIPT"
    sha256sum <"$BUSYBOX"
  } | sha256sum | cut -c1-16
)

tags_of() { # $1 = repository path; prints its tags, one a line (nothing when unknown)
  curl -fsS --max-time 5 "http://$REG/v2/$1/tags/list" 2>/dev/null | grep -o '"tags":\[[^]]*\]' | grep -o '"[^"]*"' | tr -d '"' | grep -v '^tags$' || true
}

up_to_date() {
  tags_of "$NAMESPACE/fixture-stamp" | grep -qx "$HASH" || return 1
  tags_of "$NAMESPACE/toolbox" | grep -qx latest || return 1
  local name tag tags
  for name in "${UNVERSIONED[@]}"; do
    tags_of "$NAMESPACE/openmates-$name" | grep -qx latest || return 1
  done
  for name in "${IMAGES[@]}"; do
    tags=$(tags_of "$NAMESPACE/openmates-$name")
    for tag in "${TAGS[@]}"; do grep -qx "$tag" <<<"$tags" || return 1; done
  done
}

curl -fsS --max-time 5 -o /dev/null "http://$REG/v2/" || die "the registry at http://$REG/v2/ does not answer; run scripts/test-env/start-engine.sh"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "the engine at DOCKER_HOST=$DOCKER_HOST does not answer; run scripts/test-env/start-engine.sh"

if up_to_date; then
  log "fixture images up to date in $REG (hash $HASH)"
  exit 0
fi

log "building fixture images (hash $HASH) and pushing them to $REG/$NAMESPACE"
WORK=$(mktemp -d /tmp/openmates-fixture-build.XXXXXX)
OUT=$WORK/output.log
BUILT=()
cleanup() {
  if ((${#BUILT[@]})); then docker rmi "${BUILT[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

run() { # runs a command with its output in $OUT, shown only when it fails
  if ! "$@" >"$OUT" 2>&1; then
    cat "$OUT" >&2
    die "failed: $*"
  fi
}

# The shared base: busybox and its applet links. Built in a temporary copy of the context, so the
# binary never lands in the work tree.
BASE=$NAMESPACE/fixture-base:$HASH
mkdir -p "$WORK/base"
cp "$CONTEXTS/base/Dockerfile" "$WORK/base/"
cp "$BUSYBOX" "$WORK/base/busybox"
run docker build --network none --label "org.openmates.test.fixture-hash=$HASH" -t "$BASE" "$WORK/base"
BUILT+=("$BASE")

# The 15 version images are independent: build them side by side.
build_pids=() build_refs=() build_logs=()
for name in "${IMAGES[@]}"; do
  for tag in "${TAGS[@]}"; do
    ref=$REG/$NAMESPACE/openmates-$name:$tag
    args=(--build-arg "BASE=$BASE" --build-arg "VERSION=$tag")
    if [[ $name == api && $tag == "$BROKEN_API_TAG" ]]; then args+=(--build-arg HEALTH=unhealthy); fi
    logfile=$WORK/build-${#build_pids[@]}.log
    docker build --network none "${args[@]}" --label "org.openmates.test.fixture-hash=$HASH" -t "$ref" "$CONTEXTS/$name" >"$logfile" 2>&1 &
    build_pids+=("$!") build_refs+=("$ref") build_logs+=("$logfile")
  done
done
for name in "${UNVERSIONED[@]}"; do
  ref=$REG/$NAMESPACE/openmates-$name:latest
  logfile=$WORK/build-${#build_pids[@]}.log
  docker build --network none --build-arg "BASE=$BASE" --label "org.openmates.test.fixture-hash=$HASH" -t "$ref" "$CONTEXTS/$name" >"$logfile" 2>&1 &
  build_pids+=("$!") build_refs+=("$ref") build_logs+=("$logfile")
done
failed=0
for i in "${!build_pids[@]}"; do
  if wait "${build_pids[$i]}"; then
    BUILT+=("${build_refs[$i]}")
  else
    cat "${build_logs[$i]}" >&2
    log "build of ${build_refs[$i]} failed"
    failed=1
  fi
done
((failed == 0)) || die "building the fixture images failed"
for ref in "$REG/$NAMESPACE/toolbox:latest" "$REG/$NAMESPACE/fixture-stamp:$HASH"; do
  run docker tag "$BASE" "$ref"
  BUILT+=("$ref")
done

log "built in ${SECONDS}s; pushing"
# Push the versions first and the stamp last: a run that dies half way leaves no stamp behind.
push_pids=() push_refs=() push_logs=()
for ref in "${BUILT[@]:1}"; do
  [[ $ref == *fixture-stamp* ]] && continue
  logfile=$WORK/push-${#push_pids[@]}.log
  docker push "$ref" >"$logfile" 2>&1 &
  push_pids+=("$!") push_refs+=("$ref") push_logs+=("$logfile")
done
failed=0
for i in "${!push_pids[@]}"; do
  if ! wait "${push_pids[$i]}"; then
    cat "${push_logs[$i]}" >&2
    log "push of ${push_refs[$i]} failed"
    failed=1
  fi
done
((failed == 0)) || die "pushing to $REG failed"
run docker push "$REG/$NAMESPACE/fixture-stamp:$HASH"

up_to_date || die "pushed, but the registry at $REG does not list every tag; see $REG/v2/_catalog"
log "pushed ${#IMAGES[@]} images x ${#TAGS[@]} tags, ${UNVERSIONED[*]}, toolbox and stamp $HASH to $REG/$NAMESPACE (${SECONDS}s)"
