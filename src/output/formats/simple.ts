// etcdctl's `simple` format: raw bytes, one item per line.
import type { KeyValue__Output } from '../../generated/mvccpb/KeyValue.js';
import { hex16Space, hexEscape, hexPlain } from '../../go/encode.js';
import type { RangeResponse__Output } from '../../generated/etcdserverpb/RangeResponse.js';
import type { RangeWire } from '../../proto/range-scan.js';
import type { Formatter, GetStream, RenderOptions } from '../types.js';
import { wholeGet } from '../get-stream.js';
import { simpleTextInPlace } from '../range-wire.js';
import { simpleAuthStatus, simpleRoleGet, simpleUserGet } from '../auth-render.js';
import { simpleTxn } from '../txn-render.js';
import { leaseSimple } from '../lease-render.js';
import { watchSimple } from '../watch-render.js';
import { alarmMemberText, endpointHashKVRows, endpointStatusRows, memberListRows } from '../cluster-rows.js';
import { goQuote } from '../../go/quote.js';

/** A key line and a value line (`--hex` escapes both; `--print-value-only` drops the key). */
export function simpleKv(kv: KeyValue__Output, opts: RenderOptions, valueOnly = false): Buffer {
  const key = opts.hex ? Buffer.from(hexEscape(kv.key)) : kv.key;
  const value = opts.hex ? Buffer.from(hexEscape(kv.value)) : kv.value;
  const lines: Buffer[] = [];
  if (!valueOnly) lines.push(key, NEWLINE);
  lines.push(value, NEWLINE);
  return Buffer.concat(lines);
}

const NEWLINE = Buffer.from('\n');

/** get: a key line and a value line per key-value, nothing around them. */
export function simpleGet(opts: RenderOptions, valueOnly = false): GetStream<RangeResponse__Output> {
  return {
    begin: () => '',
    page: (resp) => Buffer.concat(resp.kvs.map((kv) => simpleKv(kv, opts, valueOnly))),
    end: () => '',
    kvCount: (resp) => resp.kvs.length,
  };
}

/** simpleGet from the wire bytes (no --hex), written over the page's own bytes. */
export function simpleGetRaw(valueOnly: boolean): GetStream<RangeWire> {
  return {
    begin: () => '',
    page: (wire) => simpleTextInPlace(wire, valueOnly),
    end: () => '',
    kvCount: (wire) => wire.kvCount,
  };
}

/** A table's rows as simple lines: cells joined by ", ". */
const joinedRows = (rows: string[][]) => rows.map((row) => `${row.join(', ')}\n`).join('');

export const simpleFormat: Formatter = {
  get: ({ resp, valueOnly }, opts) => wholeGet(simpleGet(opts, valueOnly), resp),
  put: ({ resp }, opts) => Buffer.concat([Buffer.from('OK\n'), ...(resp.prev_kv ? [simpleKv(resp.prev_kv, opts)] : [])]),
  del: ({ resp }, opts) => Buffer.concat([Buffer.from(`${resp.deleted}\n`), ...resp.prev_kvs.map((kv) => simpleKv(kv, opts))]),
  memberAdd: ({ resp, name, peerUrls }) => {
    const newId = resp.member?.ID ?? '0';
    // ETCD_INITIAL_CLUSTER: name=peerURL for every peer URL of every member; the new member has no name yet.
    const initialCluster = resp.members.flatMap((m) => m.peerURLs.map((u) => `${m.ID === newId ? name : m.name}=${u}`));
    return (
      `Member ${hex16Space(newId)} added to cluster ${hex16Space(resp.header?.cluster_id ?? '0')}\n\n` +
      `ETCD_NAME=${goQuote(name)}\n` +
      `ETCD_INITIAL_CLUSTER=${goQuote(initialCluster.join(','))}\n` +
      `ETCD_INITIAL_ADVERTISE_PEER_URLS=${goQuote(peerUrls)}\n` +
      'ETCD_INITIAL_CLUSTER_STATE="existing"\n'
    );
  },
  memberRemove: ({ resp, id }) => `Member ${hex16Space(id)} removed from cluster ${hex16Space(resp.header?.cluster_id ?? '0')}\n`,
  memberUpdate: ({ resp, id }) => `Member ${hex16Space(id)} updated in cluster ${hex16Space(resp.header?.cluster_id ?? '0')}\n`,
  memberPromote: ({ resp, id }) => `Member ${hex16Space(id)} promoted in cluster ${hex16Space(resp.header?.cluster_id ?? '0')}\n`,
  memberList: ({ resp }) => joinedRows(memberListRows(resp).rows),
  // endpointHealth has no entry: its simple form splits healthy (stdout) and unhealthy (stderr)
  // lines, so the endpoint command writes it itself (commands/endpoint.ts).
  endpointStatus: ({ list }) => joinedRows(endpointStatusRows(list).rows),
  endpointHashKV: ({ list }) => joinedRows(endpointHashKVRows(list).rows),
  alarm: ({ resp }) => resp.alarms.map((a) => `${alarmMemberText(a)}\n`).join(''),
  moveLeader: ({ leader, target }) => `Leadership transferred from ${hexPlain(leader)} to ${hexPlain(target)}\n`,
  authChange: ({ line }) => line,
  authStatus: ({ resp }) => simpleAuthStatus(resp),
  userGet: ({ name, resp }) => simpleUserGet(name, resp.roles),
  userList: ({ resp }) => resp.users.map((u) => `${u}\n`).join(''),
  roleGet: ({ name, resp }) => simpleRoleGet(name, resp.perm),
  roleList: ({ resp }) => resp.roles.map((r) => `${r}\n`).join(''),
  txn: ({ resp }, opts) => simpleTxn(resp, opts, simpleFormat),
  ...leaseSimple,
  ...watchSimple,
};
