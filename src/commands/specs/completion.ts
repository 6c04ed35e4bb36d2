// completion bash|fish|powershell|zsh: cobra's generated completion command of the etcdctl 3.5.16
// build (commands/completion.ts).
import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';

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

function shellSpec(shell: 'bash' | 'fish' | 'powershell' | 'zsh', long: string, disableFlagsInUseLine = false): CommandSpec {
  return {
    name: shell,
    use: shell,
    short: `Generate the autocompletion script for ${shell}`,
    long,
    flags: [NO_DESCRIPTIONS],
    disableFlagsInUseLine,
    load: async () => (await import('../completion.js')).COMPLETION_RUNS[shell],
  };
}

export const COMPLETION_SPEC: CommandSpec = {
  name: 'completion',
  use: 'completion',
  short: 'Generate the autocompletion script for the specified shell',
  long: `Generate the autocompletion script for etcdctl for the specified shell.
See each sub-command's help for details on how to use the generated script.
`,
  subcommands: [shellSpec('bash', BASH_LONG, true), shellSpec('fish', FISH_LONG), shellSpec('powershell', POWERSHELL_LONG), shellSpec('zsh', ZSH_LONG)],
};
