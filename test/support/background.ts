// Long-running CLI processes for tests (watch, lock, elect): start one, feed its stdin, wait until
// its output says what is expected, signal it, and collect the result.
//
//   const w = startCli('real', [ep, 'watch', 'k', '--rev', '1']);
//   await w.waitFor((out) => out.stdout.includes('DELETE'));
//   const result = await w.stop('SIGINT');
//
// Every wait is bounded; a process still running when its deadline passes is SIGKILLed. Only the
// process started here is signalled, by PID.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { type Arg, spawnArgs } from './byte-argv.js';
import { childEnv, commandFor, formatArgv, type CliResult, type Which } from './run.js';

export interface BackgroundOptions {
  env?: Record<string, string | undefined>;
  /** Variables whose values are bytes (not UTF-8 text), added last (byte-argv.ts). */
  byteEnv?: Record<string, Uint8Array>;
  /** Keep stdin open for writeLine(); otherwise it is closed at once. */
  keepStdin?: boolean;
  /** The process is SIGKILLed after this long whatever happens (default 60 s). */
  lifetimeMs?: number;
  ours?: string[];
}

export interface Output {
  stdout: Buffer;
  stderr: Buffer;
}

export interface BackgroundCli {
  readonly pid: number;
  readonly argv: Arg[];
  /** What it printed so far. */
  output(): Output;
  /** Resolves once `predicate` holds for the output so far; rejects after `timeoutMs` or if the process exits first. */
  waitFor(predicate: (out: Output) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Resolves once nothing new was printed for `quietMs` (bounded by `timeoutMs`). */
  settle(quietMs?: number, timeoutMs?: number): Promise<void>;
  /** Writes `line` and a newline to stdin (bytes as they are). */
  writeLine(line: string | Uint8Array): void;
  endStdin(): void;
  /** Sends the signal (if still running) and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<CliResult>;
  /** Waits for the process to exit on its own. */
  exited(timeoutMs?: number): Promise<CliResult>;
}

const live = new Set<ChildProcessWithoutNullStreams>();

/** SIGKILLs every process started here that is still running (use in afterEach). */
export function killAllBackground(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

process.on('exit', killAllBackground);
// A vitest worker whose main process went away may never reach 'exit' normally.
if (typeof process.send === 'function') process.once('disconnect', killAllBackground);

export function startCli(which: Which, args: readonly Arg[], opts: BackgroundOptions = {}): BackgroundCli {
  const [cmd, ...prefix] = commandFor(which, opts.ours);
  if (cmd === undefined) throw new Error('startCli: empty command');
  const argv = [cmd, ...prefix, ...args];
  const started = Date.now();
  const spawned = spawnArgs([cmd, ...prefix], args, opts.byteEnv);
  const child = spawn(spawned.file, spawned.args, { env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout.on('data', (c: Buffer) => {
    out.push(c);
    changed();
  });
  child.stderr.on('data', (c: Buffer) => {
    err.push(c);
    changed();
  });
  child.stdin.on('error', () => {});
  if (!opts.keepStdin) child.stdin.end();

  let result: CliResult | undefined;
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      clearTimeout(lifetime);
      result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err), code, signal, argv, durationMs: Date.now() - started };
      changed();
      resolve(result);
    });
  });
  const lifetime = setTimeout(() => child.kill('SIGKILL'), opts.lifetimeMs ?? 60_000);

  const output = (): Output => ({ stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
  const describe = () => {
    const o = output();
    return `${formatArgv(argv)}\n--- stdout ---\n${o.stdout.toString('utf8')}\n--- stderr ---\n${o.stderr.toString('utf8')}`;
  };

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}: ${describe()}`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  };

  return {
    pid: child.pid ?? -1,
    argv,
    output,
    waitFor(predicate, timeoutMs = 20_000, what = 'the expected output') {
      return withTimeout(
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (predicate(output())) {
              listeners.delete(check);
              resolve();
            } else if (result) {
              listeners.delete(check);
              reject(new Error(`process exited (code ${result.code}, signal ${result.signal}) before ${what}: ${describe()}`));
            }
          };
          listeners.add(check);
          check();
        }),
        timeoutMs,
        what,
      );
    },
    settle(quietMs = 400, timeoutMs = 20_000) {
      return withTimeout(
        new Promise<void>((resolve) => {
          let timer: NodeJS.Timeout;
          const quiet = () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
              listeners.delete(quiet);
              resolve();
            }, quietMs);
          };
          listeners.add(quiet);
          quiet();
        }),
        timeoutMs,
        'quiet output',
      );
    },
    writeLine(line) {
      child.stdin.write(typeof line === 'string' ? `${line}\n` : Buffer.concat([line, Buffer.from('\n')]));
    },
    endStdin() {
      child.stdin.end();
    },
    async stop(signal = 'SIGINT', timeoutMs = 20_000) {
      if (!result) child.kill(signal);
      try {
        return await withTimeout(done, timeoutMs, `exit after ${signal}`);
      } catch (e) {
        child.kill('SIGKILL');
        throw e;
      }
    },
    exited(timeoutMs = 20_000) {
      return withTimeout(done, timeoutMs, 'the process to exit');
    },
  };
}
