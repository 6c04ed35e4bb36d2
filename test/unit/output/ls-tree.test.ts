import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { LsTreeBuilder, renderLsTree, segments } from '../../../src/output/ls-tree.js';

const plain = new Chalk({ level: 0 });

describe('ls tree', () => {
  it('cuts keys into segments keeping the slash', () => {
    expect(segments('/app/db')).toEqual(['/', 'app/', 'db']);
    expect(segments('a/b/')).toEqual(['a/', 'b/']);
    expect(segments('')).toEqual([]);
  });

  it('aggregates counts and sizes, and cuts at the depth', () => {
    const b = new LsTreeBuilder('/app/', 1);
    b.add('config/db', 10);
    b.add('config/cache/x', 5);
    b.add('name', 3);
    expect(renderLsTree(b.result(), plain)).toBe(
      ['/app/ (3 keys, 18 B)', '├── config/ (2 keys, 15 B, 2 entries not shown)', '└── name (3 B)', '', '2 directories, 3 keys, 18 B', ''].join('\n'),
    );
  });

  it('draws the whole tree with depth 0, and colours only with a colour level', () => {
    const b = new LsTreeBuilder('.', 0);
    b.add('/a/b', 1);
    b.add('/c', 2000);
    const text = renderLsTree(b.result(), plain);
    expect(text).toBe(['. (2 keys, 2.0 kB)', '└── / (2 keys, 2.0 kB)', '    ├── a/ (1 key, 1 B)', '    │   └── b (1 B)', '    └── c (2.0 kB)', '', '2 directories, 2 keys, 2.0 kB', ''].join('\n'));
    expect(renderLsTree(b.result(), new Chalk({ level: 1 }))).toContain('\x1b[');
  });
});
