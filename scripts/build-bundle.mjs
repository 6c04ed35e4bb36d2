// Builds what bin/etcdctl-ts.js runs: one CommonJS bundle, dist/bundle/etcdctl-ts.cjs, made by
// esbuild from the tsc output (dist/), that loads only what the command needs.
//
// The command tree is built at start-up from a static table (names, use lines, help texts, flags)
// generated here from the real program (createProgram() in dist/cli/program.js), so parsing, help,
// suggestions and completion see exactly the same tree. A command's run function is loaded only
// when it runs: its stub imports the module whose factory built the command (found below by
// watching the factories at work), builds the real command, puts it in the tree in the stub's
// place and runs it. A command whose factory cannot be found this way is loaded through the
// whole program instead (always correct, just slower). esbuild turns those dynamic imports into
// lazily initialised modules of the one bundle, so a plain `get` never evaluates inquirer,
// chalk, the snapshot code or the other commands.
//
// The build fails when the table-built tree differs in anything from the real one (every
// command's properties, flags and usage text are compared).
//
// Run by `npm run build` after tsc.
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const OUT_DIR = path.join(DIST, 'bundle');
const LAZY_PROGRAM = path.join(OUT_DIR, 'lazy-program.js');
const ENTRY = path.join(OUT_DIR, 'entry.js');
const BUNDLE = path.join(OUT_DIR, 'etcdctl-ts.cjs');
const PROGRAM = path.join(DIST, 'cli', 'program.js');

const distUrl = (rel) => pathToFileURL(path.join(DIST, rel)).href;
const { CtlCommand } = await import(distUrl('cli/command.js'));
const { usageText } = await import(distUrl('cli/help.js'));

// Which factory (exported function of which module) created each command object: the frame
// just above createProgram's in the stack of CtlCommand.fromSpec.
const origins = new Map();
const originalFromSpec = CtlCommand.fromSpec;
Error.stackTraceLimit = 100;
CtlCommand.fromSpec = function fromSpecWatched(spec) {
  const cmd = originalFromSpec.call(this, spec);
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => {
    const m = /^\s+at (?:async )?(?:(\S+) \()?(file:\/\/[^)]+?):\d+:\d+\)?$/.exec(line);
    return m ? { fn: m[1] ?? '', file: fileURLToPath(m[2]) } : { fn: '', file: '' };
  });
  const at = frames.findIndex((f) => f.file === PROGRAM && /(^|\.)createProgram$/.test(f.fn));
  const caller = at > 0 ? frames[at - 1] : undefined;
  if (caller && caller.file !== PROGRAM && caller.file.startsWith(DIST + path.sep) && /^[A-Za-z_$][\w$]*$/.test(caller.fn)) {
    origins.set(cmd, { file: caller.file, fn: caller.fn });
  }
  return cmd;
};
const { createProgram } = await import(pathToFileURL(PROGRAM).href);
const root = createProgram();
CtlCommand.fromSpec = originalFromSpec;

// ---- the table -------------------------------------------------------------------------------

const fresh = new CtlCommand('x');
/** CtlCommand's own fields (use, short, long, …: whatever the class has now), not commander's. */
const ctlFields = Object.keys(fresh).filter((k) => !k.startsWith('_') && !['commands', 'options', 'parent', 'args', 'rawArgs', 'processedArgs', 'registeredArguments', 'runFn'].includes(k));

function tableOf(cmd) {
  const ctl = {};
  for (const k of ctlFields) ctl[k] = cmd[k];
  return {
    name: cmd.name(),
    summary: cmd.summary(),
    description: cmd.description(),
    aliases: cmd.aliases(),
    flags: cmd.ownFlags,
    ctl,
    runnable: cmd.runFn !== undefined,
    children: cmd.children.map(tableOf),
  };
}
const table = tableOf(root);

// ---- loaders: top-level command name → how to build the real command -----------------------

const loaders = {};
for (const child of root.children) {
  const origin = origins.get(child);
  if (!origin) continue;
  const mod = await import(pathToFileURL(origin.file).href);
  const factory = mod[origin.fn];
  if (typeof factory !== 'function' || factory.length !== 0) continue;
  const built = [factory()].flat();
  if (!built.some((c) => c instanceof CtlCommand && c.name() === child.name())) continue;
  let rel = path.relative(OUT_DIR, origin.file).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  loaders[child.name()] = { module: rel, fn: origin.fn };
}

const programRel = path.relative(OUT_DIR, PROGRAM).split(path.sep).join('/');
const commandRel = path.relative(OUT_DIR, path.join(DIST, 'cli', 'command.js')).split(path.sep).join('/');
const loaderLines = Object.entries(loaders).map(
  ([name, { module, fn }]) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(module)}).then((m) => [m.${fn}()].flat()),`,
);

const lazyProgram = `// Generated by scripts/build-bundle.mjs from the real command tree. Do not edit.
import { CtlCommand } from ${JSON.stringify(commandRel)};

const TABLE = JSON.parse(${JSON.stringify(JSON.stringify(table))});

/** Top-level command name → its real command objects (the factory's output). */
const LOADERS = {
${loaderLines.join('\n')}
};

/** The real command at \`names\` (path from the root), in \`root\`'s tree. */
function find(root, names) {
  let cmd = root;
  for (const name of names) cmd = cmd && cmd.children.find((c) => c.name() === name);
  return cmd;
}

