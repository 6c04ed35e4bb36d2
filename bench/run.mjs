#!/usr/bin/env node
// Benchmark: etcdctl-ts on every runtime it supports, as users run it, against the real etcdctl
// 3.5.16 on the same workloads, on one etcd 3.5.16 member on 127.0.0.1 (free ports, temporary data
// dir). The runtimes, all in the same run: `node` (this machine's Node running bin/etcdctl-ts.js),
// `lts` (the newest Node LTS, scripts/install-node.sh) and `exe` (the single-file executable,
// dist/exe/etcdctl-ts-linux-x64, built by scripts/build-exe.mjs when missing); ratios to etcdctl
// per runtime, with the issue's targets per runtime.
// Timings come from hyperfine, alternating A/B over several rounds; peak RSS from getrusage of
// each tool's run. Both tools' outputs (stdout and exit status) are checked to be the same before
// timing. Prints the median ratio per workload with its target, and a last line
// `bench: worst ratio R (workload W)`. Stops everything it started.
//
// Installs what is missing: hyperfine (Debian package, apt-get), etcd 3.5.16
// (scripts/install-etcd.sh) and the build (npm run build).
//
// Environment: BENCH_ROUNDS (default 3), BENCH_RUNS (runs per round and tool, default 5),
// BENCH_QUICK=1 (small data set, for trying the script), BENCH_ONLY=<regex> (workload filter),
// BENCH_JSON=<file> (results as JSON too), BENCH_RUNTIMES=node,lts,exe (which runtimes; default all).
import { execFileSync, spawnSync } from 'node:child_process';
import { binDir, startMember } from './etcd-member.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const SIZES = QUICK
  ? { small: 1_000, large: 5_000, bigValues: 50, batch: 100, denseRevisions: 10, denseEvents: 1_000 }
  : { small: 10_000, large: 100_000, bigValues: 2_000, batch: 1_000, denseRevisions: 100, denseEvents: 1_000 };

// A user's machine does not have this; it costs ~50 ms per node start here.
delete process.env.NODE_EXTRA_CA_CERTS;

function log(line) {
  process.stderr.write(`${line}\n`);
}

function ensureHyperfine() {
  if (spawnSync('hyperfine', ['--version']).status === 0) return;
  log('bench: installing hyperfine (Debian package)');
  const sudo = process.getuid?.() === 0 ? '' : 'sudo -n ';
  execFileSync('bash', ['-c', `${sudo}apt-get install -y hyperfine >/dev/null 2>&1 || (${sudo}apt-get update >/dev/null && ${sudo}apt-get install -y hyperfine >/dev/null)`], {
    stdio: 'inherit',
  });
}

