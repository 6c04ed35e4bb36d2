// Builds src/k8s/descriptor.ts, the compact schema that src/k8s/ decodes Kubernetes objects with,
// from checkouts of the Kubernetes API repositories:
//
//   node scripts/gen-k8s-descriptor.mjs <kubernetes/api> <kubernetes/apimachinery> \
//        <kubernetes/apiextensions-apiserver> <kubernetes/kube-aggregator>
//
// Each argument is a working checkout or a bare git directory (read at HEAD). Only facts of the wire
// format and of the JSON form are kept, no comments or other text:
//   - from generated.proto: message names, field numbers, names, types, repeated/map;
//   - from the Go types (the json and protobuf struct tags): the JSON name of each field, omitempty
//     and omitzero, whether the Go field is a pointer (absent means null/omitted rather than a zero
//     value) and whether it is embedded (its fields inlined into the parent's JSON object); Go types
//     that are slices (`type Verbs []string`) and that go-to-protobuf wraps in a message of `items`;
//   - from doc.go or register.go: the API group of each package, to find a kind's message.
// The commits (and `git describe`) of the checkouts are recorded in the output.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src', 'k8s', 'descriptor.ts');

const NAMES = ['kubernetes/api', 'kubernetes/apimachinery', 'kubernetes/apiextensions-apiserver', 'kubernetes/kube-aggregator'];
// The packages taken from each repository (a generated.proto's directory must match).
const WANTED = [
  (dir) => /^[a-z0-9]+\/v[0-9a-z]+$/.test(dir),
  (dir) => ['pkg/apis/meta/v1', 'pkg/runtime', 'pkg/util/intstr', 'pkg/api/resource'].includes(dir),
  (dir) => /^pkg\/apis\/apiextensions\/v1(beta1)?$/.test(dir),
  (dir) => /^pkg\/apis\/apiregistration\/v1(beta1)?$/.test(dir),
];

/** Reads files of a checkout or of a bare repository's HEAD. */
function openRepo(dir) {
  const bare = fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'));
  const git = (...args) => execFileSync('git', bare ? ['--git-dir', dir, ...args] : ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const tryGit = (...args) => {
    try {
      return git(...args).trim();
    } catch {
      return '';
    }
  };
  let files;
  if (bare) files = git('ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean);
  else {
    files = [];
    const walk = (rel) => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        if (entry.name === '.git' || entry.name === 'vendor') continue;
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(child);
        else files.push(child);
      }
    };
    walk('');
  }
  return {
    files,
    read: (file) => (bare ? git('show', `HEAD:${file}`) : fs.readFileSync(path.join(dir, file), 'utf8')),
    commit: tryGit('rev-parse', 'HEAD'),
    describe: tryGit('describe', '--tags', '--always', '--match', 'v0.*'),
    date: tryGit('log', '-1', '--format=%cI'),
  };
}

const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

/** The messages of one generated.proto: { pkg, messages: [{ name, fields: [{ name, number, type, label, key }] }] }. */
function parseProto(text) {
  const src = stripComments(text);
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(src)[1];
  const messages = [];
  const messageRe = /\bmessage\s+(\w+)\s*\{([^{}]*)\}/g;
  for (let m; (m = messageRe.exec(src)); ) {
    const fields = [];
    for (const line of m[2].split(';')) {
      const t = line.trim();
      if (!t) continue;
      let f = /^map\s*<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/.exec(t);
      if (f) {
        fields.push({ name: f[3], number: Number(f[4]), label: 'map', key: f[1], type: f[2] });
        continue;
      }
      f = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(t);
      if (!f) throw new Error(`unparsed field in ${pkg}.${m[1]}: ${t}`);
      fields.push({ name: f[3], number: Number(f[4]), label: f[1], type: f[2] });
    }
    messages.push({ name: m[1], fields });
  }
  return { pkg, messages };
}

/** Go struct fields with protobuf tags, and the names of Go slice types, of one package's sources. */
function parseGo(texts) {
  const structs = new Map(); // struct name → Map(number → { json, omitempty, omitzero, pointer, embedded })
  const sliceTypes = new Set();
  for (const text of texts) {
    for (const m of text.matchAll(/^type\s+(\w+)\s+\[\]/gm)) sliceTypes.add(m[1]);
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const head = /^type\s+(\w+)\s+struct\s*\{\s*$/.exec(lines[i]);
      if (!head) continue;
      const fields = new Map();
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const f = /^\s*([\w.*]+)(?:\s+([^\s`]+))?\s+`([^`]*)`/.exec(lines[i]);
        if (!f) continue;
        const tag = f[3];
        const proto = /protobuf:"(\w+),(\d+),/.exec(tag);
        if (!proto) continue;
        const json = /json:"([^"]*)"/.exec(tag);
        // No json tag: Go's field name; only custom-marshalled types (IntOrString, Duration) have none.
        const [jsonName, ...opts] = (json ? json[1] : f[2] === undefined ? '' : f[1]).split(',');
        const goType = f[2] ?? f[1];
        fields.set(Number(proto[2]), {
          json: jsonName,
          omitempty: opts.includes('omitempty'),
          omitzero: opts.includes('omitzero'),
          pointer: goType.startsWith('*'),
          // An embedded struct is inlined unless its json tag names it (`metav1.ObjectMeta \`json:"metadata"\``).
          inline: (f[2] === undefined || json !== null) && jsonName === '',
          hidden: jsonName === '-',
        });
      }
      structs.set(head[1], fields);
    }
  }
  return { structs, sliceTypes };
}

const SCALARS = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'double', 'float']);

