// snapshot save and snapshot status against a real etcd 3.5.16, side by side with the real etcdctl
// and etcdutl: messages, formats and exit codes, files saved by either tool read by the other, and
// an interrupted save (SIGINT/SIGTERM) that leaves nothing behind. Restore: snapshot-restore.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth, runBothWithReset } from '../support/diff.js';
import { oursEntryPath } from '../support/etcd-bin.js';
import { childEnv, runCli } from '../support/run.js';
import { BoltReader } from '../../src/offline/bbolt.js';
import { etcdutl, moveAside, putKey, readHead, seedHistory, statusJson } from '../support/snapshot.js';
import { waitUntil } from '../support/wait.js';

let cluster: Cluster;
let ep: string;
let work: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-snapshot-'));
  const port = cluster.members[0]!.clientPort;
  await seedHistory(port);
});
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await cluster?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('snapshot help', () => {
  it('prints the same usage texts', async () => {
    for (const args of [['snapshot'], ['snapshot', '--help'], ['snapshot', 'save', '--help'], ['snapshot', 'status', '--help'], ['snapshot', 'restore', '--help']]) {
      expectSame(await runBoth(args));
    }
  });
});

describe('snapshot save', () => {
  it('saves the same snapshot with the same messages', async () => {
    const file = path.join(work, 'saved.db');
    const both = await runBothWithReset([ep, 'snapshot', 'save', file], {}, moveAside(file));
    expectSame(both);
    expect(both.ours.stdout.toString()).toBe(`Snapshot saved at ${file}\n`);
    // Both log the same zap lines (only their times differ).
    const msgs = (s: Buffer) => [...s.toString().matchAll(/"msg":"([^"]*)"/g)].map((m) => m[1]);
    expect(msgs(both.ours.stderr)).toEqual(msgs(both.real.stderr));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    // The real etcdutl accepts our file and sees the same data as in the real etcdctl's.
    expect(await statusJson(file)).toEqual(await statusJson(`${file}.real`));
  });

  it('fails like etcdctl', async () => {
    const target = path.join(work, 'err.db');
    fs.mkdirSync(path.join(work, 'a-dir'));
    const cases: string[][] = [
      [ep, 'snapshot', 'save'],
      [ep, 'snapshot', 'save', 'a', 'b'],
      [`${ep},127.0.0.1:1`, 'snapshot', 'save', target],
      [ep, 'snapshot', 'save', path.join(work, 'no', 'such', 'dir.db')],
      [ep, 'snapshot', 'save', path.join(work, 'a-dir')],
      [ep, 'snapshot', 'save', target, '-w', 'yaml'],
      ['--endpoints=127.0.0.1:1', '--command-timeout=1s', 'snapshot', 'save', target],
    ];
    for (const args of cases) {
      const both = await runBoth(args);
      expectSame(both);
      expect(both.ours.code, args.join(' ')).not.toBe(0);
    }
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(`${target}.part`)).toBe(false);
  });
});

describe('snapshot status', () => {
  let realFile: string;
  let ourFile: string;

  beforeAll(async () => {
    realFile = path.join(work, 'status-real.db');
    ourFile = path.join(work, 'status-ours.db');
    expect((await runCli('real', [ep, 'snapshot', 'save', realFile])).code).toBe(0);
    expect((await runCli('ours', [ep, 'snapshot', 'save', ourFile])).code).toBe(0);
  });

  it('prints every format like etcdctl, for files saved by either tool', async () => {
    for (const format of ['simple', 'json', 'fields', 'table', 'protobuf', 'yaml']) {
      expectSame(await runBoth(['snapshot', 'status', ourFile, '-w', format]));
    }
    for (const format of ['simple', 'table']) expectSame(await runBoth(['snapshot', 'status', realFile, '-w', format]));
  });

  it('agrees with etcdutl', async () => {
    for (const file of [realFile, ourFile]) {
      const ours = await runCli('ours', ['snapshot', 'status', file, '-w', 'json']);
      const util = await etcdutl(['snapshot', 'status', file, '-w', 'json']);
      expect(ours.stdout.toString(), ours.stderr.toString()).toBe(util.stdout.toString());
    }
  });

  it('ignores ETCDCTL_* variables and fails like etcdctl', async () => {
    expectSame(await runBoth(['snapshot', 'status', ourFile], { env: { ETCDCTL_WRITE_OUT: 'json', ETCDCTL_BOGUS: 'x' } }));
    const empty = path.join(work, 'empty.db');
    fs.writeFileSync(empty, '');
    const garbage = path.join(work, 'garbage.db');
    fs.writeFileSync(garbage, Buffer.alloc(9000, 0x5a));
    const short = path.join(work, 'short.db');
    fs.writeFileSync(short, readHead(ourFile, 5000));
    for (const args of [
      ['snapshot', 'status'],
      ['snapshot', 'status', 'a', 'b'],
      ['snapshot', 'status', path.join(work, 'missing.db')],
      ['snapshot', 'status', path.join(work, 'missing.db'), '-w', 'protobuf'],
      ['snapshot', 'status', empty],
      ['snapshot', 'status', garbage],
      ['snapshot', 'status', short],
      ['snapshot', 'status', work],
    ]) {
      expectSame(await runBoth(args));
    }
  });
});

