// role add/delete/get/list/grant-permission/revoke-permission. The key range of a permission is
// computed by a pure function shared by grant and revoke. No deadlines (reference §4.4).
import { type Invocation, connectAndCall } from '../cli/invocation.js';
import { PermissionType, type PermissionTypeValue } from '../client/auth.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { NUL, prefixRangeEnd } from '../kv/key-range.js';
import { changeResult } from './user.js';
import { bytesOfToken } from '../common/byte-strings.js';
import type { Result } from '../output/types.js';

const EMPTY = Buffer.alloc(0);

/** clientv3.StrToPermissionType: read, write or readwrite in any case. */
export function parsePermissionType(text: string): PermissionTypeValue {
  const type = (PermissionType as Record<string, PermissionTypeValue>)[text.toUpperCase()];
  if (type === undefined) throw new CtlError(ExitCode.BadArgs, `invalid permission type: ${text}`);
  return type;
}

/**
 * etcdctl's permRange: `args` = key [endkey]. An empty key stands for the whole keyspace (key
 * `\x00`; with --prefix or --from-key the range is open-ended) and then an endkey is ignored.
 * An empty range end means a single key; `\x00` means "to the end of the keyspace".
 */
export function permissionRange(args: string[], prefix: boolean, fromKey: boolean): { key: Buffer; rangeEnd: Buffer } {
  const key = bytesOfToken(args[0] ?? '');
  if (key.length === 0) {
    if (prefix && fromKey) throw new CtlError(ExitCode.BadArgs, '--from-key and --prefix flags are mutually exclusive');
    return { key: NUL, rangeEnd: prefix || fromKey ? NUL : EMPTY };
  }
  if (args.length === 1) {
    if (prefix) {
      if (fromKey) throw new CtlError(ExitCode.BadArgs, '--from-key and --prefix flags are mutually exclusive');
      return { key, rangeEnd: prefixRangeEnd(key) };
    }
    return { key, rangeEnd: fromKey ? NUL : EMPTY };
  }
  if (prefix) throw new CtlError(ExitCode.BadArgs, 'unexpected endkey argument with --prefix flag');
  if (fromKey) throw new CtlError(ExitCode.BadArgs, 'unexpected endkey argument with --from-key flag');
  return { key, rangeEnd: bytesOfToken(args[1]!) };
}

/** What `role revoke-permission` prints: the key as typed, the range end as computed. */
export function revokedLine(role: string, key: string, rangeEnd: Buffer): Buffer {
  if (rangeEnd.length === 0) return bytesOfToken(`Permission of key ${key} is revoked from role ${role}\n`);
  const end = rangeEnd.equals(NUL) ? [Buffer.from('<open ended>')] : [rangeEnd, Buffer.from(')')];
  return Buffer.concat([bytesOfToken(`Permission of range [${key}, `), ...end, bytesOfToken(` is revoked from role ${role}\n`)]);
}

function oneName(inv: Invocation, message: string): string {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, message);
  return inv.args[0]!;
}

async function runRoleAdd(inv: Invocation): Promise<Result> {
  const name = oneName(inv, 'role add command requires role name as its argument');
  const resp = await connectAndCall(inv, (client) => client.auth.roleAdd(name));
  return changeResult(resp, 'AuthRoleAddResponse', `Role ${name} created\n`);
}

async function runRoleDelete(inv: Invocation): Promise<Result> {
  const name = oneName(inv, 'role delete command requires role name as its argument');
  const resp = await connectAndCall(inv, (client) => client.auth.roleDelete(name));
  return changeResult(resp, 'AuthRoleDeleteResponse', `Role ${name} deleted\n`);
}

async function runRoleGet(inv: Invocation): Promise<Result> {
  const name = oneName(inv, 'role get command requires role name as its argument');
  return { kind: 'roleGet', name, resp: await connectAndCall(inv, (client) => client.auth.roleGet(name)) };
}

async function runRoleList(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, 'role list command requires no arguments');
  return { kind: 'roleList', resp: await connectAndCall(inv, (client) => client.auth.roleList()) };
}

async function runGrantPermission(inv: Invocation): Promise<Result> {
  if (inv.args.length < 3) {
    throw new CtlError(ExitCode.BadArgs, 'role grant command requires role name, permission type, and key [endkey] as its argument');
  }
  const [role, typeText, ...keyArgs] = inv.args as [string, string, ...string[]];
  const permType = parsePermissionType(typeText);
  const { key, rangeEnd } = permissionRange(keyArgs, inv.bool('prefix'), inv.bool('from-key'));
  const resp = await connectAndCall(inv, (client) => client.auth.roleGrantPermission(role, { key, rangeEnd, permType }));
  return changeResult(resp, 'AuthRoleGrantPermissionResponse', `Role ${role} updated\n`);
}

async function runRevokePermission(inv: Invocation): Promise<Result> {
  if (inv.args.length < 2) {
    throw new CtlError(ExitCode.BadArgs, 'role revoke-permission command requires role name and key [endkey] as its argument');
  }
  const [role, ...keyArgs] = inv.args as [string, string, ...string[]];
  const { key, rangeEnd } = permissionRange(keyArgs, inv.bool('prefix'), inv.bool('from-key'));
  const resp = await connectAndCall(inv, (client) => client.auth.roleRevokePermission(role, key, rangeEnd));
  return changeResult(resp, 'AuthRoleRevokePermissionResponse', revokedLine(role, keyArgs[0]!, rangeEnd));
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const ROLE_RUNS = {
  add: runRoleAdd,
  delete: runRoleDelete,
  get: runRoleGet,
  list: runRoleList,
  'grant-permission': runGrantPermission,
  'revoke-permission': runRevokePermission,
};
