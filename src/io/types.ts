// The process's streams, injected so commands and tests never touch `process` directly.

export interface OutputStream {
  /** Writes text as UTF-8, except the bytes it carries as lone surrogates (byte-strings.ts). */
  write(chunk: string | Uint8Array): void;
  readonly isTTY: boolean;
  /**
   * The process's own file descriptor behind the stream (1 or 2), which child processes inherit
   * (lock and watch commands); absent for in-memory streams, whose children's output is copied in.
   */
  readonly fd?: number;
  /** Resolves once the stream can take more (a slow pipe reader holds a long output back). */
  drained?(): Promise<void>;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Reads all of stdin (etcdctl reads values and txn input this way). */
  readStdin(): Promise<Buffer>;
  /**
   * Reads stdin line by line, each line with its trailing newline (or without, for a last
   * unterminated line). Bytes that are not UTF-8 come as lone surrogates (byte-strings.ts's
   * tokenOfBytes), so bytesOfToken gives every byte back.
   */
  stdinLines(): AsyncIterable<string>;
  stdinIsTTY: boolean;
  /**
   * The exact bytes of the command-line arguments `argv`, as tokens (byte-strings.ts), where the
   * runtime's decoding may have replaced bytes with U+FFFD; undefined when they cannot be had.
   * Without it, an argument holding U+FFFD is refused (it may stand for bytes that were lost).
   */
  exactArguments?(argv: readonly string[]): string[] | undefined;
  /** `env` with the exact bytes (tokens) of values where the runtime put U+FFFD, where they can be had. */
  exactEnvironment?(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  /** Prompts on stdout and reads a secret without echo (the next stdin line when stdin is no terminal). */
  readPassword(prompt: string): Promise<string>;
  /** Reads one whitespace-delimited word from stdin, as Go's fmt.Scanf("%s") (empty when a line ends first). */
  readWord?(): Promise<string>;
  /**
   * Columns of the controlling terminal (/dev/tty), 0 when there is none: what etcdctl's progress
   * bars (check perf/datascale) size themselves by, whatever stdout is.
   */
  terminalWidth?(): number;
  /**
   * Calls `handler` on the signal instead of dying by it, until the returned function is called
   * (then the signal's default action applies again).
   */
  onSignal?(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void;
  /**
   * Resolves once everything written to stdout and stderr has left the process (the entry point
   * exits then); rejects with a write's error (EPIPE).
   */
  flush?(): Promise<void>;
  /** How this copy was built and what it runs on (runtime.ts's buildLine), for `version`. */
  buildLine?(): string;
  /**
   * The terminal for an interactive session (the shell): stdin and stdout, when both are
   * terminals; undefined otherwise.
   */
  terminal?(): { input: NodeJS.ReadStream; output: NodeJS.WriteStream } | undefined;
  /**
   * Lends the terminal to a child process (an editor): whoever reads it (the shell's line editor)
   * stops and the terminal's normal mode returns, until the returned function is called.
   */
  lendTerminal?(): () => void;
}
