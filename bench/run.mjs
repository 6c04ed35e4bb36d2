#!/usr/bin/env node
// Benchmark: etcdctl-ts (through its bin, as users run it) against the real etcdctl 3.5.16 on
// the same workloads, on one etcd 3.5.16 member on 127.0.0.1. Timings come from hyperfine,
// alternating A/B over several rounds; peak RSS from getrusage of each child. Both tools'
// outputs are checked to be the same before timing. Prints the median ratio per workload and
// a last line `bench: worst ratio R (workload W)`. Stops everything it started.
//
// Environment: BENCH_ROUNDS (default 3), BENCH_RUNS (runs per round, default 5),
// BENCH_QUICK=1 (small data set, for trying the script), BENCH_ONLY=<regex> (workload filter).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const SIZES = QUICK ? { small: 1_000, large: 5_000, bigValues: 50 } : { small: 10_000, large: 100_000, bigValues: 2_000 };

// A user's machine does not have this; it costs ~50 ms per node start here.
delete process.env.NODE_EXTRA_CA_CERTS;

function log(line) {
  process.stderr.write(`${line}\n`);
}

function ensureHyperfine() {
  if (spawnSync('hyperfine', ['--version']).status === 0) return;
  log('bench: installing hyperfine (Debian package)');
  execFileSync('bash', ['-c', 'apt-get install -y hyperfine >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null)'], {
    stdio: 'inherit',
  });
}

function freePorts(n) {
  return execFileSync(process.execPath, [path.join(ROOT, 'scripts/free-port.mjs'), String(n)]).toString().trim().split('\n').map(Number);
}

const binDir = execFileSync('bash', [path.join(ROOT, 'scripts/install-etcd.sh')]).toString().trim().split('\n').pop();
const REAL = path.join(binDir, 'etcdctl');
const OURS = path.join(ROOT, 'bin/etcdctl-ts.js');
ensureHyperfine();
if (!existsSync(path.join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });

