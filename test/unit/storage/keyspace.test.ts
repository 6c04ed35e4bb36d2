// The offline keyspace reader over small hand-built backends (the differential proof against a
// restored etcd is test/integration/snapshot-get.test.ts), and Go's sort.Sort.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goSort } from '../../../src/go/sort.js';
import { BoltReader, writeBolt } from '../../../src/offline/bbolt.js';
import { COMPACTED, FUTURE_REV, type OfflineRangeRequest, offlineRange, readBackend, revisionsOf } from '../../../src/offline/keyspace.js';
import { PbWriter } from '../../../src/offline/pb.js';
import { revisionKey } from '../../../src/offline/restore.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-keyspace-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Write {
  rev: number;
  key: string;
  value?: string;
  create?: number;
  version?: number;
  lease?: number;
}

const tombstone = (rev: number) => Buffer.concat([revisionKey(BigInt(rev), 0n), Buffer.from('t')]);

/** A backend holding `writes` (a write without value is a deletion) and a compacted revision. */
function backend(name: string, writes: Write[], compacted?: number): string {
  const file = path.join(dir, name);
  const entries = writes.map((w) => {
    if (w.value === undefined) return { key: tombstone(w.rev), value: new PbWriter().bytes(1, w.key).finish() };
    const kv = new PbWriter().bytes(1, w.key).uint(2, w.create ?? w.rev).uint(3, w.rev).uint(4, w.version ?? 1).bytes(5, w.value);
    if (w.lease) kv.uint(6, w.lease);
    return { key: revisionKey(BigInt(w.rev), 0n), value: kv.finish() };
  });
  const meta = compacted === undefined ? [] : [{ key: Buffer.from('finishedCompactRev'), value: revisionKey(BigInt(compacted), 0n) }];
  writeBolt(file, {
    entries: () => [
      { key: Buffer.from('key'), bucket: { entries: () => entries } },
      { key: Buffer.from('meta'), bucket: { entries: () => meta } },
    ],
  });
  return file;
}

const request = (key: string, more: Partial<OfflineRangeRequest> = {}): OfflineRangeRequest => ({
  key: Buffer.from(key),
  revision: 0n,
  limit: 0n,
  count_only: false,
  keys_only: false,
  sort_order: 0,
  sort_target: 0,
  ...more,
});

const keysOf = (file: string, req: OfflineRangeRequest) => readBackend(file, (db) => offlineRange(db, req).kvs.map((kv) => `${kv.key}=${kv.value}`));

