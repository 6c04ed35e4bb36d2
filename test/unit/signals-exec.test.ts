// The signal facility (injectable SIGINT/SIGTERM) and the Go-like command runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookPath, runCommand } from '../../src/io/exec.js';
import type { Io } from '../../src/io/types.js';
import { goQuote, goQuoteList } from '../../src/go/quote.js';
import { createSignalSource, listenForInterrupt } from '../../src/io/signals.js';

describe('listenForInterrupt', () => {
  it('aborts on the first SIGINT or SIGTERM and swallows the rest until disposed', async () => {
    const source = createSignalSource();
    const interrupt = listenForInterrupt(source);
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(interrupt.signal.aborted).toBe(false);
    expect(source.raise('SIGTERM')).toBe(true);
    expect(interrupt.signal.aborted).toBe(true);
    await expect(interrupt.received).resolves.toBe('SIGTERM');
    expect(source.raise('SIGINT')).toBe(true);
    interrupt.dispose();
    // Nobody listens any more: the signal's default action would apply.
    expect(source.raise('SIGINT')).toBe(false);
  });

  it('never fires without a signal source', () => {
    const interrupt = listenForInterrupt({});
    expect(interrupt.signal.aborted).toBe(false);
    interrupt.dispose();
  });
});

function memoryIo(): { io: Io; stdout: () => string; stderr: () => string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const io = {
    stdout: { isTTY: false, write: (c: string | Uint8Array) => void out.push(Buffer.from(c)) },
    stderr: { isTTY: false, write: (c: string | Uint8Array) => void err.push(Buffer.from(c)) },
  } as unknown as Io;
  return { io, stdout: () => Buffer.concat(out).toString(), stderr: () => Buffer.concat(err).toString() };
}

describe('runCommand', () => {
  const env = { PATH: process.env['PATH'] };

  it('copies the output of a command into in-memory streams', async () => {
    const m = memoryIo();
    expect(await runCommand(['sh', '-c', 'echo "out $X"; echo err >&2'], { ...env, X: 'x' }, m.io)).toBeUndefined();
    expect(m.stdout()).toBe('out x\n');
    expect(m.stderr()).toBe('err\n');
  });

  it('phrases failures as Go does', async () => {
    const m = memoryIo();
    expect(await runCommand(['sh', '-c', 'exit 3'], env, m.io)).toEqual({ message: 'exit status 3', exitStatus: 3 });
    expect(await runCommand(['sh', '-c', 'kill -9 $$'], env, m.io)).toEqual({ message: 'signal: killed', exitStatus: -1 });
    expect(await runCommand(['no-such-command-xyz'], env, m.io)).toEqual({ message: 'exec: "no-such-command-xyz": executable file not found in $PATH' });
    expect(await runCommand(['./no/such/file'], env, m.io)).toEqual({ message: 'fork/exec ./no/such/file: no such file or directory' });
  });

  it('looks commands up in PATH, skipping files that are not executable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-exec-'));
    try {
      fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o644 });
      expect(lookPath('tool', dir)).toEqual({ error: 'exec: "tool": executable file not found in $PATH' });
      fs.chmodSync(path.join(dir, 'tool'), 0o755);
      expect(lookPath('tool', `/nonexistent:${dir}`)).toEqual({ path: path.join(dir, 'tool') });
      expect(lookPath('a/b', '')).toEqual({ path: 'a/b' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes an argument list like Go', () => {
    expect(goQuoteList(['echo', 'a "b"'])).toBe('["echo" "a \\"b\\""]');
  });
});
