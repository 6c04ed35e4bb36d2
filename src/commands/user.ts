// user add/delete/get/list/passwd/grant-role/revoke-role. Passwords are read before connecting,
// as etcdctl does, and never printed. None of these commands has a deadline (reference §4.4).
import { CtlCommand } from '../cli/command.js';
import type { Invocation, Session } from '../cli/invocation.js';
import { CtlError, ExitCode, ProcessExit } from '../common/errors.js';
import type { Io } from '../io/types.js';
import type { Result } from '../output/types.js';
import { bytesOfToken } from '../common/byte-strings.js';

/** A mutation's result: a fixed line in `simple`, the response header in the other formats. */
export function changeResult(resp: Extract<Result, { kind: 'authChange' }>['resp'], responseType: string, line: string | Buffer): Result {
  return { kind: 'authChange', resp, typeName: `etcdserverpb.${responseType}`, line: Buffer.isBuffer(line) ? line : bytesOfToken(line) };
}

/** etcdctl's readPasswordInteractive: asks twice; an empty or mismatched answer is an argument error. */
async function askNewPassword(io: Io, name: string): Promise<string> {
  const ask = async (prompt: string) => {
    try {
      return await io.readPassword(prompt);
    } catch (err) {
      if (err instanceof ProcessExit) throw err; // Ctrl-C: speakeasy's os.Exit
      throw new CtlError(ExitCode.BadArgs, `failed to ask password: ${(err as Error).message}`);
    }
  };
  const first = await ask(`Password of ${name}: `);
  if (first === '') throw new CtlError(ExitCode.BadArgs, 'empty password');
  const second = await ask(`Type password of ${name} again for confirmation: `);
  if (first !== second) throw new CtlError(ExitCode.BadArgs, 'given passwords are different');
  return first;
}

/** The new password for `user add <name>` / `user passwd`: prompted twice, or one word from stdin. */
function newPassword(inv: Invocation, name: string): Promise<string> {
  if (inv.bool('interactive')) return askNewPassword(inv.io, name);
  return inv.io.readWord?.() ?? Promise.resolve('');
}

/** `user add` arguments → name, password and whether the user has no password (CN-based auth only). */
export async function userAddCredentials(inv: Invocation): Promise<{ name: string; password: string; noPassword: boolean }> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'user add command requires user name as its argument');
  const arg = inv.args[0]!;
  if (inv.bool('no-password')) return { name: arg, password: '', noPassword: true };
  const fromFlag = inv.string('new-user-password');
  if (fromFlag !== '') return { name: arg, password: fromFlag, noPassword: false };
  const colon = arg.indexOf(':');
  if (colon === -1) return { name: arg, password: await newPassword(inv, arg), noPassword: false };
  const name = arg.slice(0, colon);
  if (name === '') throw new CtlError(ExitCode.BadArgs, 'empty user name is not allowed');
  return { name, password: arg.slice(colon + 1), noPassword: false };
}

function requireArgs(inv: Invocation, count: number, message: string): string[] {
  if (inv.args.length !== count) throw new CtlError(ExitCode.BadArgs, message);
  return inv.args;
}

/** `user get --detail`: the name, then each role's `role get` output in the chosen format. */
async function printUserDetail(inv: Invocation, session: Session, name: string, roles: string[]): Promise<void> {
  inv.io.stdout.write(`User: ${name}\n`);
  for (const role of roles) {
    inv.io.stdout.write('\n');
    const resp = await session.client.auth.roleGet(role);
    session.print({ kind: 'roleGet', name: role, resp });
  }
}

