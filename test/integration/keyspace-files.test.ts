// dump, load and diff on real etcd members: a 100,000-key round trip between two clusters (binary
// keys and values, empty values), idempotent loads, diffs, pruning, bad files and txn limits.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { fillKeys, testClient } from '../support/fill.js';
import { runCli } from '../support/run.js';
import { startCli } from '../support/background.js';
import { startFaultProxy } from '../support/fault-proxy.js';

const KEYS = 100_000;
let source: Cluster;
let target: Cluster;
let dir: string;
const file = (name: string) => path.join(dir, name);
const src = () => `--endpoints=${source.endpoints[0]}`;
const dst = () => `--endpoints=${target.endpoints[0]}`;

async function revisionOf(cluster: Cluster): Promise<string> {
  const client = testClient(cluster.endpoints[0]!);
  try {
    return (await client.kv.range({ key: Buffer.from('x') })).header!.revision;
  } finally {
    client.close();
  }
}

/** The file without its header's revision (the one thing that differs between clusters). */
const withoutRevision = (text: string) => text.replace(/"revision":"\d+"/, '"revision":"-"');

beforeAll(async () => {
  [source, target] = await Promise.all([startCluster({ size: 1, name: 'dumpsrc' }), startCluster({ size: 1, name: 'dumpdst' })]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-keyspace-'));
  // Text values, empty values (every 7th) and binary values (every 11th).
  await fillKeys(source.endpoints[0]!, '/big/', KEYS, (i) => (i % 7 === 0 ? '' : i % 11 === 0 ? Buffer.from([0xff, 0x00, i & 0xff, 0xfe]) : `value ${i} é`));
  const client = testClient(source.endpoints[0]!);
  try {
    for (const key of [Buffer.from([0x2f, 0x62, 0x69, 0x67, 0x2f, 0xff, 0x00]), Buffer.from('/big/\u0000nul'), Buffer.from('/big/"quoted"\n')]) {
      await client.kv.put({ key, value: Buffer.from([0xc3, 0x28]) });
    }
    await client.kv.put({ key: Buffer.from('/other'), value: Buffer.from('outside the prefix') });
  } finally {
    client.close();
  }
}, 300_000);

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dump → load → dump', () => {
  it(`round-trips ${KEYS} keys with binary keys and values and empty values, byte for byte`, async () => {
    const d1 = await runCli('ours', [src(), 'dump', '/big/', '--output', file('a.jsonl')], { timeoutMs: 120_000 });
    expect(d1.stderr.toString()).toBe('');
    expect(d1.code).toBe(0);
    const a = fs.readFileSync(file('a.jsonl'), 'utf8');
    const lines = a.trimEnd().split('\n');
    expect(lines).toHaveLength(KEYS + 4);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'etcdctl-ts/keyspace', version: 1, prefix: '/big/', count: KEYS + 3 });
    expect(lines[1]).toBe('{"key":"/big/\\u0000nul","value_b64":"wyg="}');
    expect(lines).toContain('{"key":"/big/0000007","value":""}');
    expect(lines).toContain('{"key":"/big/0000011","value_b64":"/wAL/g=="}');
    expect(lines[lines.length - 1]).toBe('{"key_b64":"L2JpZy//AA==","value_b64":"wyg="}');
    expect(fs.readdirSync(dir)).toEqual(['a.jsonl']); // no temporary file left

    const load = await runCli('ours', [dst(), 'load', file('a.jsonl')], { timeoutMs: 180_000 });
    expect(load.stderr.toString()).toBe('');
    expect(load.code).toBe(0);
    expect(load.stdout.toString()).toContain(`loaded ${file('a.jsonl')}: ${KEYS + 3} created, 0 updated, 0 deleted, 0 unchanged\n`);

    const d2 = await runCli('ours', [dst(), 'dump', '/big/'], { timeoutMs: 120_000 });
    expect(d2.code).toBe(0);
    expect(withoutRevision(d2.stdout.toString())).toBe(withoutRevision(a));
  }, 400_000);

  it('a second load changes nothing (not even the revision), and diff finds no difference', async () => {
    const before = await revisionOf(target);
    const again = await runCli('ours', [dst(), 'load', file('a.jsonl')], { timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect(again.stdout.toString()).toBe(`loaded ${file('a.jsonl')}: 0 created, 0 updated, 0 deleted, ${KEYS + 3} unchanged\n`);
    expect(await revisionOf(target)).toBe(before);
    const diff = await runCli('ours', [dst(), 'diff', file('a.jsonl')], { timeoutMs: 120_000 });
    expect(diff.stdout.toString()).toBe('');
    expect(diff.code).toBe(0);
  }, 300_000);
});

