// batch and shell (commands/batch.ts, commands/shell.ts): command lines run in one process.
import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';

export const CONTINUE_ON_ERROR_FLAG: FlagSpec = {
  name: 'continue-on-error',
  kind: 'bool',
  defaultText: 'false',
  help: 'run the remaining lines after a command fails (default: stop at the first failure)',
};

const BATCH_LONG = `
Reads etcdctl command lines from standard input, one per line, and runs them one after the
other in this process, printing each one's output exactly as that command alone would.
Lines are split into words as a shell would (quotes and backslashes; no variables, globs or
pipes); empty lines and lines starting with # are skipped. Global flags given to batch
apply to every line, before the line's own words. Commands with the same endpoints, TLS
settings and credentials share one connection.

Stdin belongs to batch: a command that would read standard input (put without a value,
txn, password prompts) reads nothing.

By default batch stops at the first command that fails and exits with its status; with
--continue-on-error it runs every line and exits with the status of the last one that
failed (0 when none did).

Examples:
  printf 'put a 1\\nget a\\nget --prefix "/my app/" -w json\\n' | etcdctl-ts batch
  etcdctl-ts --endpoints=10.0.0.1:2379 batch --continue-on-error < commands.txt
`;

const SHELL_LONG = `
Starts an interactive session: type etcdctl command lines without "etcdctl" (get --prefix /app,
put k v, watch k, ...). Each line runs exactly as in batch mode, printing what that command alone
prints, over one connection kept for the session. Global flags given to shell apply to every line.

  TAB          completes commands, flags and live values (keys, lease and member IDs, users, roles)
  Ctrl-C       stops the running command (watch, lock, elect, lease keep-alive); at the prompt it
               clears the line
  Ctrl-D, exit leave the shell
  help         the shell's help; help <command> a command's, help extras etcdctl-ts's additions

History is kept in $XDG_STATE_HOME/etcdctl-ts/history (~/.local/state/etcdctl-ts/history), the
last 1000 lines; a line that carries a password (--password, --user name:password, user add
name:password, --new-user-password) is never written there, nor a password typed at a prompt.
The password asked for --user when the shell starts answers the lines' own credential prompts.
Colours only on a terminal (never with NO_COLOR).

When stdin or stdout is not a terminal, shell runs the lines of stdin as batch does.

Examples:
  etcdctl-ts shell
  etcdctl-ts --profile prod shell
`;

export const BATCH_SPEC: CommandSpec = {
  name: 'batch',
  use: 'batch [options] < commands.txt',
  short: 'Runs etcdctl command lines read from stdin in one process (etcdctl-ts)',
  long: BATCH_LONG,
  extra: true,
  flags: [CONTINUE_ON_ERROR_FLAG],
  load: async () => (await import('../batch.js')).BATCH_RUNS.batch,
};

export const SHELL_SPEC: CommandSpec = {
  name: 'shell',
  use: 'shell',
  short: 'An interactive session: command lines with completion and history over one connection (etcdctl-ts)',
  long: SHELL_LONG,
  extra: true,
  flags: [CONTINUE_ON_ERROR_FLAG],
  load: async () => (await import('../shell.js')).SHELL_RUNS.shell,
};
