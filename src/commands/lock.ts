// lock: acquires a named lock through the server's lock service, holding a session lease kept
// alive meanwhile. Without a command it prints the owner key (get printer) and holds the lock
// until SIGINT/SIGTERM, then releases it; with one it runs the command while holding the lock.
import type { Invocation, Session as CliSession } from '../cli/invocation.js';
import { Session } from '../client/concurrency.js';
import { CtlError, ExitCode, asCtlError, type ExitCodeValue } from '../common/errors.js';
import { runCommand } from '../io/exec.js';
import { listenForInterrupt } from '../io/signals.js';
import { bytesOfToken } from '../common/byte-strings.js';
import type { Result } from '../output/types.js';

/** The session lease's first renewal must come within clientv3's first keep-alive timeout. */
export function firstRenewalTimeoutMs(session: CliSession): number {
  return session.config.timeouts.dialTimeoutMs + 1000;
}

/** Go's os.Exit(-1) (a child killed by a signal) is exit status 255. */
function exitStatusCode(status: number): ExitCodeValue {
  return (status < 0 ? 255 : status) as ExitCodeValue;
}

async function runLock(inv: Invocation): Promise<AsyncIterable<Result>> {
  const [name, ...command] = inv.args;
  if (name === undefined) throw new CtlError(ExitCode.BadArgs, 'lock takes a lock name argument and an optional command to execute');
  return holdLock(inv, await inv.connect(), name, command);
}

/**
 * Acquires the lock and holds it while the command runs (its output is the child's own), or,
 * without one, yields the owner key and holds it until SIGINT/SIGTERM.
 */
async function* holdLock(inv: Invocation, cli: CliSession, name: string, command: string[]): AsyncGenerator<Result> {
  const { client } = cli;
  const session = await Session.open(client.lease, inv.int('ttl'), firstRenewalTimeoutMs(cli)).catch((err) => {
    throw asCtlError(err);
  });
  // Listening starts once the session exists, as in etcdctl: a signal before that still kills.
  const interrupt = listenForInterrupt(inv.io);
  try {
    const locked = await client.lock.lock(bytesOfToken(name), session.leaseId, interrupt.signal).catch((err) => {
      throw asCtlError(err);
    });
    const key = locked.key;

    if (command.length > 0) {
      // The lock's variables first: inherited ones of the same name win, as in Go's exec.
      const env = { ETCD_LOCK_KEY: key.toString('utf8'), ETCD_LOCK_REV: locked.header?.revision ?? '0', ...inv.environment.inherited };
      const failure = await runCommand(command, env, inv.io);
      const unlockError = await client.lock.unlock(key).then(
        () => undefined,
        (err: unknown) => err,
      );
      if (failure) throw new CtlError(failure.exitStatus === undefined ? ExitCode.Error : exitStatusCode(failure.exitStatus), failure.message);
      if (unlockError) throw asCtlError(unlockError);
      return;
    }

    if (interrupt.signal.aborted) throw new CtlError(ExitCode.Error, 'context canceled');
    const owner = await client.kv.range({ key }).catch((err) => {
      throw asCtlError(err);
    });
    if (owner.kvs.length === 0) throw new CtlError(ExitCode.Error, 'lock lost on init');
    yield { kind: 'get', resp: owner };

    const outcome = await Promise.race([interrupt.received.then(() => 'interrupted' as const), session.done.then(() => 'expired' as const)]);
    if (outcome === 'expired') throw new CtlError(ExitCode.Error, 'session expired');
    await client.lock.unlock(key).catch((err) => {
      throw asCtlError(err);
    });
  } finally {
    interrupt.dispose();
    session.close();
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const LOCK_RUNS = { lock: runLock };
