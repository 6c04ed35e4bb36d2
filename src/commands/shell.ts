// shell: an etcdctl-ts addition. An interactive session (node:readline) in which every line runs
// as in batch mode (commands/batch.ts's BatchLines: same splitting, same output, one shared
// connection), with TAB completion from the completion engine, a history file, Ctrl-C stopping the
// running command rather than the shell, and Ctrl-D or `exit` to leave. On a pipe it is batch.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomBytes } from 'node:crypto';
import type { Invocation } from '../cli/invocation.js';
import { shellWords } from '../cli/shell-words.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { Io, OutputStream } from '../io/types.js';
import { BatchLines, runStdinLines } from './batch.js';

/** Lines kept in the history file. */
const HISTORY_LINES = 1000;
/** The prompt of config/resolve.ts's resolveCredentials. */
const CREDENTIAL_PROMPT = 'Password: ';

/** A line that carries a password: never written to the history. */
export function carriesSecret(line: string): boolean {
  return (
    /--(?:dest-)?password\b|--new-user-password\b/i.test(line) ||
    /--(?:dest-)?user(?:=|\s+)\S*:/.test(line) ||
    /\buser\s+(?:\S+\s+)*?add\s+\S*:/.test(line)
  );
}

/** The history, newest first (readline's order); a file grown past twice the limit is cut back. */
function loadHistory(file: string): string[] {
  let lines: string[];
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
  // Cut back only a plain file: a history linked elsewhere (or to /dev/null) is left as it is.
  if (lines.length > 2 * HISTORY_LINES && fs.lstatSync(file).isFile()) {
    lines = lines.slice(-HISTORY_LINES);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  return lines.slice(-HISTORY_LINES).reverse();
}

function appendHistory(file: string, line: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(file, `${line}\n`, { mode: 0o600 });
  } catch {
    // A history that cannot be written must not stop the session.
  }
}

