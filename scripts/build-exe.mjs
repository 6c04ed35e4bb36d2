// Builds the single-file executables and their release tarballs from the bundle `npm run build`
// made (dist/bundle/etcdctl-ts.cjs), with no other change to it:
//   dist/exe/etcdctl-ts-linux-<arch>                       bun build --compile --bytecode
//   dist/release/etcdctl-ts-<version>-linux-<arch>.tar.gz  the executable, completions, README, LICENSE
// for each target (default: x64 and arm64; BUILD_EXE_TARGETS=x64 for one). arm64 is cross-built
// with the arm64 bun as the base (nothing is run for it here).
//
// bun was chosen over Node's single executable applications by measurement (bench/RESULTS.md,
// "Single-file executable"): less start-up CPU, less RSS, smaller. `--sea` also builds the Node
// variant for comparison, dist/exe/etcdctl-ts-sea-linux-x64 (x64 only; Node 26 with code cache).
//
// The runtimes come pinned from the npm registry (scripts/install-node.sh, cached). The entry
// (scripts/exe-entry.cjs) gets the build's description for `version` inlined.
//
// The bytecode is laid out in the order the one-shot commands use it (bun's --bytecode-order):
// a first x64 build runs get, put, endpoint status, member list, lease grant and txn against a
// throwaway etcd 3.5.16 (scripts/install-etcd.sh) and writes the order files, and every target
// is then built with them (the same bundle, so the same functions). It cost 3 MiB less peak RSS
// for `get` here (61.3 → 58.2 MiB; bench/RESULTS.md). `--no-train` skips it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(ROOT, 'dist', 'bundle', 'etcdctl-ts.cjs');
const EXE_DIR = path.join(ROOT, 'dist', 'exe');
const RELEASE_DIR = path.join(ROOT, 'dist', 'release');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const targets = (process.env.BUILD_EXE_TARGETS ?? 'x64,arm64').split(',').filter(Boolean);
const withSea = process.argv.includes('--sea');
const train = !process.argv.includes('--no-train');

const log = (line) => process.stderr.write(`build-exe: ${line}\n`);
const run = (cmd, args, opts = {}) => String(execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], ...opts }) ?? '');
/** scripts/install-node.sh's answer: the runtime binary's path. */
const install = (runtime, arch) => run('bash', [path.join(ROOT, 'scripts', 'install-node.sh'), runtime, '', arch]).trim().split('\n').pop();

for (const arch of targets) {
  if (arch !== 'x64' && arch !== 'arm64') throw new Error(`build-exe: unknown target ${arch} (x64 or arm64)`);
}
if (!existsSync(BUNDLE)) {
  log('no bundle yet: npm run build');
  run('npm', ['run', 'build'], { stdio: ['ignore', 2, 2] });
}

