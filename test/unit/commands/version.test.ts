// `version`: etcdctl's two lines on a pipe (scripts read them), and how etcdctl-ts was built as a
// third line on a terminal or with --build.
import { describe, expect, it } from 'vitest';
import { main } from '../../../dist/main.js';
import { bufferIo } from '../../support/inproc.js';

async function version(args: string[], tty: boolean, buildLine?: () => string) {
  const { io, stdout } = bufferIo(Buffer.alloc(0), tty);
  const code = await main(['version', ...args], buildLine ? { ...io, buildLine } : io, {});
  return { code, out: stdout().toString() };
}

const ETCDCTL = 'etcdctl version: 3.5.16\nAPI version: 3.5\n';
const line = () => 'etcdctl-ts version: 0.1.0 (npm package, node v26.12.1, linux-x64)';

describe('version', () => {
  it('prints only etcdctl\'s lines on a pipe', async () => {
    expect(await version([], false, line)).toEqual({ code: 0, out: ETCDCTL });
  });
  it('adds how it was built on a terminal, and with --build anywhere', async () => {
    expect((await version([], true, line)).out).toBe(`${ETCDCTL}${line()}\n`);
    expect((await version(['--build'], false, line)).out).toBe(`${ETCDCTL}${line()}\n`);
  });
  it('prints etcdctl\'s lines alone when the io cannot say how it was built', async () => {
    expect((await version(['--build'], true)).out).toBe(ETCDCTL);
  });
});
