// etcdctl's `fields` format: `"Name" : value` lines, strings in Go %q quoting.
import type { KeyValue__Output } from '../../generated/mvccpb/KeyValue.js';
import type { ResponseHeader__Output } from '../../generated/etcdserverpb/ResponseHeader.js';
import { goQuote } from '../../go/quote.js';
import type { RangeResponse__Output } from '../../generated/etcdserverpb/RangeResponse.js';
import type { Formatter, GetStream } from '../types.js';
import { wholeGet } from '../get-stream.js';
import { fieldsPermissions, fieldsRoleNames } from '../auth-render.js';
import { alarmTypeName } from '../cluster-rows.js';
import { fieldsTxn } from '../txn-render.js';
import { leaseFields } from '../lease-render.js';
import { watchFields } from '../watch-render.js';

export function fieldsHeader(h: ResponseHeader__Output | null): string {
  return (
    `"ClusterID" : ${h?.cluster_id ?? 0}\n` +
    `"MemberID" : ${h?.member_id ?? 0}\n` +
    `"Revision" : ${h?.revision ?? 0}\n` +
    `"RaftTerm" : ${h?.raft_term ?? 0}\n`
  );
}

export function fieldsKv(prefix: '' | 'Prev', kv: KeyValue__Output): string {
  return (
    `"${prefix}Key" : ${goQuote(kv.key)}\n` +
    `"${prefix}CreateRevision" : ${kv.create_revision}\n` +
    `"${prefix}ModRevision" : ${kv.mod_revision}\n` +
    `"${prefix}Version" : ${kv.version}\n` +
    `"${prefix}Value" : ${goQuote(kv.value)}\n` +
    `"${prefix}Lease" : ${kv.lease}\n`
  );
}

/** get: the header, the key-values, then More (of the last page) and Count (of the whole range). */
export const fieldsGet: GetStream<RangeResponse__Output> = {
  begin: (first) => fieldsHeader(first.header),
  page: (resp) => resp.kvs.map((kv) => fieldsKv('', kv)).join(''),
  end: (first, last) => `"More" : ${last.more}\n"Count" : ${first.count}\n`,
  kvCount: (resp) => resp.kvs.length,
};

export const fieldsFormat: Formatter = {
  get: ({ resp }) => wholeGet(fieldsGet, resp),
  put: ({ resp }) => fieldsHeader(resp.header) + (resp.prev_kv ? fieldsKv('Prev', resp.prev_kv) : ''),
  del: ({ resp }) => fieldsHeader(resp.header) + `"Deleted" : ${resp.deleted}\n` + resp.prev_kvs.map((kv) => fieldsKv('Prev', kv)).join(''),
  memberList: ({ resp }) =>
    fieldsHeader(resp.header) +
    resp.members
      .map(
        (m) =>
          `"ID" : ${m.ID}\n"Name" : ${goQuote(m.name)}\n` +
          m.peerURLs.map((u) => `"PeerURL" : ${goQuote(u)}\n`).join('') +
          m.clientURLs.map((u) => `"ClientURL" : ${goQuote(u)}\n`).join('') +
          `"IsLearner" : ${m.isLearner}\n\n`,
      )
      .join(''),
  // Took and Error are printed raw, so an empty one leaves a trailing space (Go's Println).
  endpointHealth: ({ list }) =>
    list.map((h) => `"Endpoint" : ${goQuote(h.endpoint)}\n"Health" : ${h.health}\n"Took" : ${h.took}\n"Error" : ${h.error}\n\n`).join(''),
  endpointStatus: ({ list }) =>
    list
      .map(
        ({ endpoint, resp }) =>
          fieldsHeader(resp.header) +
          `"Version" : ${goQuote(resp.version)}\n` +
          `"DBSize" : ${resp.dbSize}\n` +
          `"Leader" : ${resp.leader}\n` +
          `"IsLearner" : ${resp.isLearner}\n` +
          `"RaftIndex" : ${resp.raftIndex}\n` +
          `"RaftTerm" : ${resp.raftTerm}\n` +
          `"RaftAppliedIndex" : ${resp.raftAppliedIndex}\n` +
          // Go's %v of a []string: [a b c]
          `"Errors" : [${resp.errors.join(' ')}]\n` +
          `"Endpoint" : ${goQuote(endpoint)}\n\n`,
      )
      .join(''),
  endpointHashKV: ({ list }) =>
    list.map(({ endpoint, resp }) => fieldsHeader(resp.header) + `"Endpoint" : ${goQuote(endpoint)}\n"Hash" : ${resp.hash}\n\n`).join(''),
  alarm: ({ resp }) =>
    fieldsHeader(resp.header) + resp.alarms.map((a) => `"MemberID" : ${a.memberID}\n"AlarmType" : ${alarmTypeName(a.alarm)}\n\n`).join(''),
  // user get, user list and auth status have no fields form in etcdctl.
  authChange: ({ resp }) => fieldsHeader(resp.header),
  roleGet: ({ resp }) => fieldsHeader(resp.header) + fieldsPermissions(resp.perm),
  roleList: ({ resp }) => fieldsHeader(resp.header) + fieldsRoleNames(resp.roles),
  txn: ({ resp }, opts) => fieldsTxn(resp, opts, fieldsFormat, fieldsHeader),
  ...leaseFields,
  ...watchFields,
};
