#!/usr/bin/env bash
# Makes etcd, etcdctl and etcdutl 3.5.x available in a cache folder, without installing
# anything system-wide. The packages come from Debian trixie through the machine's own
# configured Debian mirror; apt runs with a private source list and state dir.
# Idempotent: a second run finds the cache and does nothing.
# Prints the bin folder on stdout (last line).
set -euo pipefail

want_version="3.5.16"
cache_dir="${ETCDCTL_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/etcdctl-ts}"
target="$cache_dir/etcd-$want_version"
bin_dir="$target/usr/bin"

# grep reads all of etcdctl's output: with `grep -q` etcdctl could die of SIGPIPE and, under
# pipefail, fail the check even though the version matches.
have_version() {
  [ -x "$bin_dir/etcdctl" ] && [ -x "$bin_dir/etcd" ] &&
    "$bin_dir/etcdctl" version 2>/dev/null | grep "etcdctl version: $want_version" >/dev/null
}

if have_version; then
  echo "$bin_dir"
  exit 0
fi

# The mirror URI the machine already uses for Debian (deb822 or one-line format).
mirror_uri() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ]; then
    uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$2 !~ /security/ {print $2; exit}')
  fi
  echo "$uri"
}

uri=$(mirror_uri)
if [ -z "$uri" ]; then
  echo "install-etcd: no Debian mirror configured in /etc/apt" >&2
  exit 1
fi

work="$cache_dir/apt"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
echo "deb [trusted=yes] $uri trixie main" > "$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache::Archives=$work/archives"
  -o "APT::Get::List-Cleanup=0"
  -o "Acquire::Languages=none"
)
echo "install-etcd: fetching etcd $want_version packages (trixie)" >&2
apt-get "${apt_opts[@]}" update >&2
(cd "$work/debs" && apt-get "${apt_opts[@]}" download etcd-client etcd-server >&2)

rm -rf "$target.tmp" && mkdir -p "$target.tmp"
for deb in "$work"/debs/etcd-*.deb; do
  dpkg-deb -x "$deb" "$target.tmp"
done
rm -rf "$target" && mv "$target.tmp" "$target"
if ! have_version; then
  echo "install-etcd: unpacked etcdctl is not version $want_version:" >&2
  "$bin_dir/etcdctl" version >&2 || true
  exit 1
fi
echo "$bin_dir"
