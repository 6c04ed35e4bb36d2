// The real process streams behind the Io interface.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import tty from 'node:tty';
import type { Io, OutputStream } from './types.js';
import { bytesOfToken, hasRawBytes, tokenOfBytes } from '../common/byte-strings.js';
import { type BuildInfo, buildLine, flushed } from './runtime.js';
import { ProcessExit } from '../common/errors.js';

function stream(s: NodeJS.WriteStream, fd: number): OutputStream {
  // write() returning false is the back-pressure signal both runtimes give; bun leaves
  // writableNeedDrain false while a pipe's writes are queued.
  let blocked = false;
  s.on('drain', () => {
    blocked = false;
  });
  return {
    fd,
    write: (chunk) => {
      // Text holding bytes that are not UTF-8 (an argument echoed back) is written as those bytes.
      if (!s.write(typeof chunk === 'string' && hasRawBytes(chunk) ? bytesOfToken(chunk) : chunk)) blocked = true;
    },
    get isTTY() {
      return s.isTTY === true;
    },
    drained: () =>
      (blocked || s.writableNeedDrain) && !s.destroyed
        ? new Promise<void>((resolve) => {
            const done = () => {
              s.off('drain', done);
              s.off('close', done);
              resolve();
            };
            s.on('drain', done);
            s.on('close', done);
          })
        : Promise.resolve(),
  };
}

async function readAll(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* lines(): AsyncGenerator<string> {
  // Split on bytes before decoding, so a character cut between two chunks stays whole. Bytes that
  // are not UTF-8 are kept (tokenOfBytes): etcdctl stores them as they are in txn and watch -i lines.
  let pending = Buffer.alloc(0);
  for await (const chunk of process.stdin) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let nl = pending.indexOf(0x0a);
    while (nl !== -1) {
      yield tokenOfBytes(pending.subarray(0, nl + 1));
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0) yield tokenOfBytes(pending);
}

// Secrets are read the way etcdctl's prompt library (speakeasy) reads them: straight from file
// descriptor 0, one byte at a time, so nothing after the answer is consumed (a later prompt or a
// value read from stdin still finds it). On a terminal, echo is off while the user types.

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** One byte of stdin, or null at end of input. Blocks, like Go's os.Stdin.Read. */
function readByteSync(): number | null {
  const buf = Buffer.alloc(1);
  for (let retries = 0; ; retries++) {
    try {
      return fs.readSync(0, buf, 0, 1, null) === 0 ? null : buf[0]!;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EOF') return null;
      // A non-blocking stdin with nothing to read yet: wait a little and try again.
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, Math.min(50, 1 + retries));
    }
  }
}

/** The bytes up to a newline (dropped) or the end of input, with a final CR removed. */
function readLineSync(): string {
  const bytes: number[] = [];
  for (let b = readByteSync(); b !== null && b !== 0x0a; b = readByteSync()) bytes.push(b);
  if (bytes[bytes.length - 1] === 0x0d) bytes.pop();
  return tokenOfBytes(Buffer.from(bytes));
}

const isSpaceByte = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * One whitespace-delimited word, as Go's fmt.Scanf("%s") reads it (user add/passwd with
 * --interactive=false): leading blanks are skipped, but reaching a newline first gives "".
 */
async function readWord(): Promise<string> {
  let b = readByteSync();
  while (b !== null && isSpaceByte(b) && b !== 0x0a) {
    if (b === 0x0d) {
      const next = readByteSync();
      if (next === 0x0a || next === null) return '';
      b = next;
      continue;
    }
    b = readByteSync();
  }
  if (b === null || b === 0x0a) return '';
  const word: number[] = [];
  for (; b !== null && !isSpaceByte(b); b = readByteSync()) word.push(b);
  return tokenOfBytes(Buffer.from(word));
}

