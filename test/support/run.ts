// Runs the real etcdctl 3.5.16 or our CLI as a child process (no shell) and collects its output.
//
// The child gets a clean environment: PATH, HOME, TMPDIR and LANG from the test process, plus
// opts.env. Ambient ETCDCTL_* variables, NODE_OPTIONS, NODE_EXTRA_CA_CERTS etc. never leak in.
import { spawn } from 'node:child_process';
import { type Arg, formatArg, spawnArgs } from './byte-argv.js';
import { etcdctlRealPath, oursEntryPath } from './etcd-bin.js';

export type Which = 'real' | 'ours';

export interface RunOptions {
  /** Added to the clean child environment; an `undefined` value removes the variable. */
  env?: Record<string, string | undefined>;
  /** Variables whose values are bytes (not UTF-8 text), added last (byte-argv.ts). */
  byteEnv?: Record<string, Uint8Array>;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Kill the child (SIGKILL) and reject after this long (default 20 s). */
  timeoutMs?: number;
  /** Working directory (default: the test process's cwd, i.e. the repo root under vitest). */
  cwd?: string;
  /**
   * Command (argv prefix) used for 'ours', e.g. [etcdctlRealPath()] in harness self-tests.
   * Default: $ETCDCTL_TS_OURS_CMD (a JSON array of strings) if set, else
   * [process.execPath, '<repo>/bin/etcdctl-ts.js'].
   */
  ours?: string[];
}

export interface CliResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit code, or null when the child died of a signal. */
  code: number | null;
  signal: string | null;
  /** The full argv that ran (command first). */
  argv: Arg[];
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const CLEAN_ENV_KEYS = ['PATH', 'HOME', 'TMPDIR', 'LANG'] as const;

/** The argv prefix that runs `which`. */
export function commandFor(which: Which, ours?: string[]): string[] {
  if (which === 'real') return [etcdctlRealPath()];
  if (ours !== undefined) {
    if (ours.length === 0) throw new Error('runCli: opts.ours must not be empty');
    return [...ours];
  }
  const fromEnv = process.env['ETCDCTL_TS_OURS_CMD'];
  if (fromEnv !== undefined && fromEnv !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fromEnv);
    } catch {
      throw new Error(`ETCDCTL_TS_OURS_CMD must be a JSON array of strings, got: ${fromEnv}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((s) => typeof s === 'string')) {
      throw new Error(`ETCDCTL_TS_OURS_CMD must be a non-empty JSON array of strings, got: ${fromEnv}`);
    }
    return parsed as string[];
  }
  return [process.execPath, oursEntryPath()];
}

/** The child's environment: a clean base plus `extra` (undefined values delete). */
export function childEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of CLEAN_ENV_KEYS) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Shell-like rendering of an argv, for messages only. */
export function formatArgv(argv: readonly Arg[]): string {
  return argv.map(formatArg).join(' ');
}

function preview(buf: Buffer, max = 2000): string {
  const s = buf.toString('utf8');
  return s.length > max ? `${s.slice(0, max)}… (${buf.length} bytes)` : s;
}

/** Runs `which` with `args`; an argument given as bytes reaches the child byte for byte (byte-argv.ts). */
export function runCli(which: Which, args: readonly Arg[], opts: RunOptions = {}): Promise<CliResult> {
  const [cmd, ...prefix] = commandFor(which, opts.ours);
  if (cmd === undefined) throw new Error('runCli: empty command');
  const argv = [cmd, ...prefix, ...args];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();

  return new Promise<CliResult>((resolve, reject) => {
    const spawned = spawnArgs([cmd, ...prefix], args, opts.byteEnv);
    const child = spawn(spawned.file, spawned.args, {
      cwd: opts.cwd,
      env: childEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;

    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      fn();
    };

    timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // 'close' normally follows at once; if a grandchild holds the pipes, give up after 2 s.
      graceTimer = setTimeout(() => finish(() => reject(timeoutError())), 2_000);
    }, timeoutMs);

    const timeoutError = (): Error =>
      new Error(
        `${which} CLI timed out after ${timeoutMs} ms and was killed: ${formatArgv(argv)}\n` +
          `--- partial stdout ---\n${preview(Buffer.concat(out))}\n` +
          `--- partial stderr ---\n${preview(Buffer.concat(err))}`,
      );

    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    // The child may exit without reading stdin: ignore EPIPE and friends.
    child.stdin.on('error', () => {});

    child.on('error', (e) => finish(() => reject(new Error(`cannot run ${formatArgv(argv)}: ${e.message}`))));
    child.on('close', (code, signal) => {
      finish(() => {
        if (timedOut) reject(timeoutError());
        else
          resolve({
            stdout: Buffer.concat(out),
            stderr: Buffer.concat(err),
            code,
            signal,
            argv,
            durationMs: Date.now() - started,
          });
      });
    });

    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}
