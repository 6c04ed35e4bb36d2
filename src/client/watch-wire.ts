// A WatchResponse read from its wire bytes without building an object per event: what the watch
// client logic needs (watch id, created, canceled, compact revision, cancel reason, fragment,
// the header) and where each event's key-values are, so that output/watch-render.ts prints simple
// and json text straight from the bytes, and the events are decoded into objects only for those
// who ask (output formats that print every field, elect, the library API).
//
// Wire layout (etcdserverpb.WatchResponse): 1 header (ResponseHeader), 2 watch_id (int64),
// 3 created, 4 canceled (bool), 5 compact_revision (int64), 6 cancel_reason (string),
// 7 fragment (bool), 11 events (repeated mvccpb.Event). Event: 1 type (enum), 2 kv, 3 prev_kv
// (mvccpb.KeyValue: 1 key, 2 create_revision, 3 mod_revision, 4 version, 5 value, 6 lease).
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import { keyValueSpans } from '../proto/key-value.js';
import { WireReader } from '../proto/wire.js';

/** Index of an event's key-value slots in WatchWire.offsets: kv at 2e, prev_kv at 2e + 1. */
export const KV = 0;
export const PREV_KV = 1;

export interface WatchWire {
  readonly buf: Buffer;
  /** The header message's bytes, or undefined when absent. */
  readonly header: Buffer | undefined;
  readonly watchId: string;
  readonly created: boolean;
  readonly canceled: boolean;
  readonly compactRevision: string;
  readonly cancelReason: string;
  readonly fragment: boolean;
  readonly eventCount: number;
  /** Per event, its type (mvccpb.Event_EventType: 0 PUT, 1 DELETE). */
  readonly types: Int32Array;
  /**
   * Per event two key-value slots (kv, prev_kv) of six offsets into buf each: message start and
   * end, key start and end, value start and end (the layout of output/range-wire.ts's RangeWire,
   * so its key-value writers serve here too). An absent key-value's start is -1.
   */
  readonly offsets: Int32Array;
}

// One reader for every function below (they never nest): the loops are hot.
const r = new WireReader('WatchResponse');

/** Reads a WatchResponse's fields and finds its events' key-values. */
export function scanWatchResponse(buf: Buffer): WatchWire {
  let header: Buffer | undefined;
  let watchId = '0';
  let created = false;
  let canceled = false;
  let compactRevision = '0';
  let cancelReason = '';
  let fragment = false;
  // First pass: the scalar fields, and how many events there are (each is skipped over).
  let eventCount = 0;
  r.reset(buf);
  while (r.more()) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 11 && wireType === 2) {
      eventCount++;
      r.skip(2);
    } else if (field === 1 && wireType === 2) {
      // Fragments joined by concatenation repeat the header: the last one counts, as a merge.
      header = r.bytes() as Buffer;
    } else if (field === 6 && wireType === 2) {
      cancelReason = Buffer.from(r.bytes()).toString('utf8');
    } else if (wireType === 0 && field >= 2 && field <= 7) {
      r.varint64();
      if (field === 2) watchId = r.decimal(true);
      else if (field === 5) compactRevision = r.decimal(true);
      else if (field === 3) created = !r.zero();
      else if (field === 4) canceled = !r.zero();
      else if (field === 7) fragment = !r.zero();
    } else {
      r.skip(wireType);
    }
  }
  // Second pass: each event's type and key-values.
  const types = new Int32Array(eventCount);
  const offsets = new Int32Array(eventCount * 12).fill(-1);
  let e = 0;
  r.reset(buf);
  const end = r.end;
  while (r.more()) {
    const tag = r.varint32();
    if (tag !== ((11 << 3) | 2)) {
      r.skip(tag & 7);
      continue;
    }
    const stop = r.span();
    r.end = stop;
    while (r.pos < stop) {
      const t = r.varint32();
      const f = t >>> 3;
      const w = t & 7;
      if (f === 1 && w === 0) {
        r.varint64();
        types[e] = r.lo | 0;
      } else if ((f === 2 || f === 3) && w === 2) {
        const kvStop = r.span();
        // Two occurrences of a message field would be merged by protobuf; etcd never sends that.
        keyValueSpans(r, offsets, (e * 2 + (f === 2 ? KV : PREV_KV)) * 6, kvStop);
        r.pos = kvStop;
      } else {
        r.skip(w);
      }
    }
    r.end = end;
    e++;
  }
  return { buf, header, watchId, created, canceled, compactRevision, cancelReason, fragment, eventCount, types, offsets };
}

/** Whether event e has the key-value `which` (KV or PREV_KV). */
export function hasKeyValue(wire: WatchWire, e: number, which: number): boolean {
  return wire.offsets[(e * 2 + which) * 6]! >= 0;
}

/** Event e's key (`which` = KV or PREV_KV); empty when the key-value is absent. */
export function keyOf(wire: WatchWire, e: number, which = KV): Buffer {
  const o = (e * 2 + which) * 6;
  return wire.offsets[o]! < 0 ? Buffer.alloc(0) : wire.buf.subarray(wire.offsets[o + 2]!, wire.offsets[o + 3]!);
}

/** Event e's value (`which` = KV or PREV_KV); empty when the key-value is absent. */
export function valueOf(wire: WatchWire, e: number, which = KV): Buffer {
  const o = (e * 2 + which) * 6;
  return wire.offsets[o]! < 0 ? Buffer.alloc(0) : wire.buf.subarray(wire.offsets[o + 4]!, wire.offsets[o + 5]!);
}

/** Event e's kv.mod_revision, or undefined when the event has no kv. */
export function modRevisionOf(wire: WatchWire, e: number): bigint | undefined {
  const o = e * 12;
  const start = wire.offsets[o]!;
  if (start < 0) return undefined;
  let revision = 0n;
  r.reset(wire.buf, start, wire.offsets[o + 1]!);
  while (r.more()) {
    const t = r.varint32();
    if (t === ((3 << 3) | 0)) {
      r.varint64();
      revision = BigInt.asIntN(64, r.uint64());
    } else {
      r.skip(t & 7);
    }
  }
  return revision;
}

/** The header's fields as decimal text (all '0' without a header). */
export function decodeHeader(bytes: Buffer | undefined): ResponseHeader__Output {
  const values = ['0', '0', '0', '0', '0'];
  if (bytes) {
    r.reset(bytes);
    while (r.more()) {
      const t = r.varint32();
      const f = t >>> 3;
      if (f >= 1 && f <= 4 && (t & 7) === 0) {
        r.varint64();
        values[f] = r.decimal(f === 3);
      } else {
        r.skip(t & 7);
      }
    }
  }
  return { cluster_id: values[1]!, member_id: values[2]!, revision: values[3]!, raft_term: values[4]! };
}
