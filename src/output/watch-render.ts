// watch output: etcdctl prints clientv3's WatchResponse, one response at a time. simple and json
// are written straight from the response's wire bytes (client/watch-wire.ts), without an object
// per event; fields and protobuf print the decoded events. In json that is the Go struct
// (capitalised field names, all five always present, `Events` null only in the final response of
// a watch its stream failed under); in protobuf a WatchResponse message rebuilt from it (header,
// events, compact revision, canceled, created: no watch id, no cancel reason).
//
// Kept free of imports from formats/*, which import this file.
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import type { WatchResponse } from '../client/watch.js';
import { hasKeyValue, KV, PREV_KV, type WatchWire } from '../client/watch-wire.js';
import { hexEscape } from '../go/encode.js';
import { goJson } from './gojson.js';
import { copySpan, headerJson, kvJsonBound, kvJsonInto } from './range-wire.js';
import { encodeMessage } from '../client/proto.js';
import type { Formatter } from './types.js';
import { goQuote } from '../go/quote.js';

export type WatchResult = { kind: 'watch'; resp: WatchResponse };

type WatchFormatter = Pick<Formatter, WatchResult['kind']>;

/** mvccpb.Event_EventType's String(). */
export function eventTypeName(type: number): string {
  return type === 0 ? 'PUT' : type === 1 ? 'DELETE' : String(type);
}

function fieldsHeaderLines(h: ResponseHeader__Output): string {
  return `"ClusterID" : ${h.cluster_id}\n"MemberID" : ${h.member_id}\n"Revision" : ${h.revision}\n"RaftTerm" : ${h.raft_term}\n`;
}

function fieldsKeyValue(prefix: '' | 'Prev', kv: KeyValue__Output | null): string {
  return (
    `"${prefix}Key" : ${goQuote(kv?.key ?? '')}\n` +
    `"${prefix}CreateRevision" : ${kv?.create_revision ?? 0}\n` +
    `"${prefix}ModRevision" : ${kv?.mod_revision ?? 0}\n` +
    `"${prefix}Version" : ${kv?.version ?? 0}\n` +
    `"${prefix}Value" : ${goQuote(kv?.value ?? '')}\n` +
    `"${prefix}Lease" : ${kv?.lease ?? 0}\n`
  );
}

const eventsOf = (resp: WatchResponse) => resp.events ?? [];

const TYPE_LINES = [Buffer.from('PUT\n'), Buffer.from('DELETE\n')];
const typeLine = (type: number) => TYPE_LINES[type] ?? Buffer.from(`${eventTypeName(type)}\n`);

/** The simple text of the events: per event its type, the previous key and value if any, the key and value. */
function simpleEvents(wire: WatchWire, count: number): Buffer {
  const { buf, offsets, types } = wire;
  let size = 0;
  for (let e = 0; e < count; e++) {
    size += typeLine(types[e]!).length + 2;
    const o = e * 12;
    if (offsets[o]! >= 0) size += offsets[o + 3]! - offsets[o + 2]! + offsets[o + 5]! - offsets[o + 4]!;
    if (offsets[o + 6]! >= 0) size += offsets[o + 9]! - offsets[o + 8]! + offsets[o + 11]! - offsets[o + 10]! + 2;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let e = 0; e < count; e++) {
    const line = typeLine(types[e]!);
    for (let i = 0; i < line.length; i++) out[at++] = line[i]!;
    const o = e * 12;
    if (offsets[o + 6]! >= 0) at = simplePairInto(out, at, buf, offsets, o + 6);
    // An event without a kv prints an empty key and value, as Go prints a nil KeyValue's fields.
    if (offsets[o]! >= 0) at = simplePairInto(out, at, buf, offsets, o);
    else {
      out[at++] = 0x0a;
      out[at++] = 0x0a;
    }
  }
  return out;
}