describe('diff, --dry-run and --prune', () => {
  const small = () => file('small.jsonl');
  beforeAll(async () => {
    const client = testClient(source.endpoints[0]!);
    for (const [k, v] of [['/s/a', '1'], ['/s/b', '2'], ['/s/c', '3'], ['/s/d', '4'], ['/s/e', '5'], ['/s/f', '6'], ['/s/g', '7'], ['/s/h', '8'], ['/s/i', '9']]) {
      await client.kv.put({ key: Buffer.from(k!), value: Buffer.from(v!) });
    }
    client.close();
    const d = await runCli('ours', [src(), 'dump', '/s/', '-o', small()]);
    expect(d.code).toBe(0);
    expect((await runCli('ours', [dst(), 'load', small()])).code).toBe(0);
    const client2 = testClient(target.endpoints[0]!);
    await client2.kv.put({ key: Buffer.from('/s/b'), value: Buffer.from('changed') });
    await client2.kv.put({ key: Buffer.from('/s/extra'), value: Buffer.from('x') });
    await client2.kv.deleteRange({ key: Buffer.from('/s/i') });
    client2.close();
  });

  it('diff prints a unified diff from the cluster to the file, exit 1, no colour on a pipe', async () => {
    const r = await runCli('ours', [dst(), 'diff', small()], { env: { FORCE_COLOR: undefined } });
    expect(r.code).toBe(1);
    const rev = await revisionOf(target);
    expect(r.stdout.toString()).toBe(
      [
        `--- etcd /s/ at revision ${rev}`,
        `+++ ${small()}`,
        '@@ -1,9 +1,9 @@',
        ' {"key":"/s/a","value":"1"}',
        '-{"key":"/s/b","value":"changed"}',
        '+{"key":"/s/b","value":"2"}',
        ' {"key":"/s/c","value":"3"}',
        ' {"key":"/s/d","value":"4"}',
        ' {"key":"/s/e","value":"5"}',
        '-{"key":"/s/extra","value":"x"}',
        ' {"key":"/s/f","value":"6"}',
        ' {"key":"/s/g","value":"7"}',
        ' {"key":"/s/h","value":"8"}',
        '+{"key":"/s/i","value":"9"}',
        '',
      ].join('\n'),
    );
  });

  it('load --dry-run shows the changes and writes nothing; --prune deletes what the file lacks', async () => {
    const before = await revisionOf(target);
    const dry = await runCli('ours', [dst(), 'load', small(), '--dry-run', '--prune']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.toString()).toBe(`~ /s/b\n- /s/extra\n+ /s/i\ndry run of ${small()} against revision ${before}: would be 1 created, 1 updated, 1 deleted, 7 unchanged\n`);
    expect(await revisionOf(target)).toBe(before);
    // Without --prune the extra key stays.
    const load = await runCli('ours', [dst(), 'load', small()]);
    expect(load.stdout.toString()).toBe(`~ /s/b\n+ /s/i\nloaded ${small()}: 1 created, 1 updated, 0 deleted, 7 unchanged\n`);
    expect((await runCli('ours', [dst(), 'diff', small()])).code).toBe(1);
    // On a pipe --prune does not ask.
    const prune = await runCli('ours', [dst(), 'load', small(), '--prune']);
    expect(prune.stdout.toString()).toBe(`- /s/extra\nloaded ${small()}: 0 created, 0 updated, 1 deleted, 9 unchanged\n`);
    expect((await runCli('ours', [dst(), 'diff', small()])).code).toBe(0);
  });

  it('txns larger than the server allows are split (server --max-txn-ops is 128)', async () => {
    const text = ['{"format":"etcdctl-ts/keyspace","version":1,"prefix":"/ops/","revision":"1","count":300}'];
    for (let i = 0; i < 300; i++) text.push(JSON.stringify({ key: `/ops/${String(i).padStart(3, '0')}`, value: `${i}` }));
    fs.writeFileSync(file('ops.jsonl'), `${text.join('\n')}\n`);
    const r = await runCli('ours', [dst(), 'load', file('ops.jsonl'), '--max-txn-ops', '1000']);
    expect(r.stderr.toString()).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain(': 300 created, 0 updated, 0 deleted, 0 unchanged\n');
  });
});

