#!/usr/bin/env bash
# CI stage: builds the single-file executable (scripts/build-exe.mjs) and runs the executable's own
# tests (test/exe/) and the differential files against it, with no node on the child's PATH: the
# CLI under test is the executable (ETCDCTL_TS_OURS_CMD), while vitest itself runs on this
# machine's node, named by its full path. Run by .ci/run after `npm test` (which built dist/).
# Writes .tmp/vitest-exe.json; exits with vitest's status.
set -euo pipefail
cd "$(dirname "$0")/.."

node_bin=$(command -v node)
node "scripts/build-exe.mjs"
exe="$PWD/dist/exe/etcdctl-ts-linux-x64"

# A PATH with every command of the current one except node, npm and friends (on Debian node sits in
# /usr/bin with everything else, so the folders cannot simply be dropped).
nonode="$PWD/.tmp/path-without-node"
rm -rf "$nonode" && mkdir -p "$nonode"
IFS=: read -r -a dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name=${f##*/}
    case "$name" in node|nodejs|npm|npx|corepack|bun|bunx) continue ;; esac
    [ -x "$f" ] && [ ! -e "$nonode/$name" ] && ln -s "$f" "$nonode/$name"
  done
done
if PATH="$nonode" command -v node >/dev/null 2>&1; then
  echo "ci-exe: node is still on the PATH built without it" >&2
  exit 1
fi

# KV, txn, watch, lease, lock/elect, member/endpoint, auth and the rest of the differential files
# (CI_EXE_FILES names others, e.g. one file while trying the stage).
files=(${CI_EXE_FILES:-test/exe/ test/integration/*.diff.test.ts test/integration/member.test.ts test/integration/endpoint.test.ts})
mkdir -p .tmp
PATH="$nonode" ETCDCTL_TS_EXE="$exe" ETCDCTL_TS_OURS_CMD="[\"$exe\"]" \
  "$node_bin" node_modules/vitest/vitest.mjs run "${files[@]}" \
  --reporter=default --reporter=json --outputFile.json=.tmp/vitest-exe.json