/** `key\nvalue\n` of the key-value whose offsets start at o. */
function simplePairInto(out: Buffer, at: number, buf: Buffer, offsets: Int32Array, o: number): number {
  at = copySpan(out, at, buf, offsets[o + 2]!, offsets[o + 3]!);
  out[at++] = 0x0a;
  at = copySpan(out, at, buf, offsets[o + 4]!, offsets[o + 5]!);
  out[at++] = 0x0a;
  return at;
}

/** simpleEvents with keys and values as `\xNN` escapes (--hex). */
function simpleEventsHex(wire: WatchWire, count: number): string {
  const { buf, offsets, types } = wire;
  const span = (from: number) => hexEscape(buf.subarray(offsets[from]!, offsets[from + 1]!));
  const pair = (o: number) => `${span(o + 2)}\n${span(o + 4)}\n`;
  let text = '';
  for (let e = 0; e < count; e++) {
    const o = e * 12;
    text += `${eventTypeName(types[e]!)}\n${offsets[o + 6]! >= 0 ? pair(o + 6) : ''}${offsets[o]! >= 0 ? pair(o) : '\n\n'}`;
  }
  return text;
}

const EVENT_NAMES = [Buffer.from('"kv":'), Buffer.from('"prev_kv":')];

/** The events as Go's encoding/json writes a []*mvccpb.Event (zero fields left out). */
function jsonEvents(wire: WatchWire, count: number): Buffer {
  let size = 2;
  for (let e = 0; e < count; e++) {
    size += 32;
    for (const which of [KV, PREV_KV]) if (hasKeyValue(wire, e, which)) size += 12 + kvJsonBound(wire, e * 2 + which);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  out[at++] = 0x5b;
  for (let e = 0; e < count; e++) {
    if (e > 0) out[at++] = 0x2c;
    out[at++] = 0x7b;
    const type = wire.types[e]!;
    let first = type === 0;
    if (!first) at += out.write(`"type":${type}`, at, 'latin1');
    for (const which of [KV, PREV_KV]) {
      if (!hasKeyValue(wire, e, which)) continue;
      if (!first) out[at++] = 0x2c;
      first = false;
      out.set(EVENT_NAMES[which]!, at);
      at += EVENT_NAMES[which]!.length;
      at = kvJsonInto(out, at, wire, e * 2 + which);
    }
    out[at++] = 0x7d;
  }
  out[at++] = 0x5d;
  return out.subarray(0, at);
}

export const watchSimple: WatchFormatter = {
  watch: ({ resp }, opts) => {
    if (!resp.wire) return '';
    return opts.hex ? simpleEventsHex(resp.wire, resp.eventCount) : simpleEvents(resp.wire, resp.eventCount);
  },
};

export const watchJson: WatchFormatter = {
  watch: ({ resp }) => {
    const { wire } = resp;
    const header = wire ? (wire.header ? headerJson(wire.header) : '{}') : goJson(resp.header as never, 'etcdserverpb.ResponseHeader');
    return Buffer.concat([
      Buffer.from(`{"Header":${header},"Events":`, 'latin1'),
      wire ? jsonEvents(wire, resp.eventCount) : Buffer.from('null'),
      Buffer.from(`,"CompactRevision":${resp.compactRevision},"Canceled":${resp.canceled},"Created":${resp.created}}\n`, 'latin1'),
    ]);
  },
};

export const watchFields: WatchFormatter = {
  watch: ({ resp }) =>
    fieldsHeaderLines(resp.header) +
    eventsOf(resp)
      .map((e) => `"Type" : ${eventTypeName(e.type)}\n` + (e.prev_kv ? fieldsKeyValue('Prev', e.prev_kv) : '') + fieldsKeyValue('', e.kv))
      .join(''),
};

export const watchProtobuf: WatchFormatter = {
  watch: ({ resp }) =>
    encodeMessage('etcdserverpb.WatchResponse', {
      header: resp.header,
      events: eventsOf(resp),
      compact_revision: resp.compactRevision,
      canceled: resp.canceled,
      created: resp.created,
    }),
};
