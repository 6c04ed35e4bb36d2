// `snapshot restore`: builds a new etcd 3.5 data directory from a backend snapshot, the way
// etcdutl's v3Manager.Restore does, without running etcd:
//
//   <data-dir>/member/snap/db          the snapshot's bbolt data, rewritten compacted, with the
//                                      old membership removed, the new members added, and the
//                                      consistent index/term set to the bootstrap entries;
//   <wal-dir>/0000…-0000….wal          a WAL whose entries add each member (ConfChange, term 1),
//                                      a hard state committing them and a snapshot record;
//   <data-dir>/member/snap/<t>-<i>.snap a raft snapshot at that index carrying the v2 store with
//                                      the membership.
//
// An etcd started on that directory with the same --name/--initial-cluster/-token sees a node
// that has applied the bootstrap and serves the snapshot's keys.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { goQuote, goQuoteList } from '../go/quote.js';
import type { ZapFields } from '../go/zap.js';
import { type BucketChanges, BoltError, BoltPanic, BoltReader, copiedBucket, keyString, type BucketSource, type WriteEntry, writeBolt } from './bbolt.js';
import {
  type HostResolver,
  type Member,
  clusterFromUrlsMap,
  memberJson,
  newUrls,
  newUrlsMap,
  verifyBootstrap,
} from './membership.js';
import { CONF_CHANGE_ADD_NODE, ENTRY_CONF_CHANGE, type Entry, encodeConfChange, encodeWalMetadata } from './raftpb.js';
import { membershipStoreJson, saveSnapshotFile } from './snap.js';
import { goErrnoText } from './status.js';
import { WalWriter } from './wal.js';

export interface RestoreConfig {
  snapshotPath: string;
  name: string;
  /** Empty: `<name>.etcd`. */
  outputDataDir: string;
  /** Empty: `<data-dir>/member/wal`. */
  outputWalDir: string;
  peerURLs: string[];
  initialCluster: string;
  initialClusterToken: string;
  skipHashCheck: boolean;
  initialMmapSize: bigint;
  revisionBump: bigint;
  markCompacted: boolean;
}

/** Receives etcdutl's progress lines (caller, message, fields). */
export type RestoreLog = (caller: string, msg: string, fields?: ZapFields) => void;

const SHA256_SIZE = 32;

/** A snapshot saved by `snapshot save` carries a SHA-256 trailer, making its size ≡ 32 (mod 512). */
export function hasChecksum(size: number): boolean {
  return size % 512 === SHA256_SIZE;
}

/** Go's os error text for a failed operation on `p` (`open x: no such file or directory`). */
function pathError(op: string, p: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === 'string') return new Error(`${op} ${p}: ${goErrnoText(err)}`);
  return err as Error;
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

