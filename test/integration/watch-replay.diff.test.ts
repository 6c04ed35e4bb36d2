// Differential tests of watch over a long history (~5,000 revisions): etcdctl-ts reads such a
// replay through several watches at once in simple output (client/watch-replay.ts), and must
// print exactly what etcdctl prints through its one watch. The history has revisions with several
// events (txns), deletes, binary values, and a stretch of more than 1,000 revisions that touch
// only unwatched keys (a whole segment without events).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { killAllBackground } from '../support/background.js';
import { expectSame, runBoth } from '../support/diff.js';
import { testClient } from '../support/fill.js';
import { bothUntilMarker as bothUntilMarkerOn } from '../support/watch-streams.js';

let cluster: Cluster;
let ep: string;
let start: string;
const MARKER = 'END-MARKER';
const REVISIONS = 5000;

const bothUntilMarker = (args: string[], marker = MARKER) => bothUntilMarkerOn(ep, args, marker);

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'watchreplay' });
  ep = cluster.endpointsFlag;
  const client = testClient(cluster.members[0]!.endpoint);
  try {
    const put = (key: string, value: string | Buffer) => ({ request_put: { key: Buffer.from(key), value: Buffer.from(value) } });
    const first = await client.kv.txn({ success: [put('w/k0', 'first')] });
    start = first.header!.revision;
    for (let i = 1; i < REVISIONS; i++) {
      let ops;
      if (i >= 1500 && i < 2700) ops = [put('other/x', `o${i}`)];
      else if (i % 97 === 0) ops = [put(`w/t${i}/a`, 'a'), put(`w/t${i}/b`, Buffer.from([0, 0xff, 0x0a, i & 0xff])), put('other/y', 'y'), put(`w/t${i}/c`, 'c')];
      else if (i % 13 === 0) ops = [{ request_delete_range: { key: Buffer.from(`w/k${(i / 13) % 20}`) } }];
      else ops = [put(`w/k${i % 20}`, `v${i} "q" \\ é`)];
      await client.kv.txn({ success: ops });
    }
    await client.kv.txn({ success: [put('w/k3', `${MARKER}-k3`)] });
    await client.kv.txn({ success: [put('w/zz', MARKER)] });
  } finally {
    client.close();
  }
}, 180_000);

afterEach(killAllBackground);

afterAll(async () => {
  await cluster?.stop();
});

describe('watch replay of a long history', () => {
  it('a prefix, simple output', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/', '--prefix', '--rev', start]));
  });

  it('a prefix with --prev-kv, and with --hex', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/', '--prefix', '--rev', start, '--prev-kv']));
    expectSame(await bothUntilMarker(['watch', '--hex', 'w/', '--prefix', '--rev', start, '--prev-kv'], Buffer.from(MARKER).toString('hex').replace(/../g, '\\x$&')));
  });

  it('a key range, and a single key', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/k0', 'w/k5', '--rev', start], `${MARKER}-k3`));
    expectSame(await bothUntilMarker(['watch', 'w/k3', '--rev', start], `${MARKER}-k3`));
  });

  it('everything (--prefix ""), from a later revision', async () => {
    expectSame(await bothUntilMarker(['watch', '--prefix', '', '--rev', String(BigInt(start) + 777n)]));
  });

  // Response grouping shows in json: there the watch is never split, and both tools print the
  // server's batches as they came.
  it('-w json is one watch, batch for batch', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/', '--prefix', '--rev', start, '-w', 'json'], Buffer.from(MARKER).toString('base64')));
  });
});

// Last: compaction makes the earlier history unavailable.
describe('watch replay of a long history after a compaction', () => {
  let compactedAt: bigint;
  beforeAll(async () => {
    // In the middle of the history: a replay from before it is refused by the first stretch.
    compactedAt = BigInt(start) + 2500n;
    const client = testClient(cluster.members[0]!.endpoint);
    try {
      await client.kv.compact({ revision: String(compactedAt), physical: true });
    } finally {
      client.close();
    }
  });

  it('a compacted start revision ends the watch (exit 5) as etcdctl', async () => {
    const both = await runBoth([ep, 'watch', 'w/', '--prefix', '--rev', start]);
    expect(both.real.code).toBe(5);
    expectSame(both);
  });

  it('a replay from the compaction revision on is whole', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/', '--prefix', '--rev', String(compactedAt)]));
  });
});
