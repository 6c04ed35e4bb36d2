// role add/delete/get/list/grant-permission/revoke-permission. The key range of a permission is
// computed by a pure function shared by grant and revoke. No deadlines (reference §4.4).
import { CtlCommand } from '../cli/command.js';
import { type FlagSpec } from '../flags/flag.js';
import type { Invocation } from '../cli/invocation.js';
import { PermissionType, type PermissionTypeValue } from '../client/auth.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { NUL, prefixRangeEnd } from '../kv/key-range.js';
import { changeResult } from './user.js';
import { bytesOfToken } from '../common/byte-strings.js';

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

function rangeFlags(verb: 'grant' | 'revoke'): FlagSpec[] {
  return [
    { name: 'prefix', kind: 'bool', defaultText: 'false', help: `${verb} a prefix permission` },
    {
      name: 'from-key',
      kind: 'bool',
      defaultText: 'false',
      help: `${verb} a permission of keys that are greater than or equal to the given key using byte compare`,
    },
  ];
}

function oneName(inv: Invocation, message: string): string {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, message);
  return inv.args[0]!;
}

export function roleCommand(): CtlCommand {
  const add = CtlCommand.fromSpec({
    name: 'add',
    use: 'add <role name>',
    short: 'Adds a new role',
    run: async (inv) => {
      const name = oneName(inv, 'role add command requires role name as its argument');
      const session = await inv.connect();
      const resp = await session.client.auth.roleAdd(name);
      session.print(changeResult(resp, 'AuthRoleAddResponse', `Role ${name} created\n`));
    },
  });

  const del = CtlCommand.fromSpec({
    name: 'delete',
    use: 'delete <role name>',
    short: 'Deletes a role',
    run: async (inv) => {
      const name = oneName(inv, 'role delete command requires role name as its argument');
      const session = await inv.connect();
      const resp = await session.client.auth.roleDelete(name);
      session.print(changeResult(resp, 'AuthRoleDeleteResponse', `Role ${name} deleted\n`));
    },
  });

  const get = CtlCommand.fromSpec({
    name: 'get',
    use: 'get <role name>',
    short: 'Gets detailed information of a role',
    run: async (inv) => {
      const name = oneName(inv, 'role get command requires role name as its argument');
      const session = await inv.connect();
      session.print({ kind: 'roleGet', name, resp: await session.client.auth.roleGet(name) });
    },
  });

  const list = CtlCommand.fromSpec({
    name: 'list',
    use: 'list',
    short: 'Lists all roles',
    run: async (inv) => {
      if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, 'role list command requires no arguments');
      const session = await inv.connect();
      session.print({ kind: 'roleList', resp: await session.client.auth.roleList() });
    },
  });

  const grant = CtlCommand.fromSpec({
    name: 'grant-permission',
    use: 'grant-permission [options] <role name> <permission type> <key> [endkey]',
    short: 'Grants a key to a role',
    flags: rangeFlags('grant'),
    run: async (inv) => {
      if (inv.args.length < 3) {
        throw new CtlError(ExitCode.BadArgs, 'role grant command requires role name, permission type, and key [endkey] as its argument');
      }
      const [role, typeText, ...keyArgs] = inv.args as [string, string, ...string[]];
      const permType = parsePermissionType(typeText);
      const { key, rangeEnd } = permissionRange(keyArgs, inv.bool('prefix'), inv.bool('from-key'));
      const session = await inv.connect();
      const resp = await session.client.auth.roleGrantPermission(role, { key, rangeEnd, permType });
      session.print(changeResult(resp, 'AuthRoleGrantPermissionResponse', `Role ${role} updated\n`));
    },
  });

  const revoke = CtlCommand.fromSpec({
    name: 'revoke-permission',
    use: 'revoke-permission <role name> <key> [endkey]',
    short: 'Revokes a key from a role',
    flags: rangeFlags('revoke'),
    run: async (inv) => {
      if (inv.args.length < 2) {
        throw new CtlError(ExitCode.BadArgs, 'role revoke-permission command requires role name and key [endkey] as its argument');
      }
      const [role, ...keyArgs] = inv.args as [string, string, ...string[]];
      const { key, rangeEnd } = permissionRange(keyArgs, inv.bool('prefix'), inv.bool('from-key'));
      const session = await inv.connect();
      const resp = await session.client.auth.roleRevokePermission(role, key, rangeEnd);
      session.print(changeResult(resp, 'AuthRoleRevokePermissionResponse', revokedLine(role, keyArgs[0]!, rangeEnd)));
    },
  });

  return CtlCommand.fromSpec({ name: 'role', use: 'role <subcommand>', short: 'Role related commands' }).add(add, del, get, list, grant, revoke);
}
