// Where the key-values are in a RangeResponse's wire bytes: one pass records offsets, so get's
// output (output/range-wire.ts) and the range reader (kv/range-reader.ts) need no object per key.
//
// Wire layout (etcdserverpb.RangeResponse): 1 header (ResponseHeader), 2 kvs (repeated
// mvccpb.KeyValue), 3 more (bool), 4 count (int64). KeyValue: 1 key, 2 create_revision,
// 3 mod_revision, 4 version, 5 value, 6 lease. ResponseHeader: 1 cluster_id (uint64),
// 2 member_id (uint64), 3 revision (int64), 4 raft_term (uint64).
import { keyValueSpans } from './key-value.js';
import { WireReader } from './wire.js';

/** Where things are in one RangeResponse. */
export interface RangeWire {
  readonly buf: Buffer;
  /** The header message's bytes, or undefined when absent. */
  readonly header: Buffer | undefined;
  readonly more: boolean;
  /** `count` as decimal text. */
  readonly count: string;
  /** Number of key-values. */
  readonly kvCount: number;
  /** Per key-value, six offsets into buf: message start and end, key start and end, value start and end. */
  readonly offsets: Int32Array;
  /** Σ (key length + value length + 32), what page sizing (kv/range-reader.ts) weighs a page by. */
  readonly weight: number;
}

// One reader for every function below (they never nest): the loops are hot.
const r = new WireReader('RangeResponse');

/** Finds the key-values of a RangeResponse. */
export function scanRange(buf: Buffer): RangeWire {
  let offsets = new Int32Array(Math.max(64, (buf.length >>> 5) * 6));
  let n = 0;
  let header: Buffer | undefined;
  let more = false;
  let count = '0';
  let weight = 0;
  r.reset(buf);
  const end = r.end;
  while (r.pos < end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 2 && wireType === 2) {
      const stop = r.span();
      if (n * 6 + 6 > offsets.length) {
        const grown = new Int32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      const o = n * 6;
      keyValueSpans(r, offsets, o, stop);
      weight += offsets[o + 3]! - offsets[o + 2]! + (offsets[o + 5]! - offsets[o + 4]!) + 32;
      n++;
    } else if (field === 1 && wireType === 2) {
      // Two occurrences of a message field are merged by protobuf; etcd never sends that.
      header = r.bytes() as Buffer;
    } else if (field === 3 && wireType === 0) {
      r.varint64();
      more = !r.zero();
    } else if (field === 4 && wireType === 0) {
      r.varint64();
      count = r.decimal(true);
    } else {
      r.skip(wireType);
    }
  }
  return { buf, header, more, count, kvCount: n, offsets, weight };
}

/** The key of key-value `i`. */
export function keyOf(wire: RangeWire, i: number): Buffer {
  return wire.buf.subarray(wire.offsets[i * 6 + 2]!, wire.offsets[i * 6 + 3]!);
}

/** The header's revision as decimal text ('0' without a header). */
export function headerRevision(wire: RangeWire): string {
  const h = wire.header;
  if (!h) return '0';
  let revision = '0';
  r.reset(h);
  while (r.more()) {
    const tag = r.varint32();
    if (tag >>> 3 === 3 && (tag & 7) === 0) {
      r.varint64();
      revision = r.decimal(true);
    } else {
      r.skip(tag & 7);
    }
  }
  return revision;
}

