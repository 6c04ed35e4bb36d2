// An etcd 3.5 backend's keyspace read offline: what a member started from the file would answer
// to a Range request, history included, without starting one.
//
// The `key` bucket is keyed by revision (8-byte big-endian main, '_', 8-byte sub; a trailing 't'
// marks a deletion) and each value is the mvccpb.KeyValue written at that revision. etcd rebuilds
// its key → revisions index (treeIndex) from that bucket when it starts; the key as of revision R
// is its newest entry with main ≤ R, absent when that entry is a deletion. One scan of the
// bucket finds exactly that, skipping the leaves that start past R. Only each value's first
// field (the key, field 1 as etcd marshals it) is read during the scan, through one reused
// buffer (kept only where a selected KeyValue lies); the KeyValues selected are decoded
// afterwards, so one key of a 200 MB file costs a sequential read of the file and little else.
//
// The meta bucket's finishedCompactRev/scheduledCompactRev give the compacted revision (etcd
// finishes a scheduled compaction when it starts); the current revision is the newest in the key
// bucket, or the compacted one when compaction removed everything after it.
import fs from 'node:fs';
import path from 'node:path';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import {
  BoltCorruptError,
  BoltError,
  type BoltReader,
  type BucketRef,
  LEAF_ELEMENT_SIZE,
  PAGE_FLAG_BRANCH,
  PAGE_FLAG_LEAF,
  PAGE_HEADER_SIZE,
  branchElements,
  leafElements,
} from './bbolt.js';
import { goSort } from '../go/sort.js';
import { WireReader } from '../proto/wire.js';
import { bytesField, decodeFields, uintField } from './pb.js';
import { mainRevisionOf, openBolt } from './status.js';

/** A Range request as the offline reader takes it (etcdserverpb.RangeRequest's fields in use). */
export interface OfflineRangeRequest {
  key: Buffer;
  /** Empty or absent: the one key; a single NUL byte: every key from `key` on. */
  range_end?: Buffer;
  /** 0: the current revision. */
  revision: bigint;
  limit: bigint;
  count_only: boolean;
  keys_only: boolean;
  /** RangeRequest.SortOrder: 0 none, 1 ascend, 2 descend. */
  sort_order: number;
  /** RangeRequest.SortTarget: 0 key, 1 version, 2 create, 3 mod, 4 value. */
  sort_target: number;
  /** The revision filters (0: none), as etcd 3.5 servers apply them. */
  min_mod_revision?: bigint;
  max_mod_revision?: bigint;
  min_create_revision?: bigint;
  max_create_revision?: bigint;
}

/** etcd's mvcc errors, as etcdctl prints them after the server's `etcdserver: ` prefix. */
export class RevisionError extends Error {
  override name = 'RevisionError';
}

export const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
export const FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';

/** How many times a file that a running etcd keeps rewriting is read before giving up. */
const MAX_READS = 8;

const REVISION_KEY_SIZE = 17;
const TOMBSTONE_MARK = 0x74; // 't'
const KEY_FIELD_TAG = 0x0a; // field 1, length-delimited

/**
 * The backend file behind `target`: the file itself, or for a member's data directory its
 * member/snap/db (a stopped member's backend can be read in place).
 */
export function backendFile(target: string): string {
  const inDataDir = path.join(target, 'member', 'snap', 'db');
  if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() && fs.existsSync(inDataDir)) return inDataDir;
  return target;
}

/**
 * Opens the backend read-only (no lock: a running etcd is never blocked), runs `read` on it, and
 * reads again when a writer may have reused the pages of the tree that was read
 * (BoltReader.overwrittenSinceOpen), so the answer always comes from one committed transaction.
 */
export function readBackend<T>(target: string, read: (db: BoltReader) => T): T {
  const file = backendFile(target);
  for (let attempt = 1; ; attempt++) {
    const db = openBolt(file, { wholeFile: false });
    try {
      let result: T | undefined;
      let failure: unknown;
      try {
        result = read(db);
      } catch (err) {
        failure = err;
      }
      // A read that failed on a file etcd grew meanwhile (its newest tree may lie past the size
      // seen at open) is tried again too.
      const moved = db.overwrittenSinceOpen() || (failure !== undefined && db.resizedSinceOpen());
      if (!moved) {
        if (failure !== undefined) throw failure;
        return result as T;
      }
      if (attempt >= MAX_READS) {
        throw new BoltError(`${file} changed ${MAX_READS} times while being read (a busy etcd writes it); read a copy made by snapshot save`);
      }
    } finally {
      db.close();
    }
  }
}

export interface Revisions {
  /** The revision a restored member would report as current (the header's revision). */
  current: bigint;
  /** The compacted revision: older ones are gone. */
  compacted: bigint;
}

