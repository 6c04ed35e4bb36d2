// Differential tests of watch over a dense history: few revisions of ~1,000 events each (txns),
// which etcd sends a replaying watch as one response of tens of thousands of events, more than
// 4 MiB with the large values among them. etcdctl-ts prints simple and json output straight from
// that response's wire bytes (client/watch-wire.ts, output/watch-render.ts), and must print what
// etcdctl prints: puts and deletes, binary keys and values, --prev-kv, --hex, and compaction.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { killAllBackground } from '../support/background.js';
import { expectSame, runBoth } from '../support/diff.js';
import { testClient } from '../support/fill.js';
import { bothUntilMarker as bothUntilMarkerOn } from '../support/watch-streams.js';

let cluster: Cluster;
let ep: string;
let start: bigint;
let last: bigint;
const MARKER = 'END-MARKER';
const REVISIONS = 30;
const EVENTS = 1000;
const KEYS = 2000;

const hexOf = (text: string) => [...Buffer.from(text)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');

const bothUntilMarker = (args: string[], marker = MARKER) => bothUntilMarkerOn(ep, args, marker);

/** A value of the key's i-th write: text of varying length, some binary, a few long enough for other code paths. */
function valueFor(rev: number, i: number): Buffer {
  if (i % 97 === 0) return Buffer.from([0, 0xff, 0x0a, rev & 0xff, i & 0xff, 0xc3]);
  if (i % 41 === 0) return Buffer.alloc(300 + ((rev * 31 + i) % 500), `r${rev}-${i}|`);
  return Buffer.from(`v${rev}.${i} "q" \\ é`.repeat(1 + (i % 3)));
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'watchdense', extraArgs: [`--max-txn-ops=${EVENTS}`] });
  ep = cluster.endpointsFlag;
  const client = testClient(cluster.members[0]!.endpoint);
  try {
    const put = (key: string | Buffer, value: Buffer) => ({ request_put: { key: Buffer.from(key), value } });
    const del = (key: string) => ({ request_delete_range: { key: Buffer.from(key) } });
    for (let rev = 0; rev < REVISIONS; rev++) {
      // 900 puts and 100 deletes of distinct keys (a txn may not touch a key twice); a window
      // moving over KEYS keys, so later revisions overwrite (prev-kv) and delete earlier keys.
      const ops = [];
      for (let i = 0; i < EVENTS; i++) {
        const key = `d/${String((i + rev * 150) % KEYS).padStart(5, '0')}`;
        ops.push(i < 900 ? put(key, valueFor(rev, i)) : del(key));
      }
      // A few revisions carry a value of 1 MB: the replay's one response is then well over 4 MiB.
      if (rev % 5 === 2) ops[0] = put(`d/big/${rev}`, Buffer.alloc(1024 * 1024, `big${rev}`));
      // A binary key.
      ops[1] = put(Buffer.from([0x64, 0x2f, 0xfe, rev, 0x00]), Buffer.from(`bin key ${rev}`));
      const resp = await client.kv.txn({ success: ops });
      start ??= BigInt(resp.header!.revision);
    }
    last = BigInt((await client.kv.txn({ success: [put('d/zz', Buffer.from(MARKER))] })).header!.revision);
  } finally {
    client.close();
  }
}, 180_000);

afterEach(killAllBackground);

afterAll(async () => {
  await cluster?.stop();
});

describe('watch replay of a dense history (1,000 events per revision)', () => {
  it('simple', async () => {
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(start)]));
  });

  it('simple --prev-kv, and --hex', async () => {
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(start), '--prev-kv']));
    expectSame(await bothUntilMarker(['watch', '--hex', 'd/', '--prefix', '--rev', String(start + 20n), '--prev-kv'], hexOf(MARKER)));
  });

  it('json, and json --prev-kv', async () => {
    const marker = Buffer.from(MARKER).toString('base64');
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(start), '-w', 'json'], marker));
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(start + 3n), '-w', 'json', '--prev-kv'], marker));
  });

  it('a key range inside the dense revisions', async () => {
    expectSame(await bothUntilMarker(['watch', 'd/00100', 'd/zzz', '--rev', String(start), '--prev-kv']));
  });
});

// Last: compaction makes the earlier history unavailable.
describe('watch replay of a dense history after a compaction', () => {
  let compactedAt: bigint;
  beforeAll(async () => {
    compactedAt = start + BigInt(REVISIONS / 2);
    const client = testClient(cluster.members[0]!.endpoint);
    try {
      await client.kv.compact({ revision: String(compactedAt), physical: true });
    } finally {
      client.close();
    }
  });

  it('a start before the compaction ends the watch (exit 5), in simple and json', async () => {
    for (const format of ['simple', 'json']) {
      const both = await runBoth([ep, 'watch', 'd/', '--prefix', '--rev', String(start), '-w', format]);
      expect(both.real.code).toBe(5);
      expectSame(both);
    }
  });

  it('a replay from the compaction revision on is whole', async () => {
    expect(last).toBeGreaterThan(compactedAt);
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(compactedAt), '--prev-kv']));
    expectSame(await bothUntilMarker(['watch', 'd/', '--prefix', '--rev', String(compactedAt), '-w', 'json'], Buffer.from(MARKER).toString('base64')));
  });
});
