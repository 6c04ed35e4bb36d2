// The bbolt reader and writer: round trips through every page shape (inline buckets, leaves,
// branches, overflow pages, nested buckets), meta validation, consistency checks and bbolt's
// error messages for files that are not databases.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BoltError,
  BoltPanic,
  BoltReader,
  type BucketSource,
  PGID_NO_FREELIST,
  branchElements,
  copiedBucket,
  decodeBucketValue,
  fnv64a,
  keyString,
  leafElements,
  mergeEntries,
  readPageHeader,
  writeBolt,
} from '../../../src/offline/bbolt.js';
import { crc32c, crc32cUpdate } from '../../../src/offline/crc32c.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-bbolt-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const tmpFile = (name = 'db') => path.join(dir, `${++counter}-${name}`);

type Tree = Map<string, Buffer | Tree>;

function source(tree: Tree, sequence = 0n): BucketSource {
  return {
    sequence,
    entries: () =>
      [...tree.entries()]
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')))
        .map(([k, v]) => (Buffer.isBuffer(v) ? { key: Buffer.from(k, 'latin1'), value: v } : { key: Buffer.from(k, 'latin1'), bucket: source(v) })),
  };
}

function readTree(db: BoltReader, ref = db.rootBucket()): Tree {
  const out: Tree = new Map();
  for (const e of db.entries(ref)) out.set(e.key.toString('latin1'), e.bucket ? readTree(db, e.bucket) : Buffer.from(e.value!));
  return out;
}

/** One line per entry (bucket path, key, value hex): cheap to compare, readable when it differs. */
function flatten(tree: Tree, prefix = ''): string {
  let out = '';
  const sorted = [...tree.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
  for (const [k, v] of sorted) {
    const text = v.length > 64 ? `${v.length} bytes, sha1 ${createHash('sha1').update(v as Buffer).digest('hex')}` : (v as Buffer).toString('hex');
    if (Buffer.isBuffer(v)) out += `${prefix}${JSON.stringify(k)}=${text}\n`;
    else out += `${prefix}${JSON.stringify(k)}/\n${flatten(v, `${prefix}${JSON.stringify(k)}/`)}`;
  }
  return out;
}

function bigTree(): Tree {
  const key = new Map<string, Buffer | Tree>();
  for (let i = 0; i < 5000; i++) key.set(`k${String(i).padStart(6, '0')}`, Buffer.from(`value-${i}`));
  const huge = Buffer.alloc(20_000, 0xab);
  return new Map<string, Buffer | Tree>([
    ['empty', new Map()],
    ['small', new Map([['a', Buffer.from('1')], ['b', Buffer.alloc(0)]])],
    ['many', key],
    ['huge', new Map([['blob', huge], ['z', Buffer.from('after')]])],
    ['nested', new Map<string, Buffer | Tree>([['child', new Map([['x', Buffer.from('y')]])], ['plain', Buffer.from('v')]])],
  ]);
}

describe('crc32c', () => {
  it('matches the Castagnoli check value and chains', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    expect(crc32cUpdate(crc32cUpdate(0, data.subarray(0, 13)), data.subarray(13))).toBe(crc32c(data));
  });
});