/** Builds the real command behind a stub, puts its top-level command in the tree, runs it. */
async function runReal(stub, inv) {
  const names = stub.pathFromRoot();
  let root = stub;
  while (root.parentCommand) root = root.parentCommand;
  let real;
  const loader = LOADERS[names[0]];
  if (loader) {
    const top = (await loader()).find((c) => c.name() === names[0]);
    const at = root.commands.indexOf(root.children.find((c) => c.name() === names[0]));
    if (top && at !== -1) {
      root.commands[at] = top;
      top.parent = root;
      real = find(root, names);
    }
  }
  if (!real) {
    const { createProgram } = await import(${JSON.stringify(programRel)});
    real = find(createProgram(), names);
  }
  if (!real || !real.runFn) throw new Error(\`internal error: no command \${names.join(' ')}\`);
  inv.command = real;
  return real.runFn(inv);
}

// Flags and subcommands are added when first looked at: parsing \`get k\` builds the root and its
// children, and get's flags, not the whole tree. The backing arrays live under symbols, so the
// commands look the same to everything that reads them.
const PENDING = Symbol('pending');
const COMMANDS = Symbol('commands');
const OPTIONS = Symbol('options');

function materialize(cmd) {
  const node = cmd[PENDING];
  if (!node) return;
  cmd[PENDING] = undefined;
  for (const flag of node.flags) cmd.addFlag(flag);
  for (const child of node.children) cmd.add(build(child));
}

class LazyCommand extends CtlCommand {
  get commands() {
    materialize(this);
    return this[COMMANDS];
  }
  set commands(value) {
    this[COMMANDS] = value;
  }
  get options() {
    materialize(this);
    return this[OPTIONS];
  }
  set options(value) {
    this[OPTIONS] = value;
  }
}

function build(node) {
  const cmd = new LazyCommand(node.name);
  cmd.summary(node.summary);
  cmd.description(node.description);
  if (node.aliases.length > 0) cmd.aliases(node.aliases);
  Object.assign(cmd, node.ctl);
  if (node.runnable) cmd.runFn = (inv) => runReal(cmd, inv);
  cmd[PENDING] = node;
  return cmd;
}

/** The command tree, the same as cli/program.js builds, with run functions loaded on demand. */
export function createProgram() {
  return build(TABLE);
}
`;

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(LAZY_PROGRAM, lazyProgram);
writeFileSync(
  ENTRY,
  `// Generated by scripts/build-bundle.mjs: what bin/etcdctl-ts.js takes from the bundle.
export { main } from '../main.js';
export { nodeIo } from '../node-io.js';
`,
);

// ---- check: the table-built tree is the real one -------------------------------------------

function canonical(value, seen = new Set()) {
  if (typeof value === 'function') return `function ${value.name}: ${value.toString()}`;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '<cycle>';
  seen.add(value);
  const out = Array.isArray(value) ? value.map((v) => canonical(v, seen)) : {};
  if (!Array.isArray(value)) {
    // A table-built command keeps its options behind an accessor (not an own property).
    const keys = new Set(Object.keys(value));
    if (value instanceof CtlCommand) keys.add('options');
    for (const k of [...keys].sort()) {
      if (['parent', 'commands', 'runFn'].includes(k)) continue;
      out[k] = canonical(value[k], seen);
    }
  }
  seen.delete(value);
  return out;
}

function describe(cmd) {
  return JSON.stringify({
    own: canonical(cmd),
    runnable: cmd.runnable,
    path: cmd.commandPath(),
    inherited: cmd.inheritedFlags(),
    usage: usageText(cmd),
    children: cmd.children.map((c) => c.name()),
  });
}

const { createProgram: createLazyProgram } = await import(pathToFileURL(LAZY_PROGRAM).href);
const lazyRoot = createLazyProgram();
const differences = [];
const compare = (a, b) => {
  // Reading them builds a table-built command's flags and subcommands (before describing it).
  void b.options;
  void b.commands;
  if (describe(a) !== describe(b)) {
    differences.push(a.commandPath());
    if (process.env.BUILD_BUNDLE_DEBUG === '1') console.error(describe(a), '\n', describe(b));
  }
  a.children.forEach((child, i) => {
    const other = b.children[i];
    if (other) compare(child, other);
    else differences.push(child.commandPath());
  });
  if (b.children.length !== a.children.length) differences.push(`${a.commandPath()} (children)`);
};
compare(root, lazyRoot);
if (differences.length > 0) {
  console.error(`build-bundle: the table-built command tree differs from createProgram()'s at: ${differences.join(', ')}`);
  process.exit(1);
}

// ---- the bundle ------------------------------------------------------------------------------

/** Every import of cli/program.js gets the lazy tree, except the lazy module's own fallback. */
const lazyProgramPlugin = {
  name: 'lazy-program',
  setup(b) {
    b.onResolve({ filter: /(^|\/)program\.js$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      if (resolved !== PROGRAM || args.importer === LAZY_PROGRAM) return undefined;
      return { path: LAZY_PROGRAM };
    });
  },
};

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
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: tmp,
  plugins: [lazyProgramPlugin, lazyLoadPlugin],
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
const lazyCount = Object.keys(loaders).length;
console.error(`build-bundle: ${path.relative(ROOT, BUNDLE)} (${lazyCount}/${root.children.length} top-level commands loaded on demand)`);
