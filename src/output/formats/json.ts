// etcdctl's `json` format: Go's encoding/json of the response, one line per response.
import { goJson } from '../gojson.js';
import type { Formatter } from '../types.js';
import { memberListHexJson } from '../cluster-rows.js';
import { goJsonString } from '../encode.js';
import { leaseJson } from '../lease-render.js';
import { watchJson } from '../watch-render.js';

const line = (value: object, typeName: string) => `${goJson(value as Record<string, unknown>, typeName)}\n`;
/** A response nested in one of etcdctl's own structs (endpoint status/hashkv). */
const embedded = (value: object, typeName: string) => goJson(value as Record<string, unknown>, typeName);

export const jsonFormat: Formatter = {
  get: ({ resp }) => line(resp, 'etcdserverpb.RangeResponse'),
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
