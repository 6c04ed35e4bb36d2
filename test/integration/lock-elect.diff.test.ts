// Differential tests of lock and elect: the real etcdctl 3.5.16 and etcdctl-ts, one after the
// other, take the same lock or run the same election as child processes; they are stopped by
// SIGINT/SIGTERM once they printed, and stdout, stderr and the exit code must match. Lease IDs
// (which appear in the keys) and revisions differ between the two runs and are masked; protobuf
// output is compared decoded.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/client/proto.js';
import type { Io } from '../../src/io/types.js';
import { main } from '../../src/main.js';
import { createSignalSource, type SignalSource } from '../../src/io/signals.js';
import { goJson } from '../../src/output/gojson.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { killAllBackground, startCli, type Output } from '../support/background.js';
import { expectSame, maskLeaseIds, maskRevisions, runBoth, type Mask } from '../support/diff.js';
import { realCtl } from '../support/kv-diff.js';
import { runCli, type CliResult, type Which } from '../support/run.js';
import { waitUntil } from '../support/wait.js';

let cluster: Cluster;
let ep: string;

/** `<name>/<lease ID in hex>` keys, as text and base64 in json. */
const maskSessionKeys: Mask = {
  name: 'maskSessionKeys',
  rules: [
    { pattern: /([\w-]+)\/[0-9a-f]{1,16}\b/g, replacement: '$1/<LEASE>' },
    {
      pattern: /"key":"([A-Za-z0-9+/=]*)"/g,
      replacement: (_m: string, b64: string) => `"key":"${Buffer.from(b64, 'base64').toString('latin1').replace(/\/[0-9a-f]{1,16}$/, '/<LEASE>')}"`,
    },
  ],
};
const MASKS = [maskSessionKeys, maskLeaseIds, maskRevisions];

/** -w protobuf prints a RangeResponse: compare it as json (masks apply to that). */
function decoded(result: CliResult, format: string): CliResult {
  if (format !== 'protobuf' || result.stdout.length === 0) return result;
  const resp = decodeMessage('etcdserverpb.RangeResponse', result.stdout) as Record<string, unknown>;
  return { ...result, stdout: Buffer.from(`protobuf: ${goJson(resp, 'etcdserverpb.RangeResponse')}\n`) };
}

/** True once `text` appears in the output in any format's spelling. */
const shows = (text: string) => (o: Output) => o.stdout.includes(text) || o.stdout.includes(Buffer.from(text).toString('base64'));

/** Polls until `count` keys exist under `prefix` (bounded in time). */
function waitForKeys(prefix: string, count: number, timeoutMs = 30_000): Promise<void> {
  return waitUntil(`${count} keys under ${prefix}`, timeoutMs, async () => {
    const r = await realCtl(ep, ['get', '--prefix', prefix, '--count-only', '-w', 'fields']);
    return r.stdout.toString().includes(`"Count" : ${count}\n`);
  });
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'lockdiff' });
  ep = cluster.endpointsFlag;
}, 90_000);

// A failed test leaves no process running.
afterEach(killAllBackground);

afterAll(async () => {
  await cluster?.stop();
});