export function userCommand(): CtlCommand {
  const add = CtlCommand.fromSpec({
    name: 'add',
    use: 'add <user name or user:password> [options]',
    short: 'Adds a new user',
    flags: [
      { name: 'interactive', kind: 'bool', defaultText: 'true', help: 'Read password from stdin instead of interactive terminal' },
      { name: 'new-user-password', kind: 'string', defaultText: '', help: 'Supply password from the command line flag' },
      { name: 'no-password', kind: 'bool', defaultText: 'false', help: 'Create a user without password (CN based auth only)' },
    ],
    run: async (inv) => {
      const { name, password, noPassword } = await userAddCredentials(inv);
      const session = await inv.connect();
      const resp = await session.client.auth.userAdd(name, password, noPassword);
      session.print(changeResult(resp, 'AuthUserAddResponse', `User ${name} created\n`));
    },
  });

  const del = CtlCommand.fromSpec({
    name: 'delete',
    use: 'delete <user name>',
    short: 'Deletes a user',
    run: async (inv) => {
      const [name] = requireArgs(inv, 1, 'user delete command requires user name as its argument') as [string];
      const session = await inv.connect();
      const resp = await session.client.auth.userDelete(name);
      session.print(changeResult(resp, 'AuthUserDeleteResponse', `User ${name} deleted\n`));
    },
  });

  const get = CtlCommand.fromSpec({
    name: 'get',
    use: 'get <user name> [options]',
    short: 'Gets detailed information of a user',
    flags: [{ name: 'detail', kind: 'bool', defaultText: 'false', help: 'Show permissions of roles granted to the user' }],
    run: async (inv) => {
      const [name] = requireArgs(inv, 1, 'user get command requires user name as its argument') as [string];
      const session = await inv.connect();
      const resp = await session.client.auth.userGet(name);
      if (inv.bool('detail')) await printUserDetail(inv, session, name, resp.roles);
      else session.print({ kind: 'userGet', name, resp });
    },
  });

  const list = CtlCommand.fromSpec({
    name: 'list',
    use: 'list',
    short: 'Lists all users',
    run: async (inv) => {
      requireArgs(inv, 0, 'user list command requires no arguments');
      const session = await inv.connect();
      session.print({ kind: 'userList', resp: await session.client.auth.userList() });
    },
  });

  const passwd = CtlCommand.fromSpec({
    name: 'passwd',
    use: 'passwd <user name> [options]',
    short: 'Changes password of user',
    flags: [{ name: 'interactive', kind: 'bool', defaultText: 'true', help: 'If true, read password from stdin instead of interactive terminal' }],
    run: async (inv) => {
      const [name] = requireArgs(inv, 1, 'user passwd command requires user name as its argument') as [string];
      const password = await newPassword(inv, name);
      const session = await inv.connect();
      const resp = await session.client.auth.userChangePassword(name, password);
      session.print(changeResult(resp, 'AuthUserChangePasswordResponse', 'Password updated\n'));
    },
  });

  const grantRole = CtlCommand.fromSpec({
    name: 'grant-role',
    use: 'grant-role <user name> <role name>',
    short: 'Grants a role to a user',
    run: async (inv) => {
      const [user, role] = requireArgs(inv, 2, 'user grant command requires user name and role name as its argument') as [string, string];
      const session = await inv.connect();
      const resp = await session.client.auth.userGrantRole(user, role);
      session.print(changeResult(resp, 'AuthUserGrantRoleResponse', `Role ${role} is granted to user ${user}\n`));
    },
  });

  const revokeRole = CtlCommand.fromSpec({
    name: 'revoke-role',
    use: 'revoke-role <user name> <role name>',
    short: 'Revokes a role from a user',
    run: async (inv) => {
      const [user, role] = requireArgs(inv, 2, 'user revoke-role requires user name and role name as its argument') as [string, string];
      const session = await inv.connect();
      const resp = await session.client.auth.userRevokeRole(user, role);
      session.print(changeResult(resp, 'AuthUserRevokeRoleResponse', `Role ${role} is revoked from user ${user}\n`));
    },
  });

  return CtlCommand.fromSpec({ name: 'user', use: 'user <subcommand>', short: 'User related commands' }).add(
    add,
    del,
    get,
    list,
    passwd,
    grantRole,
    revokeRole,
  );
}
