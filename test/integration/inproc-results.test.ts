// Commands run in this process against a real member, with their typed results read back
// (test/support/inproc.ts's runForResult over main.ts's execute): no process is spawned and no
// text is parsed, yet parsing, configuration, the client and the command are the CLI's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.js';
import { runForResult, runInProcess } from '../support/inproc.js';

let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'inproc' });
  ep = cluster.endpointsFlag;
});

afterAll(async () => {
  await cluster?.stop();
});

describe('typed results in process', () => {
  it('put returns its response; get --prefix its key-values at a revision after it', async () => {
    const put1 = await runForResult([ep, 'put', '/inproc/a', 'one']);
    const put2 = await runForResult([ep, 'put', '/inproc/b', 'two']);
    expect([put1.code, put2.code]).toEqual([0, 0]);
    const first = put1.items[0];
    const second = put2.items[0];
    if (first?.kind !== 'put' || second?.kind !== 'put') throw new Error(`not put results: ${first?.kind}, ${second?.kind}`);
    const rev = BigInt(second.resp.header!.revision);
    expect(rev).toBe(BigInt(first.resp.header!.revision) + 1n);
    // Nothing is rendered: the results are not text on stdout.
    expect(put2.stdout.length).toBe(0);

    // -w table prints one response whole: a `get` Result.
    const got = await runForResult([ep, 'get', '--prefix', '/inproc/', '-w', 'table']);
    expect(got.code).toBe(0);
    const get = got.items[0];
    if (get?.kind !== 'get') throw new Error(`not a get result: ${get?.kind}`);
    expect(BigInt(get.resp.header!.revision)).toBeGreaterThanOrEqual(rev);
    expect(get.resp.count).toBe('2');
    expect(get.resp.kvs.map((kv) => [kv.key.toString(), kv.value.toString()])).toEqual([
      ['/inproc/a', 'one'],
      ['/inproc/b', 'two'],
    ]);
    expect(get.resp.kvs[1]!.mod_revision).toBe(second.resp.header!.revision);

    // -w fields streams decoded pages: the same key-values, page by page.
    const streamed = await runForResult([ep, 'get', '--prefix', '/inproc/', '-w', 'fields']);
    expect(streamed.code).toBe(0);
    expect(streamed.items).toEqual([]);
    const pages = streamed.pages as { kvs: { key: Buffer }[]; header: { revision: string } }[];
    expect(pages.flatMap((p) => p.kvs.map((kv) => kv.key.toString()))).toEqual(['/inproc/a', '/inproc/b']);
  });

  it('member list and endpoint status return their responses', async () => {
    const members = await runForResult([ep, 'member', 'list']);
    expect(members.code).toBe(0);
    const list = members.items[0];
    if (list?.kind !== 'memberList') throw new Error(`not a member list: ${list?.kind}`);
    expect(list.resp.members.map((m) => m.name)).toEqual(['inproc0']);
    expect(list.resp.members[0]!.clientURLs).toEqual(cluster.clientUrls);

    const status = await runForResult([ep, 'endpoint', 'status']);
    expect(status.code).toBe(0);
    const result = status.items[0];
    if (result?.kind !== 'endpointStatus') throw new Error(`not an endpoint status: ${result?.kind}`);
    expect(result.list.map((s) => s.endpoint)).toEqual(cluster.endpoints);
    const resp = result.list[0]!.resp;
    // One member: it leads, and its ID is the member list's.
    expect(resp.leader).toBe(resp.header!.member_id);
    expect(resp.header!.member_id).toBe(list.resp.members[0]!.ID);
    expect(BigInt(resp.header!.revision)).toBeGreaterThan(0n);
  });

  it('a stream is read to its end: endpoint health -w json yields one result', async () => {
    const health = await runForResult([ep, 'endpoint', 'health', '-w', 'json']);
    expect(health.code).toBe(0);
    const result = health.items[0];
    if (result?.kind !== 'endpointHealth') throw new Error(`not an endpoint health: ${result?.kind}`);
    expect(result.list.map((h) => [h.endpoint, h.health, h.error])).toEqual([[ep.replace('--endpoints=', ''), true, '']]);
  });

  it('an error gives main’s exit code and error line, the same as a full run', async () => {
    // Bad arguments (exit 128, before connecting), an RPC error (exit 1), an unknown flag (usage, exit 1).
    for (const [argv, code] of [
      [[ep, 'move-leader', 'not-hex'], 128],
      [[ep, 'get', 'k', '--rev', '999999'], 1],
      [[ep, 'member', 'list', '--nosuch'], 1],
    ] as const) {
      const typed = await runForResult([...argv]);
      const full = await runInProcess([...argv]);
      expect(typed.code, argv.join(' ')).toBe(code);
      expect(full.code).toBe(code);
      expect(typed.items).toEqual([]);
      expect(typed.error).toBeDefined();
      expect(typed.stderr.toString()).toMatch(/^Error: /);
      expect(typed.stderr.toString()).toBe(full.stderr.toString());
    }
  });
});
