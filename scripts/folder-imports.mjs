// The folder graph of src/: which top-level folders import which (static imports and import()),
// generated code aside. Prints one line per edge; exits 1 if two folders import each other or
// any longer cycle exists (README "A map of the code": folders only import those below them).
//   node scripts/folder-imports.mjs [-v]     (-v: the importing files of each edge)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const verbose = process.argv.includes('-v');
const folderOf = (file) => {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? `(root)` : parts[0];
};

/** folder -> folder -> the files (and specifiers) behind the edge */
const edges = new Map();
function scan(file) {
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    if (target.includes(`${path.sep}generated${path.sep}`)) continue;
    const [a, b] = [folderOf(file), folderOf(target)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    const to = edges.get(a);
    if (!to.has(b)) to.set(b, []);
    to.get(b).push(`${path.relative(SRC, file)} : ${m[1]}`);
  }
}
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') walk(p);
    } else if (p.endsWith('.ts')) scan(p);
  }
}
walk(SRC);

for (const [a, to] of [...edges].sort()) {
  for (const [b, files] of [...to].sort()) {
    console.log(`${a} -> ${b}`);
    if (verbose) for (const f of files) console.log(`    ${f}`);
  }
}

// Depth-first search for a cycle; the graph has a dozen nodes.
const state = new Map();
const stack = [];
function visit(node) {
  state.set(node, 'open');
  stack.push(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
    if (!state.has(next)) {
      const found = visit(next);
      if (found) return found;
    }
  }
  stack.pop();
  state.set(node, 'done');
  return undefined;
}
for (const node of edges.keys()) {
  const cycle = state.has(node) ? undefined : visit(node);
  if (cycle) {
    console.error(`cycle: ${cycle.join(' -> ')}`);
    process.exit(1);
  }
}
