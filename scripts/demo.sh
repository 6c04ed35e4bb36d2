#!/usr/bin/env bash
# A short real session: starts a throwaway etcd on loopback (installing etcd 3.5.16 into a
# cache folder if needed), runs etcdctl-ts commands against it, then stops it by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir=$(bash scripts/install-etcd.sh | tail -n 1)
read -r client_port peer_port < <(node scripts/free-port.mjs 2 | paste -sd ' ')
data_dir=$(mktemp -d "${TMPDIR:-/tmp}/etcdctl-ts-demo.XXXXXX")
etcd_pid=""
cleanup() {
  if [ -n "$etcd_pid" ] && kill -0 "$etcd_pid" 2>/dev/null; then
    kill "$etcd_pid" 2>/dev/null || true
    wait "$etcd_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

"$bin_dir/etcd" --name demo --data-dir "$data_dir/data" \
  --listen-client-urls "http://127.0.0.1:$client_port" --advertise-client-urls "http://127.0.0.1:$client_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$peer_port" --log-level error >"$data_dir/etcd.log" 2>&1 &
etcd_pid=$!

export ETCDCTL_ENDPOINTS="127.0.0.1:$client_port"
ctl() {
  printf '\n$ etcdctl-ts %s\n' "$*"
  node bin/etcdctl-ts.js "$@"
}
for _ in $(seq 1 100); do
  node bin/etcdctl-ts.js endpoint health >/dev/null 2>&1 && break
  node bin/etcdctl-ts.js get probe >/dev/null 2>&1 && break
  sleep 0.1
done

echo "etcd $("$bin_dir/etcd" --version | head -1 | awk '{print $3}') running on 127.0.0.1:$client_port (pid $etcd_pid)"
ctl version
ctl put /demo/greeting "hello, etcd"
ctl put /demo/answer 42
ctl put /demo/answer 43 --prev-kv
ctl get /demo/greeting
ctl get /demo --prefix --keys-only
ctl get /demo/answer -w json
ctl get /demo/answer -w fields
ctl get /demo --prefix --sort-by=MODIFY --order=DESCEND --limit=1
ctl get /demo --prefix --count-only -w fields
ctl del /demo --prefix --prev-kv
ctl get /demo --prefix -w json
printf '\ndemo finished; stopping etcd (pid %s)\n' "$etcd_pid"
