// snapshot restore, side by side with the real etcdctl 3.5.16: messages, exit codes and the files
// of the data dir (WAL and .snap byte for byte, the backend through etcdutl snapshot status), and a
// data dir restored by etcdctl-ts from which a real etcd starts and serves every key.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoltReader, PAGE_FLAG_BRANCH, branchElements, readPageHeader } from '../../src/offline/bbolt.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, mask, runBoth, runBothWithReset } from '../support/diff.js';
import { etcdPath } from '../support/etcd-bin.js';
import { childEnv, runCli } from '../support/run.js';
import { etcdutl, expectSameDataDir, freePorts, maskConsoleTimes, moveAside, putKeys, seedHistory, statusJson } from '../support/snapshot.js';
import { sleep } from '../support/wait.js';

let cluster: Cluster;
let ep: string;
let work: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-snapshot-'));
  const port = cluster.members[0]!.clientPort;
  await seedHistory(port);
  // Enough data for multi-level B+trees and overflow pages in the backend.
  await putKeys(port, Array.from({ length: 1500 }, (_, i) => [`many/${String(i).padStart(5, '0')}`, `value number ${i} `.repeat(3)]));
  await putKeys(port, [0, 1, 2].map((i) => [`large/${i}`, Buffer.alloc(200_000, 97 + i)]));
});
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await cluster?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('snapshot restore', () => {
  let snap: string;

  beforeAll(async () => {
    snap = path.join(work, 'restore-src.db');
    expect((await runCli('ours', [ep, 'snapshot', 'save', snap])).code).toBe(0);
  });

  it('writes the same data dir as etcdctl, with the same messages', async () => {
    const flagSets: string[][] = [
      [],
      ['--name', 'm1', '--initial-cluster', 'm1=http://127.0.0.1:12380', '--initial-advertise-peer-urls', 'http://127.0.0.1:12380', '--initial-cluster-token', 'tok'],
      [
        '--name',
        'b',
        '--initial-cluster',
        'a=http://127.0.0.1:1,b=http://127.0.0.1:2,b=https://127.0.0.1:7,c=unix://sock',
        '--initial-advertise-peer-urls',
        'https://127.0.0.1:7,http://127.0.0.1:2',
        '--initial-cluster-token',
        't3',
      ],
      ['--bump-revision', '1000', '--mark-compacted'],
    ];
    for (const [i, flags] of flagSets.entries()) {
      const dataDir = path.join(work, `restored-${i}`);
      const both = await runBothWithReset(['snapshot', 'restore', snap, '--data-dir', dataDir, ...flags], {}, moveAside(dataDir));
      expectSame(both, { masks: [maskConsoleTimes] });
      expect(both.ours.code).toBe(0);
      expectSameDataDir(`${dataDir}.real`, dataDir);
      expect(await statusJson(path.join(dataDir, 'member', 'snap', 'db'))).toMatchObject(
        (({ totalSize: _ignored, ...rest }) => rest)((await statusJson(path.join(`${dataDir}.real`, 'member', 'snap', 'db'))) as Record<string, unknown>),
      );
    }
  });

  it('restores with --skip-hash-check and a separate --wal-dir', async () => {
    // A backend without the SHA-256 trailer: the db of a restored data dir.
    const plain = path.join(work, 'restored-0', 'member', 'snap', 'db');
    const dataDir = path.join(work, 'skip-hash');
    const walDir = path.join(work, 'skip-hash-wal');
    const both = await runBothWithReset(
      ['snapshot', 'restore', plain, '--skip-hash-check', '--data-dir', dataDir, '--wal-dir', walDir],
      {},
      moveAside(dataDir, walDir),
    );
    expectSame(both, { masks: [maskConsoleTimes] });
    expectSameDataDir(`${walDir}.real`, walDir);
    expect(fs.existsSync(path.join(dataDir, 'member', 'wal'))).toBe(false);
  });

  it('fails like etcdctl', async () => {
    const nonEmpty = path.join(work, 'non-empty');
    fs.mkdirSync(nonEmpty);
    fs.writeFileSync(path.join(nonEmpty, 'x'), '');
    const plain = path.join(work, 'restored-0', 'member', 'snap', 'db');
    const cases: string[][] = [
      ['snapshot', 'restore'],
      ['snapshot', 'restore', snap, '--bump-revision', '5'],
      ['snapshot', 'restore', snap, '--mark-compacted'],
      ['snapshot', 'restore', path.join(work, 'missing.db'), '--data-dir', path.join(work, 'f1')],
      ['snapshot', 'restore', snap, '--data-dir', nonEmpty],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f2'), '--wal-dir', nonEmpty],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f3'), '--name', 'nobody'],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f4'), '--initial-cluster', 'default=127.0.0.1:2'],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f5'), '--initial-cluster', 'default=ftp://h:1'],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f6'), '--initial-advertise-peer-urls', 'http://127.0.0.1:9'],
      ['snapshot', 'restore', snap, '--data-dir', path.join(work, 'f7'), '--initial-cluster', 'default=http://localhost:2380,x=http://localhost:2380'],
    ];
    for (const args of cases) {
      const both = await runBoth(args);
      expectSame(both, { masks: [maskConsoleTimes] });
      expect(both.ours.code, args.join(' ')).not.toBe(0);
    }
    // Without its hash, a snapshot needs --skip-hash-check (both leave the half-made dir behind).
    const noHash = path.join(work, 'f8');
    expectSame(await runBothWithReset(['snapshot', 'restore', plain, '--data-dir', noHash], {}, moveAside(noHash)), { masks: [maskConsoleTimes] });
    // Not a bbolt file: etcd's backend panics (we print the panic line without Go's stack trace).
    const garbage = path.join(work, 'garbage.db');
    fs.writeFileSync(garbage, Buffer.alloc(9000, 0x5a));
    const garbageDir = path.join(work, 'f9');
    const both = await runBothWithReset(['snapshot', 'restore', garbage, '--skip-hash-check', '--data-dir', garbageDir], {}, moveAside(garbageDir));
    expect(both.ours.code).toBe(2);
    expectSame(both, { masks: [maskConsoleTimes, mask('Go stack trace', /^(panic: .*\n)\ngoroutine [\s\S]*$/m, '$1', ['stderr'])] });
  });

  it('the real etcdutl restores a snapshot saved by etcdctl-ts', async () => {
    const r = await etcdutl(['snapshot', 'restore', snap, '--data-dir', path.join(work, 'by-etcdutl')]);
    expect(r.code, r.stderr.toString()).toBe(0);
  });

  it('gives a data dir from which a real etcd serves every key', async () => {
    const [clientPort, peerPort] = await freePorts(2);
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const dataDir = path.join(work, 'served');
    const restore = await runCli('ours', [
      'snapshot',
      'restore',
      snap,
      '--data-dir',
      dataDir,
      '--name',
      'phoenix',
      '--initial-cluster',
      `phoenix=${peerUrl}`,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster-token',
      'reborn',
    ]);
    expect(restore.code, restore.stderr.toString()).toBe(0);
    // The backend we wrote has branch pages and overflow pages for etcd to read.
    const db = BoltReader.open(path.join(dataDir, 'member', 'snap', 'db'));
    const keyRoot = db.page(db.bucket('key')!.root);
    expect(readPageHeader(keyRoot).flags).toBe(PAGE_FLAG_BRANCH);
    expect(branchElements(keyRoot).some((child) => readPageHeader(db.page(child.pgid)).overflow > 0)).toBe(true);
    db.close();

    const log = fs.openSync(path.join(work, 'served.log'), 'w');
    const etcd = spawn(
      etcdPath(),
      [
        '--name=phoenix',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=phoenix=${peerUrl}`,
        '--initial-cluster-token=reborn',
        '--log-level=error',
      ],
      { stdio: ['ignore', log, log], env: childEnv() },
    );
    children.add(etcd);
    try {
      const restored = `--endpoints=127.0.0.1:${clientPort}`;
      let healthy = false;
      for (let i = 0; i < 100 && !healthy && etcd.exitCode === null; i++) {
        healthy = (await runCli('real', [restored, 'endpoint', 'health'], { timeoutMs: 10_000 })).code === 0;
        if (!healthy) await sleep(200);
      }
      expect(healthy, fs.readFileSync(path.join(work, 'served.log'), 'utf8')).toBe(true);

      const kvs = async (endpoint: string) => {
        const r = await runCli('real', [endpoint, 'get', '', '--prefix', '-w', 'json']);
        expect(r.code, r.stderr.toString()).toBe(0);
        return (JSON.parse(r.stdout.toString()) as { kvs: unknown[] }).kvs;
      };
      const served = await kvs(restored);
      expect(served.length).toBe(1524);
      expect(served).toEqual(await kvs(ep));

      const members = await runCli('real', [restored, 'member', 'list', '-w', 'simple']);
      expect(members.stdout.toString()).toMatch(new RegExp(`^[0-9a-f]+, started, phoenix, ${peerUrl}, ${clientUrl}, false\\n$`));
      // And it takes writes.
      expect((await runCli('real', [restored, 'put', 'after/restore', 'yes'])).stdout.toString()).toBe('OK\n');
    } finally {
      etcd.kill('SIGTERM');
      const exited = new Promise((r) => etcd.once('exit', r));
      if (etcd.exitCode === null && etcd.signalCode === null) {
        const timer = setTimeout(() => etcd.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.closeSync(log);
      children.delete(etcd);
    }
  });
});