function dirEmpty(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

/** fileutil.CreateDirAll: mkdir -p with mode 0700; the deepest directory must be empty. */
function createDirAll(dir: string): void {
  try {
    if (!exists(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw pathError('mkdir', dir, err);
  }
  const names = fs.readdirSync(dir).sort();
  if (names.length !== 0) throw new Error(`expected ${goQuote(dir)} to be empty, got ${goQuoteList(names)}`);
}

/** Go's %v of a []byte: `[1 2 3]`. */
function goBytes(b: Buffer): string {
  return `[${[...b].join(' ')}]`;
}

/** Checks the SHA-256 trailer like copyAndVerifyDB (calling `afterOpen` where it creates the snap dir). */
function verifySnapshotHash(snapshotPath: string, skipHashCheck: boolean, afterOpen: () => void): void {
  let fd: number;
  try {
    fd = fs.openSync(snapshotPath, 'r');
  } catch (err) {
    throw pathError('open', snapshotPath, err);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < SHA256_SIZE) throw new Error(`seek ${snapshotPath}: invalid argument`);
    const trailer = Buffer.alloc(SHA256_SIZE);
    fs.readSync(fd, trailer, 0, SHA256_SIZE, size - SHA256_SIZE);
    afterOpen();
    const hasHash = hasChecksum(size);
    if (!hasHash && !skipHashCheck) throw new Error('snapshot missing hash but --skip-hash-check=false');
    if (hasHash && !skipHashCheck) {
      const h = createHash('sha256');
      const chunk = Buffer.alloc(1 << 20);
      let pos = 0;
      const end = size - SHA256_SIZE;
      while (pos < end) {
        const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, end - pos), pos);
        if (n === 0) break;
        h.update(chunk.subarray(0, n));
        pos += n;
      }
      const digest = h.digest();
      if (!digest.equals(trailer)) throw new Error(`expected sha256 ${goBytes(trailer)}, got ${goBytes(digest)}`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** An mvcc revision key: 8-byte main, '_', 8-byte sub (big-endian). */
export function revisionKey(main: bigint, sub: bigint): Buffer {
  const k = Buffer.alloc(17);
  k.writeBigInt64BE(main, 0);
  k[8] = 0x5f;
  k.writeBigInt64BE(sub, 9);
  return k;
}

function uint64Be(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

/** The greatest (main, sub) revision in the "key" bucket. */
function latestRevision(db: BoltReader): { main: bigint; sub: bigint } {
  let latest = { main: 0n, sub: 0n };
  const bucket = db.bucket('key');
  if (!bucket) return latest;
  for (const e of db.entries(bucket)) {
    const padded = Buffer.alloc(17);
    e.key.copy(padded, 0, 0, Math.min(17, e.key.length));
    const rev = { main: padded.readBigInt64BE(0), sub: padded.readBigInt64BE(9) };
    if (rev.main > latest.main || (rev.main === latest.main && rev.sub > latest.sub)) latest = rev;
  }
  return latest;
}

/**
 * Restores `cfg.snapshotPath` into a new data directory. Errors carry etcdutl's messages; `log`
 * receives the lines etcdutl logs (`restoring snapshot`, `added member`, …).
 */
export async function restoreSnapshot(cfg: RestoreConfig, log: RestoreLog, resolver?: HostResolver): Promise<void> {
  const peerURLs = newUrls(cfg.peerURLs);
  const urlsMap = newUrlsMap(cfg.initialCluster);
  await verifyBootstrap(cfg.name, peerURLs, urlsMap, log, resolver);
  const cluster = clusterFromUrlsMap(cfg.initialClusterToken, urlsMap);

  const dataDir = cfg.outputDataDir === '' ? `${cfg.name}.etcd` : cfg.outputDataDir;
  if (exists(dataDir) && !dirEmpty(dataDir)) throw new Error(`data-dir ${goQuote(dataDir)} not empty or could not be read`);
  let walDir = cfg.outputWalDir;
  if (walDir === '') walDir = path.join(dataDir, 'member', 'wal');
  else if (exists(walDir)) throw new Error(`wal-dir ${goQuote(walDir)} exists`);
  const snapDir = path.join(dataDir, 'member', 'snap');
  const dirFields: ZapFields = [
    ['path', cfg.snapshotPath],
    ['wal-dir', walDir],
    ['data-dir', dataDir],
    ['snap-dir', snapDir],
    ['initial-memory-map-size', cfg.initialMmapSize],
  ];
  log('snapshot/v3_snapshot.go:265', 'restoring snapshot', dirFields);

  // saveDB: verify the hash, then write the backend with every change the restore makes to it.
  // copyAndVerifyDB's order: open and seek the source, create the snap dir, then check the hash.
  verifySnapshotHash(cfg.snapshotPath, cfg.skipHashCheck, () => createDirAll(snapDir));
  const local = cluster.members.find((m) => m.name === cfg.name)!;
  const commit = BigInt(cluster.members.length);
  const term = 1n;
  writeRestoredBackend(cfg, path.join(snapDir, 'db'), cluster.members, commit, term, log);

  // saveWALAndSnap
  createDirAll(walDir);
  for (const m of cluster.members) {
    log('membership/cluster.go:421', 'added member', [
      ['cluster-id', cluster.id.toString(16)],
      ['local-member-id', '0'],
      ['added-peer-id', m.id.toString(16)],
      ['added-peer-peer-urls', m.peerURLs],
    ]);
  }
  const wal = WalWriter.create(walDir, encodeWalMetadata(local.id, cluster.id));
  try {
    const entries: Entry[] = cluster.members.map((m, i) => ({
      type: ENTRY_CONF_CHANGE,
      term,
      index: BigInt(i + 1),
      data: encodeConfChange({ id: 0n, type: CONF_CHANGE_ADD_NODE, nodeId: m.id, context: Buffer.from(memberJson(m)) }),
    }));
    wal.save({ term, vote: cluster.members[0]!.id, commit }, entries);
    const confState = { voters: cluster.members.map((m) => m.id) };
    saveSnapshotFile(snapDir, Buffer.from(membershipStoreJson(cluster.members)), commit, term, confState);
    wal.saveSnapshot(commit, term, confState);
  } finally {
    wal.close();
  }
  log('snapshot/v3_snapshot.go:293', 'restored snapshot', dirFields);
}

/** Writes `<snap-dir>/db`: the snapshot's buckets with the membership, revision and index changes. */
function writeRestoredBackend(cfg: RestoreConfig, outPath: string, members: Member[], commit: bigint, term: bigint, log: RestoreLog): void {
  let src: BoltReader;
  try {
    src = BoltReader.open(cfg.snapshotPath);
  } catch (err) {
    // etcd's backend.newBackend panics when bbolt cannot open the copied file.
    if (err instanceof BoltError) throw new BoltPanic('failed to open database');
    throw err;
  }
  try {
    log('membership/store.go:141', 'Trimming membership information from the backend...');
    const changes = new Map<string, BucketChanges>();
    const changesOf = (bucket: string): BucketChanges => {
      let c = changes.get(bucket);
      if (!c) changes.set(bucket, (c = new Map()));
      return c;
    };
    // TrimMembershipFromBackend: every key of members and members_removed goes.
    for (const name of ['members', 'members_removed']) {
      const ref = src.bucket(name);
      if (ref) for (const e of src.entries(ref)) changesOf(name).set(keyString(e.key), null);
    }
    if (cfg.markCompacted && cfg.revisionBump > 0n) {
      const latest = latestRevision(src);
      const bumped = latest.main + cfg.revisionBump;
      log('snapshot/v3_snapshot.go:356', 'bumping latest revision', [
        ['latest-revision', latest.main],
        ['bump-amount', cfg.revisionBump],
        ['new-latest-revision', bumped],
      ]);
      changesOf('key').set(keyString(revisionKey(bumped, 0n)), Buffer.alloc(0));
      log('snapshot/v3_snapshot.go:373', 'marking revision compacted', [['revision', bumped]]);
      changesOf('meta').set(keyString('scheduledCompactRev'), revisionKey(bumped, 0n));
    }
    // AddMember (backend side): members/<id hex> = the member's JSON.
    for (const m of members) changesOf('members').set(keyString(m.id.toString(16)), Buffer.from(memberJson(m)));
    // updateCIndex
    changesOf('meta').set(keyString('consistent_index'), uint64Be(commit));
    changesOf('meta').set(keyString('term'), uint64Be(term));

    // The root bucket is small: list it, add the buckets the changes need that do not exist yet.
    const root = src.rootBucket();
    const top: WriteEntry[] = [];
    for (const e of src.entries(root)) {
      const name = e.key.toString('latin1');
      if (e.bucket) top.push({ key: e.key, bucket: copiedBucket(src, e.bucket, changes.get(name)) });
      else top.push({ key: e.key, value: e.value! });
    }
    for (const [name, bucketChanges] of changes) {
      const key = Buffer.from(name, 'latin1');
      if (top.some((e) => e.key.equals(key))) continue;
      top.push({ key, bucket: { entries: () => newBucketEntries(bucketChanges) } });
    }
    top.sort((a, b) => Buffer.compare(a.key, b.key));
    const rootSource: BucketSource = { sequence: root.sequence, entries: () => top };
    writeBolt(outPath, rootSource, { pageSize: src.pageSize, txid: src.meta.txid + 1n });
  } finally {
    src.close();
  }
}

function* newBucketEntries(changes: BucketChanges): Generator<WriteEntry> {
  const puts = [...changes.entries()]
    .filter((e): e is [string, Buffer] => e[1] !== null)
    .map(([k, v]) => ({ key: Buffer.from(k, 'latin1'), value: v }))
    .sort((a, b) => Buffer.compare(a.key, b.key));
  yield* puts;
}
