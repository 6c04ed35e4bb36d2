// `get` over a large range is read in pages at one revision and streamed: the output must equal
// etcdctl's single request, byte for byte, in simple, json and fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runCli } from '../support/run.js';
import { fillKeys, testClient } from '../support/fill.js';

const KEYS = 20_000;
let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  // Some binary and multi-line values among plain ones.
  await fillKeys(cluster.endpoints[0]!, '/big/', KEYS, (i) => (i % 997 === 0 ? Buffer.from([0xff, 0x0a, i % 256]) : `value-${i}`));
  await fillKeys(cluster.endpoints[0]!, '/other/', 10);
});
afterAll(async () => {
  await cluster?.stop();
});

describe('paged get equals a single request', () => {
  // Automatic paging (first page 1000 keys) with the same command line on both sides.
  it.each([
    [['get', '--prefix', '/big/']],
    [['get', '--prefix', '/big/', '-w', 'json']],
    [['get', '--prefix', '/big/', '-w', 'fields']],
    [['get', '--prefix', '/big/', '--keys-only']],
    [['get', '--prefix', '/big/', '--print-value-only', '--hex']],
    [['get', '/big/0000500', '/big/0019000']],
    [['get', '--from-key', '/big/0015000']],
    [['get', '--prefix', '']],
  ])('%j', async (args) => {
    const both = await runBoth([ep, ...args], { timeoutMs: 60_000 });
    expect(both.real.code).toBe(0);
    expectSame(both);
  });

  it.each([['simple'], ['json'], ['fields']])('with a small --page-size (%s)', async (format) => {
    const real = await runCli('real', [ep, 'get', '--prefix', '/big/', '-w', format], { timeoutMs: 60_000 });
    const ours = await runCli('ours', [ep, 'get', '--prefix', '/big/', '-w', format, '--page-size', '700'], { timeoutMs: 60_000 });
    expect(ours.code).toBe(0);
    expect(ours.stderr.toString()).toBe('');
    expect(ours.stdout.equals(real.stdout)).toBe(true);
  });

  it('keeps the single request where paging could change the answer', async () => {
    for (const args of [
      ['get', '--prefix', '/big/', '--limit', '1500'],
      ['get', '--prefix', '/big/', '--sort-by', 'VALUE', '--order', 'DESCEND', '--keys-only'],
      ['get', '--prefix', '/big/', '-w', 'fields', '--count-only'],
      ['get', '--prefix', '/big/', '-w', 'protobuf'],
      ['get', '--prefix', '/big/', '-w', 'table'],
      ['get', '--prefix', '/big/', '-w', 'json', '--print-value-only'],
    ]) {
      expectSame(await runBoth([ep, ...args], { timeoutMs: 60_000 }));
    }
  });

  it("reads every page at the first page's revision, even while keys are written", async () => {
    const writer = testClient(cluster.endpoints[0]!);
    let writing = true;
    const writes = (async () => {
      // Bounded: at most 400 puts, ending as soon as the read is done.
      for (let i = 0; i < 400 && writing; i++) await writer.kv.put({ key: Buffer.from(`/big/0010000-new-${i}`), value: Buffer.from('x') });
    })();
    const ours = await runCli('ours', [ep, 'get', '--prefix', '/big/', '-w', 'json', '--page-size', '300'], { timeoutMs: 60_000 });
    writing = false;
    await writes;
    writer.close();
    const parsed = JSON.parse(ours.stdout.toString()) as { header: { revision: number }; kvs: unknown[]; count: number };
    const real = await runCli('real', [ep, 'get', '--prefix', '/big/', '-w', 'json', '--rev', String(parsed.header.revision)], { timeoutMs: 60_000 });
    const expected = JSON.parse(real.stdout.toString()) as { kvs: unknown[]; count: number };
    expect(parsed.count).toBe(expected.count);
    expect(parsed.kvs).toEqual(expected.kvs);
  });
});
