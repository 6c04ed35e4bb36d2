// The one place that knows etcdctl's exit codes and how errors turn into them.

/** etcdctl's exit codes (pkg/cobrautl/error.go in etcd 3.5). */
export const ExitCode = {
  Success: 0,
  Error: 1,
  BadConnection: 2,
  InvalidInput: 3,
  BadFeature: 4,
  Interrupted: 5,
  IO: 6,
  BadArgs: 128,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with `Error: <message>` on stderr and the given exit code. */
export class CtlError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'CtlError';
  }
}

/**
 * Ends the command with an exit code but no `Error:` line: the command already printed
 * what it had to say (endpoint status, defrag and check failures do this in etcdctl).
 */
export class SilentExit extends Error {
  constructor(readonly exitCode: ExitCodeValue) {
    super(`exit ${exitCode}`);
    this.name = 'SilentExit';
  }
}

/**
 * A Go panic that etcdctl (or etcdutl) prints where its Go code panics: `before` (what Go logged
 * first, if anything), then `panic: <message>` on stderr, and a Go panic's exit status 2. Not a
 * stack trace: only the lines scripts see.
 */
export class GoPanicError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly before = '',
  ) {
    super(message);
    this.name = 'GoPanicError';
  }

  /** What goes to stderr. */
  text(): string {
    return `${this.before}panic: ${this.message}\n`;
  }
}

/**
 * Ends the process with `code` and no message, as Go's os.Exit deep in a library does (speakeasy's
 * Ctrl-C at a password prompt: os.Exit(-1), status 255). Thrown, so that main still cleans up.
 */
export class ProcessExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ProcessExit';
  }
}

/**
 * Ends the process by a signal's default action, as a Go program with no handler for it dies
 * (snapshot save interrupted). main returns 128 + the signal's number and tells its caller
 * (MainOptions.onSignalExit), so the entry point can die by the signal itself.
 */
export class SignalExit extends Error {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`killed by ${signal}`);
    this.name = 'SignalExit';
  }

  get exitCode(): number {
    return 128 + (this.signal === 'SIGINT' ? 2 : 15);
  }
}

/**
 * A command-line error detected by the parser (cobra's class of errors). etcdctl prints these
 * twice: once from cobra (followed by usage on stdout or a `Run ... --help` hint) and once from main.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Which follow-up cobra prints between the two `Error:` lines. */
    readonly followUp: { kind: 'usage'; commandPath: string[] } | { kind: 'hint'; commandPath: string },
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * An error from the server or transport, already phrased the way etcdctl prints it
 * (`etcdserver: ...`, `context deadline exceeded`, or `rpc error: code = X desc = Y`).
 * Commands decide the exit code; most use ExitCode.Error.
 */
export class RpcError extends Error {
  constructor(
    message: string,
    /** gRPC status code name in Go spelling (e.g. "Unavailable"), for callers that branch on it. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** Exit code for any error reaching the top level. Unknown errors are bugs: exit 1 like etcdctl's ExitError. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CtlError || err instanceof SilentExit || err instanceof GoPanicError || err instanceof ProcessExit || err instanceof SignalExit) return err.exitCode;
  return ExitCode.Error;
}

/** Wraps an RPC failure into the exit code the calling command uses for it. */
export function asCtlError(err: unknown, exitCode: ExitCodeValue = ExitCode.Error): unknown {
  if (err instanceof RpcError) return new CtlError(exitCode, err.message);
  return err;
}
