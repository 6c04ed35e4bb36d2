// txn: reads compares, success requests and failure requests (stdin, or a guided prompt for
// `-i` on a terminal), commits them in one transaction and prints which branch ran and its
// responses.
import type { Invocation } from '../cli/invocation.js';
import type { Result } from '../output/types.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { TxnRequest } from '../generated/etcdserverpb/TxnRequest.js';
import { SECTION_PROMPTS, readTxn } from '../txn/read.js';

async function runTxn(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, 'txn command does not accept argument');
  // etcdctl creates the client before it reads the transaction. The prompts (on a terminal, or
  // before each section on a pipe) go straight to stdout: they interleave with the user's typing.
  const session = await inv.connect();
  const interactive = inv.bool('interactive');
  const stderr = (text: string) => inv.io.stderr.write(text);
  let request: TxnRequest;
  if (interactive && inv.io.stdinIsTTY && inv.io.stdout.isTTY) {
    const { promptTxn } = await import('../txn/interactive.js');
    request = await promptTxn((text) => inv.io.stdout.write(text), stderr);
  } else {
    // On a pipe, -i only adds etcdctl's prompts before each section.
    request = await readTxn(inv.io.stdinLines(), {
      stderr,
      ...(interactive ? { beforeSection: (section) => inv.io.stdout.write(`${SECTION_PROMPTS[section]}\n`) } : {}),
    });
  }
  return { kind: 'txn', resp: await session.client.kv.txn(request) };
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const TXN_RUNS = { txn: runTxn };
