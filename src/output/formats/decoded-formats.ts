// etcdctl-ts's extra output formats, both built on the readable view of output/decoded.ts:
//   -w json-decoded  one JSON document per response, safe for jq (text keys/values, IDs as strings)
//   -w yaml          one YAML document per response, for people
// Neither is ever coloured. A result kind without an entry here is "<fmt> not supported as
// output format", like etcdctl's own formats.
import { type Decoded, type ReadableOptions, decodeMessage, toJsonLine, toYamlDocument } from '../decoded.js';
import type { Formatter, RenderOptions, Result, ResultKind } from '../types.js';

type Builder<K extends ResultKind> = (result: Extract<Result, { kind: K }>, opts: ReadableOptions) => Decoded;
type Builders = { [K in ResultKind]?: Builder<K> };

const message =
  (typeName: string) =>
  ({ resp }: { resp: object }, opts: ReadableOptions): Decoded =>
    decodeMessage(resp, typeName, opts);

const BUILDERS: Builders = {
  get: message('etcdserverpb.RangeResponse'),
  put: message('etcdserverpb.PutResponse'),
  del: message('etcdserverpb.DeleteRangeResponse'),
  txn: message('etcdserverpb.TxnResponse'),
  memberAdd: message('etcdserverpb.MemberAddResponse'),
  memberRemove: message('etcdserverpb.MemberRemoveResponse'),
  memberUpdate: message('etcdserverpb.MemberUpdateResponse'),
  memberPromote: message('etcdserverpb.MemberPromoteResponse'),
  memberList: message('etcdserverpb.MemberListResponse'),
  endpointHealth: ({ list }) => list.map((h) => ({ endpoint: h.endpoint, health: h.health, took: h.took, error: h.error })),
  endpointStatus: ({ list }) => list.map((s) => ({ endpoint: s.endpoint, status: decodeMessage(s.resp, 'etcdserverpb.StatusResponse') })),
  endpointHashKV: ({ list }) => list.map((h) => ({ endpoint: h.endpoint, hashkv: decodeMessage(h.resp, 'etcdserverpb.HashKVResponse') })),
  alarm: message('etcdserverpb.AlarmResponse'),
  moveLeader: message('etcdserverpb.MoveLeaderResponse'),
  authChange: ({ resp, typeName }) => decodeMessage(resp, typeName),
  authStatus: message('etcdserverpb.AuthStatusResponse'),
  userGet: ({ name, resp }) => ({ name, ...(decodeMessage(resp, 'etcdserverpb.AuthUserGetResponse') as Record<string, Decoded>) }),
  userList: message('etcdserverpb.AuthUserListResponse'),
  roleGet: ({ name, resp }) => ({ name, ...(decodeMessage(resp, 'etcdserverpb.AuthRoleGetResponse') as Record<string, Decoded>) }),
  roleList: message('etcdserverpb.AuthRoleListResponse'),
  leaseGrant: message('etcdserverpb.LeaseGrantResponse'),
  leaseRevoke: message('etcdserverpb.LeaseRevokeResponse'),
  leaseTimeToLive: message('etcdserverpb.LeaseTimeToLiveResponse'),
  leaseList: message('etcdserverpb.LeaseLeasesResponse'),
  leaseKeepAlive: message('etcdserverpb.LeaseKeepAliveResponse'),
  ls: ({ tree, directories }) => ({ ...(tree as unknown as Record<string, Decoded>), directories }),
  // One document per watch response, its events' values readable like get's.
  watch: ({ resp }, opts) => ({
    header: decodeMessage(resp.header, 'etcdserverpb.ResponseHeader'),
    events: resp.events === null ? null : resp.events.map((e) => decodeMessage(e, 'mvccpb.Event', opts)),
    compact_revision: resp.compactRevision,
    canceled: resp.canceled,
    created: resp.created,
  }),
};

function formatter(write: (value: Decoded) => string | Uint8Array): Formatter {
  const out: Record<string, (result: Result, opts: RenderOptions) => string | Uint8Array> = {};
  for (const [kind, build] of Object.entries(BUILDERS)) {
    out[kind] = (result, opts) => write((build as Builder<ResultKind>)(result as never, { k8s: opts?.k8s ?? true }));
  }
  return out as Formatter;
}

export const jsonDecodedFormat: Formatter = formatter(toJsonLine);
export const yamlFormat: Formatter = formatter(toYamlDocument);

