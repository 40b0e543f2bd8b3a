#!/usr/bin/env bash
# Installs Compose v2 as a Docker CLI plugin (/usr/local/lib/docker/cli-plugins/docker-compose),
# so `docker compose version` answers for every docker CLI here (Docker's 28.x in /usr/local/bin
# and Debian's 20.10 in /usr/bin both search that folder).
#
# Where from: Debian trixie's docker-compose package (2.26, a static Go binary that runs on
# bookworm), fetched with `apt-get download` through a private apt configuration: its own
# sources list naming only trixie (on the mirror host the system already uses), its own lists,
# state and cache folders, all in a temp dir. The system's apt sources and package database are
# never changed and no trixie package is installed: only the one binary is copied out (dpkg -x).
# Idempotent: nothing is downloaded when the plugin already answers.
set -euo pipefail

log() { printf 'ensure-compose-v2: %s\n' "$*" >&2; }
die() { printf 'ensure-compose-v2: ERROR: %s\n' "$*" >&2; exit 1; }

PLUGIN_DIR=${OPENMATES_COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}
PLUGIN=$PLUGIN_DIR/docker-compose
SUITE=trixie
DEFAULT_MIRROR=http://deb.debian.org/debian

plugin_answers() { [[ -x $PLUGIN ]] && "$PLUGIN" version --short >/dev/null 2>&1; }

if plugin_answers; then
  log "Compose v2 present ($PLUGIN, $("$PLUGIN" version --short))"
  exit 0
fi
[[ $(id -u) -eq 0 ]] || die "installing Compose v2 into $PLUGIN_DIR needs root; run as root"
for tool in apt-get dpkg; do command -v "$tool" >/dev/null || die "$tool not found: this script needs a Debian-based system"; done

# The Debian mirror the system uses: the first URI serving the "debian" archive (not -security),
# from deb822 .sources files or one-line sources.list entries.
system_mirror() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f $file ]] || continue
    while read -r uri; do
      if [[ $uri =~ /debian/?$ ]]; then printf '%s\n' "${uri%/}"; return; fi
    done < <(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$file")
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    while read -r uri; do
      if [[ $uri =~ /debian/?$ ]]; then printf '%s\n' "${uri%/}"; return; fi
    done < <(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' "$file")
  done
}
MIRROR=$(system_mirror)
MIRROR=${MIRROR:-$DEFAULT_MIRROR}

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f $KEYRING ]] || die "$KEYRING is missing (package debian-archive-keyring): cannot check trixie's signature"

WORK=$(mktemp -d /tmp/openmates-compose-v2.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/etc/preferences.d" "$WORK/state/lists/partial" "$WORK/cache/archives/partial" "$WORK/download" "$WORK/root"
printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$SUITE" >"$WORK/etc/sources.list"
: >"$WORK/state/status"
cat >"$WORK/apt.conf" <<CONF
Dir::Etc::SourceList "$WORK/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$WORK/etc/preferences.d";
Dir::State "$WORK/state";
Dir::State::status "$WORK/state/status";
Dir::Cache "$WORK/cache";
APT::Architecture "$(dpkg --print-architecture)";
APT::Get::List-Cleanup "false";
CONF
export APT_CONFIG=$WORK/apt.conf

log "fetching the $SUITE package list from $MIRROR (private apt configuration in $WORK)"
apt-get update -q </dev/null >"$WORK/update.log" 2>&1 || { cat "$WORK/update.log" >&2; die "apt-get update of the private $SUITE list failed"; }
version=$(apt-cache policy docker-compose 2>/dev/null | awk '/Candidate:/ { print $2 }')
[[ -n $version && $version != "(none)" ]] || die "$SUITE on $MIRROR has no docker-compose package"
[[ $version == 2.* ]] || die "$SUITE's docker-compose is $version, not Compose v2"

log "downloading docker-compose $version from $SUITE"
(cd "$WORK/download" && apt-get download -q "docker-compose=$version" </dev/null >"$WORK/download.log" 2>&1) ||
  { cat "$WORK/download.log" >&2; die "apt-get download docker-compose=$version failed"; }
deb=$(ls "$WORK/download"/docker-compose_*.deb)
dpkg -x "$deb" "$WORK/root"

binary=
for candidate in "$WORK/root/usr/libexec/docker/cli-plugins/docker-compose" "$WORK/root/usr/lib/docker/cli-plugins/docker-compose" "$WORK/root/usr/bin/docker-compose"; do
  if [[ -f $candidate && ! -L $candidate ]]; then binary=$candidate; break; fi
done
[[ -n $binary ]] || die "the package holds no docker-compose binary (looked in usr/libexec/docker/cli-plugins, usr/lib/docker/cli-plugins, usr/bin)"
"$binary" version --short >/dev/null 2>&1 || die "the downloaded $binary does not run on this system"

mkdir -p "$PLUGIN_DIR"
install -m 0755 "$binary" "$PLUGIN.tmp.$$"
mv -f "$PLUGIN.tmp.$$" "$PLUGIN"
plugin_answers || die "$PLUGIN was installed but does not answer"
log "installed Compose v2 $("$PLUGIN" version --short) as $PLUGIN"
