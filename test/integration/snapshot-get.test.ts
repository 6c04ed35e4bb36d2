// snapshot get / snapshot ls (etcdctl-ts): a snapshot file read offline must print what etcdctl
// 3.5.16's get prints against a real etcd restored from that file (restored by the real etcdutl),
// byte for byte, over a keyspace with history, a compaction, deletions, re-creations, leases,
// binary keys and 100,000 keys. Masked: the header's cluster_id/member_id/raft_term (a restored
// member gets new ones; the offline reader prints 0) and etcdctl's zap retry warnings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import type { Arg } from '../support/byte-argv.js';
import { type CliResult, runCli } from '../support/run.js';
import { type RestoredMember, httpPost, putKey, putKeys, deleteKey, startRestoredMember } from '../support/snapshot.js';
import { sleep } from '../support/wait.js';

let cluster: Cluster;
let ep: string;
let port: number;
let work: string;
let snap: string;
let restored: RestoredMember;
/** Revisions of interest: before the compaction (gone), at it, in the middle, current. */
const rev = { beforeCompaction: 0, compaction: 0, middle: 0, halfK: 0 };

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const revisionOf = async () => Number((JSON.parse(await httpPost(port, '/v3/kv/range', { key: b64('none') })) as { header: { revision: string } }).header.revision);

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  port = cluster.members[0]!.clientPort;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-snapshot-get-'));

  // History that the compaction removes.
  for (let i = 0; i < 3; i++) await putKey(port, 'h/a', `a${i}`);
  await putKey(port, 'h/gone', 'x');
  await deleteKey(port, 'h/gone');
  rev.beforeCompaction = await revisionOf();
  await putKey(port, 'h/a', 'a3');
  rev.compaction = await revisionOf();
  await httpPost(port, '/v3/kv/compaction', { revision: String(rev.compaction), physical: true });

  // History after it: overwrites, a delete, a re-creation, leases, binary keys.
  await putKey(port, 'h/a', 'a4');
  await putKey(port, 'h/b', 'first life');
  await deleteKey(port, 'h/b');
  await putKey(port, 'h/c', 'c');
  rev.middle = await revisionOf();
  await putKey(port, 'h/b', 'second life');
  await deleteKey(port, 'h/c');
  await putKey(port, 'h/a', 'a5');
  const lease = (JSON.parse(await httpPost(port, '/v3/lease/grant', { TTL: '3600' })) as { ID: string }).ID;
  for (const k of ['l/1', 'l/2']) await httpPost(port, '/v3/kv/put', { key: b64(k), value: b64(`leased ${k}`), lease });
  await httpPost(port, '/v3/kv/put', { key: b64(Buffer.from([0x62, 0x2f, 0x00, 0xff, 0x0a])), value: b64(Buffer.from([0, 1, 0xfe, 0xff])) });
  await httpPost(port, '/v3/kv/put', { key: b64(Buffer.from([0xff, 0xfe])), value: b64('high bytes') });
  await putKey(port, 'b/ünïcödé', 'ünïcödé value');
  // Keys written one by one, for the sort orders (ties resolved as etcd does up to 12 results).
  for (const [k, v, times] of [['s/1', 'm', 3], ['s/2', 'a', 1], ['s/3', 'z', 2], ['s/4', 'a', 2], ['s/5', 'q', 1]] as const) {
    for (let t = 0; t < times; t++) await putKey(port, k, v);
  }
  // 100,000 keys (100 per transaction), some then deleted and re-created.
  const many = Array.from({ length: 100_000 }, (_, i): [string, string] => [`k/${String(i).padStart(6, '0')}`, `value ${i}`]);
  await putKeys(port, many.slice(0, 50_000));
  rev.halfK = await revisionOf();
  await putKeys(port, many.slice(50_000));
  for (const i of [5, 50_000, 99_999]) await deleteKey(port, `k/${String(i).padStart(6, '0')}`);
  await putKey(port, 'k/050000', 're-created');

  snap = path.join(work, 'keyspace.db');
  const save = await runCli('ours', [ep, 'snapshot', 'save', snap]);
  expect(save.code, save.stderr.toString()).toBe(0);
  restored = await startRestoredMember(snap, work);
}, 600_000);