function requireBucket(db: BoltReader, name: string): BucketRef {
  const ref = db.bucket(name);
  if (!ref) throw new BoltError(`not an etcd backend: no "${name}" bucket`);
  return ref;
}

/** The key of the last element of a bucket (its highest key), or undefined when empty. */
function lastKey(db: BoltReader, ref: BucketRef): Buffer | undefined {
  let page = ref.inline ?? db.page(ref.root);
  for (let depth = 0; depth <= 64; depth++) {
    const flags = page.readUInt16LE(8);
    if (flags & PAGE_FLAG_LEAF) return leafElements(page).at(-1)?.key;
    if (!(flags & PAGE_FLAG_BRANCH)) throw new BoltCorruptError(`key bucket: page of type ${flags} inside the tree`);
    const last = branchElements(page).at(-1);
    if (!last) return undefined;
    page = db.page(last.pgid);
  }
  throw new BoltCorruptError('key bucket: tree deeper than 64 levels');
}

export function revisionsOf(db: BoltReader): Revisions {
  let compacted = 0n;
  for (const e of db.entries(requireBucket(db, 'meta'))) {
    const name = e.key.toString('latin1');
    if ((name === 'finishedCompactRev' || name === 'scheduledCompactRev') && e.value && e.value.length >= 8) {
      const rev = mainRevisionOf(e.value);
      if (rev > compacted) compacted = rev;
    }
  }
  const last = lastKey(db, requireBucket(db, 'key'));
  let current = last ? mainRevisionOf(last) : 1n;
  if (current < compacted) current = compacted;
  return { current, compacted };
}

/** The newest entry of one key at or below the requested revision. */
interface Slot {
  main: number;
  sub: number;
  tombstone: boolean;
  /** The KeyValue's wire bytes (a view into the chunk of the file it was read in). */
  kv: Buffer;
}

/** Where the scanned key lies against the requested range. */
type InRange = (page: Buffer, start: number, end: number) => boolean;

function rangeTest(key: Buffer, rangeEnd: Buffer | undefined): InRange {
  if (!rangeEnd || rangeEnd.length === 0) {
    return (page, start, end) => end - start === key.length && page.compare(key, 0, key.length, start, end) === 0;
  }
  const toEnd = rangeEnd.length === 1 && rangeEnd[0] === 0;
  return (page, start, end) =>
    page.compare(key, 0, key.length, start, end) >= 0 && (toEnd || page.compare(rangeEnd, 0, rangeEnd.length, start, end) < 0);
}

const mainOf = (buf: Buffer, at: number) => buf.readUInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4);

/**
 * Scans the key bucket for revisions up to `atRev`: the newest entry of every key in range. The
 * leaves are read in file order (BoltReader.scanLeaves), so the newest revision of a key is
 * kept by comparing revisions, not by the order they come in; leaves that start past `atRev`
 * are not read at all.
 */
function scanKeys(db: BoltReader, inRange: InRange, atRev: bigint): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  const limit = Number(atRev);
  const reader = new WireReader('key-value');
  const wanted = (lowerBound: Buffer) => lowerBound.length < 8 || mainOf(lowerBound, 0) <= limit;
  db.scanLeaves(
    requireBucket(db, 'key'),
    (page, base) => {
      let kept = false;
      const count = page.readUInt16LE(base + 10);
      for (let i = 0; i < count; i++) {
        const e = base + PAGE_HEADER_SIZE + i * LEAF_ELEMENT_SIZE;
        const k = e + page.readUInt32LE(e + 4);
        const ksize = page.readUInt32LE(e + 8);
        const v = k + ksize;
        const vEnd = v + page.readUInt32LE(e + 12);
        if (ksize < REVISION_KEY_SIZE || vEnd > page.length) throw new BoltCorruptError(`key bucket: element ${i} of a leaf page is damaged`);
        const main = mainOf(page, k);
        if (main > limit) continue;
        if (page[v] !== KEY_FIELD_TAG) throw new BoltCorruptError(`key bucket: revision ${main} does not hold a key-value`);
        const keyEnd = reader.reset(page, v + 1, vEnd).span();
        const keyStart = reader.start;
        if (!inRange(page, keyStart, keyEnd)) continue;
        // A latin1 string keeps one char per byte: Map keys, and string order is byte order.
        const id = page.toString('latin1', keyStart, keyEnd);
        const sub = mainOf(page, k + 9);
        const known = slots.get(id);
        if (known && (known.main > main || (known.main === main && known.sub > sub))) continue;
        slots.set(id, {
          main,
          sub,
          tombstone: ksize > REVISION_KEY_SIZE && page[k + REVISION_KEY_SIZE] === TOMBSTONE_MARK,
          kv: page.subarray(v, vEnd),
        });
        kept = true;
      }
      return kept;
    },
    wanted,
  );
  return slots;
}