describe('lock', () => {
  const cases = [...['simple', 'json', 'fields', 'protobuf'].map((format) => [format, 'SIGINT'] as const), ['simple', 'SIGTERM'] as const];
  for (const [format, signal] of cases) {
    it(`prints the owner key and releases it on ${signal}, -w ${format}`, async () => {
      const name = `lock-${format}-${signal}`;
      const side = async (which: Which) => {
        const proc = startCli(which, [ep, 'lock', name, '-w', format]);
        await proc.waitFor((o) => o.stdout.length > 0, 30_000, 'the owner key');
        await proc.settle();
        const result = decoded(await proc.stop(signal), format);
        // Released: the key is gone.
        const left = await realCtl(ep, ['get', '--prefix', `${name}/`, '--count-only', '-w', 'fields']);
        return { ...result, stdout: Buffer.concat([result.stdout, Buffer.from(`left: ${/"Count" : (\d+)/.exec(left.stdout.toString())?.[1]}\n`)]) };
      };
      const real = await side('real');
      const ours = await side('ours');
      expectSame({ args: [ep, 'lock', name, '-w', format], opts: {}, real, ours }, { masks: MASKS });
    });
  }

  it('ends with "session expired" when the session lease is revoked (exit 1)', async () => {
    const side = async (which: Which) => {
      const proc = startCli(which, [ep, 'lock', 'lock-revoked', '--ttl', '3']);
      await proc.waitFor((o) => o.stdout.length > 0, 30_000, 'the owner key');
      const lease = /\/([0-9a-f]+)\n/.exec(proc.output().stdout.toString())![1]!;
      await realCtl(ep, ['lease', 'revoke', lease]);
      return proc.exited(30_000);
    };
    const real = await side('real');
    const ours = await side('ours');
    expectSame({ args: [ep, 'lock', 'lock-revoked', '--ttl', '3'], opts: {}, real, ours }, { masks: MASKS });
  });

  it('argument and flag errors', async () => {
    expectSame(await runBoth([ep, 'lock']));
    expectSame(await runBoth([ep, 'lock', '--ttl', 'x', 'n']));
  });

  it('-w table fails once the lock is held (exit 4)', async () => {
    // Each side its own lock: etcdctl exits without releasing it (the lease expires later).
    const real = await runCli('real', [ep, 'lock', 'lock-table-real', '-w', 'table']);
    const ours = await runCli('ours', [ep, 'lock', 'lock-table-ours', '-w', 'table']);
    expectSame({ args: [ep, 'lock', '<name>', '-w', 'table'], opts: {}, real, ours });
  });

  it('runs a command while holding the lock and exits with its status', async () => {
    const script =
      'echo "key $ETCD_LOCK_KEY"; case "$ETCD_LOCK_REV" in ""|*[!0-9]*) echo "bad rev";; *) echo "rev ok";; esac; exit 3';
    expectSame(await runBoth([ep, 'lock', 'lock-exec', '--', 'sh', '-c', script]), { masks: MASKS });
    expectSame(await runBoth([ep, 'lock', 'lock-exec', '--', 'sh', '-c', 'echo fine']));
    expectSame(await runBoth([ep, 'lock', 'lock-exec', 'no-such-command-xyz', 'a']));
    expectSame(await runBoth([ep, 'lock', 'lock-exec', '--', 'sh', '-c', 'kill -9 $$']));
    // An inherited ETCD_LOCK_KEY wins over the lock's (Go's exec keeps the last duplicate).
    expectSame(await runBoth([ep, 'lock', 'lock-exec', '--', 'sh', '-c', 'echo "$ETCD_LOCK_KEY"'], { env: { ETCD_LOCK_KEY: 'inherited' } }));
    // The command's flags need `--`, or the lock command parses them.
    expectSame(await runBoth([ep, 'lock', 'lock-exec', 'sh', '-c', 'true']));
  });

  it('a waiting lock gives up on SIGINT (exit 1, context canceled)', async () => {
    const holder = startCli('real', [ep, 'lock', 'lock-wait']);
    await holder.waitFor((o) => o.stdout.length > 0, 30_000, 'the holder');
    const side = async (which: Which) => {
      const proc = startCli(which, [ep, 'lock', 'lock-wait']);
      await waitForKeys('lock-wait/', 2);
      const result = await proc.stop('SIGINT');
      await waitForKeys('lock-wait/', 1);
      return result;
    };
    const real = await side('real');
    const ours = await side('ours');
    await holder.stop('SIGINT');
    expectSame({ args: [ep, 'lock', 'lock-wait'], opts: {}, real, ours });
  });
});

describe('elect', () => {
  it('argument errors', async () => {
    for (const args of [['elect'], ['elect', 'a', 'b', 'c'], ['elect', 'a'], ['elect', '-l', 'a', 'b'], ['-w', 'xx', 'elect', 'a']]) {
      expectSame(await runBoth([ep, ...args]));
    }
  });

  for (const format of ['simple', 'json', 'fields', 'protobuf']) {
    it(`campaigns, prints the leader key and resigns on SIGINT, -w ${format}`, async () => {
      const name = `elect-${format}`;
      const side = async (which: Which) => {
        const proc = startCli(which, [ep, 'elect', name, 'proposal-value', '-w', format]);
        await proc.waitFor(shows('proposal-value'), 30_000, 'the leader key');
        await proc.settle();
        const result = decoded(await proc.stop('SIGINT'), format);
        const left = await realCtl(ep, ['get', '--prefix', `${name}/`, '--count-only', '-w', 'fields']);
        return { ...result, stdout: Buffer.concat([result.stdout, Buffer.from(`left: ${/"Count" : (\d+)/.exec(left.stdout.toString())?.[1]}\n`)]) };
      };
      const real = await side('real');
      const ours = await side('ours');
      expectSame({ args: [ep, 'elect', name, 'proposal-value', '-w', format], opts: {}, real, ours }, { masks: MASKS });
    });

    it(`observes leaders as they change, -w ${format}`, async () => {
      const name = `observe-${format}`;
      const side = async (which: Which): Promise<CliResult> => {
        const alpha = startCli('real', [ep, 'elect', name, 'alpha']);
        await alpha.waitFor(shows('alpha'), 30_000, 'alpha elected');
        const observer = startCli(which, [ep, 'elect', '-l', name, '-w', format]);
        await observer.waitFor(shows('alpha'), 30_000, 'alpha observed');
        await observer.settle();
        const bravo = startCli('real', [ep, 'elect', name, 'bravo']);
        await waitForKeys(`${name}/`, 2);
        await alpha.stop('SIGINT');
        await bravo.waitFor(shows('bravo'), 30_000, 'bravo elected');
        await observer.waitFor(shows('bravo'), 30_000, 'bravo observed');
        await observer.settle();
        const result = await observer.stop('SIGINT');
        await bravo.stop('SIGINT');
        return format === 'protobuf' ? protobufStream(result) : result;
      };
      const real = await side('real');
      const ours = await side('ours');
      expectSame({ args: [ep, 'elect', '-l', name, '-w', format], opts: {}, real, ours }, { masks: MASKS });
    });
  }
});

