#!/usr/bin/env node
// Benchmark of reading a backup offline: `etcdctl-ts snapshot get` against what it replaces
// (etcdutl snapshot restore + start an etcd on the restored data dir + etcdctl get).
//
// Builds a ~200 MB snapshot (SNAPGET_KEYS keys, default 100,000, of SNAPGET_VALUE_BYTES bytes,
// default 1,300, every 100th overwritten; SNAPGET_FILE keeps it for the next run), then measures, each SNAPGET_RUNS times (default 5):
//   one key     etcdctl-ts snapshot get <file> <key>          (target: under 0.5 s)
//   prefix      etcdctl-ts snapshot get <file> /bench/ --prefix
//   restore     etcdutl restore + etcd start until it answers + etcdctl get --prefix
// and checks that both paths print the same bytes (simple format). Not a test: run it by hand
// (`node bench/snapshot-get.mjs`); it starts etcd members on 127.0.0.1 and stops them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEYS = Number(process.env.SNAPGET_KEYS ?? 100_000);
// 1,300-byte values fill bbolt's 4 KiB pages two by two: ~200 MB for 100,000 keys.
const VALUE_BYTES = Number(process.env.SNAPGET_VALUE_BYTES ?? 1300);
/** A snapshot file to keep between runs: built there when missing, reused when present. */
const KEEP = process.env.SNAPGET_FILE;
const RUNS = Number(process.env.SNAPGET_RUNS ?? 5);
const log = (line) => process.stderr.write(`${line}\n`);

