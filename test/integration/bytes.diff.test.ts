// Arguments are bytes: keys, values, range ends, names and stdin lines that are not UTF-8 (or are
// UTF-8 beyond ASCII) reach etcd byte for byte, as with etcdctl. Each command line is run by the
// real etcdctl 3.5.16 and by etcdctl-ts against the same cluster (arguments given as bytes pass
// through /bin/sh, see test/support/byte-argv.ts), and what each printed and stored must match.
// \x00 cannot be in an argument at all, so it is tested through stdin (put's value, txn lines).
// Last, the fallback: where the exact bytes cannot be read (main() given its own argv), an argument
// holding U+FFFD is refused and nothing is written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { killAllBackground, startCli, type Output } from '../support/background.js';
import type { Arg } from '../support/byte-argv.js';
import { expectSame, maskLeaseIds, maskRevisions, runBoth, type Mask } from '../support/diff.js';
import { grantLease, realCtl, realCtlOk, runBothThen } from '../support/kv-diff.js';
import { runInProcess } from '../support/inproc.js';
import { runCli, type CliResult, type RunOptions, type Which } from '../support/run.js';

let cluster: Cluster;
let ep: string;

/** Each character of `text` one byte: bytes('/k/\xff'). */
const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const cat = (...parts: Arg[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** Keys (all under /b/) with bytes etcdctl keeps as they are, and one value of the same kind. */
const KEYS: [what: string, key: Arg][] = [
  ['a \\xff byte', bytes('/b/\xff')],
  ['a cut 2-byte sequence', bytes('/b/\xc3')],
  ['a cut 3-byte sequence', bytes('/b/\xe2\x82x')],
  ['an encoded surrogate', bytes('/b/\xed\xa0\x80')],
  ['an overlong encoding', bytes('/b/\xc0\xaf')],
  ['valid multi-byte UTF-8', '/b/é日😀'],
  ['a typed U+FFFD', '/b/\ufffd'],
  ['a typed U+FFFD beside \\xff', cat('/b/\ufffd', bytes('\xff'))],
];
const VALUE = bytes('v\xfe\xc3');

const reset = async () => {
  await realCtlOk(ep, ['del', '/b/', '--prefix']);
};
/** What is stored under /b/, as the real etcdctl reads it (json: base64, so every byte shows). */
const stored = () => realCtl(ep, ['get', '/b/', '--prefix', '-w', 'json']);
const MASKS = [maskRevisions];

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'bytesdiff' });
  ep = cluster.endpointsFlag;
}, 90_000);

afterEach(() => killAllBackground());

afterAll(async () => {
  await cluster?.stop();
});

describe('put, get and del with keys and values that are bytes', () => {
  it.each(KEYS)('put with %s', async (_what, key) => {
    expectSame(await runBothThen([ep, 'put', key, VALUE], {}, reset, stored), { masks: MASKS });
    expectSame(await runBothThen([ep, 'put', '--prev-kv', key, cat(VALUE, '2')], {}, async () => {
      await reset();
      await realCtlOk(ep, ['put', key, VALUE]);
    }, stored), { masks: MASKS });
  });

  it.each(KEYS)('get and del with %s', async (_what, key) => {
    await reset();
    await realCtlOk(ep, ['put', key, VALUE]);
    await realCtlOk(ep, ['put', cat(key, bytes('\xff\xfe')), 'after']);
    for (const format of ['simple', 'json', 'fields']) {
      expectSame(await runBoth([ep, 'get', key, '-w', format]));
      expectSame(await runBoth([ep, 'get', '--prefix', key, '-w', format]));
      expectSame(await runBoth([ep, 'get', key, cat(key, bytes('\xff\xff')), '-w', format]));
    }
    expectSame(await runBoth([ep, 'get', '--hex', '--prefix', key]));
    const refill = async () => {
      await reset();
      await realCtlOk(ep, ['put', key, VALUE]);
      await realCtlOk(ep, ['put', cat(key, bytes('\xff\xfe')), 'after']);
    };
    expectSame(await runBothThen([ep, 'del', key], {}, refill, stored), { masks: MASKS });
    expectSame(await runBothThen([ep, 'del', '--prev-kv', key, cat(key, bytes('\xff\xff'))], {}, refill, stored), { masks: MASKS });
    expectSame(await runBothThen([ep, 'del', '--prefix', key], {}, refill, stored), { masks: MASKS });
  });

  it('a value holding \\x00 from stdin, and put --lease with byte keys (lease timetolive --keys)', async () => {
    expectSame(await runBothThen([ep, 'put', bytes('/b/\xff')], { stdin: bytes('\x00\xff\x00') }, reset, stored), { masks: MASKS });
    const lease = await grantLease(ep);
    const storedAndLeaseKeys = async (): Promise<CliResult> => {
      const kept = await stored();
      const ttl = await realCtl(ep, ['lease', 'timetolive', lease, '--keys']);
      return { ...kept, stdout: Buffer.concat([kept.stdout, ttl.stdout]) };
    };
    for (const [, key] of KEYS) {
      expectSame(await runBothThen([ep, 'put', `--lease=${lease}`, key, VALUE], {}, reset, storedAndLeaseKeys), {
        masks: [...MASKS, maskLeaseIds, mask(/remaining\(\d+s\)/g)],
      });
    }
    // ours reads the lease's keys back byte for byte too
    await reset();
    await realCtlOk(ep, ['put', `--lease=${lease}`, bytes('/b/\xff'), 'x']);
    expectSame(await runBoth([ep, 'lease', 'timetolive', lease, '--keys']), { masks: [maskLeaseIds, mask(/remaining\(\d+s\)/g)] });
  });
});

