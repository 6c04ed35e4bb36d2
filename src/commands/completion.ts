// completion bash|fish|powershell|zsh: the same subcommands, help texts and argument errors as the
// etcdctl 3.5.16 build (cobra's generated completion command), printing etcdctl-ts's own scripts
// (cli/completion/scripts.ts). PowerShell is not supported: it fails with a clear message.
import type { Invocation } from '../cli/invocation.js';
import { completionScript, type Shell } from '../cli/completion/scripts.js';
import { CtlError, ExitCode, UsageError } from '../common/errors.js';
import { type Text, text } from '../output/outcome.js';

/** cobra's NoArgs for these commands: any argument is an "unknown command". */
function noArgs(inv: Invocation): void {
  if (inv.args.length > 0) {
    throw new UsageError(`unknown command "${inv.args[0]}" for "${inv.command.commandPath()}"`, {
      kind: 'usage',
      commandPath: inv.command.pathFromRoot(),
    });
  }
}

/** Prints the shell's script (etcdctl-ts's own, with etcdctl's completion protocol). */
function scriptRun(shell: Shell) {
  return async (inv: Invocation): Promise<Text> => {
    noArgs(inv);
    return text(completionScript(shell, !inv.bool('no-descriptions')));
  };
}

async function runPowershell(inv: Invocation): Promise<never> {
  noArgs(inv);
  throw new CtlError(ExitCode.BadFeature, 'powershell completion is not supported by etcdctl-ts (use bash, zsh or fish)');
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const COMPLETION_RUNS = { bash: scriptRun('bash'), fish: scriptRun('fish'), powershell: runPowershell, zsh: scriptRun('zsh') };
