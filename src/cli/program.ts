// The command tree: the root with etcdctl's global flags, and every command group.
import { CtlCommand } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';
import { usageText } from './help.js';
import { findCommand } from './parse.js';
import { kvCommands } from '../commands/kv.js';
import { compactionCommand } from '../commands/compaction.js';
import { versionCommand } from '../commands/version.js';

function helpCommand(root: CtlCommand): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'help',
    use: 'help [command]',
    short: 'Help about any command',
    long: 'Help provides help for any command in the application.\nSimply type etcdctl help [path to command] for full details.',
    run: async (inv) => {
      const { command } = findCommand(root, inv.args);
      inv.io.stdout.write(usageText(command));
    },
  });
}

export function createProgram(): CtlCommand {
  const root = CtlCommand.fromSpec({ name: 'etcdctl', use: 'etcdctl', short: 'A simple command line client for etcd3.' });
  for (const flag of GLOBAL_FLAGS) root.addFlag(flag);
  // Registration order matters: cobra lists "Did you mean" suggestions in this order.
  root.add(...kvCommands(), compactionCommand(), versionCommand());
  root.add(helpCommand(root));
  return root;
}