describe('bbolt writer and reader', () => {
  it('round-trips buckets of every shape', () => {
    const file = tmpFile();
    const tree = bigTree();
    writeBolt(file, source(tree));
    const db = BoltReader.open(file);
    try {
      expect(flatten(readTree(db))).toBe(flatten(tree));
      expect(db.check()).toEqual([]);
      expect(db.meta.freelist).toBe(PGID_NO_FREELIST);
      expect(db.size).toBe(BigInt(fs.statSync(file).size));
      // The small buckets are inline, the big ones have pages; "many" needs branch pages.
      expect(db.bucket('small')!.root).toBe(0);
      expect(db.bucket('empty')!.root).toBe(0);
      const many = db.bucket('many')!;
      expect(many.root).toBeGreaterThan(1);
      expect(readPageHeader(db.page(many.root)).flags).toBe(0x01);
      // "blob" fills a leaf of its own that spills into overflow pages.
      const huge = db.bucket('huge')!;
      const [first] = branchElements(db.page(huge.root));
      expect(readPageHeader(db.page(first!.pgid)).overflow).toBe(4);
      expect(db.bucket('missing')).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('writes both meta pages, the newer one winning', () => {
    const file = tmpFile();
    writeBolt(file, source(new Map([['b', new Map()]])), { txid: 10n });
    const db = BoltReader.open(file);
    expect(db.meta.txid).toBe(10n);
    expect(db.pageSize).toBe(4096);
    db.close();
    // Break the newer meta (page 0 for an even txid): the other one is used.
    const buf = fs.readFileSync(file);
    buf[16 + 20] ^= 0xff;
    fs.writeFileSync(file, buf);
    const older = BoltReader.open(file);
    expect(older.meta.txid).toBe(9n);
    expect(readTree(older)).toEqual(new Map([['b', new Map()]]));
    older.close();
  });

  it('honours other page sizes', () => {
    const file = tmpFile();
    const tree = bigTree();
    writeBolt(file, source(tree), { pageSize: 16384 });
    const db = BoltReader.open(file);
    expect(db.pageSize).toBe(16384);
    expect(flatten(readTree(db))).toBe(flatten(tree));
    expect(db.check()).toEqual([]);
    db.close();
  });

  it('refuses keys out of order', () => {
    const bad: BucketSource = {
      entries: () => [{ key: Buffer.from('b'), bucket: { entries: () => [{ key: Buffer.from('2'), value: Buffer.alloc(0) }, { key: Buffer.from('1'), value: Buffer.alloc(0) }] } }],
    };
    expect(() => writeBolt(tmpFile(), bad)).toThrow(/keys out of order/);
  });

  it('reports files that are not databases with bbolt messages', () => {
    const empty = tmpFile();
    fs.writeFileSync(empty, '');
    expect(() => BoltReader.open(empty)).toThrow(`write ${empty}: bad file descriptor`);
    const garbage = tmpFile();
    fs.writeFileSync(garbage, Buffer.alloc(10000, 7));
    expect(() => BoltReader.open(garbage)).toThrow(new BoltError('invalid database'));
    const good = tmpFile();
    writeBolt(good, source(bigTree()));
    const small = tmpFile();
    fs.writeFileSync(small, fs.readFileSync(good).subarray(0, 5000));
    expect(() => BoltReader.open(small)).toThrow('file size too small');
    const badVersion = tmpFile();
    const buf = fs.readFileSync(good);
    for (const base of [16, 4096 + 16]) buf.writeUInt32LE(1, base + 4);
    fs.writeFileSync(badVersion, buf);
    expect(() => BoltReader.open(badVersion)).toThrow('version mismatch');
    const badChecksum = tmpFile();
    const buf2 = fs.readFileSync(good);
    for (const base of [16, 4096 + 16]) buf2[base + 48] ^= 1;
    fs.writeFileSync(badChecksum, buf2);
    expect(() => BoltReader.open(badChecksum)).toThrow('checksum error');
  });

  it('finds pages referenced twice (bbolt panics while rebuilding the free list)', () => {
    const file = tmpFile();
    writeBolt(file, source(bigTree()));
    const db = BoltReader.open(file);
    const many = db.bucket('many')!;
    const branch = db.page(many.root);
    const children = branchElements(branch);
    db.close();
    expect(children.length).toBeGreaterThan(2);
    // Point the second child at the first one's page.
    const buf = fs.readFileSync(file);
    buf.writeBigUInt64LE(BigInt(children[0]!.pgid), many.root * 4096 + 16 + 16 + 8);
    fs.writeFileSync(file, buf);
    const broken = BoltReader.open(file);
    expect(() => broken.check()).toThrow(BoltPanic);
    expect(() => broken.check()).toThrow(new RegExp(`^freepages: failed to get all reachable pages \\(page ${children[0]!.pgid}: multiple references`));
    broken.close();
  });

  it('decodes leaf pages and bucket values', () => {
    const file = tmpFile();
    writeBolt(file, source(new Map([['b', new Map([['k', Buffer.from('v')]])]])));
    const db = BoltReader.open(file);
    const root = db.page(Number(db.meta.rootPgid));
    const [el] = leafElements(root);
    expect(el!.key.toString()).toBe('b');
    expect(el!.flags).toBe(1);
    const ref = decodeBucketValue(el!.value);
    expect(ref.root).toBe(0);
    const [inner] = leafElements(ref.inline!);
    expect([inner!.key.toString(), inner!.value.toString()]).toEqual(['k', 'v']);
    db.close();
  });

  it('copies a database with changes merged in order', () => {
    const file = tmpFile();
    writeBolt(file, source(bigTree()));
    const db = BoltReader.open(file);
    const changes = new Map<string, Buffer | null>([
      [keyString('a'), Buffer.from('new first')],
      [keyString('b'), null],
      [keyString('c'), Buffer.from('added')],
      [keyString('zz'), Buffer.from('last')],
    ]);
    const copy = tmpFile();
    writeBolt(copy, {
      entries: () => [...db.entries(db.rootBucket())].map((e) => ({ key: e.key, bucket: copiedBucket(db, e.bucket!, e.key.toString() === 'small' ? changes : undefined) })),
    });
    const out = BoltReader.open(copy);
    const small = readTree(out).get('small') as Tree;
    expect([...small.entries()].map(([k, v]) => [k, (v as Buffer).toString()])).toEqual([
      ['a', 'new first'],
      ['c', 'added'],
      ['zz', 'last'],
    ]);
    expect(readTree(out).get('nested')).toEqual(bigTree().get('nested'));
    expect(out.check()).toEqual([]);
    out.close();
    db.close();
    expect([...mergeEntries([], new Map([[keyString('x'), null]]))]).toEqual([]);
  });

  it('checksums metas with FNV-1a 64', () => {
    expect(fnv64a(Buffer.alloc(0))).toBe(0xcbf29ce484222325n);
    expect(fnv64a(Buffer.from('a'))).toBe(0xaf63dc4c8601ec8cn);
  });
});
