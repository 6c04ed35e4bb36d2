// `etcdctl-ts ls`: keys seen as a tree of `/`-separated paths, with key counts and value sizes.
// A key is cut into segments that keep their trailing slash (`/app/db` → `/`, `app/`, `db`), so a
// directory (`app/`) and a key of the same name (`app`) are two different entries.
import type { ChalkInstance } from 'chalk';
import { humanizeBytes } from '../go/encode.js';

export interface LsNode {
  /** Segment name: ends with `/` for a directory. */
  name: string;
  /** Keys at or below this entry. */
  keys: number;
  /** Bytes of their values. */
  bytes: number;
  /** Whether the path itself is a key (always for a leaf; possible for a directory). */
  isKey: boolean;
  /** Entries below, in key order; empty for leaves and for directories deeper than shown. */
  children: LsNode[];
  /** For directories cut off by --depth: how many direct entries were not shown. */
  hidden?: number;
}

export interface LsResult {
  kind: 'ls';
  /** The root: the listed prefix, with totals. */
  tree: LsNode;
  /** Directories below the root (at any depth, shown or not). */
  directories: number;
}

/** The segments of `rest` (the key after the listed prefix). */
export function segments(rest: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '/') {
      out.push(rest.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < rest.length) out.push(rest.slice(start));
  return out;
}

/** Builds the tree incrementally from keys in ascending order; memory grows with what is shown. */
export class LsTreeBuilder {
  readonly root: LsNode;
  private readonly directoryPaths = new Set<string>();
  private readonly shownChildren = new WeakMap<LsNode, Map<string, LsNode>>();
  private readonly hiddenNames = new WeakMap<LsNode, Set<string>>();

  constructor(
    rootName: string,
    /** Levels shown below the root (0: all). */
    private readonly depth: number,
  ) {
    this.root = { name: rootName, keys: 0, bytes: 0, isKey: false, children: [] };
  }

  add(rest: string, valueBytes: number): void {
    const parts = segments(rest);
    let node = this.root;
    node.keys++;
    node.bytes += valueBytes;
    if (parts.length === 0) {
      node.isKey = true;
      return;
    }
    let path = '';
    for (let level = 0; level < parts.length; level++) {
      const part = parts[level]!;
      path += part;
      if (part.endsWith('/')) this.directoryPaths.add(path);
      if (this.depth > 0 && level >= this.depth) {
        // Below what is shown: only count the distinct direct entries of the last shown directory.
        if (level === this.depth) {
          let names = this.hiddenNames.get(node);
          if (!names) this.hiddenNames.set(node, (names = new Set()));
          names.add(part);
          node.hidden = names.size;
        }
        continue;
      }
      let children = this.shownChildren.get(node);
      if (!children) this.shownChildren.set(node, (children = new Map()));
      let child = children.get(part);
      if (!child) {
        child = { name: part, keys: 0, bytes: 0, isKey: false, children: [] };
        children.set(part, child);
        node.children.push(child);
      }
      child.keys++;
      child.bytes += valueBytes;
      if (level === parts.length - 1) child.isKey = true;
      node = child;
    }
  }

  result(): LsResult {
    return { kind: 'ls', tree: this.root, directories: this.directoryPaths.size };
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The tree as text, like tree(1), coloured through `c` (a no-colour chalk for pipes). */
export function renderLsTree(result: LsResult, c: ChalkInstance): string {
  const lines: string[] = [];
  const sizeOf = (n: LsNode) => humanizeBytes(n.bytes);
  const label = (n: LsNode, isRoot: boolean): string => {
    const isDir = isRoot || n.name.endsWith('/');
    const name = isDir ? c.bold.blue(n.name) : n.name;
    if (!isDir) return `${name} ${c.dim(`(${sizeOf(n)})`)}`;
    const more = n.hidden ? `, ${plural(n.hidden, 'entry', 'entries')} not shown` : '';
    return `${name} ${c.dim(`(${plural(n.keys, 'key', 'keys')}, ${sizeOf(n)}${more})`)}`;
  };
  const walk = (node: LsNode, indent: string) => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${c.dim(last ? '└── ' : '├── ')}${label(child, false)}`);
      walk(child, indent + (last ? '    ' : c.dim('│   ')));
    });
  };
  lines.push(label(result.tree, true));
  walk(result.tree, '');
  lines.push('', `${plural(result.directories, 'directory', 'directories')}, ${plural(result.tree.keys, 'key', 'keys')}, ${sizeOf(result.tree)}`);
  return `${lines.join('\n')}\n`;
}
