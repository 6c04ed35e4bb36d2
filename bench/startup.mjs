#!/usr/bin/env node
// Where a one-shot command's time goes before its first byte leaves for the server, per runtime:
// runs it under strace (only the few system calls that mark the phases, filtered in the kernel)
// and reports, as medians over the runs, the time from execve to
//   entry    the bin's script is opened (Node's own bootstrap before it; n/a for the executable)
//   bundle   the bundle is opened, cache  its code cache is opened (Node only)
//   connect  connect() to the server (the bundle evaluated, the command parsed, configuration
//            resolved, the grpc-js channel set up)
//   preface  the HTTP/2 preface is written, request  the request's frames are written
//   exit     exit_group
// and the process's CPU time (user + system, without strace: a separate set of runs).
// strace slows system calls down, not JavaScript; compare runtimes within one run.
//
//   ETCDCTL_ENDPOINTS=127.0.0.1:2379 node bench/startup.mjs [--runs N] [--runtimes node,lts,exe,sea] -- get k
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './cli-args.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/etcdctl-ts.js');
const { command, option } = benchArgs();
const RUNS = Number(option('--runs', 10));
const wanted = option('--runtimes', 'node,lts,exe').split(',');
const endpoint = process.env.ETCDCTL_ENDPOINTS?.split(',')[0];
if (command.length === 0 || !endpoint) {
  console.error('usage: ETCDCTL_ENDPOINTS=host:port node bench/startup.mjs [--runs N] [--runtimes node,lts,exe] -- <etcdctl-ts arguments>');
  process.exit(2);
}
const port = Number(endpoint.split(':').pop());

const runtimes = {
  node: () => ({ label: `node ${process.version}`, argv: [process.execPath, BIN] }),
  lts: () => {
    const node = execFileSync('bash', [path.join(ROOT, 'scripts/install-node.sh'), 'node']).toString().trim().split('\n').pop();
    return { label: `node ${execFileSync(node, ['--version']).toString().trim()}`, argv: [node, BIN] };
  },
  exe: () => {
    const exe = path.join(ROOT, 'dist/exe/etcdctl-ts-linux-x64');
    if (!existsSync(exe)) throw new Error('startup: no dist/exe/etcdctl-ts-linux-x64 (npm run build:exe)');
    return { label: 'executable (bun)', argv: [exe] };
  },
  // Node's single executable application, for comparison (`node scripts/build-exe.mjs --sea`).
  sea: () => {
    const exe = path.join(ROOT, 'dist/exe/etcdctl-ts-sea-linux-x64');
    if (!existsSync(exe)) throw new Error('startup: no dist/exe/etcdctl-ts-sea-linux-x64 (node scripts/build-exe.mjs --sea)');
    return { label: 'executable (node SEA)', argv: [exe] };
  },
};

const cache = mkdtempSync(path.join(tmpdir(), 'etcdctl-ts-startup-'));
const env = { ...process.env, XDG_CACHE_HOME: cache };
delete env.NODE_EXTRA_CA_CERTS;
process.on('exit', () => rmSync(cache, { recursive: true, force: true }));

const CALLS = 'execve,openat,connect,write,writev,sendto,sendmsg,exit_group';

/** Phase times (ms after execve) of one traced run. */
function traced(cmd) {
  const out = path.join(cache, 'strace.txt');
  spawnSync('strace', ['-f', '-ttt', '--seccomp-bpf', '-e', `trace=${CALLS}`, '-o', out, ...cmd, ...command], { env, stdio: 'ignore' });
  const marks = {};
  let sock;
  let t0;
  let socketWrites = 0;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^\d+\s+(\d+\.\d+) (\w+)\((.*)$/.exec(line);
    if (!m) continue;
    const t = Number(m[1]) * 1000;
    const [, , call, rest] = m;
    t0 ??= t;
    const at = (name) => (marks[name] ??= t - t0);
    if (call === 'openat') {
      if (rest.includes(`"${BIN}"`)) at('entry');
      else if (rest.includes('etcdctl-ts.cjs"')) at('bundle');
      else if (rest.includes('/code-cache/') && !rest.includes('ENOENT')) at('cache');
    } else if (call === 'connect' && rest.includes(`htons(${port})`)) {
      sock ??= rest.split(',')[0];
      at('connect');
    } else if (sock !== undefined && /^(write|writev|sendto|sendmsg)$/.test(call) && rest.split(',')[0] === sock) {
      socketWrites++;
      at(socketWrites === 1 ? 'preface' : 'request');
    } else if (call === 'exit_group') at('exit');
  }
  return marks;
}

/** CPU time (ms) of one untraced run, from getrusage of the child. */
function cpu(cmd) {
  const rss = path.join(cache, 'rss');
  const r = spawnSync('python3', ['-c', `import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(${JSON.stringify(rss)}, "w").write(f"{(u.ru_utime + u.ru_stime) * 1000} {u.ru_maxrss}")`, ...cmd, ...command], { env });
  if (r.status !== 0) throw new Error(`startup: ${r.stderr}`);
  const [ms, kib] = readFileSync(rss, 'utf8').split(' ').map(Number);
  return { ms, rssMiB: kib / 1024 };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.floor(s.length / 2)];
};
const PHASES = ['entry', 'bundle', 'cache', 'connect', 'preface', 'request', 'exit'];
const fmt = (x) => (x === undefined ? '-' : x.toFixed(1)).padStart(8);

console.log(`${'runtime'.padEnd(22)}${PHASES.map((p) => p.padStart(8)).join('')}${'cpu'.padStart(8)}${'rss MiB'.padStart(9)}`);
for (const id of wanted) {
  const rt = runtimes[id]();
  // Warm: the first run of a command writes its code cache.
  for (let i = 0; i < 2; i++) spawnSync(rt.argv[0], [...rt.argv.slice(1), ...command], { env, stdio: 'ignore' });
  const runs = Array.from({ length: RUNS }, () => traced(rt.argv));
  const cpus = Array.from({ length: RUNS }, () => cpu(rt.argv));
  const row = PHASES.map((p) => median(runs.map((r) => r[p])));
  console.log(`${rt.label.padEnd(22)}${row.map(fmt).join('')}${fmt(median(cpus.map((c) => c.ms)))}${fmt(median(cpus.map((c) => c.rssMiB)))}`);
}
console.log(`(ms after execve, medians of ${RUNS} runs; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
