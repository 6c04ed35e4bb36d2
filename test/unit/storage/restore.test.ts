// snapshot restore's storage formats: member and cluster ids, the WAL, the .snap file with its v2
// store, and a whole restore compared with files the real etcdctl 3.5.16 wrote for the same flags
// (test/fixtures/snapshot: the non-zero head of each WAL and the .snap files).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoltReader, type BucketSource, writeBolt } from '../../../src/offline/bbolt.js';
import {
  clusterFromUrlsMap,
  computeClusterId,
  computeMemberId,
  memberJson,
  newUrls,
  newUrlsMap,
  parseGoUrl,
  urlStringsEqual,
  verifyBootstrap,
} from '../../../src/offline/membership.js';
import { decodeConfChange, decodeEntry, decodeHardState, decodeWalMetadata, decodeWalSnapshot } from '../../../src/offline/raftpb.js';
import { type RestoreConfig, restoreSnapshot, revisionKey } from '../../../src/offline/restore.js';
import { membershipStoreJson, readSnapshotFile } from '../../../src/offline/snap.js';
import { snapshotStatus } from '../../../src/offline/status.js';
import { WAL_SEGMENT_SIZE, encodeFrame, readWalSegment } from '../../../src/offline/wal.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/snapshot');
const WAL_NAME = '0000000000000000-0000000000000000.wal';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-restore-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A small etcd-like backend with the SHA-256 trailer `snapshot save` files carry. */
function makeSnapshot(file: string, opts: { trailer?: boolean; keys?: number } = {}): void {
  const raw = `${file}.raw`;
  const keyEntries = Array.from({ length: opts.keys ?? 5 }, (_, i) => ({
    key: revisionKey(BigInt(i + 2), 0n),
    value: Buffer.from(`kv-${i}`),
  }));
  const bucket = (entries: { key: Buffer; value: Buffer }[]): BucketSource => ({ entries: () => entries });
  writeBolt(raw, {
    entries: () => [
      { key: Buffer.from('cluster'), bucket: bucket([{ key: Buffer.from('clusterVersion'), value: Buffer.from('3.5.0') }]) },
      { key: Buffer.from('key'), bucket: bucket(keyEntries) },
      { key: Buffer.from('members'), bucket: bucket([{ key: Buffer.from('1234'), value: Buffer.from('{"id":4660}') }]) },
      { key: Buffer.from('members_removed'), bucket: bucket([{ key: Buffer.from('99'), value: Buffer.from('removed') }]) },
      {
        key: Buffer.from('meta'),
        bucket: bucket([
          { key: Buffer.from('consistent_index'), value: Buffer.from('0000000000000019', 'hex') },
          { key: Buffer.from('term'), value: Buffer.from('0000000000000002', 'hex') },
        ]),
      },
    ],
  });
  const data = fs.readFileSync(raw);
  fs.rmSync(raw);
  const trailer = opts.trailer === false ? Buffer.alloc(0) : createHash('sha256').update(data).digest();
  fs.writeFileSync(file, Buffer.concat([data, trailer]));
}

function config(snapshotPath: string, dataDir: string, overrides: Partial<RestoreConfig> = {}): RestoreConfig {
  return {
    snapshotPath,
    name: 'default',
    outputDataDir: dataDir,
    outputWalDir: '',
    peerURLs: ['http://localhost:2380'],
    initialCluster: 'default=http://localhost:2380',
    initialClusterToken: 'etcd-cluster',
    skipHashCheck: false,
    initialMmapSize: 0n,
    revisionBump: 0n,
    markCompacted: false,
    ...overrides,
  };
}

