// lease output. etcdctl prints clientv3's wrapper structs, not the protocol messages: in json
// the response header's fields are flattened into the object and the wrapper's own fields are
// always present; in protobuf only the embedded header can be marshalled, and revoke's wrapper
// cannot be marshalled at all.
import { encodeMessage } from '../client/proto.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { LeaseGrantResponse__Output } from '../generated/etcdserverpb/LeaseGrantResponse.js';
import type { LeaseKeepAliveResponse__Output } from '../generated/etcdserverpb/LeaseKeepAliveResponse.js';
import type { LeaseLeasesResponse__Output } from '../generated/etcdserverpb/LeaseLeasesResponse.js';
import type { LeaseRevokeResponse__Output } from '../generated/etcdserverpb/LeaseRevokeResponse.js';
import type { LeaseTimeToLiveResponse__Output } from '../generated/etcdserverpb/LeaseTimeToLiveResponse.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import { base64Std, goJsonString, hex16Zero } from '../go/encode.js';
import { goJson } from './gojson.js';
import type { Formatter } from './types.js';
import { goQuote } from '../go/quote.js';

export type LeaseResult =
  | { kind: 'leaseGrant'; resp: LeaseGrantResponse__Output }
  | { kind: 'leaseRevoke'; resp: LeaseRevokeResponse__Output; id: bigint }
  | { kind: 'leaseTimeToLive'; resp: LeaseTimeToLiveResponse__Output; keys: boolean }
  | { kind: 'leaseList'; resp: LeaseLeasesResponse__Output }
  | { kind: 'leaseKeepAlive'; resp: LeaseKeepAliveResponse__Output };

type LeaseFormatter = Pick<Formatter, LeaseResult['kind']>;

export const leaseSimple: LeaseFormatter = {
  leaseGrant: ({ resp }) => `lease ${hex16Zero(resp.ID)} granted with TTL(${resp.TTL}s)\n`,
  leaseRevoke: ({ id }) => `lease ${hex16Zero(id)} revoked\n`,
  leaseTimeToLive: ({ resp, keys }) => {
    if (resp.grantedTTL === '0' && resp.TTL === '-1') return `lease ${hex16Zero(resp.ID)} already expired\n`;
    const parts: Buffer[] = [Buffer.from(`lease ${hex16Zero(resp.ID)} granted with TTL(${resp.grantedTTL}s), remaining(${resp.TTL}s)`)];
    if (keys) {
      // Go's %v of a []string: [a b c], the keys' raw bytes.
      const joined: Buffer[] = resp.keys.flatMap((k, i) => (i === 0 ? [k] : [Buffer.from(' '), k]));
      parts.push(Buffer.from(', attached keys(['), ...joined, Buffer.from('])'));
    }
    parts.push(Buffer.from('\n'));
    return Buffer.concat(parts);
  },
  leaseList: ({ resp }) => `found ${resp.leases.length} leases\n${resp.leases.map((l) => `${hex16Zero(l.ID)}\n`).join('')}`,
  leaseKeepAlive: ({ resp }) => `lease ${hex16Zero(resp.ID)} keepalived with TTL(${resp.TTL})\n`,
};

/** The header's fields (omitempty) spliced into the wrapper object, with the comma that follows them. */
function flatHeader(header: ResponseHeader__Output | null): string {
  if (!header) return '';
  const inner = goJson(header as unknown as Record<string, unknown>, 'etcdserverpb.ResponseHeader').slice(1, -1);
  return inner === '' ? '' : `${inner},`;
}

export const leaseJson: LeaseFormatter = {
  leaseGrant: ({ resp }) => `{${flatHeader(resp.header)}"ID":${resp.ID},"TTL":${resp.TTL},"Error":${goJsonString(resp.error)}}\n`,
  leaseRevoke: ({ resp }) => `${goJson(resp as unknown as Record<string, unknown>, 'etcdserverpb.LeaseRevokeResponse')}\n`,
  leaseTimeToLive: ({ resp }) => {
    // clientv3 passes the decoded keys through: null when the server sent none.
    const keys = resp.keys.length === 0 ? 'null' : `[${resp.keys.map((k) => `"${base64Std(k)}"`).join(',')}]`;
    return `{${flatHeader(resp.header)}"id":${resp.ID},"ttl":${resp.TTL},"granted-ttl":${resp.grantedTTL},"keys":${keys}}\n`;
  },
  leaseList: ({ resp }) => `{${flatHeader(resp.header)}"leases":[${resp.leases.map((l) => `{"id":${l.ID}}`).join(',')}]}\n`,
  leaseKeepAlive: ({ resp }) => `{${flatHeader(resp.header)}"ID":${resp.ID},"TTL":${resp.TTL}}\n`,
};

function fieldsHeaderOf(h: ResponseHeader__Output | null): string {
  return (
    `"ClusterID" : ${h?.cluster_id ?? 0}\n` +
    `"MemberID" : ${h?.member_id ?? 0}\n` +
    `"Revision" : ${h?.revision ?? 0}\n` +
    `"RaftTerm" : ${h?.raft_term ?? 0}\n`
  );
}

export const leaseFields: LeaseFormatter = {
  leaseGrant: ({ resp }) => `${fieldsHeaderOf(resp.header)}"ID" : ${resp.ID}\n"TTL" : ${resp.TTL}\n`,
  leaseRevoke: ({ resp }) => fieldsHeaderOf(resp.header),
  leaseTimeToLive: ({ resp }) =>
    `${fieldsHeaderOf(resp.header)}"ID" : ${resp.ID}\n"TTL" : ${resp.TTL}\n"GrantedTTL" : ${resp.grantedTTL}\n` +
    resp.keys.map((k) => `"Key" : ${goQuote(k)}\n`).join(''),
  leaseList: ({ resp }) => fieldsHeaderOf(resp.header) + resp.leases.map((l) => `"ID" : ${l.ID}\n`).join(''),
  leaseKeepAlive: ({ resp }) => `${fieldsHeaderOf(resp.header)}"ID" : ${resp.ID}\n"TTL" : ${resp.TTL}\n`,
};

const headerBytes = (h: ResponseHeader__Output | null): Uint8Array => (h ? encodeMessage('etcdserverpb.ResponseHeader', h) : new Uint8Array());

/** Go's %v of a *ResponseHeader inside a struct: its compact text form (`name:value ` per set field). */
function headerText(h: ResponseHeader__Output | null): string {
  if (!h) return '<nil>';
  const fields: [string, string][] = [
    ['cluster_id', h.cluster_id],
    ['member_id', h.member_id],
    ['revision', h.revision],
    ['raft_term', h.raft_term],
  ];
  return fields
    .filter(([, v]) => v !== '0')
    .map(([k, v]) => `${k}:${v} `)
    .join('');
}

export const leaseProtobuf: LeaseFormatter = {
  leaseGrant: ({ resp }) => headerBytes(resp.header),
  leaseRevoke: ({ resp }) => {
    throw new CtlError(ExitCode.BadFeature, `marshal unsupported for type clientv3.LeaseRevokeResponse ({${headerText(resp.header)} {} [] 0})`);
  },
  leaseTimeToLive: ({ resp }) => headerBytes(resp.header),
  leaseList: ({ resp }) => headerBytes(resp.header),
  leaseKeepAlive: ({ resp }) => headerBytes(resp.header),
};