function decodeKeyValue(bytes: Buffer): KeyValue__Output {
  const fields = decodeFields(bytes);
  return {
    key: bytesField(fields, 1) ?? Buffer.alloc(0),
    create_revision: uintField(fields, 2).toString(),
    mod_revision: uintField(fields, 3).toString(),
    version: uintField(fields, 4).toString(),
    value: bytesField(fields, 5) ?? Buffer.alloc(0),
    lease: BigInt.asIntN(64, uintField(fields, 6)).toString(),
  };
}

/** etcd's revision filters of a Range request, each a test a key-value must pass. */
function revisionFilters(req: OfflineRangeRequest): ((kv: KeyValue__Output) => boolean)[] {
  const out: ((kv: KeyValue__Output) => boolean)[] = [];
  const bound = (value: bigint | undefined, pick: (kv: KeyValue__Output) => string, keep: (rev: bigint, limit: bigint) => boolean) => {
    if (value !== undefined && value !== 0n) out.push((kv) => keep(BigInt(pick(kv)), value));
  };
  bound(req.max_mod_revision, (kv) => kv.mod_revision, (rev, max) => rev <= max);
  bound(req.min_mod_revision, (kv) => kv.mod_revision, (rev, min) => rev >= min);
  bound(req.max_create_revision, (kv) => kv.create_revision, (rev, max) => rev <= max);
  bound(req.min_create_revision, (kv) => kv.create_revision, (rev, min) => rev >= min);
  return out;
}

// etcd's kvSortBy* Less methods, by RangeRequest.SortTarget (revisions and versions stay far
// below 2^53, so plain numbers compare them exactly).
const byNumber = (pick: (kv: KeyValue__Output) => string) => (a: KeyValue__Output, b: KeyValue__Output) => Number(pick(a)) < Number(pick(b));
const LESS: ((a: KeyValue__Output, b: KeyValue__Output) => boolean)[] = [
  (a, b) => Buffer.compare(a.key, b.key) < 0,
  byNumber((kv) => kv.version),
  byNumber((kv) => kv.create_revision),
  byNumber((kv) => kv.mod_revision),
  (a, b) => Buffer.compare(a.value, b.value) < 0,
];

/**
 * etcd's applierV3backend.Range over the file: the keys alive at the revision in key order,
 * sorted as asked with Go's sort.Sort (so keys that tie come out in etcd's order), cut to the
 * limit. The header carries the revision only:
 * no member serves the file, so cluster_id, member_id and raft_term are 0.
 */
export function offlineRange(db: BoltReader, req: OfflineRangeRequest): RangeResponse__Output {
  const { current, compacted } = revisionsOf(db);
  if (req.revision > current) throw new RevisionError(FUTURE_REV);
  const atRev = req.revision > 0n ? req.revision : current;
  if (atRev < compacted) throw new RevisionError(COMPACTED);

  const slots = scanKeys(db, rangeTest(req.key, req.range_end), atRev);
  const alive: [string, Buffer][] = [];
  for (const [id, slot] of slots) if (!slot.tombstone) alive.push([id, slot.kv]);
  const header = { cluster_id: '0', member_id: '0', revision: current.toString(), raft_term: '0' };
  const count = alive.length.toString();
  if (req.count_only) return { header, kvs: [], more: false, count };

  alive.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const limit = Number(req.limit);
  const filters = revisionFilters(req);
  // Without a sort order or filters in the request, etcd reads only limit + 1 keys (in key
  // order), and a sort target other than the key then sorts just those.
  if (req.sort_order === 0 && filters.length === 0 && limit > 0) alive.length = Math.min(alive.length, limit + 1);
  let kvs = alive.map(([, bytes]) => decodeKeyValue(bytes));
  // The filters drop key-values after the count was taken, as etcd's pruneKVs does.
  if (filters.length > 0) kvs = kvs.filter((kv) => filters.every((keep) => keep(kv)));
  // etcd sorts ascending by default only for a target other than the key (already in key order).
  const order = req.sort_target !== 0 && req.sort_order === 0 ? 1 : req.sort_order;
  if (order !== 0) {
    const less = LESS[req.sort_target] ?? LESS[0]!;
    goSort(kvs, order === 2 ? (a, b) => less(b, a) : less);
  }
  let more = false;
  if (limit > 0 && kvs.length > limit) {
    kvs = kvs.slice(0, limit);
    more = true;
  }
  if (req.keys_only) for (const kv of kvs) kv.value = Buffer.alloc(0);
  return { header, kvs, more, count };
}
