#!/usr/bin/env bash
# Makes a pinned runtime from the npm registry available in a cache folder (nothing system-wide):
#   install-node.sh [node|bun] [version] [x64|arm64]
# node comes from the node-linux-<arch> package, bun from @oven/bun-linux-<x64|aarch64>. The
# pins below are the project's: the newest Node LTS (26 is LTS since October 2026) and the bun
# the executable is built with. `npm pack` fetches the tarball (the ordinary client, npm's own
# cache and registry settings); it is unpacked to a temp folder and renamed when complete.
# Idempotent. Prints the binary's path on stdout (last line).
set -euo pipefail

NODE_LTS_VERSION="26.12.1"
BUN_VERSION="1.4.5"

runtime="${1:-node}"
arch="${3:-x64}"
case "$runtime" in
  node) version="${2:-$NODE_LTS_VERSION}"; pkg="node-linux-$arch" ;;
  bun)
    version="${2:-$BUN_VERSION}"
    case "$arch" in x64) pkg="@oven/bun-linux-x64" ;; arm64) pkg="@oven/bun-linux-aarch64" ;; *) pkg="" ;; esac ;;
  *) echo "install-node: unknown runtime '$runtime' (node or bun)" >&2; exit 2 ;;
esac
case "$arch" in x64|arm64) ;; *) echo "install-node: unknown arch '$arch' (x64 or arm64)" >&2; exit 2 ;; esac

cache_dir="${ETCDCTL_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/etcdctl-ts}"
target="$cache_dir/$runtime-$version-linux-$arch"
bin="$target/bin/$runtime"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

echo "install-node: fetching $pkg@$version" >&2
mkdir -p "$cache_dir"
tmp=$(mktemp -d "$target.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tgz=$(cd "$tmp" && npm pack "$pkg@$version" --silent 2>/dev/null | tail -n 1)
if [ -z "$tgz" ] || [ ! -f "$tmp/$tgz" ]; then
  echo "install-node: npm pack $pkg@$version failed" >&2
  exit 1
fi
tar -xzf "$tmp/$tgz" -C "$tmp"
rm -f "$tmp/$tgz"
chmod +x "$tmp/package/bin/$runtime"
rm -rf "$target"
mv "$tmp/package" "$target"
echo "$bin"