afterAll(async () => {
  await restored?.stop();
  await cluster?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** What differs only because a member serves one side: header ids and term, zap retry warnings. */
function normalize(r: CliResult, protobuf: boolean): { code: number | null; stdout: Buffer; stderr: string } {
  const stderr = r.stderr
    .toString()
    .split('\n')
    .filter((line) => !line.startsWith('{"level":"warn"'))
    .join('\n');
  let stdout = r.stdout;
  if (protobuf) {
    // RangeResponse field 1 (the header) first: compare what follows it byte for byte.
    if (stdout[0] === 0x0a) stdout = stdout.subarray(2 + stdout[1]!);
  } else {
    stdout = Buffer.from(
      stdout
        .toString('latin1')
        .replace(/"(cluster_id|member_id|raft_term)":"?\d+"?,?/g, '')
        .replace(/,}/g, '}')
        .replace(/^"(ClusterID|MemberID|RaftTerm)" : \d+\n/gm, '')
        .replace(/^ *(cluster_id|member_id|raft_term): "\d+"\n/gm, ''),
      'latin1',
    );
  }
  return { code: r.code, stdout, stderr };
}

async function expectSameAsRestored(args: Arg[]): Promise<CliResult> {
  const [real, ours] = await Promise.all([runCli('real', [restored.endpointsFlag, 'get', ...args]), runCli('ours', ['snapshot', 'get', snap, ...args])]);
  const protobuf = args.includes('protobuf');
  const [r, o] = [normalize(real, protobuf), normalize(ours, protobuf)];
  expect(o.code, `${args.join(' ')}: ${ours.stderr.toString()}`).toBe(r.code);
  expect(o.stderr, args.join(' ')).toBe(r.stderr);
  expect(o.stdout.equals(r.stdout), `${args.join(' ')}: stdout differs\nreal: ${r.stdout.subarray(0, 600).toString('latin1')}\nours: ${o.stdout.subarray(0, 600).toString('latin1')}`).toBe(true);
  return ours;
}

describe('snapshot get against a restored member', () => {
  it('prints every key in every format like etcdctl get', async () => {
    for (const format of ['simple', 'json', 'fields', 'protobuf']) {
      await expectSameAsRestored(['', '--prefix', '-w', format]);
    }
    const all = await expectSameAsRestored(['', '--prefix', '--count-only', '-w', 'fields']);
    expect(all.stdout.toString()).toMatch(/"Count" : 100010\n$/);
  }, 300_000);

  it('answers ranges, limits, sort orders and output flags like etcdctl get', async () => {
    const cases: Arg[][] = [
      ['h/a'],
      ['h/a', '-w', 'json'],
      ['h/', '--prefix', '-w', 'fields'],
      ['h/b', '-w', 'protobuf'],
      ['k/000004'],
      ['k/000005'],
      ['k/050000', '-w', 'json'],
      ['k/0999', '--prefix', '-w', 'json'],
      ['k/099990', '--from-key', '-w', 'fields'],
      ['k/000100', 'k/000200'],
      ['k/000100', 'k/000200', '-w', 'json'],
      ['a', 'h/z', '--hex'],
      ['', '--from-key', '--limit', '5', '-w', 'fields'],
      ['k/', '--prefix', '--limit', '3', '-w', 'json'],
      ['k/', '--prefix', '--keys-only'],
      ['k/', '--prefix', '--keys-only', '-w', 'json'],
      ['k/', '--prefix', '--count-only', '-w', 'fields'],
      ['k/', '--prefix', '--limit', '10', '--order', 'DESCEND', '-w', 'fields'],
      ['k/', '--prefix', '--limit', '7', '--sort-by', 'MODIFY', '--order', 'DESCEND'],
      ['k/', '--prefix', '--limit', '4', '--sort-by', 'KEY', '--order', 'ASCEND', '-w', 'json'],
      ['l/', '--prefix', '-w', 'fields'],
      ['l/', '--prefix', '-w', 'json'],
      ['b/', '--prefix', '--print-value-only'],
      ['b/', '--prefix', '--hex', '-w', 'fields'],
      ['l/3', '--from-key', '--hex'],
      // Keys given as bytes that are not UTF-8.
      [Buffer.from([0xff, 0xfe]), '--hex'],
      [Buffer.from([0xff, 0xfe]), '-w', 'fields'],
      [Buffer.from([0x62, 0x2f]), Buffer.from([0x62, 0x2f, 0xff]), '-w', 'json'],
      ['l/3', '--from-key', '-w', 'json'],
      ['', '--prefix', '--limit', '2', '--hex', '-w', 'json'],
      ['nothing-here', '-w', 'json'],
      ['nothing-here', '-w', 'fields'],
      ['h/a', '-w', 'table'],
      ['h/a', '--count-only'],
      ['h/a', '--print-value-only', '-w', 'json'],
      ['h/a', '--keys-only', '--count-only'],
      ['h/a', '--prefix', '--from-key'],
      ['h/a', 'h/b', '--prefix'],
      ['h/a', '--sort-by', 'BOGUS'],
      ['h/a', '--order', 'SIDEWAYS'],
    ];
    for (const target of ['KEY', 'VERSION', 'CREATE', 'MODIFY', 'VALUE']) {
      for (const order of ['ASCEND', 'DESCEND']) cases.push(['s/', '--prefix', '--sort-by', target, '--order', order, '-w', 'fields']);
      cases.push(['s/', '--prefix', '--sort-by', target, '--limit', '2', '-w', 'json']);
    }
    // Ties (100 keys per transaction share create/mod revisions; versions and values repeat)
    // over ranges of 100 to 10,000 keys:
    // etcd's Go sort.Sort decides their order, and so must the offline reader.
    for (const target of ['VERSION', 'CREATE', 'MODIFY', 'VALUE']) {
      for (const order of ['ASCEND', 'DESCEND']) {
        cases.push(['k/01', '--prefix', '--sort-by', target, '--order', order, '--limit', '25']);
        cases.push(['k/0001', '--prefix', '--sort-by', target, '--order', order, '--keys-only']);
        cases.push(['k/095', '--from-key', '--sort-by', target, '--order', order, '--limit', '40', '-w', 'json']);
      }
    }
    for (const args of cases) await expectSameAsRestored(args);
  }, 600_000);

  it('reads history: older revisions, deletions, re-creations, and etcd revision errors', async () => {
    const cases: string[][] = [
      ['h/', '--prefix', '--rev', String(rev.middle), '-w', 'fields'],
      ['h/', '--prefix', '--rev', String(rev.middle), '-w', 'json'],
      ['h/b', '--rev', String(rev.middle - 1), '-w', 'json'],
      ['h/', '--prefix', '--rev', String(rev.compaction), '-w', 'fields'],
      ['', '--prefix', '--rev', String(rev.middle), '--count-only', '-w', 'fields'],
      ['k/', '--prefix', '--rev', String(rev.halfK), '--limit', '3', '--order', 'DESCEND', '-w', 'json'],
      ['k/', '--prefix', '--rev', String(rev.halfK), '--count-only', '-w', 'fields'],
      ['k/0499', '--prefix', '--rev', String(rev.halfK)],
      // Gone: before the compaction; not yet: after the current revision.
      ['h/a', '--rev', String(rev.beforeCompaction)],
      ['h/a', '--rev', '1', '-w', 'json'],
      ['h/a', '--rev', '100000000'],
    ];
    const current = (JSON.parse((await runCli('ours', ['snapshot', 'get', snap, 'x', '-w', 'json'])).stdout.toString()) as { header: { revision: number } })
      .header.revision;
    cases.push(['', '--prefix', '--rev', String(current), '-w', 'fields', '--limit', '3'], ['h/a', '--rev', String(current + 1)]);
    for (const args of cases) await expectSameAsRestored(args);
    const compacted = await runCli('ours', ['snapshot', 'get', snap, 'h/a', '--rev', String(rev.beforeCompaction)]);
    expect(compacted.stderr.toString()).toBe('Error: etcdserver: mvcc: required revision has been compacted\n');
    expect(compacted.code).toBe(1);
  }, 300_000);

  it('prints the readable formats as get does against the restored member', async () => {
    for (const args of [['h/', '--prefix', '-w', 'yaml'], ['l/', '--prefix', '-w', 'json-decoded'], ['b/', '--prefix', '--rev', String(rev.middle), '-w', 'yaml']]) {
      const live = normalize(await runCli('ours', [restored.endpointsFlag, 'get', ...args]), false);
      const offline = normalize(await runCli('ours', ['snapshot', 'get', snap, ...args]), false);
      expect(offline.code).toBe(0);
      expect(offline.stdout.toString()).toBe(live.stdout.toString());
    }
  });
});

describe('snapshot get with the revision filters (etcdctl-ts get extras, applied by the server)', () => {
  it('keeps and counts what the restored member keeps and counts', async () => {
    const cases: string[][] = [
      ['h/', '--prefix', '--max-create-rev', String(rev.middle), '-w', 'fields'],
      ['h/', '--prefix', '--min-mod-rev', String(rev.middle), '-w', 'json'],
      ['k/01', '--prefix', '--min-create-rev', String(rev.halfK), '--limit', '3', '-w', 'fields'],
      ['k/04999', '--prefix', '--max-mod-rev', String(rev.halfK), '--limit', '4', '-w', 'fields'],
      ['', '--from-key', '--max-mod-rev', String(rev.middle + 20), '--sort-by', 'MODIFY', '--order', 'DESCEND', '--limit', '5'],
      ['s/', '--prefix', '--min-mod-rev', '1', '--max-mod-rev', String(rev.halfK), '--sort-by', 'VERSION', '-w', 'json'],
    ];
    for (const args of cases) {
      const [live, offline] = await Promise.all([
        runCli('ours', [restored.endpointsFlag, 'get', ...args]),
        runCli('ours', ['snapshot', 'get', snap, ...args]),
      ]);
      expect(live.code, live.stderr.toString()).toBe(0);
      expect(offline.code, offline.stderr.toString()).toBe(0);
      expect(normalize(offline, false).stdout.toString(), args.join(' ')).toBe(normalize(live, false).stdout.toString());
    }
  }, 300_000);
});

describe('snapshot ls', () => {
  it('draws the tree ls draws on the restored member', async () => {
    for (const args of [[], ['k'], ['h/', '--depth', '0'], ['', '--depth', '2', '-w', 'json-decoded'], ['h', '--rev', String(rev.middle), '-w', 'yaml']]) {
      const prefix = args[0] === undefined ? [] : [args[0]];
      const flags = args.slice(1);
      const live = await runCli('ours', [restored.endpointsFlag, 'ls', ...prefix, ...flags]);
      const offline = await runCli('ours', ['snapshot', 'ls', snap, ...prefix, ...flags]);
      expect(live.code, live.stderr.toString()).toBe(0);
      expect(offline.code, offline.stderr.toString()).toBe(0);
      expect(offline.stdout.toString()).toBe(live.stdout.toString());
    }
  });
});

describe('snapshot get on other files', () => {
  it('reads a running member backend while it takes writes, without disturbing it', async () => {
    const dataDir = cluster.members[0]!.dataDir;
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing && written < 5000) {
        await putKeys(port, Array.from({ length: 20 }, (_, i) => [`live/${written}-${i}`, `v${written}`]));
        written++;
      }
    })();
    try {
      let previous = -1;
      for (let i = 0; i < 6; i++) {
        const r = await runCli('ours', ['snapshot', 'get', dataDir, 'live/', '--prefix', '--count-only', '-w', 'fields']);
        expect(r.code, r.stderr.toString()).toBe(0);
        const count = Number(/"Count" : (\d+)/.exec(r.stdout.toString())![1]);
        expect(count % 20).toBe(0); // whole transactions only
        expect(count).toBeGreaterThanOrEqual(previous);
        previous = count;
      }
    } finally {
      writing = false;
      await writer;
    }
    // Once etcd has committed the last batch, the file answers what the member answers.
    const live = await runCli('real', [ep, 'get', 'live/', '--prefix', '-w', 'json']);
    let offline: CliResult | undefined;
    for (let i = 0; i < 50; i++) {
      offline = await runCli('ours', ['snapshot', 'get', path.join(dataDir, 'member', 'snap', 'db'), 'live/', '--prefix', '-w', 'json']);
      if (normalize(offline, false).stdout.equals(normalize(live, false).stdout)) break;
      await sleep(200);
    }
    expect(normalize(offline!, false).stdout.toString()).toBe(normalize(live, false).stdout.toString());
    expect((await runCli('real', [ep, 'put', 'still/writable', 'yes'])).stdout.toString()).toBe('OK\n');
  });

  it('fails with one Error line on a file that is not a bbolt database, or is damaged', async () => {
    const garbage = path.join(work, 'garbage.db');
    fs.writeFileSync(garbage, Buffer.alloc(20_000, 0x5a));
    const truncated = path.join(work, 'truncated.db');
    fs.writeFileSync(truncated, fs.readFileSync(snap).subarray(0, Math.floor(fs.statSync(snap).size / 2)));
    const expectations: [string[], number, RegExp][] = [
      [['snapshot', 'get', garbage, 'k'], 1, /^Error: invalid database\n$/],
      [['snapshot', 'get', path.join(work, 'missing.db'), 'k'], 1, /^Error: open .*missing\.db: no such file or directory\n$/],
      [['snapshot', 'ls', garbage], 1, /^Error: invalid database\n$/],
      [['snapshot', 'get', truncated, '', '--prefix'], 2, /^Error: damaged bbolt file: page \d+: [^\n]+\n$/],
      [['snapshot', 'get', snap], 128, /^Error: get command needs one argument as key and an optional argument as range_end\n$/],
      [['snapshot', 'get'], 128, /^Error: snapshot get command needs a file, a key and an optional range_end\n$/],
      [['snapshot', 'get', snap, 'k', '-w', 'bogus'], 4, /^Error: unsupported output format\n$/],
    ];
    for (const [args, code, stderr] of expectations) {
      const r = await runCli('ours', args);
      expect(r.stderr.toString(), args.join(' ')).toMatch(stderr);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stdout.length).toBe(0);
    }
  });
});
