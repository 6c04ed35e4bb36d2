// Builds what bin/etcdctl-ts.js runs: one CommonJS bundle, dist/bundle/etcdctl-ts.cjs, made by
// esbuild from the tsc output (dist/), that loads only what the command needs.
//
// Nothing here knows the commands. The command tree is data (dist/commands/specs/): each
// command's spec loads its code with a dynamic import(), which esbuild turns into a lazily
// initialised module of the one bundle, so a plain `get` never evaluates the snapshot, check or
// lease code, inquirer or chalk. Flags and subcommands are built when first looked at
// (cli/command.ts). The plugin below makes some modules and Node built-ins lazy as well.
//
// Run by `npm run build` after tsc.
import { mkdirSync, readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT_DIR = path.join(DIST, 'bundle');
const BUNDLE = path.join(OUT_DIR, 'etcdctl-ts.cjs');

mkdirSync(OUT_DIR, { recursive: true });
// What earlier builds generated here (the command table and its entry).
for (const stale of ['lazy-program.js', 'entry.js']) rmSync(path.join(OUT_DIR, stale), { force: true });

/**
 * Loaded on first use rather than at start-up: protobufjs's reflection (client/protobuf-loader.js
 * uses createRequire in ES modules; here a require esbuild bundles), and Node modules that are
 * imported at the top of a module but used only inside its functions (child_process by commander
 * and node-io, crypto by the TLS file checks, dns for host names, http and zlib by grpc-js…).
 * Each of those is a proxy that loads the real module on first property access; it lists the
 * module's export names itself, so that esbuild's interop (which copies them as getters) does
 * not load it. grpc-js also gets net with an isIPv6/isIP that answer "not IPv6" for text without
 * a colon before asking Node, whose IPv6 regular expression takes milliseconds to compile the
 * first time: the answers are the same.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'dns', 'dns/promises', 'http', 'https', 'zlib'];
const lazyLoadPlugin = {
  name: 'lazy-load',
  setup(b) {
    const loaderFile = path.join(DIST, 'client', 'protobuf-loader.js');
    b.onLoad({ filter: /protobuf-loader\.js$/ }, (args) =>
      args.path === loaderFile
        ? {
            contents:
              'let loaded;\nexport function loadProtobuf() {\n  return (loaded ??= require("protobufjs"));\n}\n' +
              'export function loadDescriptor() {\n  return require("../generated/descriptor.js").descriptor;\n}\n',
            loader: 'js',
            resolveDir: path.dirname(loaderFile),
          }
        : undefined,
    );
    const grpcJs = `${path.sep}@grpc${path.sep}grpc-js${path.sep}`;
    b.onResolve({ filter: /^(node:)?(child_process|crypto|dns|dns\/promises|http|https|zlib|net)$/ }, (args) => {
      // The proxies' own requires are Node's modules.
      if (args.namespace === 'lazy-builtin' || args.namespace === 'grpc-net') return { path: args.path, external: true };
      const name = args.path.replace(/^node:/, '');
      if (name === 'net') return args.importer.includes(grpcJs) ? { path: 'net', namespace: 'grpc-net' } : undefined;
      return LAZY_BUILTINS.includes(name) ? { path: name, namespace: 'lazy-builtin' } : undefined;
    });
    const require = createRequire(import.meta.url);
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let m;
const load = () => (m ??= require("node:${args.path}"));
const names = new Set(${JSON.stringify(Object.getOwnPropertyNames(require(`node:${args.path}`)))});
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  set: (_, key, value) => ((load()[key] = value), true),
  has: (_, key) => key in load(),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_, key) => (names.has(key) ? { value: undefined, writable: true, enumerable: true, configurable: true } : undefined),
});
`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'grpc-net' }, () => ({
      contents: `const net = require("node:net");
const isIPv6 = (s) => (typeof s === "string" && !s.includes(":") ? false : net.isIPv6(s));
const isIP = (s) => (typeof s === "string" && !s.includes(":") ? (net.isIPv4(s) ? 4 : 0) : net.isIP(s));
module.exports = { ...net, isIPv6, isIP };
`,
      loader: 'js',
    }));
  },
};

const tmp = `${BUNDLE}.${process.pid}.tmp`;
const result = await build({
  // What bin/etcdctl-ts.js takes from the bundle.
  stdin: {
    contents: "export { main } from './main.js';\nexport { nodeIo } from './io/node-io.js';\n",
    resolveDir: DIST,
    sourcefile: 'entry.js',
    loader: 'js',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: tmp,
  plugins: [lazyLoadPlugin],
  // Smaller is faster to read at every start; names stay (error classes, stack traces).
  // BUILD_BUNDLE_READABLE=1 keeps identifiers, for readable CPU profiles (bench/RESULTS.md).
  minify: process.env.BUILD_BUNDLE_READABLE !== '1',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  // bin/etcdctl-ts.js reads the bundle as latin1, which is only right for ASCII.
  charset: 'ascii',
  legalComments: 'none',
  // For bench/profile.mjs (bundle positions → source files); not referenced from the bundle.
  sourcemap: 'external',
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
});
const bytes = readFileSync(tmp);
if (bytes.some((byte) => byte > 0x7f)) {
  console.error('build-bundle: the bundle is not ASCII');
  process.exit(1);
}
renameSync(`${tmp}.map`, `${BUNDLE}.map`);
renameSync(tmp, BUNDLE);
writeFileSync(path.join(OUT_DIR, 'meta.json'), JSON.stringify(result.metafile));
console.error(`build-bundle: ${path.relative(ROOT, BUNDLE)}`);