/** Replaces what `pattern` matches by <X> on both sides. */
function mask(pattern: RegExp): Mask {
  return { name: String(pattern), rules: [{ pattern, replacement: '<X>' }] };
}

describe('txn lines are bytes', () => {
  it.each([
    ['raw bytes in keys and values', cat('\n', 'put ', bytes('/b/\xff\xc3'), ' ', bytes('v\xfe'), '\n', 'put "/b/\\x00\\xff" ', bytes('\xe2\x82'), '\n\n\n')],
    ['a \\x00 byte in a word', cat('\n', 'put ', bytes('/b/\x00k'), ' ', bytes('v\x00'), '\n\n\n')],
    ['compares on byte keys', cat('value("', bytes('/b/\xff'), '") = "', bytes('v\xfe'), '"\n\n', 'put /b/ok yes\n\nput /b/no ', bytes('\xff'), '\n\n')],
    ['valid multi-byte UTF-8', cat('\n', 'put /b/é日😀 ü\ufffd\n', 'get /b/ --prefix\n\n\n')],
  ])('%s', async (_what, stdin) => {
    const setup = async () => {
      await reset();
      await realCtlOk(ep, ['put', bytes('/b/\xff'), bytes('v\xfe')]);
    };
    expectSame(await runBothThen([ep, 'txn'], { stdin }, setup, stored), { masks: MASKS });
    expectSame(await runBothThen([ep, 'txn', '-w', 'json'], { stdin }, setup, stored), { masks: MASKS });
  });
});