describe('membership', () => {
  it('computes member and cluster ids like etcd', () => {
    expect(computeMemberId(['http://localhost:2380'], 'etcd-cluster').toString(16)).toBe('8e9e05c52164694d');
    expect(computeClusterId([0x8e9e05c52164694dn]).toString(16)).toBe('cdf818194e3a8c32');
    expect(computeMemberId(['http://127.0.0.1:24801'], 'tok').toString(16)).toBe('a6b899a614adff8f');
    const c = clusterFromUrlsMap('t3', newUrlsMap('a=http://127.0.0.1:1,b=http://127.0.0.1:2,b=https://10.0.0.1:7,c=unix://sock'));
    expect(c.id.toString(16)).toBe('aec4c317c16ba38e');
    // Sorted by id, as RaftCluster.Members() lists them.
    expect(c.members.map((m) => [m.name, m.id.toString(16)])).toEqual([
      ['a', '7b6c4b197e0be075'],
      ['c', '8225917d0e20c838'],
      ['b', 'a29a1c0d3b54d0bf'],
    ]);
    expect(memberJson(c.members[2]!)).toBe(`{"id":${0xa29a1c0d3b54d0bfn},"peerURLs":["http://127.0.0.1:2","https://10.0.0.1:7"],"name":"b"}`);
  });

  it('validates URLs with etcd messages', () => {
    expect(newUrls([' http://b:1', 'http://a:2'])).toEqual(['http://a:2', 'http://b:1']);
    expect(() => newUrls([])).toThrow('no valid URLs given');
    expect(() => newUrls(['127.0.0.1:2'])).toThrow('parse "127.0.0.1:2": first path segment in URL cannot contain colon');
    expect(() => newUrls(['foo://1'])).toThrow('URL scheme must be http, https, unix, or unixs: foo://1');
    expect(() => newUrls(['http://host'])).toThrow('URL address does not have the form "host:port": http://host');
    expect(() => newUrls(['http://h:1/p'])).toThrow('URL must not contain a path: http://h:1/p');
    expect(() => newUrls(['http://h:x'])).toThrow('parse "http://h:x": invalid port ":x" after host');
    expect(newUrls(['HTTP://[::1]:5'])).toEqual(['http://[::1]:5']);
    expect(parseGoUrl('unix://sock').toString()).toBe('unix://sock');
  });

  it('checks the bootstrap configuration', async () => {
    const logs: string[] = [];
    const log = (_c: string, msg: string, fields: [string, string][]) => logs.push(`${msg} ${JSON.stringify(fields)}`);
    const map = newUrlsMap('a=http://127.0.0.1:1');
    await expect(verifyBootstrap('x', ['http://127.0.0.1:1'], map, log)).rejects.toThrow(
      `couldn't find local name "x" in the initial cluster configuration`,
    );
    await expect(verifyBootstrap('a', ['http://127.0.0.1:9'], map, log)).rejects.toThrow(
      '--initial-cluster has a=http://127.0.0.1:1 but missing from --initial-advertise-peer-urls=http://127.0.0.1:9 (resolved urls: "http://127.0.0.1:9" != "http://127.0.0.1:1")',
    );
    expect(logs).toHaveLength(2);
    await expect(verifyBootstrap('a', ['http://127.0.0.1:1'], newUrlsMap('a=http://127.0.0.1:1,a=http://127.0.0.1:2'), log)).rejects.toThrow(
      '--initial-cluster has a=http://127.0.0.1:2 but missing from --initial-advertise-peer-urls=http://127.0.0.1:1 (len(["http://127.0.0.1:1"]) != len(["http://127.0.0.1:1" "http://127.0.0.1:2"]))',
    );
    await expect(verifyBootstrap('a', ['http://127.0.0.1:1', 'http://127.0.0.1:2'], map, log)).rejects.toThrow(
      '--initial-advertise-peer-urls has http://127.0.0.1:2 but missing from --initial-cluster=a=http://127.0.0.1:1,a=http://127.0.0.1:2',
    );
    await expect(verifyBootstrap('a', ['http://127.0.0.1:1'], newUrlsMap('a=http://127.0.0.1:1,b=http://127.0.0.1:1'), log)).rejects.toThrow(
      'initial cluster a=http://127.0.0.1:1,b=http://127.0.0.1:1 has duplicate url',
    );
    // Host names resolve (through the injected resolver) before comparing.
    const resolver = async (host: string) => (host === 'node1' ? '127.0.0.1' : Promise.reject(new Error(`lookup ${host}: no such host`)));
    expect(await urlStringsEqual(['http://node1:1'], ['http://127.0.0.1:1'], log, resolver)).toEqual({ equal: true });
    expect(await urlStringsEqual(['http://nope:1'], ['http://127.0.0.1:1'], log, resolver)).toEqual({
      equal: false,
      why: 'failed to resolve "http://nope:1" (lookup nope: no such host)',
    });
  });
});

