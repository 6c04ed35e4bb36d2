// Runs etcdctl-ts's CLI entry in this process: main() from dist/main.js (the code bin/etcdctl-ts.js
// runs) with an Io over buffers. Used where thousands of invocations would take too long as
// processes (fault and fuzz tests): the command line, configuration, client and output code are
// exactly those of the real CLI; only process start-up and the real file descriptors are skipped.
//
//   const r = await runInProcess(['--endpoints=127.0.0.1:2379', 'put', 'k', 'v']);
//   r.code, r.stdout, r.stderr
//
// runForResult runs the same command line up to what the command returns (main.ts's execute) and
// hands back the typed results instead of their text:
//
//   const r = await runForResult(['--endpoints=127.0.0.1:2379', 'member', 'list']);
//   r.code, r.items[0].kind === 'memberList', r.items[0].resp.members
//
// Every run is bounded: stdin is the given bytes (empty by default, never the test's own stdin),
// password prompts read the next stdin line, and a run that has not finished after `timeoutMs`
// resolves with `hung: true` (main() cannot be cancelled from outside, so the caller must treat a
// hang as a failure and stop issuing runs that may block).
import type { Io } from '../../src/io/types.js';
// dist/ is what the CLI executes; `npm run build` (npm test's pretest) keeps it current.
import { execute, main, reportFailure } from '../../dist/main.js';
import { etcdctlProgram } from '../../dist/commands/program.js';
import type { Printable } from '../../dist/output/outcome.js';
import { tokenOfBytes } from '../../dist/common/byte-strings.js';

export interface InProcessOptions {
  /** Bytes on stdin (read by put without a value, txn, password prompts …). Default: empty. */
  stdin?: string | Buffer;
  /** Environment given to main() (default: none at all; ETCDCTL_* variables only when given). */
  env?: Record<string, string>;
  /** The run counts as hung after this long (default 20 s). */
  timeoutMs?: number;
  /** What stdout/stderr report as isTTY (default false). */
  tty?: boolean;
}

export interface InProcessResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  /** True when main() had not returned within the time bound (code is then -1). */
  hung: boolean;
  durationMs: number;
}

/** The lines of `input` as node-io.ts yields them: each with its "\n", a last one without. */
async function* linesOf(input: Buffer): AsyncGenerator<string> {
  let rest = input;
  for (let nl = rest.indexOf(0x0a); nl !== -1; nl = rest.indexOf(0x0a)) {
    yield tokenOfBytes(rest.subarray(0, nl + 1));
    rest = rest.subarray(nl + 1);
  }
  if (rest.length > 0) yield tokenOfBytes(rest);
}

/** An Io over buffers; stdin is consumed once by whichever reader asks first. */
export function bufferIo(stdinInput: Buffer, tty = false): { io: Io; stdout: () => Buffer; stderr: () => Buffer } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let stdin = stdinInput;
  const take = (): Buffer => {
    const all = stdin;
    stdin = Buffer.alloc(0);
    return all;
  };
  const takeLine = (): string => {
    const nl = stdin.indexOf(0x0a);
    const line = nl === -1 ? stdin : stdin.subarray(0, nl);
    stdin = nl === -1 ? Buffer.alloc(0) : stdin.subarray(nl + 1);
    return line.toString('utf8').replace(/\r$/, '');
  };
  const io: Io = {
    stdout: { isTTY: tty, write: (c) => void out.push(Buffer.from(c)) },
    stderr: { isTTY: tty, write: (c) => void err.push(Buffer.from(c)) },
    readStdin: async () => take(),
    stdinLines: () => linesOf(take()),
    stdinIsTTY: false,
    readPassword: async (prompt) => {
      out.push(Buffer.from(prompt));
      const answer = takeLine().trim();
      out.push(Buffer.from('\n'));
      return answer;
    },
    readWord: async () => {
      const m = /^[ \t\r\f\v]*([^\s]*)/.exec(stdin.toString('latin1'));
      const word = m?.[1] ?? '';
      stdin = stdin.subarray((m?.[0] ?? '').length);
      return Buffer.from(word, 'latin1').toString('utf8');
    },
    terminalWidth: () => 0,
    // No signal ever arrives in process: handlers are accepted and never called.
    onSignal: () => () => {},
  };
  return { io, stdout: () => Buffer.concat(out), stderr: () => Buffer.concat(err) };
}