/** The words before the cursor and the (unquoted) word being completed; undefined inside quotes. */
function wordsForCompletion(line: string): { words: string[]; current: string } | undefined {
  const current = /\S*$/.exec(line)![0];
  if (/["'\\]/.test(current)) return undefined;
  try {
    return { words: shellWords(line.slice(0, line.length - current.length)), current };
  } catch {
    return undefined;
  }
}

/** File names for a word that names a file (load, diff, --output). */
function fileCandidates(current: string): string[] {
  const dir = current.includes('/') ? current.slice(0, current.lastIndexOf('/') + 1) : '';
  try {
    return fs
      .readdirSync(dir === '' ? '.' : dir, { withFileTypes: true })
      .filter((e) => `${dir}${e.name}`.startsWith(current) && (!e.name.startsWith('.') || current.slice(dir.length).startsWith('.')))
      .map((e) => `${dir}${e.name}${e.isDirectory() ? '/' : ''}`)
      .sort()
      .slice(0, 200);
  } catch {
    return [];
  }
}

function shellHelp(history: string): string {
  return `etcdctl-ts shell: type etcdctl command lines without "etcdctl", e.g. get --prefix /app
  TAB           complete commands, flags, keys, lease and member IDs, users and roles
  Ctrl-C        stop the running command (watch, lock, elect, lease keep-alive); clear the line
  Ctrl-D, exit  leave the shell
  help <cmd>    a command's help (help extras: what etcdctl-ts adds)
Lines are split as a shell would (quotes, backslashes). History: ${history}
(lines that carry a password, and passwords typed at prompts, are never kept).
`;
}

interface LineStreams {
  io: Io;
  /** SIGINT handlers the running command registered (lock, elect). */
  handlers: Set<() => void>;
  /** Stops the line's output for good (an abandoned command may still write). */
  detach(): void;
}

// Prints rather than returning: its output (help, errors, each line's) interleaves with the prompt and
// the user's typing, and each line's command is written by main as that line's own run.
async function runInteractive(inv: Invocation, runner: BatchLines, term: { input: NodeJS.ReadStream; output: NodeJS.WriteStream }): Promise<void> {
  const { paint } = await import('../cli/colour.js');
  const c = paint(inv.environment.colour.stdout);
  const config = await inv.resolve();
  const where = config.profile ?? `${config.client.endpoints[0] ?? ''}${config.client.endpoints.length > 1 ? ',…' : ''}`;
  const historyPath = inv.environment.historyFile;
  const { complete, Directive } = await import('../cli/completion/engine.js');

  const completer = async (line: string): Promise<[string[], string]> => {
    const split = wordsForCompletion(line);
    if (!split) return [[], line];
    const { words, current } = split;
    if (words.length === 0 && 'exit'.startsWith(current) && current !== '') return [['exit '], current];
    const result = await complete(runner.root, [...runner.globalWords, ...words, current], inv.environment.inherited, async (kind, toComplete, context) => {
      const { liveCandidates } = await import('../cli/completion/live.js');
      return liveCandidates(kind, toComplete, context);
    });
    let values = result.candidates.map((cand) => cand.value).filter((v) => v.startsWith(current));
    if (values.length === 0 && (result.directive & Directive.NoFileComp) === 0) values = fileCandidates(current);
    if (values.length === 1 && (result.directive & Directive.NoSpace) === 0 && !/[/=]$/.test(values[0]!)) values = [`${values[0]} `];
    return [values, current];
  };

  // readline echoes what is typed through its output: muted while a password is typed.
  let muted = false;
  const output = new Proxy(term.output, {
    get: (target, prop) => {
      if (prop === 'write') return muted ? () => true : target.write.bind(target);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const rl = readline.createInterface({
    input: term.input,
    output,
    terminal: true,
    history: loadHistory(historyPath),
    historySize: HISTORY_LINES,
    removeHistoryDuplicates: true,
    prompt: `${c.cyan(where)}${c.bold('>')} `,
    completer: (line: string, callback: (err: null, result: [string[], string]) => void) => {
      completer(line).then(
        (result) => callback(null, result),
        () => callback(null, [[], line]),
      );
    },
  });
  const history = (rl as unknown as { history: string[] }).history;
  const forget = (line: string) => {
    if (history[0] === line) history.shift();
  };

  const queue: string[] = [];
  let answer: ((line: string | undefined) => void) | undefined;
  let current: { interrupt(): void } | undefined;
  let pumping = false;
  let closed = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  /** The next line typed while a command runs (a confirmation), undefined once the shell closes. */
  const nextAnswer = () => (closed ? Promise.resolve(undefined) : new Promise<string | undefined>((resolve) => (answer = resolve)));

  const lineStreams = (): LineStreams => {
    let attached = true;
    const handlers = new Set<() => void>();
    const stream = (s: OutputStream): OutputStream => ({
      get isTTY() {
        return s.isTTY;
      },
      fd: s.fd,
      write: (chunk) => {
        if (attached) s.write(chunk);
      },
      drained: () => (attached ? (s.drained?.() ?? Promise.resolve()) : Promise.resolve()),
    });
    const io: Io = {
      ...inv.io,
      stdout: stream(inv.io.stdout),
      stderr: stream(inv.io.stderr),
      // Stdin is the person at the terminal: confirmations read the next line typed.
      stdinIsTTY: true,
      readStdin: async () => Buffer.alloc(0),
      stdinLines: async function* () {
        for (let line = await nextAnswer(); line !== undefined; line = await nextAnswer()) yield `${line}\n`;
      },
      readWord: async () => (await nextAnswer())?.trim().split(/\s+/)[0] ?? '',
      readPassword: async (prompt: string) => {
        // The credentials typed when the shell started answer the lines' own credential prompts.
        if (prompt === CREDENTIAL_PROMPT && config.client.auth) return config.client.auth.password;
        io.stdout.write(prompt);
        muted = true;
        try {
          return (await nextAnswer()) ?? '';
        } finally {
          muted = false;
          term.output.write('\n');
        }
      },
      onSignal: (signal, handler) => {
        if (signal !== 'SIGINT') return () => undefined;
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
      terminal: () => undefined,
      // A line's words come from the terminal as tokens: they are the exact bytes.
      exactArguments: (argv) => [...argv],
      lendTerminal: () => {
        rl.pause();
        term.input.setRawMode(false);
        return () => {
          term.input.setRawMode(true);
          rl.resume();
        };
      },
    };
    return { io, handlers, detach: () => (attached = false) };
  };

  const runLine = async (line: string): Promise<void> => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (carriesSecret(line)) forget(line);
    else appendHistory(historyPath, line);
    if (trimmed === 'exit' || trimmed === 'quit') {
      rl.close();
      return;
    }
    if (trimmed === 'help' || trimmed === '?') {
      inv.io.stdout.write(shellHelp(historyPath));
      return;
    }
    if (/^(?:shell|batch)(?:\s|$)/.test(trimmed)) {
      inv.io.stderr.write(`${c.red.bold('Error:')} ${trimmed.split(/\s/)[0]} cannot run inside the shell\n`);
      return;
    }
    const streams = lineStreams();
    let abandon!: () => void;
    const abandoned = new Promise<void>((resolve) => (abandon = resolve));
    let signalled = false;
    current = {
      interrupt: () => {
        // A command that listens (lock, elect) ends itself; any other is abandoned: its output
        // stops and the connection it streams on is closed (the next line opens a new one).
        if (!signalled && streams.handlers.size > 0) {
          signalled = true;
          for (const handler of [...streams.handlers]) handler();
          return;
        }
        streams.detach();
        runner.closeConnections();
        abandon();
      },
    };
    try {
      await Promise.race([runner.run(line, streams.io, 'shell'), abandoned]);
    } catch (err) {
      inv.io.stderr.write(`${c.red.bold('Error:')} ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      current = undefined;
    }
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    while (queue.length > 0 && !closed) await runLine(queue.shift()!);
    pumping = false;
    if (closed) finish();
    else rl.prompt();
  };

  rl.on('line', (line) => {
    if (answer) {
      const deliver = answer;
      answer = undefined;
      forget(line);
      deliver(line);
      return;
    }
    queue.push(line);
    void pump();
  });
  const onInterrupt = () => {
    if (current) {
      term.output.write('^C\n');
      current.interrupt();
      return;
    }
    // At the prompt: drop what was typed and prompt again, as bash does.
    term.output.write('^C\n');
    const state = rl as unknown as { line: string; cursor: number };
    state.line = '';
    state.cursor = 0;
    rl.prompt();
  };
  rl.on('SIGINT', onInterrupt);
  // A SIGINT from outside (kill -INT) must not end the session either.
  const stopListening = inv.io.onSignal?.('SIGINT', onInterrupt);
  rl.on('close', () => {
    closed = true;
    answer?.(undefined);
    answer = undefined;
    if (!pumping) finish();
  });

  rl.prompt();
  try {
    await finished;
  } finally {
    stopListening?.();
    runner.closeConnections();
    term.output.write('\n');
  }
}

async function runShell(inv: Invocation): Promise<void> {
  if (inv.args.length > 0) throw new CtlError(ExitCode.BadArgs, 'shell takes no arguments (type the commands at its prompt)');
  const term = inv.io.terminal?.();
  if (!term) return runStdinLines(inv, 'shell');
  await runInteractive(inv, new BatchLines(inv), term);
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const SHELL_RUNS = { shell: runShell };
