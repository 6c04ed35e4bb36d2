#!/usr/bin/env node
// Benchmark: what decoding Kubernetes objects costs in the readable formats. One etcd 3.5.16 member
// on 127.0.0.1 (free ports, temporary data dir) holds 10,000 pods (kubernetes/api's Pod round-trip
// object, test/fixtures/k8s/core.v1.Pod.pb, 13 KB of protobuf each); hyperfine times
//   get --prefix /registry/pods/ -w yaml                      (decoded: each value a Pod object)
//   get --prefix /registry/pods/ -w yaml --k8s-decode=false   (undecoded: each value !!binary)
// alternating, and the same pair for -w json-decoded. Target: decoded at most 2× undecoded.
// Prints the medians, the ratios and the output sizes. Stops everything it started.
//
// Environment: BENCH_PODS (default 10000), BENCH_RUNS (default 5).
import { execFileSync, spawnSync } from 'node:child_process';
import { startMember } from './etcd-member.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (line) => process.stderr.write(`${line}\n`);

const OURS = path.join(ROOT, 'bin/etcdctl-ts.js');
if (spawnSync('hyperfine', ['--version']).status !== 0) throw new Error('bench: needs hyperfine (apt-get install hyperfine)');
execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });

const { endpoint, work, env } = await startMember('bench');

// Load the pods through the project's client (64 puts in flight).
const { Connection } = await import(path.join(ROOT, 'dist/client/connection.js'));
const conn = new Connection({
  endpoints: [endpoint], dialTimeoutMs: 2000, commandTimeoutMs: 60000, commandTimeoutExplicit: false,
  keepaliveTimeMs: 10000, keepaliveTimeoutMs: 6000, debug: false,
  tls: { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' },
});
const pod = readFileSync(path.join(ROOT, 'test/fixtures/k8s/core.v1.Pod.pb'));
log(`bench: loading ${PODS} pods of ${pod.length} bytes`);
let next = 0;
const worker = async () => {
  while (next < PODS) {
    const i = next++;
    const key = Buffer.from(`/registry/pods/default/pod-${String(i).padStart(5, '0')}`);
    await conn.unary('etcdserverpb.KV', 'Put', { key, value: pod }, { deadline: Date.now() + 60000, idempotent: false });
  }
};
await Promise.all(Array.from({ length: 64 }, worker));
conn.close();

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const command = (args) => `${quote(process.execPath)} ${quote(OURS)} --command-timeout=120s ${args.map(quote).join(' ')} >/dev/null`;
const outputBytes = (args) => spawnSync(process.execPath, [OURS, '--command-timeout=120s', ...args], { env, maxBuffer: 2 ** 31 }).stdout.length;

const results = [];
for (const format of ['yaml', 'json-decoded']) {
  const decoded = ['get', '--prefix', '/registry/pods/', '-w', format];
  const plain = [...decoded, '--k8s-decode=false'];
  const json = path.join(work, `${format}.json`);
  execFileSync('hyperfine', ['--warmup', '1', '--runs', String(RUNS), '--export-json', json, '-n', 'decoded', command(decoded), '-n', 'undecoded', command(plain)], {
    env,
    stdio: ['ignore', 2, 2],
  });
  const [a, b] = JSON.parse(readFileSync(json, 'utf8')).results;
  results.push({ format, decoded: a.median, undecoded: b.median, ratio: a.median / b.median, decodedBytes: outputBytes(decoded), undecodedBytes: outputBytes(plain) });
}

log('');
for (const r of results) {
  log(
    `bench: -w ${r.format}: decoded ${r.decoded.toFixed(2)} s (${(r.decodedBytes / 2 ** 20).toFixed(0)} MiB), ` +
      `undecoded ${r.undecoded.toFixed(2)} s (${(r.undecodedBytes / 2 ** 20).toFixed(0)} MiB), ratio ${r.ratio.toFixed(2)} (target ≤ 2)`,
  );
}
