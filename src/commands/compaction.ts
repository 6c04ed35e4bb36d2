// compaction: compacts the event history up to a revision.
import { CtlCommand } from '../cli/command.js';
import { parseGoInt64 } from '../flags/go-values.js';
import { CtlError, ExitCode } from '../common/errors.js';

export function compactionCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'compaction',
    use: 'compaction [options] <revision>',
    short: 'Compacts the event history in etcd',
    flags: [{ name: 'physical', kind: 'bool', defaultText: 'false', help: "'true' to wait for compaction to physically remove all old revisions" }],
    run: async (inv) => {
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
      inv.io.stdout.write(`compacted revision ${revision}\n`);
    },
  });
}