/** Runs `stty <arg>` on our stdin as speakeasy does; on a pipe stty complains on stderr, as with etcdctl. */
function stty(arg: string): void {
  const result = spawnSync('stty', [arg], { stdio: 'inherit' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('stty binary not found:\n\texec: "stty": executable file not found in $PATH');
  }
}

/** Reads one line from a terminal in raw mode without echoing it. */
function readTerminalLine(): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          resolve(answer);
          return;
        }
        if (ch === '\u0003') {
          // speakeasy restores the terminal and exits with Go's os.Exit(-1): main ends with 255.
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          reject(new ProcessExit(255));
          return;
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * etcdctl's password prompt: the prompt on stdout, the answer without echo and trimmed of
 * surrounding whitespace, then a newline on stdout. Not on a terminal, the answer is the next
 * line of stdin (empty at end of input).
 */
async function readPassword(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  try {
    if (tty.isatty(0)) return (await readTerminalLine()).trim();
    stty('-echo');
    try {
      return readLineSync().trim();
    } finally {
      stty('echo');
    }
  } finally {
    process.stdout.write('\n');
  }
}

/** Width of the controlling terminal, as Go's pb package reads it from /dev/tty; 0 without one. */
function terminalWidth(): number {
  let fd: number;
  try {
    fd = fs.openSync('/dev/tty', 'r+');
  } catch {
    return 0;
  }
  for (const s of [process.stdout, process.stderr]) {
    if (s.isTTY && s.columns) {
      fs.closeSync(fd);
      return s.columns;
    }
  }
  let ws: tty.WriteStream;
  try {
    ws = new tty.WriteStream(fd);
  } catch {
    fs.closeSync(fd);
    return 0;
  }
  // The stream owns the descriptor now and closes it.
  const columns = ws.columns ?? 0;
  ws.destroy();
  return columns;
}

/**
 * The exact arguments behind `argv` (the user's arguments, the tail of process.argv): Node decodes
 * argv as UTF-8 and puts U+FFFD in place of bytes that are not, so on Linux they are read again
 * from /proc/self/cmdline, as tokens (byte-strings.ts). The tail of that list stands for `argv`
 * when it has as many entries and every entry that is valid UTF-8 reads the same: where argv[0]
 * and argv[1] sit differs between `node bin/etcdctl-ts.js`, a single executable and Bun.
 * Undefined where the bytes cannot be had (another system, or an argv of the caller's own).
 */
function exactArguments(argv: readonly string[]): string[] | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  return argumentsFromCmdline(raw, argv);
}

/** The entries of a /proc list (cmdline, environ): each ends with a NUL. */
function nulSeparated(raw: Buffer): Buffer[] {
  const entries: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const nul = raw.indexOf(0, start);
    const end = nul === -1 ? raw.length : nul;
    entries.push(raw.subarray(start, end));
    start = end + 1;
  }
  return entries;
}

/** The tail of a NUL-separated command line that stands for `argv` (see exactArguments). */
export function argumentsFromCmdline(raw: Buffer, argv: readonly string[]): string[] | undefined {
  const all = nulSeparated(raw);
  if (all.length < argv.length) return undefined;
  const tail = all.slice(all.length - argv.length).map(tokenOfBytes);
  // How a runtime spells bytes that are not UTF-8 varies (Node: U+FFFD); only text is compared.
  const agrees = tail.every((token, i) => hasRawBytes(token) || token === argv[i]);
  return agrees ? tail : undefined;
}

/**
 * The environment with exact bytes (tokens) for the values where the runtime put U+FFFD, read
 * from /proc/self/environ: a value is taken from there when it reads the same once decoded.
 */
function exactEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  let raw: Buffer;
  try {
    raw = fs.readFileSync('/proc/self/environ');
  } catch {
    return { ...env };
  }
  return environmentFromEnviron(raw, env);
}

/** `env` with each U+FFFD-holding value replaced by its bytes from a NUL-separated environ block. */
export function environmentFromEnviron(raw: Buffer, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out = { ...env };
  for (const entry of nulSeparated(raw)) {
    const eq = entry.indexOf(0x3d);
    if (eq <= 0) continue;
    const name = entry.subarray(0, eq).toString('utf8');
    const value = out[name];
    const bytes = entry.subarray(eq + 1);
    if (value !== undefined && value.includes('\ufffd') && bytes.toString('utf8') === value) out[name] = tokenOfBytes(bytes);
  }
  return out;
}

function onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): () => void {
  process.on(signal, handler);
  return () => {
    process.off(signal, handler);
  };
}

export interface NodeIoOptions {
  /** How this copy was built (read only by `version`); from the entry point. */
  build?: () => BuildInfo;
}

export function nodeIo(options: NodeIoOptions = {}): Io {
  const { build } = options;
  return {
    stdout: stream(process.stdout, 1),
    stderr: stream(process.stderr, 2),
    readStdin: readAll,
    stdinLines: lines,
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    readPassword,
    readWord,
    exactArguments,
    exactEnvironment,
    terminalWidth,
    onSignal,
    flush: async () => {
      await flushed(process.stdout);
      await flushed(process.stderr);
    },
    ...(build ? { buildLine: () => buildLine(build()) } : {}),
    terminal: () => (process.stdin.isTTY && process.stdout.isTTY ? { input: process.stdin, output: process.stdout } : undefined),
  };
}
