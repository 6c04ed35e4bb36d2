// user add/delete/get/list/passwd/grant-role/revoke-role. Passwords are read before connecting,
// as etcdctl does, and never printed. None of these commands has a deadline (reference §4.4).
import { type Invocation, connectAndCall } from '../cli/invocation.js';
import type { AuthService } from '../client/auth.js';
import { CtlError, ExitCode, ProcessExit } from '../common/errors.js';
import type { Io } from '../io/types.js';
import type { Result } from '../output/types.js';
import { type Outcome, type Printable, text } from '../output/outcome.js';
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
async function* userDetail(auth: AuthService, name: string, roles: string[]): AsyncIterable<Printable> {
  yield text(`User: ${name}\n`);
  for (const role of roles) {
    yield text('\n');
    yield { kind: 'roleGet', name: role, resp: await auth.roleGet(role) };
  }
}

async function runUserAdd(inv: Invocation): Promise<Result> {
  const { name, password, noPassword } = await userAddCredentials(inv);
  const resp = await connectAndCall(inv, (client) => client.auth.userAdd(name, password, noPassword));
  return changeResult(resp, 'AuthUserAddResponse', `User ${name} created\n`);
}

async function runUserDelete(inv: Invocation): Promise<Result> {
  const [name] = requireArgs(inv, 1, 'user delete command requires user name as its argument') as [string];
  const resp = await connectAndCall(inv, (client) => client.auth.userDelete(name));
  return changeResult(resp, 'AuthUserDeleteResponse', `User ${name} deleted\n`);
}

async function runUserGet(inv: Invocation): Promise<Outcome> {
  const [name] = requireArgs(inv, 1, 'user get command requires user name as its argument') as [string];
  return connectAndCall(inv, async (client): Promise<Outcome> => {
    const resp = await client.auth.userGet(name);
    return inv.bool('detail') ? userDetail(client.auth, name, resp.roles) : { kind: 'userGet', name, resp };
  });
}

async function runUserList(inv: Invocation): Promise<Result> {
  requireArgs(inv, 0, 'user list command requires no arguments');
  return { kind: 'userList', resp: await connectAndCall(inv, (client) => client.auth.userList()) };
}

async function runUserPasswd(inv: Invocation): Promise<Result> {
  const [name] = requireArgs(inv, 1, 'user passwd command requires user name as its argument') as [string];
  const password = await newPassword(inv, name);
  const resp = await connectAndCall(inv, (client) => client.auth.userChangePassword(name, password));
  return changeResult(resp, 'AuthUserChangePasswordResponse', 'Password updated\n');
}

async function runGrantRole(inv: Invocation): Promise<Result> {
  const [user, role] = requireArgs(inv, 2, 'user grant command requires user name and role name as its argument') as [string, string];
  const resp = await connectAndCall(inv, (client) => client.auth.userGrantRole(user, role));
  return changeResult(resp, 'AuthUserGrantRoleResponse', `Role ${role} is granted to user ${user}\n`);
}

async function runRevokeRole(inv: Invocation): Promise<Result> {
  const [user, role] = requireArgs(inv, 2, 'user revoke-role requires user name and role name as its argument') as [string, string];
  const resp = await connectAndCall(inv, (client) => client.auth.userRevokeRole(user, role));
  return changeResult(resp, 'AuthUserRevokeRoleResponse', `Role ${role} is revoked from user ${user}\n`);
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const USER_RUNS = {
  add: runUserAdd,
  delete: runUserDelete,
  get: runUserGet,
  list: runUserList,
  passwd: runUserPasswd,
  'grant-role': runGrantRole,
  'revoke-role': runRevokeRole,
};