const binDir = execFileSync('bash', [path.join(ROOT, 'scripts/install-etcd.sh')]).toString().trim().split('\n').pop();
const OURS = path.join(ROOT, 'bin/etcdctl-ts.js');
if (!existsSync(path.join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
delete process.env.NODE_EXTRA_CA_CERTS;

const work = mkdtempSync(path.join(tmpdir(), 'etcdctl-ts-snapget-'));
const members = [];
const freePorts = (n) => execFileSync(process.execPath, [path.join(ROOT, 'scripts/free-port.mjs'), String(n)]).toString().trim().split('\n').map(Number);

/** Starts an etcd member on fresh loopback ports; resolves once it answers a read. */
async function startEtcd(name, dataDir, extra = []) {
  const [clientPort, peerPort] = freePorts(2);
  const endpoint = `127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const etcd = spawn(
    path.join(binDir, 'etcd'),
    [
      '--name', name, '--data-dir', dataDir, '--listen-client-urls', `http://${endpoint}`, '--advertise-client-urls', `http://${endpoint}`,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `${name}=${peer}`, '--initial-cluster-token', name,
      '--log-level', 'error', '--quota-backend-bytes', String(8 * 1024 ** 3), ...extra,
    ],
    { stdio: 'ignore' },
  );
  members.push(etcd);
  for (let i = 0; i < 600; i++) {
    if (spawnSync(path.join(binDir, 'etcdctl'), [`--endpoints=${endpoint}`, 'get', 'x'], { stdio: 'ignore' }).status === 0) return { endpoint, peer, etcd };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd ${name} did not start`);
}

const stopEtcd = (etcd) =>
  new Promise((resolve) => {
    if (etcd.exitCode !== null || etcd.signalCode !== null) return resolve();
    etcd.once('exit', resolve);
    etcd.kill('SIGTERM');
  });

// Runs a command and writes its CPU seconds (user + system) and peak RSS (KiB) to a file: wall
// times on a loaded machine say little, CPU time says what the command costs.
const RUSAGE = `import resource, subprocess, sys
status = subprocess.call(sys.argv[2:])
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{r.ru_utime + r.ru_stime} {r.ru_maxrss}")
sys.exit(status)`;
let runs = 0;

/** Runs argv; resolves with the SHA-256 of stdout, its size, wall and CPU seconds, peak RSS in KiB. */
function run(argv) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const usageFile = path.join(work, `rusage-${runs++}`);
    const child = spawn('python3', ['-c', RUSAGE, usageFile, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr}`));
      const [cpu, rssKiB] = readFileSync(usageFile, 'utf8').split(' ').map(Number);
      resolve({ hash: hash.digest('hex'), bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu, rssKiB });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(3)} s`;

/** Writes the keyspace into a fresh etcd and saves its snapshot to `snap`. */
async function buildSnapshot(snap) {
  const source = await startEtcd('source', path.join(work, 'source'), ['--max-request-bytes', String(4 * 1024 * 1024), '--max-txn-ops', '1000']);
  const { Connection } = await import(path.join(ROOT, 'dist/client/connection.js'));
  const { EtcdClient } = await import(path.join(ROOT, 'dist/client/services.js'));
  const tls = { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' };
  const client = new EtcdClient(
    new Connection({ endpoints: [source.endpoint], dialTimeoutMs: 5000, commandTimeoutMs: 60000, commandTimeoutExplicit: false, keepaliveTimeMs: 2000, keepaliveTimeoutMs: 6000, tls, debug: false }),
  );
  log(`snapshot-get: writing ${KEYS} keys of ${VALUE_BYTES} bytes`);
  const BATCH = 1000;
  for (let i = 0; i < KEYS; i += BATCH) {
    const ops = [];
    for (let j = i; j < Math.min(KEYS, i + BATCH); j++) ops.push({ request_put: { key: key(j), value: Buffer.alloc(VALUE_BYTES, 97 + (j % 26)) } });
    await client.kv.txn({ success: ops }, Date.now() + 60000);
  }
  // Some history: every 100th key written again.
  for (let i = 0; i < KEYS; i += 100) await client.kv.put({ key: key(i), value: Buffer.from(`second ${i}`) }, Date.now() + 60000);
  client.close();
  await run([process.execPath, OURS, `--endpoints=${source.endpoint}`, '--command-timeout=300s', 'snapshot', 'save', snap]);
  await stopEtcd(source.etcd);
}

const key = (i) => Buffer.from(`/bench/${String(i).padStart(8, '0')}`);

try {
  const snap = KEEP ?? path.join(work, 'bench.db');
  if (!existsSync(snap)) await buildSnapshot(snap);
  const size = statSync(snap).size;
  log(`snapshot-get: snapshot of ${(size / 1e6).toFixed(1)} MB`);

  const oneKey = key(Math.floor(KEYS / 2)).toString();
  const times = { one: [], prefix: [], restore: [] };
  const cpu = { one: [], prefix: [] };
  const rss = { one: 0, prefix: 0 };
  let prefixHash;
  let restoreHash;
  let prefixBytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const one = await run([process.execPath, OURS, 'snapshot', 'get', snap, oneKey]);
    times.one.push(one.seconds);
    cpu.one.push(one.cpu);
    rss.one = Math.max(rss.one, one.rssKiB);
    const prefix = await run([process.execPath, OURS, 'snapshot', 'get', snap, '/bench/', '--prefix']);
    times.prefix.push(prefix.seconds);
    cpu.prefix.push(prefix.cpu);
    rss.prefix = Math.max(rss.prefix, prefix.rssKiB);
    prefixHash = prefix.hash;
    prefixBytes = prefix.bytes;

    // The way without etcdctl-ts: restore, start etcd, get.
    const dataDir = path.join(work, `restored-${r}`);
    const started = process.hrtime.bigint();
    const [peerPort] = freePorts(1);
    const peer = `http://127.0.0.1:${peerPort}`;
    execFileSync(path.join(binDir, 'etcdutl'), ['snapshot', 'restore', snap, '--data-dir', dataDir, '--name', 'restored', '--initial-cluster', `restored=${peer}`, '--initial-advertise-peer-urls', peer, '--initial-cluster-token', 'restored'], { stdio: 'ignore' });
    const restored = await startEtcdOnPeer(dataDir, peer);
    const got = await run([path.join(binDir, 'etcdctl'), `--endpoints=${restored.endpoint}`, '--command-timeout=300s', 'get', '/bench/', '--prefix']);
    times.restore.push(Number(process.hrtime.bigint() - started) / 1e9);
    restoreHash = got.hash;
    await stopEtcd(restored.etcd);
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (prefixHash !== restoreHash) throw new Error('snapshot get --prefix and get on the restored member printed different bytes');

  console.log(`snapshot: ${(size / 1e6).toFixed(1)} MB, ${KEYS} keys of ${VALUE_BYTES} bytes (+${Math.ceil(KEYS / 100)} overwrites); ${RUNS} runs each; outputs identical`);
  console.log('workload                                            wall median  wall min  CPU median  peak RSS');
  const row = (label, xs, cpus, kib) =>
    console.log(
      `${label.padEnd(52)} ${fmt(median(xs)).padStart(11)} ${fmt(Math.min(...xs)).padStart(9)} ${(cpus ? fmt(median(cpus)) : '').padStart(11)} ${kib ? `${(kib / 1024).toFixed(0)} MiB`.padStart(9) : ''}`,
    );
  row('snapshot get <file> <one key>', times.one, cpu.one, rss.one);
  row(`snapshot get <file> /bench/ --prefix (${(prefixBytes / 1e6).toFixed(0)} MB out)`, times.prefix, cpu.prefix, rss.prefix);
  row('etcdutl restore + start etcd + etcdctl get --prefix', times.restore);
} finally {
  for (const etcd of members) await stopEtcd(etcd);
  rmSync(work, { recursive: true, force: true });
}

/** Starts etcd on a restored data dir with the peer URL it was restored with. */
async function startEtcdOnPeer(dataDir, peer) {
  const [clientPort] = freePorts(1);
  const endpoint = `127.0.0.1:${clientPort}`;
  const etcd = spawn(
    path.join(binDir, 'etcd'),
    [
      '--name', 'restored', '--data-dir', dataDir, '--listen-client-urls', `http://${endpoint}`, '--advertise-client-urls', `http://${endpoint}`,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `restored=${peer}`, '--initial-cluster-token', 'restored',
      '--log-level', 'error', '--quota-backend-bytes', String(8 * 1024 ** 3),
    ],
    { stdio: 'ignore' },
  );
  members.push(etcd);
  for (let i = 0; i < 1200; i++) {
    if (spawnSync(path.join(binDir, 'etcdctl'), [`--endpoints=${endpoint}`, 'get', 'x'], { stdio: 'ignore' }).status === 0) return { endpoint, etcd };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('restored etcd did not start');
}