const REAL = path.join(binDir, 'etcdctl');
const OURS = path.join(ROOT, 'bin/etcdctl-ts.js');
ensureHyperfine();
if (!existsSync(path.join(ROOT, 'dist/bundle/etcdctl-ts.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });

/** The runtimes etcdctl-ts is measured on: id → { label, exe (shell words) }. */
function runtimes() {
  const wanted = (process.env.BENCH_RUNTIMES ?? 'node,lts,exe').split(',').filter(Boolean);
  const all = {
    node: () => ({ label: `node ${process.version}`, exe: `${quote(process.execPath)} ${quote(OURS)}` }),
    lts: () => {
      const node = execFileSync('bash', [path.join(ROOT, 'scripts/install-node.sh'), 'node']).toString().trim().split('\n').pop();
      return { label: `node ${execFileSync(node, ['--version']).toString().trim()}`, exe: `${quote(node)} ${quote(OURS)}` };
    },
    exe: () => {
      const exe = path.join(ROOT, 'dist/exe/etcdctl-ts-linux-x64');
      if (!existsSync(exe)) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-exe.mjs')], { env: { ...process.env, BUILD_EXE_TARGETS: 'x64' }, stdio: ['ignore', 2, 2] });
      const built = execFileSync(exe, ['version', '--build']).toString().trim().split('\n').pop();
      return { label: `exe (${/single-file executable, ([^,]+)/.exec(built)?.[1] ?? '?'})`, exe: quote(exe) };
    },
  };
  return wanted.map((id) => {
    if (!all[id]) throw new Error(`bench: unknown runtime ${id} in BENCH_RUNTIMES (node, lts, exe)`);
    return { id, ...all[id]() };
  });
}

// The dense watch history is written as txns of SIZES.denseEvents puts each.
const { endpoint, work, env: ctlEnv } = await startMember('bench', ['--max-txn-ops', String(SIZES.denseEvents)]);
function real(args, input) {
  return spawnSync(REAL, args, { env: ctlEnv, input, maxBuffer: 1 << 30 });
}

const pad7 = (i) => String(i).padStart(7, '0');

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
  log(`bench: loading ${SIZES.small} + ${SIZES.large} keys of 100 bytes, ${SIZES.bigValues} values of 100 KB`);
  await putAll(SIZES.small, (i) => `/small/${pad7(i)}`, () => value);
  const before = await conn.unary('etcdserverpb.KV', 'Range', { key: Buffer.from('x') }, { deadline: Date.now() + 10000, idempotent: true });
  const watchFrom = BigInt(before.header.revision) + 1n;
  await putAll(SIZES.large, (i) => `/large/${pad7(i)}`, () => value);
  await putAll(1, () => '/large/~sentinel', () => Buffer.from('end'), 1);
  const big = Buffer.alloc(100_000, 'b');
  await putAll(SIZES.bigValues, (i) => `/big/${pad7(i)}`, () => big, 8);
  // The dense watch history: revisions of many events each (one txn of puts per revision).
  log(`bench: writing ${SIZES.denseRevisions} revisions of ${SIZES.denseEvents} puts`);
  let denseFrom;
  for (let rev = 0; rev < SIZES.denseRevisions; rev++) {
    const success = Array.from({ length: SIZES.denseEvents }, (_, i) => ({ request_put: { key: Buffer.from(`/dense/${pad7(i)}`), value } }));
    const resp = await conn.unary('etcdserverpb.KV', 'Txn', { success }, { deadline: Date.now() + 60000, idempotent: false });
    denseFrom ??= BigInt(resp.header.revision);
  }
  conn.close();
  return { watchFrom, denseFrom };
}
const { watchFrom, denseFrom } = await load();
const dbSize = real(['endpoint', 'status', '-w', 'json']).stdout.toString().match(/"dbSize":(\d+)/)?.[1];
log(`bench: database ${(Number(dbSize) / 1024 ** 2).toFixed(0)} MiB`);

writeFileSync(path.join(work, 'txn.txt'), 'mod("/small/0000001") > "0"\n\nput /txn/k v\nget /small/0000001\n\nput /txn/k w\n\n');
// Batch mode: the same gets as one etcdctl-ts process, or as one etcdctl process each.
const batchFile = path.join(work, 'gets.txt');
writeFileSync(batchFile, Array.from({ length: SIZES.batch }, (_, i) => `get /small/${pad7(i % SIZES.small)}\n`).join(''));

// Nondeterministic parts of outputs.
const maskLease = (s) => s.replace(/lease [0-9a-f]{16}/g, 'lease <id>');
const maskTime = (s) => s.replace(/took = [^\s]+/g, 'took = <t>').replace(/\d+(\.\d+)? ?[kMG]?B/g, '<size>');
const maskRevision = (s) => s.replace(/"revision":\d+/, '');
// Large ranges get a generous --command-timeout on both sides: on a busy machine the default 5 s
// can run out, and a timeout is not what is measured.
const bulk = ['--command-timeout=120s'];
const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const RUNTIMES = runtimes();

/**
 * A watch replay of `events` events under `prefix` from revision `from`. The watch never ends by
 * itself: head takes exactly the replayed events; once head is gone, a put under the prefix (by
 * etcdctl, for both tools) gives the watcher one more event to write, which fails (SIGPIPE/EPIPE)
 * and ends it. The put comes after head has closed the pipe: a watcher that printed the whole
 * replay in one go has nothing else left to write. `timeout` bounds a run that would hang all the
 * same.
 */
function watchReplay(exe, sink, prefix, from, events) {
  return `timeout 300 ${exe} watch --prefix ${prefix} --rev=${from} | { head -n ${events * 3} ${sink}; exec 0<&-; ${quote(REAL)} put ${prefix}~poke x > /dev/null; }`;
}

// name, args (or shell: a command line given the tool's executable and the output sink), stdin,
// mask, target ratio (or one per runtime id), target RSS (MiB, or a function of etcdctl's), runs
// (per round).
const ONE_SHOT = { ratio: { node: 4.0, lts: 3.5, exe: 2.0 }, rssMiB: 60 };
const workloads = [
  { name: 'get one key', args: ['get', '/small/0000001'], ...ONE_SHOT },
  { name: 'put one key', args: ['put', '/bench/one', 'value'], ...ONE_SHOT },
  { name: 'endpoint status', args: ['endpoint', 'status'], mask: (s) => s.replace(/, \d+(\.\d+)? [kMG]?B, /, ', <size>, ').replace(/, \d+, \d+, \d+, \d+, /, ', <raft>, '), ...ONE_SHOT },
  { name: 'member list -w table', args: ['member', 'list', '-w', 'table'], ...ONE_SHOT },
  { name: 'lease grant', args: ['lease', 'grant', '60'], mask: maskLease, ...ONE_SHOT },
  { name: 'txn from stdin', args: ['txn'], stdin: path.join(work, 'txn.txt'), ...ONE_SHOT },
  { name: 'get --prefix 10k', args: ['get', '--prefix', '/small/', ...bulk], ratio: 1.5 },
  { name: 'get --prefix 10k -w json', args: ['get', '--prefix', '/small/', '-w', 'json', ...bulk], mask: maskRevision, ratio: 1.8 },
  { name: 'get --prefix 10k --keys-only', args: ['get', '--prefix', '/small/', '--keys-only', ...bulk], ratio: 1.5 },
  { name: 'get --prefix 100k', args: ['get', '--prefix', '/large/', ...bulk], ratio: 0.7, rssRatio: 1.5 },
  { name: 'get --prefix 100k -w json', args: ['get', '--prefix', '/large/', '-w', 'json', ...bulk], mask: maskRevision, ratio: 0.9, rssRatio: 1.5 },
  { name: 'get --prefix 100k --keys-only', args: ['get', '--prefix', '/large/', '--keys-only', ...bulk], ratio: 0.7, rssRatio: 1.5 },
  {
    name: 'watch replay 100k events',
    shell: (exe, sink) => watchReplay(exe, sink, '/large/', watchFrom, SIZES.large),
    ratio: 0.8,
    rssRatio: 1.5,
    runs: Math.min(RUNS, 3),
  },
  {
    // The same number of events as few revisions of many events: one response holds them all.
    name: `watch replay ${SIZES.denseRevisions}x${SIZES.denseEvents / 1000}k events`,
    shell: (exe, sink) => watchReplay(exe, sink, '/dense/', denseFrom, SIZES.denseRevisions * SIZES.denseEvents),
    ratio: 0.8,
    rssRatio: 1.5,
    runs: Math.min(RUNS, 3),
  },
  {
    name: 'snapshot save 200 MB',
    args: ['snapshot', 'save', path.join(work, 'snap.db')],
    mask: maskTime,
    prepare: `rm -f ${quote(path.join(work, 'snap.db'))}`,
    ratio: 1.0,
    rssMiB: 100,
    runs: Math.min(RUNS, 3),
  },
  {
    name: `batch: ${SIZES.batch} gets`,
    shell: (exe, sink, tool) =>
      tool === 'ours'
        ? `${exe} batch < ${quote(batchFile)} ${sink}`
        : `while read -r line; do ${exe} $line; done < ${quote(batchFile)} ${sink}`,
    ratio: 0.07,
    runs: 1,
    warmup: 0,
  },
].filter((w) => !ONLY || ONLY.test(w.name));

/** tool: 'real' or a runtime of RUNTIMES (a workload's shell sees 'ours' for every runtime). */
function commandLine(tool, w, sink) {
  const exe = tool === 'real' ? quote(REAL) : tool.exe;
  if (w.shell) return w.shell(exe, sink, tool === 'real' ? 'real' : 'ours');
  return `${exe} ${w.args.map(quote).join(' ')}${w.stdin ? ` < ${quote(w.stdin)}` : ''} ${sink}`;
}

function runOnce(tool, w) {
  const rssFile = path.join(work, 'rss');
  if (w.prepare) execFileSync('bash', ['-c', w.prepare]);
  const r = spawnSync('python3', [path.join(ROOT, 'bench/maxrss.py'), rssFile, 'bash', '-c', commandLine(tool, w, '')], {
    env: ctlEnv,
    maxBuffer: 1 << 30,
  });
  return { out: r.stdout.toString('latin1'), err: r.stderr.toString(), status: r.status, rssKiB: Number(readFileSync(rssFile, 'utf8')) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
log(`bench: ${os.cpus().length} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, node ${process.version}, load average ${loadAverage()}`);

log(`bench: runtimes ${RUNTIMES.map((r) => `${r.id} = ${r.label}`).join(', ')}`);

const results = [];
for (const w of workloads) {
  // Warm every runtime: the first etcdctl-ts run of a command also writes its code cache.
  const b = runOnce('real', w);
  const mask = w.mask ?? ((s) => s);
  const checked = RUNTIMES.map((rt) => {
    runOnce(rt, w);
    const a = runOnce(rt, w);
    const same = mask(a.out) === mask(b.out) && a.status === b.status;
    if (!same) log(`bench: OUTPUT DIFFERS for "${w.name}" on ${rt.id} (etcdctl-ts exit ${a.status}, etcdctl exit ${b.status})\n${a.err.slice(0, 500)}${b.err.slice(0, 500)}`);
    return { rt, a, same };
  });
  const tools = ['real', ...RUNTIMES];
  const times = new Map(tools.map((t) => [t, []]));
  const runs = w.runs ?? RUNS;
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with another tool, so no tool always runs right after another.
    const order = tools.map((_, i) => tools[(i + round) % tools.length]);
    const jsonFile = path.join(work, 'hf.json');
    execFileSync(
      'hyperfine',
      ['--style', 'none', '--warmup', String(w.warmup ?? 1), '--runs', String(runs), '--export-json', jsonFile, '--shell', 'bash', '--ignore-failure',
        ...(w.prepare ? ['--prepare', w.prepare] : []),
        ...order.map((t) => commandLine(t, w, '> /dev/null'))],
      { env: ctlEnv, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const hf = JSON.parse(readFileSync(jsonFile, 'utf8'));
    order.forEach((t, i) => times.get(t).push(...hf.results[i].times));
  }
  const realT = median(times.get('real'));
  for (const { rt, a, same } of checked) {
    const ours = median(times.get(rt));
    const row = {
      name: w.name,
      runtime: rt.id,
      runtimeLabel: rt.label,
      ours,
      real: realT,
      ratio: ours / realT,
      target: typeof w.ratio === 'object' ? w.ratio[rt.id] : w.ratio,
      rssOurs: a.rssKiB / 1024,
      rssReal: b.rssKiB / 1024,
      rssTarget: w.rssMiB ?? (w.rssRatio ? (w.rssRatio * b.rssKiB) / 1024 : undefined),
      same,
      samples: times.get(rt).length,
      load: loadAverage(),
    };
    row.met = row.ratio <= row.target && (row.rssTarget === undefined || row.rssOurs <= row.rssTarget) && same;
    results.push(row);
    log(
      `bench: ${w.name} [${rt.id}]: ${(ours * 1000).toFixed(1)} ms vs ${(realT * 1000).toFixed(1)} ms = ${row.ratio.toFixed(2)}x (target ${row.target}x); ` +
        `RSS ${row.rssOurs.toFixed(0)} vs ${row.rssReal.toFixed(0)} MiB${row.rssTarget ? ` (target ${row.rssTarget.toFixed(0)})` : ''}${same ? '' : ' (OUTPUT DIFFERS)'}; load ${row.load}`,
    );
  }
}

const pad = (s, n) => String(s).padEnd(n);
for (const rt of RUNTIMES) {
  console.log(
    `\netcdctl-ts on ${rt.label} (${rt.id})\n${pad('workload', 32)} ${pad('etcdctl-ts', 11)} ${pad('etcdctl', 11)} ${pad('ratio', 7)} ${pad('target', 7)} ${pad('RSS ts', 7)} ${pad('RSS go', 7)} ${pad('RSS max', 8)} ${pad('same', 5)} met`,
  );
  for (const r of results.filter((x) => x.runtime === rt.id)) {
    console.log(
      `${pad(r.name, 32)} ${pad(`${(r.ours * 1000).toFixed(1)}ms`, 11)} ${pad(`${(r.real * 1000).toFixed(1)}ms`, 11)} ${pad(`${r.ratio.toFixed(2)}x`, 7)} ${pad(`${r.target}x`, 7)} ` +
        `${pad(`${r.rssOurs.toFixed(0)}M`, 7)} ${pad(`${r.rssReal.toFixed(0)}M`, 7)} ${pad(r.rssTarget ? `${r.rssTarget.toFixed(0)}M` : '-', 8)} ${pad(r.same ? 'yes' : 'NO', 5)} ${r.met ? 'yes' : 'NO'}`,
    );
  }
}
if (process.env.BENCH_JSON) {
  writeFileSync(
    process.env.BENCH_JSON,
    JSON.stringify({ machine: { cpus: os.cpus().length, memGiB: os.totalmem() / 1024 ** 3, node: process.version }, runtimes: RUNTIMES.map(({ id, label }) => ({ id, label })), results }, null, 2),
  );
}
const worst = results.reduce((w, r) => (!w || r.ratio > w.ratio ? r : w), undefined);
if (worst) console.log(`bench: worst ratio ${worst.ratio.toFixed(2)} (workload ${worst.name}, runtime ${worst.runtime})`);
