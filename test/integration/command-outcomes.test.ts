// txn, lease, watch, dump, load, ls and k8s decode return what they print (main.ts's execute, read
// back in process by test/support/inproc.ts's runForResult): typed results and fmt texts, nothing
// written by the command itself; streams (watch) are read to their end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.js';
import { runForResult } from '../support/inproc.js';
import type { Printable } from '../../dist/output/outcome.js';

let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'outcomes' });
  ep = cluster.endpointsFlag;
});

afterAll(async () => {
  await cluster?.stop();
});

const texts = (items: Printable[]) => items.map((item) => (item.kind === 'text' ? Buffer.from(item.text).toString() : `<${item.kind}>`)).join('');

describe('commands return their output', () => {
  it('txn returns its response; nothing is written by the command', async () => {
    const run = await runForResult([ep, 'txn'], { stdin: '\nput /oc/a 1\nput /oc/b 2\n\n\n' });
    expect(run.code).toBe(0);
    expect(run.items.map((i) => i.kind)).toEqual(['txn']);
    const txn = run.items[0]!;
    if (txn.kind !== 'txn') throw new Error('not a txn');
    expect(txn.resp.succeeded).toBe(true);
    expect(run.stdout.length).toBe(0);
  });

  it('lease grant, timetolive, list and keep-alive --once return their responses', async () => {
    const grant = await runForResult([ep, 'lease', 'grant', '600']);
    const granted = grant.items[0];
    if (granted?.kind !== 'leaseGrant') throw new Error(`not a grant: ${granted?.kind}`);
    const id = BigInt(granted.resp.ID).toString(16);
    const ttl = await runForResult([ep, 'lease', 'timetolive', id]);
    expect(ttl.items.map((i) => i.kind)).toEqual(['leaseTimeToLive']);
    const list = await runForResult([ep, 'lease', 'list']);
    const leases = list.items[0];
    if (leases?.kind !== 'leaseList') throw new Error(`not a list: ${leases?.kind}`);
    expect(leases.resp.leases.map((l) => l.ID)).toContain(granted.resp.ID);
    const once = await runForResult([ep, 'lease', 'keep-alive', '--once', id]);
    expect(once.items.map((i) => i.kind)).toEqual(['leaseKeepAlive']);
    for (const run of [grant, ttl, list, once]) expect([run.code, run.stdout.length]).toEqual([0, 0]);
  });

  it('dump returns the keyspace file as texts; load --dry-run reads it back as texts', async () => {
    const dump = await runForResult([ep, 'dump', '/oc/']);
    expect(dump.code).toBe(0);
    expect(dump.items.every((i) => i.kind === 'text')).toBe(true);
    const file = texts(dump.items);
    expect(file.split('\n').slice(1)).toEqual(['{"key":"/oc/a","value":"1"}', '{"key":"/oc/b","value":"2"}', '']);
    const load = await runForResult([ep, 'load', '--dry-run'], { stdin: file.replace('"value":"2"', '"value":"3"') });
    expect(load.code).toBe(0);
    expect(texts(load.items)).toMatch(/^~ \/oc\/b\ndry run of <stdin> against revision \d+: would be 0 created, 1 updated, 0 deleted, 1 unchanged\n$/);
    expect([dump.stdout.length, load.stdout.length]).toEqual([0, 0]);
  });

  it('ls returns its tree (simple output as text), k8s decode its object as text', async () => {
    const tree = await runForResult([ep, 'ls', '/oc', '-w', 'json']);
    expect(tree.items.map((i) => i.kind)).toEqual(['ls']);
    const simple = await runForResult([ep, 'ls', '/oc']);
    expect(simple.items.map((i) => i.kind)).toEqual(['text']);
    const decoded = await runForResult(['k8s', 'decode', '-o', 'json'], { stdin: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}' });
    expect(decoded.code).toBe(0);
    expect(JSON.parse(texts(decoded.items))).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'x' } });
    for (const run of [tree, simple, decoded]) expect(run.stdout.length).toBe(0);
  });

  it('watch is a stream: a start before the compaction yields the canceled response, then exits 5', async () => {
    const put = await runForResult([ep, 'put', '/oc/w', 'x']);
    const rev = put.items[0]?.kind === 'put' ? put.items[0].resp.header!.revision : '0';
    expect((await runForResult([ep, 'compaction', rev])).code).toBe(0);
    const watch = await runForResult([ep, 'watch', '--rev', '1', '/oc/w']);
    expect(watch.code).toBe(5);
    expect(watch.items.map((i) => i.kind)).toEqual(['watch']);
    const resp = watch.items[0]!;
    if (resp.kind !== 'watch') throw new Error('not a watch response');
    expect(resp.resp.canceled).toBe(true);
    expect(watch.stdout.length).toBe(0);
    expect(watch.stderr.toString()).toMatch(/^watch was canceled \(etcdserver: mvcc: required revision has been compacted\)\nError: watch is canceled by the server\n$/);
  });
});
