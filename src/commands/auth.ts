// auth enable/disable/status. These three use --command-timeout (reference §4.4); enable and
// disable print a fixed line whatever the output format.
import { type Invocation, connectAndCall } from '../cli/invocation.js';
import type { AuthService } from '../client/auth.js';
import { type Text, text } from '../output/outcome.js';
import type { Result } from '../output/types.js';
import { CtlError, ExitCode, RpcError } from '../common/errors.js';

const ROOT_ROLE_MISSING = 'etcdserver: root user does not have root role';

function noArgs(inv: Invocation, command: string): void {
  if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, `auth ${command} command does not accept any arguments`);
}

/**
 * Enables auth; when the server refuses because user root lacks role root, creates that role,
 * grants it to root and tries again, all under one deadline (as etcdctl does).
 */
export async function enableAuth(auth: AuthService, deadline: number): Promise<void> {
  for (;;) {
    try {
      await auth.authEnable(deadline);
      return;
    } catch (err) {
      if (!(err instanceof RpcError && err.message === ROOT_ROLE_MISSING)) throw err;
    }
    await auth.roleAdd('root', deadline);
    await auth.userGrantRole('root', 'root', deadline);
  }
}

async function runAuthEnable(inv: Invocation): Promise<Text> {
  noArgs(inv, 'enable');
  await connectAndCall(inv, (client, deadline) => enableAuth(client.auth, deadline));
  return text('Authentication Enabled\n');
}

async function runAuthDisable(inv: Invocation): Promise<Text> {
  noArgs(inv, 'disable');
  await connectAndCall(inv, (client, deadline) => client.auth.authDisable(deadline));
  return text('Authentication Disabled\n');
}

async function runAuthStatus(inv: Invocation): Promise<Result> {
  noArgs(inv, 'status');
  return connectAndCall(inv, async (client, deadline) => ({ kind: 'authStatus', resp: await client.auth.authStatus(deadline) }));
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const AUTH_RUNS = { enable: runAuthEnable, disable: runAuthDisable, status: runAuthStatus };
