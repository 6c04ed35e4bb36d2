#!/usr/bin/env bash
# Makes one etcd release (etcd, etcdctl, etcdutl where packaged) available in a cache folder,
# without installing anything system-wide. The packages come from Debian through the machine's own
# configured Debian mirror; apt runs with a private source list and state dir per suite.
# Idempotent: a second run finds the cache and does nothing.
#
#   scripts/install-etcd.sh [VERSION]     VERSION: 3.5.16 (default), 3.5.30 or 3.4.23
#
# 3.5.16 is the reference etcdctl the differential tests compare against; 3.5.30 and 3.4.23 are the
# other servers the test bed can run (ETCDCTL_TS_TEST_SERVER), 3.5.30's etcdctl a second reference.
# Prints the bin folder on stdout (last line).
set -euo pipefail

want_version="${1:-3.5.16}"
# Which Debian suite carries which release, and which packages hold its binaries. bookworm's
# etcd-client is 3.4.23 too, but the 3.4 server is all the tests need from that release.
case "$want_version" in
  3.5.16) suite=trixie;   packages=(etcd-client etcd-server) ;;
  3.5.30) suite=sid;      packages=(etcd-client etcd-server) ;;
  3.4.23) suite=bookworm; packages=(etcd-server) ;;
  *)
    echo "install-etcd: unknown version $want_version (known: 3.5.16, 3.5.30, 3.4.23)" >&2
    exit 2
    ;;
esac

cache_dir="${ETCDCTL_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/etcdctl-ts}"
target="$cache_dir/etcd-$want_version"
bin_dir="$target/usr/bin"

# The server's own version line is the check (etcdctl is not fetched for every release here),
# plus etcdctl's presence where it is.
# grep reads all of the output: with `grep -q` the binary could die of SIGPIPE and, under pipefail,
# fail the check even though the version matches.
have_version() {
  [ -x "$bin_dir/etcd" ] &&
    { [[ " ${packages[*]} " != *" etcd-client "* ]] || [ -x "$bin_dir/etcdctl" ]; } &&
    "$bin_dir/etcd" --version 2>/dev/null | grep "etcd Version: $want_version" >/dev/null
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

# trixie keeps the folder name it had when it was the only suite, so existing caches stay valid.
if [ "$suite" = trixie ]; then work="$cache_dir/apt"; else work="$cache_dir/apt-$suite"; fi
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs"
echo "deb [trusted=yes] $uri $suite main" > "$work/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache::Archives=$work/archives"
  -o "APT::Get::List-Cleanup=0"
  -o "Acquire::Languages=none"
)
echo "install-etcd: fetching etcd $want_version packages ($suite)" >&2
apt-get "${apt_opts[@]}" update >&2
# Only this release's debs: an older download for the suite must not be unpacked over it.
rm -f "$work"/debs/*.deb
(cd "$work/debs" && apt-get "${apt_opts[@]}" download "${packages[@]}" >&2)

rm -rf "$target.tmp" && mkdir -p "$target.tmp"
for deb in "$work"/debs/etcd-*.deb; do
  dpkg-deb -x "$deb" "$target.tmp"
done
rm -rf "$target" && mv "$target.tmp" "$target"
if ! have_version; then
  echo "install-etcd: unpacked etcd is not version $want_version (the $suite suite moved on?):" >&2
  "$bin_dir/etcd" --version >&2 || true
  exit 1
fi
echo "$bin_dir"