describe('WAL, snap and v2 store encodings', () => {
  it('frames records with 8-byte alignment and a padding marker', () => {
    const frame = encodeFrame(Buffer.from([1, 2, 3]));
    expect(frame.length).toBe(16);
    expect(frame.readBigUInt64LE(0)).toBe(3n | (0x85n << 56n));
    expect(encodeFrame(Buffer.alloc(8)).readBigUInt64LE(0)).toBe(8n);
  });

  it('writes the v2 store as etcd 3.5 saves it', () => {
    const golden = readSnapshotFile(path.join(FIXTURES, 'restore-g1-0000000000000001-0000000000000001.snap'));
    const json = membershipStoreJson([{ id: 0xa6b899a614adff8fn, name: 'm1', peerURLs: ['http://127.0.0.1:24801'] }]);
    expect(json).toBe(golden.data!.toString());
  });
});

describe('restore', { timeout: 30_000 }, () => {
  it('writes the WAL and .snap files the real etcdctl writes (one member)', async () => {
    const snap = path.join(dir, 'one.db');
    makeSnapshot(snap);
    const dataDir = path.join(dir, 'one.etcd');
    const lines: string[] = [];
    await restoreSnapshot(
      config(snap, dataDir, {
        name: 'm1',
        peerURLs: ['http://127.0.0.1:24801'],
        initialCluster: 'm1=http://127.0.0.1:24801',
        initialClusterToken: 'tok',
      }),
      (caller, msg) => lines.push(`${caller} ${msg}`),
    );
    expect(lines).toEqual([
      'snapshot/v3_snapshot.go:265 restoring snapshot',
      'membership/store.go:141 Trimming membership information from the backend...',
      'membership/cluster.go:421 added member',
      'snapshot/v3_snapshot.go:293 restored snapshot',
    ]);
    const wal = fs.readFileSync(path.join(dataDir, 'member', 'wal', WAL_NAME));
    const head = fs.readFileSync(path.join(FIXTURES, 'restore-g1.wal-prefix'));
    expect(wal.length).toBe(WAL_SEGMENT_SIZE);
    expect(wal.subarray(0, head.length).equals(head)).toBe(true);
    expect(wal.subarray(head.length).equals(Buffer.alloc(wal.length - head.length))).toBe(true);
    const snapFile = path.join(dataDir, 'member', 'snap', '0000000000000001-0000000000000001.snap');
    expect(fs.readFileSync(snapFile).equals(fs.readFileSync(path.join(FIXTURES, 'restore-g1-0000000000000001-0000000000000001.snap')))).toBe(true);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

    // The backend: old membership gone, the new member, index and term of the bootstrap entries.
    const db = BoltReader.open(path.join(dataDir, 'member', 'snap', 'db'));
    const read = (bucket: string) =>
      [...db.entries(db.bucket(bucket)!)].map((e) => [e.key.toString('latin1'), e.value!.toString('latin1')]);
    expect(read('members')).toEqual([['a6b899a614adff8f', '{"id":12013520944601366415,"peerURLs":["http://127.0.0.1:24801"],"name":"m1"}']]);
    expect(read('members_removed')).toEqual([]);
    expect(read('meta')).toEqual([
      ['consistent_index', Buffer.from('0000000000000001', 'hex').toString('latin1')],
      ['term', Buffer.from('0000000000000001', 'hex').toString('latin1')],
    ]);
    expect(read('key')).toHaveLength(5);
    expect(db.check()).toEqual([]);
    db.close();
  });

  it('writes the WAL and .snap files the real etcdctl writes (three members, several URLs)', async () => {
    const snap = path.join(dir, 'three.db');
    makeSnapshot(snap);
    const dataDir = path.join(dir, 'three.etcd');
    await restoreSnapshot(
      config(snap, dataDir, {
        name: 'b',
        peerURLs: ['https://10.0.0.1:7', 'http://127.0.0.1:2'],
        initialCluster: 'a=http://127.0.0.1:1,b=http://127.0.0.1:2,b=https://10.0.0.1:7,c=unix://sock',
        initialClusterToken: 't3',
      }),
      () => {},
    );
    const walFile = path.join(dataDir, 'member', 'wal', WAL_NAME);
    const head = fs.readFileSync(path.join(FIXTURES, 'restore-g3.wal-prefix'));
    expect(fs.readFileSync(walFile).subarray(0, head.length).equals(head)).toBe(true);
    const snapName = '0000000000000001-0000000000000003.snap';
    expect(fs.readFileSync(path.join(dataDir, 'member', 'snap', snapName)).equals(fs.readFileSync(path.join(FIXTURES, `restore-g3-${snapName}`)))).toBe(
      true,
    );

    // Read back: crc chain, metadata, three ConfChange entries, hard state, snapshot records.
    const records = readWalSegment(walFile);
    expect(records.map((r) => r.type)).toEqual([4, 1, 5, 2, 2, 2, 3, 5]);
    const meta = decodeWalMetadata(records[1]!.data!);
    expect(meta.nodeId.toString(16)).toBe('a29a1c0d3b54d0bf');
    expect(meta.clusterId.toString(16)).toBe('aec4c317c16ba38e');
    const entries = records.filter((r) => r.type === 2).map((r) => decodeEntry(r.data!));
    expect(entries.map((e) => [e.term, e.index, e.type])).toEqual([
      [1n, 1n, 1],
      [1n, 2n, 1],
      [1n, 3n, 1],
    ]);
    expect(decodeConfChange(entries[0]!.data!).nodeId.toString(16)).toBe('7b6c4b197e0be075');
    const state = decodeHardState(records[6]!.data!);
    expect(state).toEqual({ term: 1n, vote: 0x7b6c4b197e0be075n, commit: 3n });
    const last = decodeWalSnapshot(records[7]!.data!);
    expect([last.index, last.term, last.confState?.voters.length]).toEqual([3n, 1n, 3]);
  });

  it('bumps the revision and marks it compacted', async () => {
    const snap = path.join(dir, 'bump.db');
    makeSnapshot(snap, { keys: 3 });
    const dataDir = path.join(dir, 'bump.etcd');
    const fields: unknown[] = [];
    await restoreSnapshot(config(snap, dataDir, { revisionBump: 100n, markCompacted: true }), (_c, msg, f) => {
      if (msg.includes('revision')) fields.push([msg, f]);
    });
    expect(fields).toEqual([
      [
        'bumping latest revision',
        [
          ['latest-revision', 4n],
          ['bump-amount', 100n],
          ['new-latest-revision', 104n],
        ],
      ],
      ['marking revision compacted', [['revision', 104n]]],
    ]);
    const status = snapshotStatus(path.join(dataDir, 'member', 'snap', 'db'));
    expect(status.revision).toBe(104n);
    const db = BoltReader.open(path.join(dataDir, 'member', 'snap', 'db'));
    const meta = new Map([...db.entries(db.bucket('meta')!)].map((e) => [e.key.toString(), e.value!]));
    expect(meta.get('scheduledCompactRev')!.equals(revisionKey(104n, 0n))).toBe(true);
    db.close();
  });

  it('fails like etcdutl', async () => {
    const snap = path.join(dir, 'plain.db');
    makeSnapshot(snap, { trailer: false });
    await expect(restoreSnapshot(config(snap, path.join(dir, 'p1')), () => {})).rejects.toThrow(
      'snapshot missing hash but --skip-hash-check=false',
    );
    await restoreSnapshot(config(snap, path.join(dir, 'p2'), { skipHashCheck: true }), () => {});
    expect(fs.existsSync(path.join(dir, 'p2', 'member', 'snap', 'db'))).toBe(true);

    await expect(restoreSnapshot(config(snap, path.join(dir, 'p2'), { skipHashCheck: true }), () => {})).rejects.toThrow(
      `data-dir "${path.join(dir, 'p2')}" not empty or could not be read`,
    );
    await expect(restoreSnapshot(config(path.join(dir, 'missing.db'), path.join(dir, 'p3')), () => {})).rejects.toThrow(
      `open ${path.join(dir, 'missing.db')}: no such file or directory`,
    );
    const tampered = path.join(dir, 'tampered.db');
    makeSnapshot(tampered);
    const buf = fs.readFileSync(tampered);
    buf[buf.length - 1] ^= 1;
    fs.writeFileSync(tampered, buf);
    await expect(restoreSnapshot(config(tampered, path.join(dir, 'p4')), () => {})).rejects.toThrow(/^expected sha256 \[(\d+ ){31}\d+\], got \[/);
    fs.mkdirSync(path.join(dir, 'existing-wal'));
    await expect(restoreSnapshot(config(snap, path.join(dir, 'p5'), { outputWalDir: path.join(dir, 'existing-wal') }), () => {})).rejects.toThrow(
      `wal-dir "${path.join(dir, 'existing-wal')}" exists`,
    );
  });
});
