// Safe range deletes for people: when `del` removes a prefix or a range and a person is at the
// terminal (stdin and stderr are terminals), it counts the keys and asks first. Scripts are not
// affected: nothing is asked on pipes or redirected input, nor with --yes.
import type { ChalkInstance } from 'chalk';
import type { FlagSpec } from '../flags/flag.js';
import type { Invocation, Session } from './invocation.js';
import { CtlError, ExitCode, RpcError } from '../common/errors.js';
import { hasRangeEnd } from '../kv/key-range.js';
import type { DeleteRangeRequest } from '../generated/etcdserverpb/DeleteRangeRequest.js';

export const YES_FLAG: FlagSpec = {
  name: 'yes',
  kind: 'bool',
  defaultText: 'false',
  help: 'delete a range or prefix without asking, even on a terminal',
  extra: true,
};

const quote = (b: Uint8Array | string | undefined) => JSON.stringify(Buffer.from(b ?? '').toString('utf8'));

/** What the prompt says the keys are. */
function describeRange(inv: Invocation, request: DeleteRangeRequest): string {
  if (inv.bool('prefix')) return inv.args[0] === '' ? 'in the whole keyspace' : `with prefix ${quote(inv.args[0])}`;
  if (inv.bool('from-key')) return `from ${quote(inv.args[0])} on`;
  return `in [${quote(request.key as Uint8Array)}, ${quote(request.range_end as Uint8Array)})`;
}

/** Asks before a range delete when a person is at the terminal; throws when they decline. */
export async function confirmRangeDelete(inv: Invocation, session: Session, request: DeleteRangeRequest): Promise<void> {
  const isRange = hasRangeEnd(request.range_end);
  if (!isRange || !canAsk(inv)) return;
  // A user allowed to delete but not to read the range is still asked, without a count.
  const counted = await session.client.kv
    .range({ key: request.key, range_end: request.range_end, count_only: true }, Date.now() + session.config.timeouts.commandTimeoutMs)
    .then((resp) => Number(resp.count))
    .catch((err: unknown) => {
      if (err instanceof RpcError && err.message.includes('permission denied')) return undefined;
      throw err;
    });
  if (counted === 0) return;
  const what = counted === undefined ? 'the keys' : `${counted} ${counted === 1 ? 'key' : 'keys'}`;
  const yes = await askYesNo(inv, (c) => `Delete ${c.bold(what)} ${describeRange(inv, request)}?`);
  if (!yes) throw new CtlError(ExitCode.Error, 'delete cancelled, nothing was deleted');
}

/** Whether a person can be asked: stdin and stderr are terminals and --yes was not given. */
export function canAsk(inv: Invocation): boolean {
  return !inv.bool(YES_FLAG.name) && inv.io.stdinIsTTY && inv.io.stderr.isTTY;
}

/** Asks a yes/no question on stderr and reads the answer from stdin: true only for y or yes. */
export async function askYesNo(inv: Invocation, question: (c: ChalkInstance) => string): Promise<boolean> {
  // Loaded here, on a terminal only: a plain get or del never evaluates chalk.
  const { paint } = await import('./colour.js');
  const c = paint(inv.environment.colour.stderr);
  inv.io.stderr.write(`${c.yellow('?')} ${question(c)} ${c.dim('[y/N]')} `);
  let answer: string | undefined;
  for await (const line of inv.io.stdinLines()) {
    answer = line.trim();
    break;
  }
  if (answer === undefined) inv.io.stderr.write('\n'); // end of input: the cursor is still on the prompt line
  return /^y(es)?$/i.test(answer ?? '');
}
