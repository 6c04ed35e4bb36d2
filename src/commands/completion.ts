// completion bash|fish|powershell|zsh: the same subcommands, help texts and argument errors as the
// etcdctl 3.5.16 build (cobra's generated completion command), printing etcdctl-ts's own scripts
// (cli/completion/scripts.ts). PowerShell is not supported: it fails with a clear message.
import { CtlCommand } from '../cli/command.js';
import { type FlagSpec } from '../flags/flag.js';
import type { Invocation } from '../cli/invocation.js';
import { completionScript, type Shell } from '../cli/completion/scripts.js';
import { CtlError, ExitCode, UsageError } from '../common/errors.js';

const NO_DESCRIPTIONS: FlagSpec = { name: 'no-descriptions', kind: 'bool', defaultText: 'false', help: 'disable completion descriptions' };

const BASH_LONG = `Generate the autocompletion script for the bash shell.

This script depends on the 'bash-completion' package.
If it is not installed already, you can install it via your OS's package manager.

To load completions in your current shell session:

	source <(etcdctl completion bash)

To load completions for every new session, execute once:

#### Linux:

	etcdctl completion bash > /etc/bash_completion.d/etcdctl

#### macOS:

	etcdctl completion bash > $(brew --prefix)/etc/bash_completion.d/etcdctl

You will need to start a new shell for this setup to take effect.
`;

const ZSH_LONG = `Generate the autocompletion script for the zsh shell.

If shell completion is not already enabled in your environment you will need
to enable it.  You can execute the following once:

	echo "autoload -U compinit; compinit" >> ~/.zshrc

To load completions in your current shell session:

	source <(etcdctl completion zsh)

To load completions for every new session, execute once:

#### Linux:

	etcdctl completion zsh > "\${fpath[1]}/_etcdctl"

#### macOS:

	etcdctl completion zsh > $(brew --prefix)/share/zsh/site-functions/_etcdctl

You will need to start a new shell for this setup to take effect.
`;

const FISH_LONG = `Generate the autocompletion script for the fish shell.

To load completions in your current shell session:

	etcdctl completion fish | source

To load completions for every new session, execute once:

	etcdctl completion fish > ~/.config/fish/completions/etcdctl.fish

You will need to start a new shell for this setup to take effect.
`;

const POWERSHELL_LONG = `Generate the autocompletion script for powershell.

To load completions in your current shell session:

	etcdctl completion powershell | Out-String | Invoke-Expression

To load completions for every new session, add the output of the above command
to your powershell profile.
`;

/** cobra's NoArgs for these commands: any argument is an "unknown command". */
function noArgs(inv: Invocation): void {
  if (inv.args.length > 0) {
    throw new UsageError(`unknown command "${inv.args[0]}" for "${inv.command.commandPath()}"`, {
      kind: 'usage',
      commandPath: inv.command.pathFromRoot(),
    });
  }
}

function shellCommand(shell: Shell, long: string, disableFlagsInUseLine = false): CtlCommand {
  return CtlCommand.fromSpec({
    name: shell,
    use: shell,
    short: `Generate the autocompletion script for ${shell}`,
    long,
    flags: [NO_DESCRIPTIONS],
    disableFlagsInUseLine,
    run: async (inv) => {
      noArgs(inv);
      inv.io.stdout.write(completionScript(shell, !inv.bool('no-descriptions')));
    },
  });
}

export function completionCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'completion',
    use: 'completion',
    short: 'Generate the autocompletion script for the specified shell',
    long: `Generate the autocompletion script for etcdctl for the specified shell.
See each sub-command's help for details on how to use the generated script.
`,
  }).add(
    shellCommand('bash', BASH_LONG, true),
    shellCommand('fish', FISH_LONG),
    CtlCommand.fromSpec({
      name: 'powershell',
      use: 'powershell',
      short: 'Generate the autocompletion script for powershell',
      long: POWERSHELL_LONG,
      flags: [NO_DESCRIPTIONS],
      run: async (inv) => {
        noArgs(inv);
        throw new CtlError(ExitCode.BadFeature, 'powershell completion is not supported by etcdctl-ts (use bash, zsh or fish)');
      },
    }),
    shellCommand('zsh', ZSH_LONG),
  );
}
