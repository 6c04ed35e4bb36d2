// batch: an etcdctl-ts addition. Runs many commands from one process, one command line per line of
// stdin, so a script pays Node's start-up once instead of once per command. Each line runs exactly
// as `etcdctl-ts <line>` would (same output on stdout and stderr, same checks), and commands whose
// client configuration is the same share one connection.
import { CtlCommand } from '../cli/command.js';
import type { Invocation } from '../cli/invocation.js';
import { ShellWordsError, shellWords } from '../cli/shell-words.js';
import type { Connection } from '../client/connection.js';
import { CtlError, ExitCode, type ExitCodeValue, SilentExit } from '../common/errors.js';
import type { Io } from '../io/types.js';
import { CONTINUE_ON_ERROR_FLAG } from './specs/batch.js';

const CONTINUE_FLAG = CONTINUE_ON_ERROR_FLAG.name;

/** The words of the batch's own command line that apply to each line: everything but `batch` and its flags. */
function sharedWords(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  let named = false;
  for (const word of argv) {
    if (!named && word === name) {
      named = true;
      continue;
    }
    if (word === `--${CONTINUE_FLAG}` || word.startsWith(`--${CONTINUE_FLAG}=`)) continue;
    out.push(word);
  }
  return out;
}

/** The streams for one line's command: the batch's outputs, and an empty stdin. */
function lineIo(io: Io): Io {
  return {
    ...io,
    readStdin: async () => Buffer.alloc(0),
    stdinLines: async function* () {},
    stdinIsTTY: false,
    readPassword: async (prompt: string) => {
      io.stdout.write(prompt);
      io.stdout.write('\n');
      return '';
    },
    readWord: async () => '',
    // A line's words come from stdin as tokens (byte-strings.ts): they are the exact bytes.
    exactArguments: (argv) => [...argv],
  };
}

/**
 * Runs command lines in this process as `etcdctl-ts <line>` would, with the global words of the
 * command that reads them (batch, shell) in front and connections shared by configuration.
 */
export class BatchLines {
  private readonly prefix: string[];
  readonly root: CtlCommand;
  private connections = new Map<string, Connection>();

  constructor(private readonly inv: Invocation) {
    this.prefix = sharedWords(inv.argv, inv.command.name());
    let root = inv.command;
    while (root.parentCommand) root = root.parentCommand;
    this.root = root;
  }

  /** The words every line starts with (the global flags given to batch or shell). */
  get globalWords(): readonly string[] {
    return this.prefix;
  }

  /**
   * Runs one line with `io`; undefined for an empty or comment line. A line that cannot be split
   * into words fails with `Error: <where>: <why>` (exit 1).
   */
  async run(line: string, io: Io, where: string): Promise<number | undefined> {
    let words: string[];
    try {
      words = shellWords(line.replace(/\r?\n$/, ''));
    } catch (err) {
      if (!(err instanceof ShellWordsError)) throw err;
      io.stderr.write(`Error: ${where}: ${err.message}\n`);
      return ExitCode.Error;
    }
    if (words.length === 0) return undefined;
    return this.inv.runLine([...this.prefix, ...words], io, this.inv.environment.inherited, { root: this.root, connections: this.connections });
  }

  /** Closes every shared connection (the next line opens a new one). */
  closeConnections(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections = new Map();
  }
}

/**
 * Runs the lines of stdin as batch does; shell on a pipe does the same. Returns nothing: each line
 * is a run of main (inv.runLine), which writes that command's outcome before the next line runs.
 */
export async function runStdinLines(inv: Invocation, label: string): Promise<void> {
  const continueOnError = inv.bool(CONTINUE_FLAG);
  const runner = new BatchLines(inv);
  const io = lineIo(inv.io);
  let status = 0;
  try {
    let lineNumber = 0;
    for await (const line of inv.io.stdinLines()) {
      lineNumber++;
      const code = await runner.run(line, io, `${label}: line ${lineNumber}`);
      if (code === undefined) continue;
      await inv.io.stdout.drained?.();
      await inv.io.stderr.drained?.();
      if (code !== 0) {
        status = code;
        if (!continueOnError) break;
      }
    }
  } finally {
    runner.closeConnections();
  }
  if (status !== 0) throw new SilentExit(status as ExitCodeValue);
}

async function runBatch(inv: Invocation): Promise<void> {
  if (inv.args.length > 0) throw new CtlError(ExitCode.BadArgs, 'batch reads its commands from stdin and takes no arguments');
  await runStdinLines(inv, 'batch');
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const BATCH_RUNS = { batch: runBatch };
