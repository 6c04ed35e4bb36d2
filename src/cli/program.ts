// The command tree: the root with etcdctl's global flags, and every command group.
import { CtlCommand } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';
import { usageText } from './help.js';
import { findCommand } from './parse.js';
import { kvCommands } from '../commands/kv.js';
import { compactionCommand } from '../commands/compaction.js';
import { versionCommand } from '../commands/version.js';
import { alarmCommand } from '../commands/alarm.js';
import { defragCommand } from '../commands/defrag.js';
import { endpointCommand } from '../commands/endpoint.js';
import { moveLeaderCommand } from '../commands/move-leader.js';
import { memberCommand } from '../commands/member.js';
import { authCommand } from '../commands/auth.js';
import { userCommand } from '../commands/user.js';
import { roleCommand } from '../commands/role.js';
import { txnCommand } from '../commands/txn.js';
import { leaseCommand } from '../commands/lease.js';
import { makeMirrorCommand } from '../commands/make-mirror.js';
import { checkCommand } from '../commands/check.js';
import { snapshotCommand } from '../commands/snapshot.js';
import { watchCommand } from '../commands/watch.js';
import { lockCommand } from '../commands/lock.js';
import { electCommand } from '../commands/elect.js';
import { completionCommand } from '../commands/completion.js';
import { lsCommand } from '../commands/ls.js';
import { batchCommand } from '../commands/batch.js';
import { k8sCommand } from '../commands/k8s.js';
import { dumpCommand } from '../commands/dump.js';
import { loadCommand } from '../commands/load.js';
import { diffCommand } from '../commands/diff.js';
import { editCommand } from '../commands/edit.js';
import { shellCommand } from '../commands/shell.js';
import { PROFILE_FLAG } from '../config/profiles.js';
import { K8S_DECODE_FLAG } from '../config/k8s.js';
import { goQuote } from '../go/quote.js';

/** Go's %#q of a []string: `[`a` `b`]`, an element that cannot be backquoted in Go's %q. */
function helpTopicText(args: string[]): string {
  // eslint-disable-next-line no-control-regex
  const canBackquote = (s: string) => !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s);
  return `[${args.map((a) => (canBackquote(a) ? `\`${a}\`` : goQuote(a))).join(' ')}]`;
}

function helpCommand(root: CtlCommand): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'help',
    use: 'help [command]',
    short: 'Help about any command',
    long: 'Help provides help for any command in the application.\nSimply type etcdctl help [path to command] for full details.',
    run: async (inv) => {
      // etcdctl-ts's own topic: its additions (not a command, so no new command-name prefixes).
      if (inv.args.length === 1 && inv.args[0] === 'extras') {
        const { extrasHelpText } = await import('./extras-help.js');
        inv.io.stdout.write(extrasHelpText(root));
        return;
      }
      let command: CtlCommand;
      try {
        command = findCommand(root, inv.args).command;
      } catch {
        // cobra: the topic on stderr, then the root's usage (without its -h line), exit 0.
        inv.io.stderr.write(`Unknown help topic ${helpTopicText(inv.args)}\n`);
        inv.io.stdout.write(usageText(root, { helpFlag: false }));
        return;
      }
      inv.io.stdout.write(usageText(command));
    },
  });
}

export function createProgram(): CtlCommand {
  const root = CtlCommand.fromSpec({ name: 'etcdctl', use: 'etcdctl', short: 'A simple command line client for etcd3.' });
  for (const flag of GLOBAL_FLAGS) root.addFlag(flag);
  root.addFlag(PROFILE_FLAG);
  root.addFlag(K8S_DECODE_FLAG);
  // Registration order matters: cobra lists "Did you mean" suggestions in this order.
  root.add(...kvCommands(), txnCommand(), compactionCommand(), alarmCommand(), defragCommand(), endpointCommand(), moveLeaderCommand(), watchCommand(), versionCommand(), leaseCommand(), memberCommand(), snapshotCommand(), makeMirrorCommand(), lockCommand(), electCommand());
  // etcdctl registers auth, user and role after every other group above (check comes after them).
  root.add(authCommand(), userCommand(), roleCommand());
  root.add(checkCommand());
  // etcdctl-ts's own commands: hidden from etcdctl's help texts and suggestions, but completed.
  root.add(lsCommand());
  root.add(batchCommand());
  root.add(k8sCommand());
  root.add(dumpCommand(), loadCommand(), diffCommand(), editCommand(), shellCommand());
  // The etcdctl 3.5.16 build registers cobra's completion command right before help.
  root.add(completionCommand());
  root.add(helpCommand(root));
  return root;
}
