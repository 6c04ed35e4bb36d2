import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundFileWriter } from '../../../src/storage/snapshot-stream.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bgwriter-'));
  dirs.push(dir);
  return path.join(dir, 'out.part');
}

describe('BackgroundFileWriter', () => {
  it('writes every chunk at its place, in batches, with bounded bytes in flight', async () => {
    const file = tempFile();
    const fd = fs.openSync(file, 'w');
    const writer = new BackgroundFileWriter(fd);
    const chunks: Buffer[] = [];
    // ~40 MiB in chunks of varying sizes: several batches and the in-flight bound are exercised.
    for (let i = 0; i < 1300; i++) {
      const chunk = Buffer.alloc(1 + ((i * 7919) % 65_536), i % 251);
      chunks.push(chunk);
      await writer.add(chunk);
    }
    await writer.finish();
    fs.closeSync(fd);
    expect(fs.readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('reports a write error from add() or finish()', async () => {
    const file = tempFile();
    fs.writeFileSync(file, '');
    const fd = fs.openSync(file, 'r'); // not writable: every write fails with EBADF
    const writer = new BackgroundFileWriter(fd);
    const run = async () => {
      for (let i = 0; i < 40; i++) await writer.add(Buffer.alloc(1024 * 1024));
      await writer.finish();
    };
    await expect(run()).rejects.toMatchObject({ code: 'EBADF' });
    fs.closeSync(fd);
  });
});