describe('watch, role, user, lock and election names that are bytes', () => {
  const MARK = 'END-MARK';

  /** Writes a history under /b/ whose last event carries MARK; returns its first revision. */
  async function history(): Promise<string> {
    await reset();
    const first = await realCtlOk(ep, ['put', bytes('/b/\xff'), bytes('v\xfe'), '-w', 'json']);
    await realCtlOk(ep, ['put', bytes('/b/\xffz'), bytes('\xc3')]);
    await realCtlOk(ep, ['put', bytes('/b/\xff\xe2\x82'), bytes('\xed\xa0\x80')]);
    await realCtlOk(ep, ['del', bytes('/b/\xff')]);
    await realCtlOk(ep, ['put', bytes('/b/\xff'), MARK]);
    return /"revision":(\d+)/.exec(first.stdout.toString())![1]!;
  }

  /** Replays the history on one side until the marker shows, then SIGINT. */
  async function replay(which: Which, args: Arg[], line?: Buffer, byteEnv?: Record<string, Buffer>): Promise<CliResult> {
    const proc = startCli(which, [ep, 'watch', ...args], { keepStdin: line !== undefined, byteEnv });
    if (line) proc.writeLine(line);
    await proc.waitFor((o: Output) => o.stdout.includes(MARK) || o.stdout.includes(Buffer.from(MARK).toString('base64')), 30_000, `the marker from ${which}`);
    await proc.settle(200, 5_000);
    return proc.stop('SIGINT');
  }

  it.each([[[bytes('/b/\xff')]], [['--prefix', bytes('/b/\xff')]], [[bytes('/b/\xff'), bytes('/b/\xff\xff')]], [['--prefix', bytes('/b/\xff'), '-w', 'json']]])(
    'watch %#',
    async (args: Arg[]) => {
      const rev = await history();
      const argv = [`--rev=${rev}`, ...args];
      expectSame({ args: [ep, 'watch', ...argv], opts: {}, real: await replay('real', argv), ours: await replay('ours', argv) });
    },
  );

  it('watch ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END holding bytes', async () => {
    const rev = await history();
    const env = { ETCDCTL_WATCH_KEY: bytes('/b/\xff'), ETCDCTL_WATCH_RANGE_END: bytes('/b/\xff\xff') };
    const argv = [`--rev=${rev}`];
    expectSame({ args: [ep, 'watch', ...argv], opts: {}, real: await replay('real', argv, undefined, env), ours: await replay('ours', argv, undefined, env) });
  });

  it('watch -i reads byte lines', async () => {
    const rev = await history();
    const line = cat(`watch --rev=${rev} --prefix `, bytes('/b/\xff'));
    expectSame({ args: [ep, 'watch', '-i'], opts: { stdin: line }, real: await replay('real', ['-i'], line), ours: await replay('ours', ['-i'], line) });
  });

  it('role and user names, grant-permission with byte keys and range ends', async () => {
    const role = bytes('r\xff');
    const user = bytes('u\xfe\xc3');
    const cleanup = async () => {
      await realCtl(ep, ['user', 'delete', user]);
      await realCtl(ep, ['role', 'delete', role]);
    };
    const step = async (args: Arg[], setup: () => Promise<void>, opts: RunOptions = {}) =>
      expectSame(await runBothThen([ep, ...args], opts, setup, () => realCtl(ep, ['role', 'get', role])));
    await step(['role', 'add', role], cleanup);
    const withRole = async () => {
      await cleanup();
      await realCtlOk(ep, ['role', 'add', role]);
    };
    await step(['role', 'grant-permission', role, 'readwrite', bytes('/b/\xff'), bytes('/b/\xff\xff')], withRole);
    await step(['role', 'grant-permission', '--prefix', role, 'read', bytes('/b/\xc3\xff')], withRole);
    await step(['role', 'grant-permission', role, 'write', bytes('/b/\xed\xa0\x80')], withRole);
    const withPermissions = async () => {
      await withRole();
      await realCtlOk(ep, ['role', 'grant-permission', role, 'readwrite', bytes('/b/\xff'), bytes('/b/\xff\xff')]);
      await realCtlOk(ep, ['role', 'grant-permission', '--prefix', role, 'read', bytes('/b/\xc3\xff')]);
    };
    await step(['role', 'revoke-permission', role, bytes('/b/\xff'), bytes('/b/\xff\xff')], withPermissions);
    await withPermissions();
    for (const format of ['simple', 'json']) {
      expectSame(await runBoth([ep, 'role', 'get', role, '-w', format]));
      expectSame(await runBoth([ep, 'role', 'list', '-w', format]));
    }
    const withUser = async () => {
      await withPermissions();
      await realCtlOk(ep, ['user', 'add', user, '--new-user-password=pw']);
    };
    expectSame(await runBothThen([ep, 'user', 'add', user, '--new-user-password=pw'], {}, withPermissions, () => realCtl(ep, ['user', 'list'])));
    expectSame(await runBothThen([ep, 'user', 'grant-role', user, role], {}, withUser, () => realCtl(ep, ['user', 'get', user])));
    await realCtlOk(ep, ['user', 'grant-role', user, role]);
    expectSame(await runBoth([ep, 'user', 'get', user]));
    expectSame(await runBoth([ep, 'user', 'get', '--detail', user]));
    await cleanup();
  });

  it('lock with a name that is bytes', async () => {
    const name = bytes('/b/l\xff\xc3');
    const hold = async (which: Which): Promise<CliResult> => {
      const proc = startCli(which, [ep, 'lock', name]);
      await proc.waitFor((o: Output) => o.stdout.includes(bytes('/b/l\xff\xc3/')), 30_000, `the lock key from ${which}`);
      await proc.settle(200, 5_000);
      return proc.stop('SIGINT');
    };
    const real = await hold('real');
    const ours = await hold('ours');
    const sessionKeys = mask(/\/[0-9a-f]{1,16}\n/g);
    expectSame({ args: [ep, 'lock', name], opts: {}, real, ours }, { masks: [sessionKeys] });
    // Both took the lock under exactly that name (the keys are gone once released).
    expect(ours.stdout.subarray(0, name.length).equals(name)).toBe(true);
  });

  it('elect with a name and a proposal that are bytes', async () => {
    const name = bytes('/b/e\xff');
    const proposal = bytes('p\xc3\xfe');
    const campaign = async (which: Which): Promise<CliResult> => {
      const proc = startCli(which, [ep, 'elect', name, proposal]);
      await proc.waitFor((o: Output) => o.stdout.includes(proposal), 30_000, `the leader from ${which}`);
      await proc.settle(200, 5_000);
      return proc.stop('SIGINT');
    };
    const real = await campaign('real');
    const ours = await campaign('ours');
    expectSame({ args: [ep, 'elect', name, proposal], opts: {}, real, ours }, { masks: [mask(/\/[0-9a-f]{1,16}\n/g)] });
    expect(ours.stdout.subarray(0, name.length).equals(name)).toBe(true);
  });
});

