#!/usr/bin/env node
// Entry point of the npm package: loads the bundle with a V8 code cache and runs it (bin/start.js).
//
// CommonJS (see bin/package.json), so start-up needs no ES module loader. The bundle
// (dist/bundle/etcdctl-ts.cjs, made by `npm run build`: scripts/build-bundle.mjs) loads only what
// the command needs, and is compiled with a V8 code cache on every Node major (the fastest route
// on 20, 24 and 26, see useCompileCache): vm.Script with cached data kept under
// $XDG_CACHE_HOME/etcdctl-ts/code-cache
// (one file per command word, named after the bundle's path, size and mtime and Node's version),
// written atomically after a run that found none (removing the files of earlier builds), and
// ignored on any error.
// ETCDCTL_TS_CODE_CACHE=0 turns the cache off. When the bundle is missing or older than the tsc
// output (dist/ rebuilt without the bundle step), the tsc output is run instead.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'bundle', 'etcdctl-ts.cjs');

/** FNV-1a, enough to name cache files. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function cacheDir() {
  const env = process.env;
  if (env.ETCDCTL_TS_CODE_CACHE === '0') return undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'etcdctl-ts', 'code-cache') : undefined;
}

/**
 * module.enableCompileCache() (Node 22+) is taken only when ETCDCTL_TS_CODE_CACHE=module asks for
 * it, to measure it on a new Node major: on 24 and 26 it was slower than vm.Script's cached data
 * (bench/RESULTS.md, "Node LTS: which code cache route on which major"), whose cache is written
 * after the run and so holds every function the command compiled, not only those compiled eagerly.
 */
function useCompileCache(Module) {
  return process.env.ETCDCTL_TS_CODE_CACHE === 'module' && typeof Module.enableCompileCache === 'function';
}

/** Writes the code cache after the run (more of the bundle is compiled by then); best effort. */
let saveCache = () => {};

/** The bundle's exports, or undefined when it is missing or stale. */
function loadBundle(command) {
  let stat;
  try {
    stat = fs.statSync(BUNDLE);
    if (stat.mtimeMs < fs.statSync(path.join(DIST, 'main.js')).mtimeMs) return undefined;
  } catch {
    return undefined;
  }
  const Module = require('node:module');
  const dir = cacheDir();
  if (useCompileCache(Module)) {
    if (dir) {
      try {
        Module.enableCompileCache(dir);
      } catch {
        // no cache then
      }
    }
    return require(BUNDLE);
  }
  const vm = require('node:vm');
  // The bundle is ASCII (the build checks), and latin1 is the cheapest decoding.
  const source = fs.readFileSync(BUNDLE, 'latin1');
  let cacheFile;
  let cached;
  // <bundle path and Node>-<bundle build>-<command>.bin: a rebuilt bundle or another Node gets new
  // files, and the first one written removes the previous build's for the same Node (several
  // Node versions side by side keep theirs).
  const prefix = `${hash(`${BUNDLE}\0${process.version}\0${process.arch}`)}-`;
  const build = hash(`${stat.size}\0${stat.mtimeMs}`);
  if (dir) {
    cacheFile = path.join(dir, `${prefix}${build}-${hash(command)}.bin`);
    try {
      cached = fs.readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData: cached });
  if (cacheFile && (cached === undefined || script.cachedDataRejected)) {
    saveCache = () => {
      try {
        const data = script.createCachedData();
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, cacheFile);
        for (const name of fs.readdirSync(dir)) {
          if (name.startsWith(prefix) && !name.startsWith(`${prefix}${build}-`)) fs.rmSync(path.join(dir, name), { force: true });
        }
      } catch {
        // a cache is only an optimisation
      }
    };
  }
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, path.dirname(BUNDLE));
  return mod.exports;
}

async function entryPoints(argv) {
  // Each command word gets its own cache, holding the code that command ran.
  const bundle = loadBundle(argv.find((a) => /^[a-z][a-z-]*$/.test(a)) ?? '');
  if (bundle) return bundle;
  const [{ main }, { nodeIo }] = await Promise.all([import('../dist/main.js'), import('../dist/io/node-io.js')]);
  return { main, nodeIo };
}

const argv = process.argv.slice(2);
require('./start.js').start(entryPoints(argv), {
  argv,
  // Read only by `version`.
  build: () => ({ kind: 'npm', version: require('../package.json').version }),
  beforeExit: () => saveCache(),
});
