// etcdctl's `json` format: Go's encoding/json of the response, one line per response.
import { goJson } from '../gojson.js';
import type { RangeResponse__Output } from '../../generated/etcdserverpb/RangeResponse.js';
import type { RangeWire } from '../../proto/range-scan.js';
import type { Chunk, Formatter, GetStream } from '../types.js';
import { wholeGet } from '../get-stream.js';
import { headerJson, kvsJson } from '../range-wire.js';
import { memberListHexJson } from '../cluster-rows.js';
import { goJsonString } from '../../go/encode.js';
import { leaseJson } from '../lease-render.js';
import { watchJson } from '../watch-render.js';

const line = (value: object, typeName: string) => `${goJson(value as Record<string, unknown>, typeName)}\n`;
/** A response nested in one of etcdctl's own structs (endpoint status/hashkv). */
const embedded = (value: object, typeName: string) => goJson(value as Record<string, unknown>, typeName);

/** How the json get reads a page, decoded or from its wire bytes. */
interface JsonGetPage<P> {
  /** The header object's JSON, undefined without a header. */
  header(page: P): string | undefined;
  /** The key-value objects' JSON, joined by commas. */
  kvs(page: P): Chunk;
  kvCount(page: P): number;
  more(page: P): boolean;
  count(page: P): string;
}

/**
 * The one writer of a RangeResponse's JSON (Go's encoding/json: fields in order, zero values left
 * out), streamed: `{"header":…,"kvs":[` … `],"more":…,"count":…}`. More is the last page's, count
 * the first's (the whole range's).
 */
function jsonGet<P>(p: JsonGetPage<P>): GetStream<P> {
  const head = (first: P) => {
    const header = p.header(first);
    return header === undefined ? '' : `"header":${header}`;
  };
  return {
    begin: (first) => {
      const h = head(first);
      return p.kvCount(first) === 0 ? `{${h}` : `{${h}${h === '' ? '' : ','}"kvs":[`;
    },
    page: (page, kvsBefore) => (p.kvCount(page) === 0 ? '' : kvsBefore > 0 ? [',', p.kvs(page)] : p.kvs(page)),
    end: (first, last) => {
      const tail: string[] = [];
      if (p.more(last)) tail.push('"more":true');
      if (p.count(first) !== '0') tail.push(`"count":${p.count(first)}`);
      const hasKvs = p.kvCount(first) > 0;
      const comma = tail.length > 0 && (hasKvs || p.header(first) !== undefined) ? ',' : '';
      return `${hasKvs ? ']' : ''}${comma}${tail.join(',')}}\n`;
    },
    kvCount: p.kvCount,
  };
}

export const jsonGetDecoded: GetStream<RangeResponse__Output> = jsonGet<RangeResponse__Output>({
  header: (resp) => (resp.header ? goJson(resp.header as never, 'etcdserverpb.ResponseHeader') : undefined),
  kvs: (resp) => resp.kvs.map((kv) => goJson(kv as never, 'mvccpb.KeyValue')).join(','),
  kvCount: (resp) => resp.kvs.length,
  more: (resp) => resp.more,
  count: (resp) => resp.count,
});

/** jsonGetDecoded from the wire bytes (output/range-wire.ts): the same text, no object per key. */
export const jsonGetRaw: GetStream<RangeWire> = jsonGet<RangeWire>({
  header: (wire) => (wire.header ? headerJson(wire.header) : undefined),
  kvs: kvsJson,
  kvCount: (wire) => wire.kvCount,
  more: (wire) => wire.more,
  count: (wire) => wire.count,
});

export const jsonFormat: Formatter = {
  get: ({ resp }) => wholeGet(jsonGetDecoded, resp),
  put: ({ resp }) => line(resp, 'etcdserverpb.PutResponse'),
  del: ({ resp }) => line(resp, 'etcdserverpb.DeleteRangeResponse'),
  memberAdd: ({ resp }) => line(resp, 'etcdserverpb.MemberAddResponse'),
  memberRemove: ({ resp }) => line(resp, 'etcdserverpb.MemberRemoveResponse'),
  memberUpdate: ({ resp }) => line(resp, 'etcdserverpb.MemberUpdateResponse'),
  memberPromote: ({ resp }) => line(resp, 'etcdserverpb.MemberPromoteResponse'),
  memberList: ({ resp }, opts) => (opts.hex ? `${memberListHexJson(resp, goJsonString)}\n` : line(resp, 'etcdserverpb.MemberListResponse')),
  // etcdctl's epHealth struct: every field but `error` is always present.
  endpointHealth: ({ list }) =>
    `[${list
      .map((h) => `{"endpoint":${goJsonString(h.endpoint)},"health":${h.health},"took":${goJsonString(h.took)}${h.error === '' ? '' : `,"error":${goJsonString(h.error)}`}}`)
      .join(',')}]\n`,
  endpointStatus: ({ list }) =>
    `[${list.map((s) => `{"Endpoint":${goJsonString(s.endpoint)},"Status":${embedded(s.resp, 'etcdserverpb.StatusResponse')}}`).join(',')}]\n`,
  endpointHashKV: ({ list }) =>
    `[${list.map((h) => `{"Endpoint":${goJsonString(h.endpoint)},"HashKV":${embedded(h.resp, 'etcdserverpb.HashKVResponse')}}`).join(',')}]\n`,
  alarm: ({ resp }) => line(resp, 'etcdserverpb.AlarmResponse'),
  moveLeader: ({ resp }) => line(resp, 'etcdserverpb.MoveLeaderResponse'),
  authChange: ({ resp, typeName }) => line(resp, typeName),
  authStatus: ({ resp }) => line(resp, 'etcdserverpb.AuthStatusResponse'),
  userGet: ({ resp }) => line(resp, 'etcdserverpb.AuthUserGetResponse'),
  userList: ({ resp }) => line(resp, 'etcdserverpb.AuthUserListResponse'),
  roleGet: ({ resp }) => line(resp, 'etcdserverpb.AuthRoleGetResponse'),
  roleList: ({ resp }) => line(resp, 'etcdserverpb.AuthRoleListResponse'),
  txn: ({ resp }) => line(resp, 'etcdserverpb.TxnResponse'),
  ...leaseJson,
  ...watchJson,
};