describe('in process, with injected signals', () => {
  /** An Io over buffers whose signals come from `signals`. */
  function memoryIo(signals: SignalSource): { io: Io; stdout: () => string; stderr: () => string } {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const io: Io = {
      stdout: { isTTY: false, write: (c) => void out.push(Buffer.from(c)) },
      stderr: { isTTY: false, write: (c) => void err.push(Buffer.from(c)) },
      readStdin: async () => Buffer.alloc(0),
      stdinLines: async function* () {},
      stdinIsTTY: false,
      readPassword: async () => '',
      onSignal: signals.onSignal,
    };
    return { io, stdout: () => Buffer.concat(out).toString(), stderr: () => Buffer.concat(err).toString() };
  }

  it('lock releases on an injected SIGTERM and exits 0', async () => {
    const signals = createSignalSource();
    const { io, stdout, stderr } = memoryIo(signals);
    const exit = main([ep, 'lock', 'inproc', '--ttl', '5'], io, {});
    await waitUntil('the owner key', 30_000, () => stdout().startsWith('inproc/'));
    expect(signals.raise('SIGTERM')).toBe(true);
    expect(await exit).toBe(0);
    expect(stderr()).toBe('');
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
    const left = await realCtl(ep, ['get', '--prefix', 'inproc/', '--count-only', '-w', 'fields']);
    expect(left.stdout.toString()).toContain('"Count" : 0');
  });

  it('a campaign interrupted before it is elected ends with context canceled (exit 1)', async () => {
    const holder = startCli('real', [ep, 'elect', 'inproc-e', 'first']);
    await holder.waitFor(shows('first'), 30_000, 'the holder');
    const signals = createSignalSource();
    const { io, stdout, stderr } = memoryIo(signals);
    const exit = main([ep, 'elect', 'inproc-e', 'second'], io, {});
    await waitForKeys('inproc-e/', 2);
    signals.raise('SIGINT');
    expect(await exit).toBe(1);
    expect([stdout(), stderr()]).toEqual(['', 'Error: context canceled\n']);
    await holder.stop('SIGINT');
    // The server deletes a cancelled campaign's key, unless the cancel reached it before its put
    // had returned (a race in etcd's election service, as in etcdctl's client-side campaign):
    // then the key goes with its session lease (60 s), which is no longer renewed.
    await waitForKeys('inproc-e/', 0, 90_000);
  }, 180_000);
});

/** Several RangeResponses back to back: split at each header field (0x0a) that decodes whole. */
function protobufStream(result: CliResult): CliResult {
  const parts: string[] = [];
  let rest = result.stdout;
  while (rest.length > 0) {
    let end = rest.length;
    // The next message starts where a header tag follows a complete message.
    for (let i = 1; i < rest.length; i++) {
      if (rest[i] !== 0x0a) continue;
      try {
        decodeMessage('etcdserverpb.RangeResponse', rest.subarray(0, i));
        decodeMessage('etcdserverpb.RangeResponse', rest.subarray(i));
        end = i;
        break;
      } catch {
        // not a boundary
      }
    }
    parts.push(goJson(decodeMessage('etcdserverpb.RangeResponse', rest.subarray(0, end)) as Record<string, unknown>, 'etcdserverpb.RangeResponse'));
    rest = rest.subarray(end);
  }
  return { ...result, stdout: Buffer.from(parts.map((p) => `protobuf: ${p}\n`).join('')) };
}