/** Runs main(argv) in process with a buffer Io; never rejects (an escaped exception is re-thrown as a test failure). */
export async function runInProcess(argv: string[], opts: InProcessOptions = {}): Promise<InProcessResult> {
  const stdin = typeof opts.stdin === 'string' ? Buffer.from(opts.stdin) : (opts.stdin ?? Buffer.alloc(0));
  const { io, stdout, stderr } = bufferIo(stdin, opts.tty ?? false);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([main(argv, io, { ...(opts.env ?? {}) }), hang]);
    const durationMs = Date.now() - started;
    if (outcome === 'hung') return { code: -1, stdout: stdout(), stderr: stderr(), hung: true, durationMs };
    return { code: outcome, stdout: stdout(), stderr: stderr(), hung: false, durationMs };
  } finally {
    clearTimeout(timer);
  }
}

export interface ResultRun {
  /** main's exit code for the run (0, or what the error maps to). */
  code: number;
  /** What the command returned, in order: its Results and fmt texts (a stream read to its end). */
  items: Printable[];
  /**
   * A streamed get's pages: RangeResponses for fields and simple --hex, wire pages (output/
   * range-wire.ts) for simple and json; use -w table or protobuf for a whole `get` Result.
   */
  pages: unknown[];
  /** What the run threw (main's `Error:` line for it is in stderr), or undefined. */
  error: unknown;
  /** What the command wrote itself (warnings, prompts, main's error lines); results are not rendered. */
  stdout: Buffer;
  stderr: Buffer;
}

/** Rejects after `ms`, so a run that blocks fails the test instead of hanging it. */
function bounded<T>(work: Promise<T>, ms: number, argv: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`in-process run ${describeArgv(argv)} still running after ${ms} ms`)), ms);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}

/**
 * Runs the command line in process up to its outcome and reads that outcome (streams to their
 * end) instead of writing it: the typed results a test can assert on, with the exit code main
 * would return. Rejects if the run takes longer than `timeoutMs` (default 20 s).
 */
export async function runForResult(argv: string[], opts: InProcessOptions = {}): Promise<ResultRun> {
  const stdin = typeof opts.stdin === 'string' ? Buffer.from(opts.stdin) : (opts.stdin ?? Buffer.alloc(0));
  const { io, stdout, stderr } = bufferIo(stdin, opts.tty ?? false);
  const env = { ...(opts.env ?? {}) };
  const root = etcdctlProgram();
  const items: Printable[] = [];
  const pages: unknown[] = [];
  const run = async (): Promise<{ code: number; error: unknown }> => {
    let execution: Awaited<ReturnType<typeof execute>> | undefined;
    try {
      execution = await execute(argv, io, env, { root });
      const { outcome } = execution;
      if (!outcome) return { code: 0, error: undefined };
      if (Symbol.asyncIterator in outcome) {
        for await (const item of outcome) items.push(item);
      } else if (outcome.kind === 'pagedGet') {
        for await (const page of outcome.pages) {
          if (pages.length === 0) outcome.afterFirst();
          pages.push(page);
        }
      } else {
        items.push(outcome);
      }
      return { code: 0, error: undefined };
    } catch (error) {
      return { code: await reportFailure(error, root, io, env), error };
    } finally {
      execution?.close();
    }
  };
  const { code, error } = await bounded(run(), opts.timeoutMs ?? 20_000, argv);
  return { code, items, pages, error, stdout: stdout(), stderr: stderr() };
}

/** A short, printable description of an argv for failure messages (long or binary words abridged). */
export function describeArgv(argv: readonly string[], stdin?: string | Buffer): string {
  const word = (w: string) => {
    const shown = w.length > 80 ? `${w.slice(0, 60)}…(${w.length} chars)` : w;
    return JSON.stringify(shown);
  };
  let text = `[${argv.map(word).join(', ')}]`;
  if (stdin !== undefined && stdin.length > 0) {
    const buf = Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin);
    const shown = buf.length > 200 ? `${JSON.stringify(buf.subarray(0, 160).toString('latin1'))}…(${buf.length} bytes)` : JSON.stringify(buf.toString('latin1'));
    text += ` stdin=${shown}`;
  }
  return text;
}