function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length !== NAMES.length) {
    console.error(`usage: node scripts/gen-k8s-descriptor.mjs ${NAMES.map((n) => `<${n}>`).join(' ')}`);
    process.exit(2);
  }
  const sources = {};
  const packages = []; // { pkg, group, version, messages, go }
  dirs.forEach((dir, r) => {
    const repo = openRepo(dir);
    sources[NAMES[r]] = { commit: repo.commit, describe: repo.describe, date: repo.date };
    for (const file of repo.files) {
      if (!file.endsWith('/generated.proto')) continue;
      const pkgDir = path.posix.dirname(file);
      if (!WANTED[r](pkgDir)) continue;
      const { pkg, messages } = parseProto(repo.read(file));
      const goFiles = repo.files.filter(
        (f) => path.posix.dirname(f) === pkgDir && f.endsWith('.go') && !f.endsWith('_test.go') && !f.endsWith('.pb.go') && !path.posix.basename(f).startsWith('zz_generated'),
      );
      const goTexts = goFiles.map((f) => repo.read(f));
      // `+groupName=` in doc.go, or register.go's GroupName constant.
      const group = [/\+groupName=([\w.-]*)/, /\bGroupName\s*=\s*"([\w.-]*)"/].map((re) => goTexts.map((t) => re.exec(t)).find(Boolean)?.[1]).find((g) => g !== undefined);
      const version = path.posix.basename(pkgDir);
      packages.push({ pkg, group, version, messages, go: parseGo(goTexts) });
    }
  });

  // Every message gets an index; fields refer to message types by index.
  const index = new Map();
  const all = [];
  for (const p of packages) for (const m of p.messages) index.set(`${p.pkg}.${m.name}`, all.push({ p, m }) - 1);
  const resolveType = (p, type) => {
    if (SCALARS.has(type)) return type;
    const bare = type.replace(/^\./, '');
    const full = bare.includes('.') ? bare : `${p.pkg}.${bare}`;
    const at = index.get(full);
    if (at === undefined) throw new Error(`unknown type ${type} in ${p.pkg}`);
    return at;
  };

  const untagged = [];
  const messages = all.map(({ p, m }) => {
    const goFields = p.go.structs.get(m.name);
    const fields = m.fields.map((f) => {
      const go = goFields?.get(f.number);
      if (goFields && !go) untagged.push(`${p.pkg}.${m.name}.${f.name}`);
      let flags = '';
      if (f.label === 'repeated') flags += 'r';
      if (go?.omitempty) flags += 'o';
      if (go?.omitzero) flags += 'z';
      if (go?.pointer) flags += 'p';
      if (go?.inline) flags += 'i';
      if (go?.hidden) flags += 'x';
      const type = f.label === 'map' ? [f.key, resolveType(p, f.type)] : resolveType(p, f.type);
      const json = go && go.json !== '' && !go.hidden ? go.json : f.name;
      // [number, JSON name, type, flags]; the proto name is kept only where it differs.
      const entry = [f.number, json, type, flags];
      if (json !== f.name) entry.push(f.name);
      return entry;
    });
    const kind = p.go.sliceTypes.has(m.name) ? 'a' : '';
    return [`${p.pkg}.${m.name}`, kind, fields];
  });

  // group/version → the packages that define its kinds (meta/v1's kinds are served by every group).
  const groups = {};
  for (const p of packages) {
    if (p.group === undefined) continue;
    const gv = p.group === '' ? p.version : `${p.group}/${p.version}`;
    (groups[gv] ??= []).push(p.pkg);
  }

  const descriptor = { sources, groups, messages };
  const text =
    '// Generated by scripts/gen-k8s-descriptor.mjs from the Kubernetes API repositories named in\n' +
    '// `sources`; do not edit. Parsed on first use only (src/k8s/schema.ts).\n' +
    `export const DESCRIPTOR_JSON = '${JSON.stringify(descriptor).replace(/[\\']/g, '\\$&')}';\n`;
  fs.writeFileSync(`${OUT}.tmp`, text);
  fs.renameSync(`${OUT}.tmp`, OUT);
  console.log(`${OUT}: ${messages.length} messages from ${packages.length} packages, ${text.length} bytes; ${untagged.length} fields without a Go tag${untagged.length ? ` (JSON name = proto name): ${untagged.join(", ")}` : ""}`);
}

main();