let commit;
try {
  commit = run('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  if (run('git', ['status', '--porcelain', '--untracked-files=no'], { stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '') commit += '-dirty';
} catch {
  commit = undefined;
}

/** The entry with this build's description in place of its placeholder, next to the original. */
function entryFor(build) {
  const source = readFileSync(path.join(ROOT, 'scripts', 'exe-entry.cjs'), 'utf8');
  const placeholder = "const BUILD = { kind: 'executable' };";
  if (!source.includes(placeholder)) throw new Error('build-exe: scripts/exe-entry.cjs has no BUILD placeholder');
  const file = path.join(ROOT, 'scripts', `.exe-entry-${process.pid}.cjs`);
  writeFileSync(file, source.replace(placeholder, `const BUILD = ${JSON.stringify(build)};`));
  return file;
}

/** Runs `build(tmp)` to write a file and renames it into place when complete. */
function writeAtomically(out, build) {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    build(tmp);
    chmodSync(tmp, 0o755);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function buildBun(arch, orderFiles = []) {
  const bun = install('bun', 'x64');
  const bunVersion = run(bun, ['--version']).trim();
  const out = path.join(EXE_DIR, `etcdctl-ts-linux-${arch}`);
  const entry = entryFor({ kind: 'executable', version, compiler: `bun ${bunVersion}`, target: `linux-${arch}`, commit });
  try {
    writeAtomically(out, (tmp) =>
      run(bun, [
        'build', entry, '--compile', '--bytecode', '--minify', '--outfile', tmp,
        // etcdctl reads no .env or bunfig.toml from the working directory; neither may we.
        '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig',
        ...(orderFiles.length > 0 ? [`--bytecode-order=${orderFiles.join(',')}`] : []),
        ...(arch === 'x64' ? [] : ['--target=bun-linux-arm64', `--compile-executable-path=${install('bun', arch)}`]),
      ], { stdio: ['ignore', 'ignore', 'inherit'] }),
    );
  } finally {
    rmSync(entry, { force: true });
  }
  return out;
}

/**
 * Runs the one-shot commands with `exe` against a throwaway etcd, each writing the order in which
 * it ran the bytecode into a file in `dir`; returns the files (none when etcd cannot be started).
 */
async function trainingRuns(exe, dir) {
  const etcdBin = run('bash', [path.join(ROOT, 'scripts', 'install-etcd.sh')]).trim().split('\n').pop();
  const [client, peer] = run(process.execPath, [path.join(ROOT, 'scripts', 'free-port.mjs'), '2']).trim().split('\n');
  const endpoint = `127.0.0.1:${client}`;
  const etcd = spawn(path.join(etcdBin, 'etcd'), [
    '--name', 'train', '--data-dir', path.join(dir, 'data'), '--log-level', 'error',
    '--listen-client-urls', `http://${endpoint}`, '--advertise-client-urls', `http://${endpoint}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `train=http://127.0.0.1:${peer}`,
  ], { stdio: 'ignore' });
  const ctl = (args, input, env = {}) =>
    spawnSync(exe, [`--endpoints=${endpoint}`, ...args], { input, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'ignore'], timeout: 30_000 });
  try {
    // Bounded wait for the member: 30 s.
    for (let i = 0; ctl(['endpoint', 'health']).status !== 0; i++) {
      if (i >= 150) return [];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    ctl(['put', 'train/k', 'v']);
    const commands = [
      ['get', 'train/k'], ['put', 'train/k', 'w'], ['endpoint', 'status'], ['member', 'list', '-w', 'table'], ['lease', 'grant', '60'],
      ['txn'],
    ];
    return commands.map((args, i) => {
      const file = path.join(dir, `order-${i}.txt`);
      ctl(args, args[0] === 'txn' ? 'mod("train/k") > "0"\n\nput train/t v\n\n' : undefined, { BUN_BYTECODE_ORDER_OUT: file });
      return file;
    }).filter((file) => existsSync(file));
  } finally {
    etcd.kill('SIGTERM');
  }
}

/** Node's single executable application (Node 26, code cache; no startup snapshot, see RESULTS.md). */
function buildSea() {
  const node = install('node', 'x64');
  const out = path.join(EXE_DIR, 'etcdctl-ts-sea-linux-x64');
  const nodeVersion = run(node, ['--version']).trim();
  const entry = entryFor({ kind: 'executable', version, compiler: `node ${nodeVersion} SEA`, target: 'linux-x64', commit });
  const main = path.join(EXE_DIR, `sea-main.${process.pid}.cjs`);
  const config = path.join(EXE_DIR, `sea.${process.pid}.json`);
  try {
    // A SEA runs one script that can require only Node's modules: the entry and bundle in one file.
    run(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', '--format=cjs', '--minify-whitespace', `--outfile=${main}`, '--log-level=warning']);
    writeAtomically(out, (tmp) => {
      writeFileSync(config, JSON.stringify({ main, output: tmp, executable: node, disableExperimentalSEAWarning: true, useCodeCache: true }));
      run(node, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
    });
  } finally {
    for (const f of [entry, main, config]) rmSync(f, { force: true });
  }
  return out;
}

/** dist/release/etcdctl-ts-<version>-linux-<arch>.tar.gz: one folder with the executable and its papers. */
function tarball(exe, arch) {
  const name = `etcdctl-ts-${version}-linux-${arch}`;
  const stage = path.join(RELEASE_DIR, `.${name}.${process.pid}`);
  const out = path.join(RELEASE_DIR, `${name}.tar.gz`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(path.join(stage, name, 'completions'), { recursive: true });
  try {
    copyFileSync(exe, path.join(stage, name, 'etcdctl-ts'));
    chmodSync(path.join(stage, name, 'etcdctl-ts'), 0o755);
    for (const f of ['README.md', 'LICENSE']) copyFileSync(path.join(ROOT, f), path.join(stage, name, f));
    for (const f of ['etcdctl-ts.bash', '_etcdctl-ts', 'etcdctl-ts.fish']) {
      copyFileSync(path.join(ROOT, 'completions', f), path.join(stage, name, 'completions', f));
    }
    writeAtomically(out, (tmp) =>
      run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-czf', tmp, '-C', stage, name]),
    );
    chmodSync(out, 0o644);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return out;
}

mkdirSync(EXE_DIR, { recursive: true });
mkdirSync(RELEASE_DIR, { recursive: true });
let orderFiles = [];
const trainingDir = mkdtempSync(path.join(tmpdir(), 'etcdctl-ts-exe-train-'));
try {
  if (train) {
    orderFiles = await trainingRuns(buildBun('x64'), trainingDir);
    log(orderFiles.length > 0 ? `bytecode order from ${orderFiles.length} commands` : 'no bytecode order (etcd did not start)');
  }
  for (const arch of targets) {
    const exe = buildBun(arch, orderFiles);
    log(`${path.relative(ROOT, exe)} and ${path.relative(ROOT, tarball(exe, arch))}`);
  }
} finally {
  rmSync(trainingDir, { recursive: true, force: true });
}
if (withSea) log(path.relative(ROOT, buildSea()));