describe('snapshot status on a damaged file', () => {
  // etcdctl 3.5.16 dies there (bbolt's "assertion failed" panic, or a fault reading past the end
  // of a truncated file): exit status 2 with a Go stack trace. etcdctl-ts: the same status, one
  // clear line.
  let damaged: { truncated: string; flipped: string };

  beforeAll(async () => {
    const source = path.join(work, 'damage-source.db');
    expect((await runCli('ours', [ep, 'snapshot', 'save', source])).code).toBe(0);
    const db = BoltReader.open(source);
    const keyRoot = db.bucket('key')!.root;
    const pageSize = db.pageSize;
    db.close();
    expect(keyRoot).toBeGreaterThan(1);
    const data = fs.readFileSync(source);
    damaged = { truncated: path.join(work, 'truncated.db'), flipped: path.join(work, 'flipped.db') };
    // Cut just before the key bucket's root page; and a copy whose root page has its type bits cleared.
    fs.writeFileSync(damaged.truncated, data.subarray(0, keyRoot * pageSize));
    const flipped = Buffer.from(data);
    flipped.writeUInt16LE(0, keyRoot * pageSize + 8);
    fs.writeFileSync(damaged.flipped, flipped);
  });

  for (const kind of ['truncated', 'flipped'] as const) {
    it(`exits 2 like etcdctl on a ${kind} file, with one Error line`, async () => {
      const both = await runBoth(['snapshot', 'status', damaged[kind]]);
      expect(both.real.code, both.real.stderr.toString()).toBe(2);
      expect(both.ours.code).toBe(2);
      expect(both.ours.stdout.toString()).toBe('');
      expect(both.ours.stderr.toString()).toMatch(/^Deprecated: Use `etcdutl snapshot status` instead\.\n\nError: damaged bbolt file: page \d+: [^\n]+\n$/);
    });
  }
});

describe('interrupted snapshot save', () => {
  beforeAll(async () => {
    // About 4 MB of data, so the stream has ~130 chunks to interrupt.
    const value = Buffer.alloc(100_000, 'x');
    for (let i = 0; i < 40; i++) await putKey(cluster.members[0]!.clientPort, `big/${i}`, value);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`leaves no file behind on ${signal}`, async () => {
      const target = path.join(work, `interrupted-${signal}.db`);
      const child = spawn(process.execPath, [oursEntryPath(), ep, 'snapshot', 'save', target], {
        env: childEnv({ TEST_ETCDCTL_TS_SNAPSHOT_WRITE_DELAY_MS: '30' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      // Wait until the download is under way.
      let size = 0;
      await waitUntil('the download to start', 30_000, () => {
        size = fs.existsSync(`${target}.part`) ? fs.statSync(`${target}.part`).size : 0;
        return size > 0 || child.exitCode !== null;
      }, undefined, 50);
      expect(size).toBeGreaterThan(0);
      child.kill(signal);
      const result = await exited;
      children.delete(child);
      expect(result.signal).toBe(signal);
      expect(fs.existsSync(target)).toBe(false);
      expect(fs.existsSync(`${target}.part`)).toBe(false);
    });
  }
});
