// Runs a command that does not end by itself (watch, lease keep-alive) for a while, then stops it
// with SIGINT (SIGKILL if it lingers) and returns what it printed. Same clean environment as runCli.
import { spawn } from 'node:child_process';
import { childEnv, commandFor, type Which } from './run.js';

export interface LongRunResult {
  stdout: string;
  stderr: string;
  /** Exit code, or null when it died of a signal. */
  code: number | null;
  signal: string | null;
}

export interface LongRunOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin at once (stdin stays open). */
  stdin?: string;
  /** Written to stdin later: [milliseconds after the start, text]. */
  input?: [number, string][];
  /** Stop as soon as stdout contains this (the run still ends after `ms` at the latest). */
  until?: string | RegExp;
}

export function runFor(which: Which, args: string[], ms: number, opts: LongRunOptions = {}): Promise<LongRunResult> {
  const [cmd, ...prefix] = commandFor(which);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...prefix, ...args], { env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(stopTimer);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    };
    const stopTimer = setTimeout(stop, ms);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (opts.until !== undefined && (typeof opts.until === 'string' ? stdout.includes(opts.until) : opts.until.test(stdout))) stop();
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.on('error', () => {});
    if (opts.stdin !== undefined) child.stdin.write(opts.stdin);
    const inputTimers = (opts.input ?? []).map(([delay, text]) => setTimeout(() => child.stdin.write(text), delay));
    child.on('error', (err) => {
      clearTimeout(stopTimer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(stopTimer);
      inputTimers.forEach(clearTimeout);
      clearTimeout(killTimer);
      resolve({ stdout, stderr, code, signal });
    });
  });
}
