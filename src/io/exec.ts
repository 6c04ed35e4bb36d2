// Runs a command the way Go's exec.Command(...).Run() does for etcdctl's `lock <name> cmd…` and
// `watch … -- cmd…`: no shell, a PATH lookup with Go's rules, stdin from /dev/null, stdout and
// stderr shared with ours, and failures phrased as Go phrases them.
import { spawn, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Io } from './types.js';

export interface ExecFailure {
  /** Go's error text: `exit status 3`, `signal: killed`, `exec: "x": executable file not found in $PATH`. */
  message: string;
  /**
   * syscall.WaitStatus.ExitStatus(): the exit code, -1 when a signal ended the child, and
   * undefined when it never started (not an *exec.ExitError).
   */
  exitStatus?: number;
}

/** Go's names for signals (syscall's signal table), as `signal: <name>`. */
const GO_SIGNAL_NAMES: Record<string, string> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
  SIGCHLD: 'child exited',
  SIGCONT: 'continued',
  SIGSTOP: 'stopped (signal)',
  SIGTSTP: 'stopped',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'file size limit exceeded',
  SIGVTALRM: 'virtual timer expired',
  SIGPROF: 'profiling timer expired',
  SIGWINCH: 'window changed',
  SIGIO: 'I/O possible',
  SIGPWR: 'power failure',
  SIGSYS: 'bad system call',
};

/** Go's syscall.Errno texts for the errors starting a program can meet. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  E2BIG: 'argument list too long',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  ETXTBSY: 'text file busy',
};

function isExecutableFile(file: string): boolean {
  try {
    const st = fs.statSync(file);
    return !st.isDirectory() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * exec.LookPath: a name with a slash is used as is; otherwise the first executable file named so
 * in a $PATH directory (an empty entry is "."). Go 1.19+ refuses one found relative to ".".
 */
export function lookPath(name: string, pathVariable: string | undefined): { path: string } | { error: string } {
  if (name.includes('/')) return { path: name };
  for (const entry of (pathVariable ?? '').split(':')) {
    const dir = entry === '' ? '.' : entry;
    const candidate = path.join(dir, name);
    if (!isExecutableFile(candidate)) continue;
    if (!path.isAbsolute(candidate)) return { error: `exec: ${JSON.stringify(name)}: cannot run executable found relative to current directory` };
    return { path: candidate };
  }
  return { error: `exec: ${JSON.stringify(name)}: executable file not found in $PATH` };
}

/**
 * Runs argv with the given environment and waits for it. Resolves undefined on exit status 0,
 * otherwise with the failure. The child inherits our stdout/stderr when they are the process's
 * own descriptors; otherwise its output is copied into the Io streams.
 */
export function runCommand(argv: readonly string[], env: Record<string, string | undefined>, io: Io): Promise<ExecFailure | undefined> {
  const [name = '', ...args] = argv;
  const found = lookPath(name, env['PATH']);
  if ('error' in found) return Promise.resolve({ message: found.error });
  const stdio: StdioOptions = ['ignore', io.stdout.fd ?? 'pipe', io.stderr.fd ?? 'pipe'];
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(found.path, args, { stdio, env, argv0: name });
    } catch (err) {
      resolve(startFailure(found.path, err as NodeJS.ErrnoException));
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => io.stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    let settled = false;
    const settle = (result: ExecFailure | undefined) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    child.on('error', (err: NodeJS.ErrnoException) => settle(startFailure(found.path, err)));
    // 'close' comes after the child exited and its copied output was read to the end.
    child.on('close', (code, signal) => {
      if (signal) settle({ message: `signal: ${GO_SIGNAL_NAMES[signal] ?? signal}`, exitStatus: -1 });
      else if (code !== 0) settle({ message: `exit status ${code}`, exitStatus: code ?? -1 });
      else settle(undefined);
    });
  });
}

function startFailure(file: string, err: NodeJS.ErrnoException): ExecFailure {
  const why = (err.code && ERRNO_TEXT[err.code]) ?? err.message;
  return { message: `fork/exec ${file}: ${why}` };
}

