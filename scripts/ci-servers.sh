#!/usr/bin/env bash
# CI stage: the KV, txn, watch, lease and auth differential files against the other etcd servers
# users run (3.4.23 from Debian bookworm, 3.5.30 from Debian sid), the reference client staying
# etcdctl 3.5.16. The main `npm test` already covers the 3.5.16 server. Run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

files=(
  test/integration/kv.diff.test.ts
  test/integration/put.diff.test.ts
  test/integration/del.diff.test.ts
  test/integration/txn.diff.test.ts
  test/integration/watch.diff.test.ts
  test/integration/lease.diff.test.ts
  test/integration/auth-flow.diff.test.ts
  test/integration/user-role.diff.test.ts
)
mkdir -p .tmp
status=0
DIFF_SERVERS_REPORT_DIR=.tmp bash scripts/diff-servers.sh -s 3.4.23,3.5.30 "${files[@]}" || status=$?

# One report for .ci/run's summary: the counts of both servers' runs added up.
node -e '
  const fs = require("fs");
  const sum = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  for (const v of ["3.4.23", "3.5.30"]) {
    let r = { numFailedTests: 1 };
    try { r = JSON.parse(fs.readFileSync(`.tmp/vitest-servers-${v}.json`, "utf8")); } catch {}
    for (const k of Object.keys(sum)) sum[k] += r[k] ?? 0;
  }
  fs.writeFileSync(".tmp/vitest-servers.json", JSON.stringify(sum));
'
exit "$status"
