#!/usr/bin/env node
// In-process profile of one etcdctl-ts command, as users run it (bin/etcdctl-ts.js, the bundle,
// its code cache): runs it several times under `node --cpu-prof` and prints where the time goes,
// by area (Node's own start-up, reading the bundle and its code cache, Node's built-in modules,
// grpc-js, protobufjs, commander, etcdctl-ts's own modules, garbage collection…) and by function.
// Bundle positions are mapped back to source files with dist/bundle/etcdctl-ts.cjs.map.
//
//   ETCDCTL_ENDPOINTS=127.0.0.1:2379 node bench/profile.mjs [--runs N] [--top N] -- get k
//
// The first run only fills the code cache (a profiled process has other V8 flags, so it has its
// own cache, kept in a temporary directory). Times are averages over the runs, in ms; the profiler
// itself slows things down by a fifth or so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './cli-args.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/etcdctl-ts.js');
const BUNDLE = path.join(ROOT, 'dist/bundle/etcdctl-ts.cjs');

const { command, option } = benchArgs();
const RUNS = Number(option('--runs', 8));
const TOP = Number(option('--top', 25));
if (command.length === 0) {
  console.error('usage: node bench/profile.mjs [--runs N] [--top N] -- <etcdctl-ts arguments>');
  process.exit(2);
}

// ---- source map: bundle (line, column) → source file -----------------------------------------

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
function decodeMappings(mappings) {
  const lines = [];
  let src = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (seg === '') continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.get(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += values[0];
      if (values.length > 1) src += values[1];
      // A segment without a source is esbuild's own code (its module and interop helpers).
      segments.push([col, values.length > 1 ? src : -1]);
    }
    lines.push(segments);
  }
  return lines;
}
let sourceOf = () => undefined;
try {
  const map = JSON.parse(readFileSync(`${BUNDLE}.map`, 'utf8'));
  const lines = decodeMappings(map.mappings);
  sourceOf = (line, column) => {
    const segs = lines[line];
    if (!segs || segs.length === 0) return undefined;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid][0] <= column) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo][0] > column || segs[lo][1] === -1 ? '(esbuild runtime: module wrappers, CommonJS interop)' : map.sources[segs[lo][1]];
  };
} catch {
  console.error('bench/profile: no source map (dist/bundle/etcdctl-ts.cjs.map); areas are coarse');
}

function areaOf(frame) {
  const url = frame.url ?? '';
  const fn = frame.functionName;
  if (url === '') {
    if (fn === '(garbage collector)') return 'garbage collection';
    if (fn === '(idle)') return 'idle (waiting for etcd or I/O)';
    if (fn === '(program)') return 'V8/Node native (program)';
    return `native: ${fn}`;
  }
  if (url.startsWith('node:vm') && fn === 'Script') return 'bundle: compile/deserialize code cache (vm.Script)';
  if (url.endsWith('bin/etcdctl-ts.js')) return 'bin/etcdctl-ts.js (loader)';
  if (url.endsWith('etcdctl-ts.cjs')) {
    const source = sourceOf(frame.lineNumber, frame.columnNumber) ?? '?';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    if (pkg) return `package: ${pkg[1]}`;
    return `etcdctl-ts: ${source.replace(/^(\.\.\/)+/, '')}`;
  }
  if (/^node:internal\/(bootstrap|main|process\/pre_execution)|^node:internal\/modules\/(cjs|run_main|helpers|package_json)/.test(url)) return 'Node start-up and module loader';
  if (url.startsWith('node:') || !url.includes('/')) return `Node built-in: ${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  return url;
}

// ---- runs -------------------------------------------------------------------------------------

const work = mkdtempSync(path.join(tmpdir(), 'etcdctl-ts-profile-'));
const env = { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache') };
delete env.NODE_EXTRA_CA_CERTS;
const run = (dir) =>
  spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '50', BIN, ...command], { env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  run(path.join(work, 'warm'));
  const dir = path.join(work, 'profiles');
  for (let i = 0; i < RUNS; i++) run(dir);
  const self = new Map();
  const fns = new Map();
  let total = 0;
  const files = readdirSync(dir);
  for (const file of files) {
    const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < p.samples.length; i++) {
      const frame = byId.get(p.samples[i]).callFrame;
      const d = (p.timeDeltas[i] ?? 0) / 1000;
      total += d;
      const area = areaOf(frame);
      self.set(area, (self.get(area) ?? 0) + d);
      const name = `${frame.functionName || '(anonymous)'} [${area.replace(/^(etcdctl-ts|package|Node built-in): /, '')}]`;
      fns.set(name, (fns.get(name) ?? 0) + d);
    }
  }
  const n = files.length;
  console.log(`etcdctl-ts ${command.join(' ')}: ${n} profiled runs, ${(total / n).toFixed(1)} ms of samples per run (node ${process.version})\n`);
  console.log('by area (self time, ms per run):');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${(v / n).toFixed(2).padStart(8)}  ${k}`);
  console.log('\nby function (self time, ms per run):');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${(v / n).toFixed(2).padStart(8)}  ${k}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