describe('leases', () => {
  it('dump --with-leases records lease and TTL; load grants one new lease per recorded lease', async () => {
    const client = testClient(source.endpoints[0]!);
    const lease = await client.lease.grant({ TTL: '600', ID: '0' });
    await client.kv.put({ key: Buffer.from('/l/a'), value: Buffer.from('1'), lease: lease.ID });
    await client.kv.put({ key: Buffer.from('/l/b'), value: Buffer.from('2'), lease: lease.ID });
    await client.kv.put({ key: Buffer.from('/l/c'), value: Buffer.from('3') });
    client.close();
    const d = await runCli('ours', [src(), 'dump', '/l/', '--with-leases']);
    expect(d.code).toBe(0);
    const lines = d.stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[1]).toMatchObject({ key: '/l/a', value: '1', lease: BigInt(lease.ID).toString(16) });
    expect(lines[1].ttl).toBeGreaterThan(500);
    expect(lines[3]).toEqual({ key: '/l/c', value: '3' });
    const load = await runCli('ours', [dst(), 'load'], { stdin: d.stdout });
    expect(load.code).toBe(0);
    const target1 = testClient(target.endpoints[0]!);
    const got = await target1.kv.range({ key: Buffer.from('/l/'), range_end: Buffer.from('/l0') });
    const [a, b, c] = got.kvs;
    expect(a!.lease).not.toBe('0');
    expect(b!.lease).toBe(a!.lease);
    expect(c!.lease).toBe('0');
    const ttl = await target1.lease.timeToLive({ ID: a!.lease });
    expect(Number(ttl.TTL)).toBeGreaterThan(500);
    target1.close();
    // Loading again changes nothing: the keys hold the values and a lease.
    const again = await runCli('ours', [dst(), 'load'], { stdin: d.stdout });
    expect(again.stdout.toString()).toBe('loaded <stdin>: 0 created, 0 updated, 0 deleted, 3 unchanged\n');
  });
});

describe('a key changed while load runs', () => {
  it('is not overwritten: the load stops saying what it wrote', async () => {
    const n = 2000;
    const text = [JSON.stringify({ format: 'etcdctl-ts/keyspace', version: 1, prefix: '/race/', revision: '1', count: n })];
    for (let i = 0; i < n; i++) text.push(`{"key":"/race/${String(i).padStart(4, '0')}","value":"file"}`);
    fs.writeFileSync(file('race.jsonl'), `${text.join('\n')}\n`);
    // One key per txn: the load is still writing the first keys when the last one is changed.
    const load = startCli('ours', [dst(), 'load', file('race.jsonl'), '--max-txn-ops', '1'], { lifetimeMs: 120_000 });
    await load.waitFor((out) => out.stdout.includes('+ /race/0000\n'), 60_000, 'the first change written');
    const client = testClient(target.endpoints[0]!);
    await client.kv.put({ key: Buffer.from('/race/1999'), value: Buffer.from('theirs') });
    const r = await load.exited(60_000);
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/^Error: load stopped: \/race\/1999 was changed by someone else after it was read; written in 1999 txns before: 1999 created, 0 updated, 0 deleted; loading the file again finishes the job\n$/);
    expect((await client.kv.range({ key: Buffer.from('/race/1999') })).kvs[0]!.value.toString()).toBe('theirs');
    client.close();
  }, 120_000);
});