const work = mkdtempSync(path.join(tmpdir(), 'etcdctl-ts-bench-'));
const [clientPort, peerPort] = freePorts(2);
const endpoint = `127.0.0.1:${clientPort}`;
const etcd = spawn(
  path.join(binDir, 'etcd'),
  [
    '--name', 'bench', '--data-dir', path.join(work, 'data'),
    '--listen-client-urls', `http://${endpoint}`, '--advertise-client-urls', `http://${endpoint}`,
    '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
    '--initial-cluster', `bench=http://127.0.0.1:${peerPort}`, '--log-level', 'error', '--quota-backend-bytes', String(4 * 1024 ** 3),
  ],
  { stdio: 'ignore' },
);
function stopEtcd() {
  if (etcd.exitCode === null) etcd.kill('SIGTERM');
}
process.on('exit', () => {
  stopEtcd();
  rmSync(work, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const ctlEnv = { ...process.env, ETCDCTL_ENDPOINTS: endpoint };
function real(args, input) {
  return spawnSync(REAL, args, { env: ctlEnv, input, maxBuffer: 1 << 30 });
}

// Wait for the member (bounded: 20 s).
for (let i = 0; ; i++) {
  if (real(['endpoint', 'health']).status === 0) break;
  if (i > 200) throw new Error('bench: etcd did not become healthy');
  await new Promise((r) => setTimeout(r, 100));
}

async function load() {
  const { Connection } = await import(path.join(ROOT, 'dist/client/connection.js'));
  const conn = new Connection({
    endpoints: [endpoint], dialTimeoutMs: 2000, commandTimeoutMs: 60000, commandTimeoutExplicit: false,
    keepaliveTimeMs: 10000, keepaliveTimeoutMs: 6000, debug: false,
    tls: { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' },
  });
  const value = Buffer.alloc(100, 'v');
  const putAll = async (count, keyOf, valueOf, concurrency = 64) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await conn.unary('etcdserverpb.KV', 'Put', { key: Buffer.from(keyOf(i)), value: valueOf(i) }, { deadline: Date.now() + 60000, idempotent: false });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  const pad = (i) => String(i).padStart(7, '0');
  log(`bench: loading ${SIZES.small} + ${SIZES.large} keys of 100 bytes, ${SIZES.bigValues} values of 100 KB`);
  await putAll(SIZES.small, (i) => `/small/${pad(i)}`, () => value);
  const before = await conn.unary('etcdserverpb.KV', 'Range', { key: Buffer.from('x') }, { deadline: Date.now() + 10000, idempotent: true });
  const watchFrom = BigInt(before.header.revision) + 1n;
  await putAll(SIZES.large, (i) => `/large/${pad(i)}`, () => value);
  await putAll(1, () => '/large/~sentinel', () => Buffer.from('end'), 1);
  const big = Buffer.alloc(100_000, 'b');
  await putAll(SIZES.bigValues, (i) => `/big/${pad(i)}`, () => big, 8);
  conn.close();
  return { watchFrom };
}
const { watchFrom } = await load();

writeFileSync(path.join(work, 'txn.txt'), 'mod("/small/0000001") > "0"\n\nput /txn/k v\nget /small/0000001\n\nput /txn/k w\n\n');

// name, args, optional stdin file, and an output mask for what is nondeterministic.
const maskLease = (s) => s.replace(/lease [0-9a-f]{16}/g, 'lease <id>');
const maskTime = (s) => s.replace(/took = [^\s]+/g, 'took = <t>').replace(/\d+(\.\d+)? ?[kMG]?B/g, '<size>');
const workloads = [
  { name: 'get one key', args: ['get', '/small/0000001'] },
  { name: 'put one key', args: ['put', '/bench/one', 'value'] },
  { name: 'endpoint status', args: ['endpoint', 'status'], mask: (s) => s.replace(/, \d+ [kMG]?B, /, ', <size>, ').replace(/, \d+, \d+, \d+, \d+, /, ', <raft>, ') },
  { name: 'member list -w table', args: ['member', 'list', '-w', 'table'] },
  { name: 'lease grant', args: ['lease', 'grant', '60'], mask: maskLease },
  { name: 'txn from stdin', args: ['txn'], stdin: path.join(work, 'txn.txt') },
  { name: 'get --prefix 10k', args: ['get', '--prefix', '/small/'] },
  { name: 'get --prefix 10k -w json', args: ['get', '--prefix', '/small/', '-w', 'json'], mask: (s) => s.replace(/"revision":\d+/, '') },
  { name: 'get --prefix 10k --keys-only', args: ['get', '--prefix', '/small/', '--keys-only'] },
  { name: 'get --prefix 100k', args: ['get', '--prefix', '/large/'] },
  { name: 'get --prefix 100k -w json', args: ['get', '--prefix', '/large/', '-w', 'json'], mask: (s) => s.replace(/"revision":\d+/, '') },
  { name: 'get --prefix 100k --keys-only', args: ['get', '--prefix', '/large/', '--keys-only'] },
  {
    name: 'watch replay 100k events',
    // The watch never ends by itself: head takes exactly the replayed events, and the sentinel
    // event that follows makes the watcher's next write fail (SIGPIPE/EPIPE), ending it.
    shell: (tool) => `${tool} watch --prefix /large/ --rev=${watchFrom} | head -n ${SIZES.large * 3} > /dev/null`,
  },
  { name: 'snapshot save 200 MB', args: ['snapshot', 'save', path.join(work, 'snap.db')], mask: maskTime, cleanup: () => rmSync(path.join(work, 'snap.db'), { force: true }) },
].filter((w) => !ONLY || ONLY.test(w.name));

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
function commandLine(tool, w) {
  const exe = tool === 'real' ? quote(REAL) : `${quote(process.execPath)} ${quote(OURS)}`;
  if (w.shell) return w.shell(exe);
  return `${exe} ${w.args.map(quote).join(' ')}${w.stdin ? ` < ${quote(w.stdin)}` : ''}`;
}

function runOnce(tool, w) {
  const rssFile = path.join(work, 'rss');
  const r = spawnSync('python3', [path.join(ROOT, 'bench/maxrss.py'), rssFile, 'bash', '-c', commandLine(tool, w)], {
    env: ctlEnv,
    maxBuffer: 1 << 30,
  });
  w.cleanup?.();
  return { out: r.stdout.toString('latin1'), err: r.stderr.toString(), status: r.status, rssKiB: Number(readFileSync(rssFile, 'utf8')) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const results = [];
for (const w of workloads) {
  const a = runOnce('ours', w);
  const b = runOnce('real', w);
  const mask = w.mask ?? ((s) => s);
  const same = mask(a.out) === mask(b.out) && a.status === b.status;
  if (!same) log(`bench: OUTPUT DIFFERS for "${w.name}" (ours exit ${a.status}, etcdctl exit ${b.status})\n${a.err.slice(0, 500)}`);
  const times = { ours: [], real: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['ours', 'real'] : ['real', 'ours'];
    const jsonFile = path.join(work, 'hf.json');
    execFileSync(
      'hyperfine',
      ['--style', 'none', '--warmup', '1', '--runs', String(RUNS), '--export-json', jsonFile, '--shell', 'bash',
        ...(w.cleanup ? ['--prepare', `rm -f ${quote(path.join(work, 'snap.db'))}`] : []),
        ...order.map((t) => commandLine(t, w))],
      { env: ctlEnv, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const hf = JSON.parse(readFileSync(jsonFile, 'utf8'));
    order.forEach((t, i) => times[t].push(...hf.results[i].times));
  }
  const ours = median(times.ours);
  const realT = median(times.real);
  const row = { name: w.name, ours, real: realT, ratio: ours / realT, rssOurs: a.rssKiB / 1024, rssReal: b.rssKiB / 1024, same };
  results.push(row);
  log(`bench: ${w.name}: ${(ours * 1000).toFixed(1)} ms vs ${(realT * 1000).toFixed(1)} ms = ${row.ratio.toFixed(2)}x; RSS ${row.rssOurs.toFixed(0)} vs ${row.rssReal.toFixed(0)} MiB${same ? '' : ' (OUTPUT DIFFERS)'}`);
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('workload', 34)} ${pad('etcdctl-ts', 11)} ${pad('etcdctl', 11)} ${pad('ratio', 7)} ${pad('RSS ts', 8)} ${pad('RSS go', 8)} same`);
for (const r of results) {
  console.log(
    `${pad(r.name, 34)} ${pad(`${(r.ours * 1000).toFixed(1)}ms`, 11)} ${pad(`${(r.real * 1000).toFixed(1)}ms`, 11)} ${pad(`${r.ratio.toFixed(2)}x`, 7)} ${pad(`${r.rssOurs.toFixed(0)}M`, 8)} ${pad(`${r.rssReal.toFixed(0)}M`, 8)} ${r.same ? 'yes' : 'NO'}`,
  );
}
const worst = results.reduce((w, r) => (!w || r.ratio > w.ratio ? r : w), undefined);
if (worst) console.log(`bench: worst ratio ${worst.ratio.toFixed(2)} (workload ${worst.name})`);