describe('messages that quote an argument show its bytes as etcdctl does', () => {
  it.each([
    [[bytes('\xff')]],
    [['get', bytes('--consistency=\xff'), 'k']],
    [['get', bytes('--limit=\xff\xc3'), 'k']],
    [['get', bytes('--dial-timeout=\xe2\x82'), 'k']],
    [['get', bytes('--order=\xff'), 'k']],
    [['put', bytes('--lease=\xff'), 'k', 'v']],
    [['role', 'grant-permission', 'r', bytes('read\xff'), 'k']],
  ])('%#', async (args: Arg[]) => {
    expectSame(await runBoth([ep, ...args]));
  });
});

describe('batch lines are bytes', () => {
  it('each line runs as etcdctl runs the same words', async () => {
    const lines: Arg[][] = [
      ['put', bytes('/b/\xff\xc3'), bytes('v\xfe')],
      ['put', '/b/é\ufffd', bytes('\xed\xa0\x80')],
      ['get', '--prefix', bytes('/b/\xff')],
      ['get', '/b/', '--prefix', '-w', 'json'],
      ['del', bytes('/b/\xff\xc3')],
    ];
    await reset();
    const expected: Buffer[] = [];
    for (const words of lines) expected.push((await realCtlOk(ep, words)).stdout);
    await reset();
    // Shell words: each byte-string word single-quoted (none holds a quote).
    const stdin = Buffer.concat(lines.map((words) => cat(...words.flatMap((w, i) => [i > 0 ? ' ' : '', "'", w, "'"]), '\n')));
    const ours = await runCli('ours', [ep, 'batch'], { stdin });
    expect(ours.stderr.toString()).toBe('');
    expect(ours.code).toBe(0);
    const masked = (b: Buffer) => b.toString('latin1').replace(/"(revision|mod_revision|create_revision)":\d+/g, '"$1":<REV>');
    expect(masked(ours.stdout)).toBe(masked(Buffer.concat(expected)));
  });
});

describe('ls (an etcdctl-ts addition) under a prefix that is bytes', () => {
  it('names the keys below the prefix byte for byte', async () => {
    await reset();
    await realCtlOk(ep, ['put', '/b/é/a', '1']);
    await realCtlOk(ep, ['put', bytes('/b/\xc3\xa9/\xff'), '2']);
    const r = await runCli('ours', [ep, 'ls', bytes('/b/\xc3\xa9')]);
    expect(r.code).toBe(0);
    const names = r.stdout.toString('latin1').split('\n').filter((l) => /[─]|\xe2\x94\x80/.test(l));
    expect(names.map((l) => l.replace(/^\S+\s/, '').replace(/ \(1 B\)$/, ''))).toEqual(['a', '\xff']);
  });
});

describe('arguments whose exact bytes cannot be had', () => {
  it('main() given an argv holding U+FFFD refuses it and writes nothing', async () => {
    await reset();
    for (const argv of [
      [ep, 'put', '/b/\ufffd', 'v'],
      [ep, 'put', '/b/k', 'v\ufffd'],
      [ep, 'role', 'add', 'r\ufffd'],
    ]) {
      const r = await runInProcess(argv);
      expect(r.code).toBe(128);
      expect(r.stdout.toString()).toBe('');
      expect(r.stderr.toString()).toMatch(/^Error: argument ".*\ufffd.*" holds U\+FFFD, which may stand for bytes that are not UTF-8, and the exact bytes of the arguments cannot be read here\n$/);
    }
    const left = await realCtlOk(ep, ['get', '/b/', '--prefix', '--count-only', '-w', 'fields']);
    expect(left.stdout.toString()).toContain('"Count" : 0\n');
    expect((await realCtl(ep, ['role', 'get', 'r\ufffd'])).code).not.toBe(0);
    // Without U+FFFD, main() runs as ever.
    expect((await runInProcess([ep, 'put', '/b/plain', 'é'])).code).toBe(0);
  });
});
