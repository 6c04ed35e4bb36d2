// `get` over a large range is read in pages at one revision and streamed: the output must equal
// etcdctl's single request, byte for byte, in simple, json and fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runCli } from '../support/run.js';
import { fillKeys, testClient } from '../support/fill.js';
import { httpGet } from '../support/watch-streams.js';

/** Range requests the member has answered so far (its gRPC server metrics). */
async function rangeRequests(): Promise<number> {
  const metrics = await httpGet(cluster.members[0]!.clientPort, '/metrics');
  const line = /^grpc_server_handled_total\{grpc_code="OK",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"\} (\d+)$/m.exec(metrics);
  return Number(line?.[1] ?? '0');
}

/** How many Range requests our `get` made. */
async function requestsOf(args: string[]): Promise<number> {
  const before = await rangeRequests();
  const ours = await runCli('ours', [ep, ...args], { timeoutMs: 60_000 });
  expect(ours.code).toBe(0);
  return (await rangeRequests()) - before;
}

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

  // etcd 3.5 counts the rest of the range for every limited request, so automatic paging reads a
  // rest that is small in bytes (~1 MB here) in one request after the first page.
  it('automatic paging: the first page, then the small rest in one request', async () => {
    expect(await requestsOf(['get', '--prefix', '/big/'])).toBe(2);
    expect(await requestsOf(['get', '--prefix', '/big/', '-w', 'fields'])).toBe(2);
    expect(await requestsOf(['get', '--prefix', '/big/', '--page-size', '0'])).toBe(1);
    expect(await requestsOf(['get', '--prefix', '/big/', '--page-size', '10000'])).toBe(3);
    expect(await requestsOf(['get', '--prefix', '/other/'])).toBe(1);
  });

  it('automatic paging: a rest of more than 32 MiB comes in pages of ~4 MiB until it fits', async () => {
    // 2,520 values of 25 KB: the first page holds 1,000 keys; the rest (1,520 keys, ~38 MB) comes
    // in pages of 167 keys (~4 MiB) until it is at most 32 MiB (1,186 keys): 4 requests.
    const writer = testClient(cluster.endpoints[0]!);
    try {
      for (let i = 0; i < 2520; i += 40) {
        const ops = [];
        for (let j = i; j < i + 40; j++) ops.push({ request_put: { key: Buffer.from(`/wide/${String(j).padStart(5, '0')}`), value: Buffer.alloc(25_000, 97 + (j % 26)) } });
        await writer.kv.txn({ success: ops });
      }
    } finally {
      writer.close();
    }
    for (const format of ['simple', 'json', 'fields']) {
      // ~63 MB of `fields` text per tool: minutes of wall time on a loaded 2-core machine.
      const both = await runBoth([ep, 'get', '--prefix', '/wide/', '-w', format], { timeoutMs: 240_000 });
      expect(both.real.code).toBe(0);
      expectSame(both);
    }
    expect(await requestsOf(['get', '--prefix', '/wide/'])).toBe(4);
    // Keys only weigh little: the rest comes in one request.
    expect(await requestsOf(['get', '--prefix', '/wide/', '--keys-only'])).toBe(2);
  }, 600_000);

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
