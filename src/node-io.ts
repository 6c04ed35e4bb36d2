// The real process streams behind the Io interface.
import type { Io, OutputStream } from './io.js';

function stream(s: NodeJS.WriteStream): OutputStream {
  return {
    write: (chunk) => {
      s.write(chunk);
    },
    get isTTY() {
      return s.isTTY === true;
    },
  };
}

async function readAll(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* lines(): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of process.stdin) {
    pending += (chunk as Buffer).toString('utf8');
    let nl = pending.indexOf('\n');
    while (nl !== -1) {
      yield pending.slice(0, nl + 1);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  }
  if (pending !== '') yield pending;
}

/** Reads a line from the terminal with echo off; on a pipe it answers empty, as etcdctl's prompt does. */
async function readPassword(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    process.stdout.write('\n');
    return '';
  }
  return new Promise((resolve) => {
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(answer);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export function nodeIo(): Io {
  return {
    stdout: stream(process.stdout),
    stderr: stream(process.stderr),
    readStdin: readAll,
    stdinLines: lines,
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    readPassword,
  };
}
