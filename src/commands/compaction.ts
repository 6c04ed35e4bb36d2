// compaction: compacts the event history up to a revision.
import type { Invocation } from '../cli/invocation.js';
import { type Text, text } from '../output/outcome.js';
import { parseGoInt64 } from '../flags/go-values.js';
import { CtlError, ExitCode } from '../common/errors.js';

async function runCompaction(inv: Invocation): Promise<Text> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'compaction command needs 1 argument');
  let revision: bigint;
  try {
    revision = parseGoInt64(inv.args[0]!, 10);
  } catch (err) {
    // etcdctl exits 1 here, not 128.
    throw new CtlError(ExitCode.Error, (err as Error).message);
  }
  const session = await inv.connect();
  await session.client.kv.compact({ revision: revision.toString(), physical: inv.bool('physical') }, session.client.connection.commandDeadline());
  return text(`compacted revision ${revision}\n`);
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const COMPACTION_RUNS = { compaction: runCompaction };
