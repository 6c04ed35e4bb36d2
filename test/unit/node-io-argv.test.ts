// The exact arguments behind process.argv's tail, found in /proc/self/cmdline's bytes.
import { describe, expect, it } from 'vitest';
import { argumentsFromCmdline, environmentFromEnviron } from '../../src/io/node-io.js';

const cmdline = (...args: (string | Buffer)[]) => Buffer.concat(args.flatMap((a) => [Buffer.from(a), Buffer.from([0])]));
const lossy = (b: Buffer) => b.toString('utf8');
const FF = Buffer.from('/k/\xff', 'latin1');

describe('argumentsFromCmdline', () => {
  it('matches the trailing user arguments whatever comes before them', () => {
    const user = ['put', FF, 'v'];
    const argv = ['put', lossy(FF), 'v'];
    const expected = ['put', '/k/\udcff', 'v'];
    // node bin/etcdctl-ts.js …, node with options, a single executable, a Bun executable.
    expect(argumentsFromCmdline(cmdline('node', 'bin/etcdctl-ts.js', ...user), argv)).toEqual(expected);
    expect(argumentsFromCmdline(cmdline('node', '--no-warnings', 'bin/etcdctl-ts.js', ...user), argv)).toEqual(expected);
    expect(argumentsFromCmdline(cmdline('/usr/local/bin/etcdctl-ts', ...user), argv)).toEqual(expected);
  });

  it('keeps empty arguments and typed U+FFFD', () => {
    expect(argumentsFromCmdline(cmdline('x', '', '\ufffd', FF), ['', '\ufffd', lossy(FF)])).toEqual(['', '\ufffd', '/k/\udcff']);
  });

  it('gives up when the count or any text argument disagrees (argv of the caller\'s own)', () => {
    expect(argumentsFromCmdline(cmdline('node', 'x.js', FF), ['put', lossy(FF)])).toBeUndefined();
    expect(argumentsFromCmdline(cmdline(FF), ['put', lossy(FF)])).toBeUndefined();
    expect(argumentsFromCmdline(cmdline('node', 'x.js', 'get', FF), ['put', lossy(FF)])).toBeUndefined();
  });
});

describe('environmentFromEnviron', () => {
  it('gives the bytes of values where the runtime put U+FFFD, and leaves the rest', () => {
    const environ = Buffer.concat([Buffer.from('A=1\0K='), Buffer.from('/k/\xff', 'latin1'), Buffer.from('\0T=\ufffd\0')]);
    expect(environmentFromEnviron(environ, { A: '1', K: '/k/\ufffd', T: '\ufffd', Z: 'set later' })).toEqual({ A: '1', K: '/k/\udcff', T: '\ufffd', Z: 'set later' });
    // A value changed since the process started is kept as it is.
    expect(environmentFromEnviron(environ, { K: 'other\ufffd' })).toEqual({ K: 'other\ufffd' });
  });
});
