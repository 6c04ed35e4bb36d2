// auth enable/disable/status. These three use --command-timeout (reference §4.4); enable and
// disable print a fixed line whatever the output format.
import { CtlCommand } from '../cli/command.js';
import { type Invocation, commandLineDeadline, connectAndCall } from '../cli/invocation.js';
import type { AuthService } from '../client/auth.js';
import { text } from '../output/outcome.js';
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

export function authCommand(): CtlCommand {
  const enable = CtlCommand.fromSpec({
    name: 'enable',
    use: 'enable',
    short: 'Enables authentication',
    run: async (inv) => {
      noArgs(inv, 'enable');
      await connectAndCall(inv, (client, deadline) => enableAuth(client.auth, deadline));
      return text('Authentication Enabled\n');
    },
  });

  const disable = CtlCommand.fromSpec({
    name: 'disable',
    use: 'disable',
    short: 'Disables authentication',
    run: async (inv) => {
      noArgs(inv, 'disable');
      await connectAndCall(inv, (client, deadline) => client.auth.authDisable(deadline));
      return text('Authentication Disabled\n');
    },
  });

  const status = CtlCommand.fromSpec({
    name: 'status',
    use: 'status',
    short: 'Returns authentication status',
    run: async (inv) => {
      noArgs(inv, 'status');
      return connectAndCall(inv, async (client, deadline): Promise<Result> => ({ kind: 'authStatus', resp: await client.auth.authStatus(deadline) }));
    },
  });

  // cobra lists subcommands alphabetically in help; the order here is etcdctl's registration order.
  return CtlCommand.fromSpec({ name: 'auth', use: 'auth <enable or disable>', short: 'Enable or disable authentication' }).add(
    enable,
    disable,
    status,
  );
}
