// etcdctl's `protobuf` format: the response message's wire bytes, no delimiter, no newline.
import { encodeMessage, rawBytesOf } from '../../client/proto.js';
import type { Formatter } from '../types.js';
import { leaseProtobuf } from '../lease-render.js';
import { watchProtobuf } from '../watch-render.js';

/** The response as it came off the wire, or re-encoded when it was built locally. */
export function wireBytes(value: object, typeName: string): Uint8Array {
  return rawBytesOf(value) ?? encodeMessage(typeName, value);
}

export const protobufFormat: Formatter = {
  get: ({ resp }) => wireBytes(resp, 'etcdserverpb.RangeResponse'),
  put: ({ resp }) => wireBytes(resp, 'etcdserverpb.PutResponse'),
  del: ({ resp }) => wireBytes(resp, 'etcdserverpb.DeleteRangeResponse'),
  memberAdd: ({ resp }) => wireBytes(resp, 'etcdserverpb.MemberAddResponse'),
  memberRemove: ({ resp }) => wireBytes(resp, 'etcdserverpb.MemberRemoveResponse'),
  memberUpdate: ({ resp }) => wireBytes(resp, 'etcdserverpb.MemberUpdateResponse'),
  memberPromote: ({ resp }) => wireBytes(resp, 'etcdserverpb.MemberPromoteResponse'),
  memberList: ({ resp }) => wireBytes(resp, 'etcdserverpb.MemberListResponse'),
  alarm: ({ resp }) => wireBytes(resp, 'etcdserverpb.AlarmResponse'),
  moveLeader: ({ resp }) => wireBytes(resp, 'etcdserverpb.MoveLeaderResponse'),
  authChange: ({ resp, typeName }) => wireBytes(resp, typeName),
  authStatus: ({ resp }) => wireBytes(resp, 'etcdserverpb.AuthStatusResponse'),
  userGet: ({ resp }) => wireBytes(resp, 'etcdserverpb.AuthUserGetResponse'),
  userList: ({ resp }) => wireBytes(resp, 'etcdserverpb.AuthUserListResponse'),
  roleGet: ({ resp }) => wireBytes(resp, 'etcdserverpb.AuthRoleGetResponse'),
  roleList: ({ resp }) => wireBytes(resp, 'etcdserverpb.AuthRoleListResponse'),
  txn: ({ resp }) => wireBytes(resp, 'etcdserverpb.TxnResponse'),
  ...leaseProtobuf,
  ...watchProtobuf,
};