describe('offlineRange', () => {
  let file: string;
  beforeAll(() => {
    file = backend('history.db', [
      { rev: 2, key: 'a', value: 'a1' },
      { rev: 3, key: 'b', value: 'b1' },
      { rev: 4, key: 'a', value: 'a2', create: 2, version: 2 },
      { rev: 5, key: 'b' },
      { rev: 6, key: 'c', value: 'c1', lease: 0x1234 },
      { rev: 7, key: 'b', value: 'b2' },
      { rev: 8, key: 'c' },
    ]);
  });

  it('answers as of the current revision: deletions gone, re-creations new', () => {
    const resp = readBackend(file, (db) => offlineRange(db, request('\0', { range_end: Buffer.from([0]) })));
    expect(resp.header).toEqual({ cluster_id: '0', member_id: '0', revision: '8', raft_term: '0' });
    expect(resp.count).toBe('2');
    expect(resp.kvs).toEqual([
      { key: Buffer.from('a'), create_revision: '2', mod_revision: '4', version: '2', value: Buffer.from('a2'), lease: '0' },
      { key: Buffer.from('b'), create_revision: '7', mod_revision: '7', version: '1', value: Buffer.from('b2'), lease: '0' },
    ]);
  });

  it('answers as of older revisions', () => {
    expect(keysOf(file, request('a', { range_end: Buffer.from('z'), revision: 3n }))).toEqual(['a=a1', 'b=b1']);
    expect(keysOf(file, request('a', { range_end: Buffer.from('z'), revision: 6n }))).toEqual(['a=a2', 'c=c1']);
    expect(readBackend(file, (db) => offlineRange(db, request('c', { revision: 7n }))).kvs[0]!.lease).toBe(String(0x1234));
    expect(keysOf(file, request('b', { revision: 5n }))).toEqual([]);
  });

  it('takes single keys, ranges, from-key, limits, counts and keys only', () => {
    expect(keysOf(file, request('b'))).toEqual(['b=b2']);
    expect(keysOf(file, request('ab'))).toEqual([]);
    expect(keysOf(file, request('b', { range_end: Buffer.from([0]) }))).toEqual(['b=b2']);
    expect(keysOf(file, request('a', { range_end: Buffer.from('b') }))).toEqual(['a=a2']);
    expect(keysOf(file, request('b', { range_end: Buffer.from('a') }))).toEqual([]);
    const limited = readBackend(file, (db) => offlineRange(db, request('a', { range_end: Buffer.from([0]), limit: 1n })));
    expect([limited.kvs.length, limited.more, limited.count]).toEqual([1, true, '2']);
    const counted = readBackend(file, (db) => offlineRange(db, request('a', { range_end: Buffer.from([0]), count_only: true })));
    expect([counted.kvs.length, counted.count]).toEqual([0, '2']);
    expect(keysOf(file, request('a', { keys_only: true }))).toEqual(['a=']);
    expect(keysOf(file, request('a', { range_end: Buffer.from([0]), sort_order: 2 }))).toEqual(['b=b2', 'a=a2']);
    expect(keysOf(file, request('a', { range_end: Buffer.from([0]), sort_target: 3 }))).toEqual(['a=a2', 'b=b2']);
  });

  it("fails with etcd's errors for future and compacted revisions", () => {
    expect(() => keysOf(file, request('a', { revision: 9n }))).toThrow(FUTURE_REV);
    const compacted = backend('compacted.db', [{ rev: 5, key: 'a', value: 'x' }], 9);
    expect(readBackend(compacted, revisionsOf)).toEqual({ current: 9n, compacted: 9n });
    expect(() => keysOf(compacted, request('a', { revision: 8n }))).toThrow(COMPACTED);
    expect(keysOf(compacted, request('a', { revision: 9n }))).toEqual(['a=x']);
  });

  it('reads a data directory through member/snap/db', () => {
    const dataDir = path.join(dir, 'member-data');
    fs.mkdirSync(path.join(dataDir, 'member', 'snap'), { recursive: true });
    fs.copyFileSync(file, path.join(dataDir, 'member', 'snap', 'db'));
    expect(keysOf(dataDir, request('a'))).toEqual(['a=a2']);
  });

  it('rejects a bbolt file that is not an etcd backend', () => {
    const other = path.join(dir, 'other.db');
    writeBolt(other, { entries: () => [{ key: Buffer.from('stuff'), bucket: { entries: () => [] } }] });
    expect(() => keysOf(other, request('a'))).toThrow('not an etcd backend: no "meta" bucket');
  });
});

describe('BoltReader.overwrittenSinceOpen / resizedSinceOpen', () => {
  it('sees a writer two transactions ahead, not one', () => {
    const file = backend('moving.db', [{ rev: 2, key: 'a', value: 'x' }]);
    const db = BoltReader.open(file);
    const pageSize = db.pageSize;
    expect(db.overwrittenSinceOpen()).toBe(false);
    const data = fs.readFileSync(file);
    // Meta pages hold their txid at 16 + 48 (checksummed): bump them through a fresh file's metas.
    const bumped = path.join(dir, 'bumped.db');
    for (const [ahead, expected] of [
      [1n, false],
      [2n, true],
    ] as const) {
      fs.rmSync(bumped, { force: true });
      writeBolt(bumped, { entries: () => [] }, { txid: db.meta.txid + ahead });
      const metas = fs.readFileSync(bumped).subarray(0, 2 * pageSize);
      fs.writeFileSync(file, Buffer.concat([metas, data.subarray(2 * pageSize)]));
      expect(db.overwrittenSinceOpen()).toBe(expected);
    }
    expect(db.resizedSinceOpen()).toBe(false);
    fs.appendFileSync(file, Buffer.alloc(pageSize));
    expect(db.resizedSinceOpen()).toBe(true);
    db.close();
  });
});

describe('goSort', () => {
  it('sorts like any correct sort, at every size', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    for (const n of [0, 1, 2, 5, 12, 13, 49, 50, 51, 200, 1000, 5000]) {
      for (const make of [() => random(), (i: number) => i, (i: number) => n - i, () => 3]) {
        const items = Array.from({ length: n }, (_, i) => ({ v: make(i), i }));
        goSort(items, (a, b) => a.v < b.v);
        for (let i = 1; i < n; i++) expect(items[i - 1]!.v).toBeLessThanOrEqual(items[i]!.v);
        expect(new Set(items.map((x) => x.i)).size).toBe(n);
      }
    }
  });

  it('keeps equal elements in place up to 12 (insertion sort), like Go', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ v: i % 3, i }));
    goSort(items, (a, b) => a.v < b.v);
    expect(items.map((x) => x.i)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });
});
