// The command tree: the root with etcdctl's global flags, the commands given as specs
// (commands/specs/, passed in: cli imports no command code) and help.
import { type CommandSpec, CtlCommand } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';
import { usageText } from './help.js';
import { findCommand } from './parse.js';
import { PROFILE_FLAG } from '../config/profiles.js';
import { K8S_DECODE_FLAG } from '../config/k8s.js';
import { goQuote } from '../go/quote.js';
import { text } from '../output/outcome.js';

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
        return text(extrasHelpText(root));
      }
      let command: CtlCommand;
      try {
        command = findCommand(root, inv.args).command;
      } catch {
        // cobra: the topic on stderr, then the root's usage (without its -h line), exit 0.
        inv.io.stderr.write(`Unknown help topic ${helpTopicText(inv.args)}\n`);
        return text(usageText(root, { helpFlag: false }));
      }
      return text(usageText(command));
    },
  });
}

/** The whole tree: the root, `specs` in their order (cobra's suggestions follow it), then help. */
export function createProgram(specs: readonly CommandSpec[]): CtlCommand {
  const root = CtlCommand.fromSpec({
    name: 'etcdctl',
    use: 'etcdctl',
    short: 'A simple command line client for etcd3.',
    flags: [...GLOBAL_FLAGS, PROFILE_FLAG, K8S_DECODE_FLAG],
    subcommands: specs,
  });
  root.add(helpCommand(root));
  return root;
}
