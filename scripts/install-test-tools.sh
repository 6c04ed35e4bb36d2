#!/usr/bin/env bash
# Makes the terminal and shell tools the tests drive available: tmux (a real pseudo-terminal),
# bash-completion, zsh and fish (completion tests). Debian packages through apt-get; anything
# already present is skipped, so a second run does nothing. Needs root (or sudo) only when
# something is missing.
set -euo pipefail

# command → Debian package
declare -A wanted=(
  [tmux]=tmux
  [zsh]=zsh
  [fish]=fish
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
  else
    echo "install-test-tools: missing ${missing[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi

echo "install-test-tools: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A package list is needed once; refresh it only when the install cannot find a package.
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
