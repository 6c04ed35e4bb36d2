#!/usr/bin/env bash
# Runs the differential suite (test/integration/*.diff.test.ts: the real etcdctl 3.5.16 and
# etcdctl-ts on the same cluster) against every server release the test bed knows, one after another.
#
#   scripts/diff-servers.sh [-s VERSIONS] [FILE...]
#     -s  comma-separated server releases (default 3.5.16,3.5.30,3.4.23)
#     FILE  test files to run (default: every test/integration/*.diff.test.ts)
#
# Builds dist/ once (the tests run bin/etcdctl-ts.js). Exit status: 0 when every release passed.
# A summary line per release goes to stdout at the end. With DIFF_SERVERS_REPORT_DIR set, each
# release's vitest JSON report is written there as vitest-servers-<VERSION>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

versions="3.5.16,3.5.30,3.4.23"
if [ "${1:-}" = "-s" ]; then
  versions="$2"
  shift 2
fi
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(test/integration/*.diff.test.ts)
fi

npm run build >/dev/null
IFS=, read -r -a list <<<"$versions"
for v in "${list[@]}"; do bash scripts/install-etcd.sh "$v" >/dev/null; done

status=0
summary=()
for v in "${list[@]}"; do
  echo "=== etcd server $v: ${#files[@]} files" >&2
  start=$SECONDS
  report=()
  if [ -n "${DIFF_SERVERS_REPORT_DIR:-}" ]; then
    report=(--reporter=default --reporter=json "--outputFile.json=$DIFF_SERVERS_REPORT_DIR/vitest-servers-$v.json")
  fi
  if ETCDCTL_TS_TEST_SERVER="$v" npx vitest run --project integration "${files[@]}" "${report[@]}"; then
    summary+=("server $v: passed ($((SECONDS - start)) s)")
  else
    summary+=("server $v: FAILED ($((SECONDS - start)) s)")
    status=1
  fi
done
printf '%s\n' "${summary[@]}"
exit "$status"
