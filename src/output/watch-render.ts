// watch output: etcdctl prints clientv3's WatchResponse, one response at a time. In json that is
// the Go struct (capitalised field names, all five always present, `Events` null only in the
// final response of a watch its stream failed under); in protobuf a WatchResponse message rebuilt
// from it (header, events, compact revision, canceled, created: no watch id, no cancel reason).
//
// Kept free of imports from formats/*, which import this file.
import type { Event__Output } from '../generated/mvccpb/Event.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import type { WatchResponse } from '../client/watch.js';
import { goQuote, hexEscape } from './encode.js';
import { goJson } from './gojson.js';
import { encodeMessage } from '../client/proto.js';
import type { Formatter, RenderOptions } from './types.js';

export type WatchResult = { kind: 'watch'; resp: WatchResponse };

type WatchFormatter = Pick<Formatter, WatchResult['kind']>;

/** mvccpb.Event_EventType's String(). */
export function eventTypeName(type: number): string {
  return type === 0 ? 'PUT' : type === 1 ? 'DELETE' : String(type);
}

const NEWLINE = Buffer.from('\n');

function simpleKeyValue(kv: KeyValue__Output | null, opts: RenderOptions): Buffer[] {
  const key = kv?.key ?? Buffer.alloc(0);
  const value = kv?.value ?? Buffer.alloc(0);
  return opts.hex
    ? [Buffer.from(hexEscape(key)), NEWLINE, Buffer.from(hexEscape(value)), NEWLINE]
    : [key, NEWLINE, value, NEWLINE];
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

const eventsOf = (resp: WatchResponse): Event__Output[] => resp.events ?? [];

export const watchSimple: WatchFormatter = {
  watch: ({ resp }, opts) =>
    Buffer.concat(
      eventsOf(resp).flatMap((e) => [
        Buffer.from(`${eventTypeName(e.type)}\n`),
        ...(e.prev_kv ? simpleKeyValue(e.prev_kv, opts) : []),
        ...simpleKeyValue(e.kv, opts),
      ]),
    ),
};

export const watchJson: WatchFormatter = {
  watch: ({ resp }) => {
    const events = resp.events === null ? 'null' : `[${resp.events.map((e) => goJson(e as never, 'mvccpb.Event')).join(',')}]`;
    return (
      `{"Header":${goJson(resp.header as never, 'etcdserverpb.ResponseHeader')},"Events":${events},` +
      `"CompactRevision":${resp.compactRevision},"Canceled":${resp.canceled},"Created":${resp.created}}\n`
    );
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
