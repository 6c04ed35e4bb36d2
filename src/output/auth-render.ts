// Results of the auth, user and role commands and the pieces of their output that the formats
// share. Mutations (user add, role grant-permission, …) print a fixed line in `simple` and only
// the response header elsewhere, so they form one result kind carrying their line and proto type.
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import type { AuthStatusResponse__Output } from '../generated/etcdserverpb/AuthStatusResponse.js';
import type { AuthUserGetResponse__Output } from '../generated/etcdserverpb/AuthUserGetResponse.js';
import type { AuthUserListResponse__Output } from '../generated/etcdserverpb/AuthUserListResponse.js';
import type { AuthRoleGetResponse__Output } from '../generated/etcdserverpb/AuthRoleGetResponse.js';
import type { AuthRoleListResponse__Output } from '../generated/etcdserverpb/AuthRoleListResponse.js';
import type { Permission__Output } from '../generated/authpb/Permission.js';
import { goQuote } from '../go/quote.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { isPrefixEnd } from '../kv/key-range.js';

export type AuthResult =
  | {
      kind: 'authChange';
      resp: { header: ResponseHeader__Output | null };
      /** Full proto name of the response (for json and protobuf). */
      typeName: string;
      /** What `simple` prints (bytes: revoked keys are printed raw). */
      line: Buffer;
    }
  | { kind: 'authStatus'; resp: AuthStatusResponse__Output }
  | { kind: 'userGet'; name: string; resp: AuthUserGetResponse__Output }
  | { kind: 'userList'; resp: AuthUserListResponse__Output }
  | { kind: 'roleGet'; name: string; resp: AuthRoleGetResponse__Output }
  | { kind: 'roleList'; resp: AuthRoleListResponse__Output };

const PERM_NAMES = ['READ', 'WRITE', 'READWRITE'];

/** authpb.Permission_Type.String(). */
export function permTypeName(type: number): string {
  return PERM_NAMES[type] ?? String(type);
}

/** True when `end` is the range end that `--prefix <key>` gives (clientv3.GetPrefixRangeEnd). */

const OPEN_ENDED = Buffer.from([0]);

/** One permission line of `role get`: `\t<key>`, `\t[<key>, <end>)` or `\t[<key>, <open ended>`. */
function permissionLine(perm: Permission__Output): Buffer {
  if (perm.range_end.length === 0) return Buffer.concat([Buffer.from('\t'), perm.key, Buffer.from('\n')]);
  const parts = [Buffer.from('\t['), perm.key, Buffer.from(', ')];
  if (perm.range_end.equals(OPEN_ENDED)) parts.push(Buffer.from('<open ended>'));
  else parts.push(perm.range_end, Buffer.from(')'));
  if (isPrefixEnd(perm.key, perm.range_end)) parts.push(Buffer.from(' (prefix '), perm.key, Buffer.from(')'));
  parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

/** `role get` in simple: the read permissions, then the write permissions (READWRITE in both). */
export function simpleRoleGet(name: string, perms: Permission__Output[]): Buffer {
  const section = (title: string, types: number[]) => [
    Buffer.from(`${title}\n`),
    ...perms.filter((p) => types.includes(p.permType)).map(permissionLine),
  ];
  return Buffer.concat([bytesOfToken(`Role ${name}\n`), ...section('KV Read:', [0, 2]), ...section('KV Write:', [1, 2])]);
}

export function simpleUserGet(name: string, roles: string[]): string {
  return `User: ${name}\nRoles:${roles.map((r) => ` ${r}`).join('')}\n`;
}

export function simpleAuthStatus(resp: AuthStatusResponse__Output): string {
  return `Authentication Status: ${resp.enabled}\nAuthRevision: ${resp.authRevision}\n`;
}

/** `role get` in fields after the header; Println puts two spaces after the PermType colon. */
export function fieldsPermissions(perms: Permission__Output[]): string {
  return perms
    .map((p) => `"PermType" :  ${permTypeName(p.permType)}\n"Key" : ${goQuote(p.key)}\n"RangeEnd" : ${goQuote(p.range_end)}\n`)
    .join('');
}

export function fieldsRoleNames(roles: string[]): string {
  return `"Roles" :${roles.map((r) => ` ${goQuote(r)}`).join('')}\n`;
}