describe('a load that loses its connection midway', () => {
  it('says exactly what it wrote and which txn is uncertain; loading again finishes the job', async () => {
    const n = 60_000;
    const text = [JSON.stringify({ format: 'etcdctl-ts/keyspace', version: 1, prefix: '/cut/', revision: '1', count: n })];
    for (let i = 0; i < n; i++) text.push(`{"key":"/cut/${String(i).padStart(6, '0')}","value":"${i}"}`);
    fs.writeFileSync(file('cut.jsonl'), `${text.join('\n')}\n`);
    const proxy = await startFaultProxy(target.members[0]!.clientPort);
    try {
      const load = startCli('ours', [`--endpoints=${proxy.endpoint}`, 'load', file('cut.jsonl')], { lifetimeMs: 120_000 });
      await load.waitFor((out) => out.stdout.length > 2000 * 14, 60_000, 'the first changes written');
      proxy.loseResponses = true;
      const r = await load.exited(60_000);
      expect(r.code).toBe(1);
      const m = /^Error: load stopped: (.*); written in (\d+) txns before: (\d+) created, 0 updated, 0 deleted; the txn of (\d+) changes, from \/cut\/\d+ to \/cut\/\d+, may or may not have been applied; loading the file again finishes the job\n$/.exec(r.stderr.toString());
      expect(m, r.stderr.toString()).not.toBeNull();
      const created = Number(m![3]);
      const uncertain = Number(m![4]);
      // What it printed is what it says it wrote.
      expect(r.stdout.toString().split('\n').filter((l) => l.startsWith('+ ')).length).toBe(created);
      const client = testClient(target.endpoints[0]!);
      const stored = Number((await client.kv.range({ key: Buffer.from('/cut/'), range_end: Buffer.from('/cut0'), count_only: true })).count);
      client.close();
      expect([created, created + uncertain]).toContain(stored);
    } finally {
      await proxy.close();
    }
    const again = await runCli('ours', [dst(), 'load', file('cut.jsonl')], { timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect((await runCli('ours', [dst(), 'diff', file('cut.jsonl')], { timeoutMs: 60_000 })).code).toBe(0);
  }, 240_000);
});

describe('bad input writes nothing', () => {
  const header = (count: number, prefix = '/bad/') => JSON.stringify({ format: 'etcdctl-ts/keyspace', version: 1, prefix, revision: '5', count });
  it.each([
    ['a line that is not JSON', `${header(2)}\n{"key":"/bad/a","value":"1"}\n{"key":"/bad/b","value":\n`, 'line 3: not JSON'],
    ['a key outside the prefix', `${header(2)}\n{"key":"/bad/a","value":"1"}\n{"key":"/elsewhere","value":"1"}\n`, "line 3: the key does not start with the file's prefix"],
    ['a duplicate key', `${header(2)}\n{"key":"/bad/a","value":"1"}\n{"key":"/bad/a","value":"2"}\n`, 'line 3: the key is already given on line 2'],
    ['bad base64', `${header(1)}\n{"key":"/bad/a","value_b64":"!!"}\n`, 'line 2: "value_b64" is not standard padded base64'],
    ['a cut-off file', `${header(3)}\n{"key":"/bad/a","value":"1"}\n{"key":"/bad/b","value":"1"}\n`, 'line 3: the header counts 3 keys but the file has 2 (cut off?)'],
    ['no header', '{"key":"/bad/a","value":"1"}\n', 'line 1: not a keyspace file'],
    ['an unknown field', `${header(1)}\n{"key":"/bad/a","value":"1","vaule":"2"}\n`, 'line 2: unknown field "vaule"'],
    ['a missing value', `${header(1)}\n{"key":"/bad/a"}\n`, 'line 2: "value" or "value_b64" is missing'],
  ])('%s', async (_name, text, message) => {
    const before = await revisionOf(target);
    const r = await runCli('ours', [dst(), 'load'], { stdin: text });
    expect(r.code).toBe(3);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr.toString()).toMatch(new RegExp(`^Error: <stdin>: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\n$`));
    expect(await revisionOf(target)).toBe(before);
    const d = await runCli('ours', [dst(), 'diff'], { stdin: text });
    expect(d.code).toBe(2);
  });

  it('dump --output replaces a regular file (keeping its mode) and a link\'s target, never a FIFO or device', async () => {
    const real = file('real.jsonl');
    fs.writeFileSync(real, 'old', { mode: 0o600 });
    fs.symlinkSync(real, file('link.jsonl'));
    expect((await runCli('ours', [src(), 'dump', '/s/', '--output', file('link.jsonl')])).code).toBe(0);
    expect(fs.lstatSync(file('link.jsonl')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toMatch(/^\{"format":"etcdctl-ts\/keyspace"/);
    expect(fs.statSync(real).mode & 0o777).toBe(0o600);
    const fifo = file('pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    const got: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => got.push(c));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    expect((await runCli('ours', [src(), 'dump', '/s/', '--output', fifo])).code).toBe(0);
    await closed;
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(Buffer.concat(got).toString()).toMatch(/^\{"format":"etcdctl-ts\/keyspace".*\n\{"key":"\/s\/a","value":"1"\}\n/);
    for (const f of [real, file('link.jsonl'), fifo]) fs.rmSync(f);
  });

  it('dump --output into a missing directory fails with exit 6 and leaves nothing', async () => {
    const r = await runCli('ours', [src(), 'dump', '/s/', '--output', path.join(dir, 'missing', 'x.jsonl')]);
    expect(r.code).toBe(6);
    expect(r.stderr.toString()).toMatch(/^Error: cannot create .*x\.jsonl: ENOENT\n$/);
  });
});
