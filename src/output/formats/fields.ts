// etcdctl's `fields` format: `"Name" : value` lines, strings in Go %q quoting.
import type { KeyValue__Output } from '../../generated/mvccpb/KeyValue.js';
import type { ResponseHeader__Output } from '../../generated/etcdserverpb/ResponseHeader.js';
import { goQuote } from '../encode.js';
import type { Formatter } from '../types.js';

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

export const fieldsFormat: Formatter = {
  get: ({ resp }) =>
    fieldsHeader(resp.header) + resp.kvs.map((kv) => fieldsKv('', kv)).join('') + `"More" : ${resp.more}\n"Count" : ${resp.count}\n`,
  put: ({ resp }) => fieldsHeader(resp.header) + (resp.prev_kv ? fieldsKv('Prev', resp.prev_kv) : ''),
  del: ({ resp }) => fieldsHeader(resp.header) + `"Deleted" : ${resp.deleted}\n` + resp.prev_kvs.map((kv) => fieldsKv('Prev', kv)).join(''),
};
