// The process's streams, injected so commands and tests never touch `process` directly.

export interface OutputStream {
  write(chunk: string | Uint8Array): void;
  readonly isTTY: boolean;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Reads all of stdin (etcdctl reads values and txn input this way). */
  readStdin(): Promise<Buffer>;
  /** Reads stdin line by line, each line with its trailing newline (or without, for a last unterminated line). */
  stdinLines(): AsyncIterable<string>;
  stdinIsTTY: boolean;
  /** Reads a secret from the terminal without echo. */
  readPassword(prompt: string): Promise<string>;
}
