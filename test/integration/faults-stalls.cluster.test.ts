// Stalled and dying members on a real 3-member loopback cluster:
//
// - a member frozen with SIGSTOP: commands aimed at it alone end when --command-timeout or
//   --dial-timeout says (etcdctl's message and exit code), commands with other endpoints too
//   succeed on those;
// - a watch across two successive member kills: every event exactly once, in order;
// - snapshot save whose member is killed mid-download: exit 5 and no file left at the target.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type Member } from '../support/cluster.js';
import { streamingMember, watchStreams } from '../support/watch-streams.js';
import { startCli } from '../support/background.js';
import { runCli } from '../support/run.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runInProcess } from '../support/inproc.js';
import { sleep, waitUntil } from '../support/wait.js';

let cluster: Cluster;
let tmp: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, name: 'fs' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-faults-'));
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const endpointsOf = (members: Member[]) => `--endpoints=${members.map((m) => m.endpoint).join(',')}`;

/** A put through our CLI (in process), retried (bounded) while the cluster settles; fails the test if it never works. */
async function put(members: Member[], key: string, value: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = await runInProcess([endpointsOf(members), '--command-timeout=3s', 'put', key, value], { timeoutMs: 20_000 });
    if (r.code === 0) return;
    await sleep(200);
  }
  throw new Error(`put ${key} kept failing`);
}

describe('a member frozen with SIGSTOP', () => {
  let frozen: Member;
  let others: Member[];
  beforeAll(async () => {
    await cluster.waitHealthy();
    // A follower, so the others keep a leader.
    const leader = await cluster.leader();
    frozen = cluster.members.find((m) => m !== leader)!;
    others = cluster.members.filter((m) => m !== frozen);
    await put(cluster.members, 'stall/k', 'v');
    frozen.pause();
  });
  afterAll(() => {
    if (frozen?.paused) frozen.resume();
  });

  const TIMEOUT_S = 2;
  const BOUND_MS = (TIMEOUT_S + 3) * 1000;

  for (const args of [
    ['get', 'stall/k'],
    ['put', 'stall/k', 'w'],
    ['del', 'stall/none'],
  ]) {
    it(`${args[0]} against it alone ends after --command-timeout, like etcdctl`, async () => {
      const both = await runBoth([endpointsOf([frozen]), `--command-timeout=${TIMEOUT_S}s`, ...args], { timeoutMs: 30_000 });
      expectSame(both);
      expect(both.ours.code).toBe(1);
      expect(both.ours.stderr.toString()).toMatch(/Error: context deadline exceeded\n$/);
      expect(both.ours.durationMs).toBeLessThan(BOUND_MS);
    }, 60_000);
  }

  it('authentication against it alone ends after --dial-timeout with exit 2, like etcdctl', async () => {
    const both = await runBoth([endpointsOf([frozen]), `--dial-timeout=${TIMEOUT_S}s`, '--command-timeout=30s', '--user=nobody:secret', 'get', 'stall/k'], {
      timeoutMs: 30_000,
    });
    expectSame(both);
    expect(both.ours.code).toBe(2);
    expect(both.ours.stderr.toString()).toMatch(/Error: context deadline exceeded\n$/);
    expect(both.ours.durationMs).toBeLessThan(BOUND_MS);
  }, 60_000);

  it('a --dial-timeout of 0 or less sets no bound on authentication, as in clientv3', async () => {
    for (const dial of ['0s', '-1s']) {
      const both = await runBoth([endpointsOf(others), `--dial-timeout=${dial}`, '--user=nobody:secret', 'get', 'stall/k', '--print-value-only'], { timeoutMs: 30_000 });
      expectSame(both);
      expect(both.ours.code).toBe(0);
    }
  }, 60_000);

  it('commands succeed on the other members when it is one of several endpoints', async () => {
    const ep = endpointsOf([frozen, ...others]);
    const cases: [string[], string][] = [
      [['put', 'stall/k', 'moved-on'], 'OK\n'],
      [['get', 'stall/k', '--print-value-only'], 'moved-on\n'],
      [['--user=nobody:secret', 'get', 'stall/k', '--print-value-only'], 'moved-on\n'],
      [['del', 'stall/k'], '1\n'],
    ];
    for (const [args, stdout] of cases) {
      const r = await runCli('ours', [ep, `--command-timeout=${TIMEOUT_S}s`, `--dial-timeout=${TIMEOUT_S}s`, ...args], { timeoutMs: 30_000 });
      expect([args.join(' '), r.code, r.stdout.toString(), r.stderr.toString()]).toEqual([args.join(' '), 0, stdout, '']);
      expect(r.durationMs).toBeLessThan(BOUND_MS);
    }
    // In process too, many times: never a wait for the frozen member.
    for (let i = 0; i < 20; i++) {
      const r = await runInProcess([ep, `--command-timeout=${TIMEOUT_S}s`, 'put', `stall/n${i}`, 'x'], { timeoutMs: BOUND_MS });
      expect([r.hung, r.code, r.stderr.toString()]).toEqual([false, 0, '']);
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------


/** Moves leadership away from `m` (through our move-leader) if it leads; bounded. */
async function ensureNotLeader(m: Member): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const leader = await cluster.leader();
    if (leader !== undefined && leader !== m) return;
    if (leader === m) {
      const target = cluster.members.find((x) => x !== m && x.running)!;
      const id = BigInt((await target.status()).memberId).toString(16);
      const r = await runInProcess([endpointsOf([m]), 'move-leader', id], { timeoutMs: 20_000 });
      expect(r.code, r.stderr.toString()).toBe(0);
    }
    await sleep(300);
  }
  throw new Error(`could not move leadership away from ${m.name}`);
}

interface Event {
  type: string;
  key: string;
  value: string;
  modRevision: number;
  createRevision: number;
  version: number;
}

/** The events of a `watch -w json` output (one JSON WatchResponse per line), in order. */
function eventsOf(output: string): Event[] {
  const events: Event[] = [];
  // Only complete lines: a process may be in the middle of printing one.
  for (const line of output.split('\n').slice(0, -1)) {
    if (line.trim() === '') continue;
    const resp = JSON.parse(line) as {
      Events?: { type?: number; kv: { key: string; value?: string; mod_revision: number; create_revision: number; version: number } }[];
    };
    for (const e of resp.Events ?? []) {
      events.push({
        type: e.type === 1 ? 'DELETE' : 'PUT',
        key: Buffer.from(e.kv.key, 'base64').toString(),
        value: Buffer.from(e.kv.value ?? '', 'base64').toString(),
        modRevision: e.kv.mod_revision,
        createRevision: e.kv.create_revision,
        version: e.kv.version,
      });
    }
  }
  return events;
}

describe('a watch across two successive member kills', () => {
  it('prints every event exactly once, in order', async () => {
    await cluster.waitHealthy();
    const all = cluster.members;
    const watcher = startCli('ours', [endpointsOf(all), 'watch', '--prefix', 'w2/', '-w', 'json'], { lifetimeMs: 150_000 });
    const liveEvents = () => eventsOf(watcher.output().stdout.toString());
    try {
      // Write w2/000 until the watch shows it: the watch exists from then on.
      for (let i = 0; liveEvents().length === 0; i++) {
        if (i >= 60) throw new Error(`the watch never started: ${watcher.output().stderr.toString()}`);
        await put(all, 'w2/000', `ready-${i}`);
        await watcher.waitFor((o) => eventsOf(o.stdout.toString()).length > 0, 1000).catch(() => undefined);
      }
      let n = 0;
      const write = async (members: Member[], count: number) => {
        for (let i = 0; i < count; i++) {
          n++;
          await put(members, `w2/${String(n).padStart(3, '0')}`, `event-${n}`);
        }
      };
      const shows = (i: number) => () => liveEvents().some((e) => e.value === `event-${i}`);
      for (let round = 1; round <= 2; round++) {
        const victim = await streamingMember(cluster);
        await ensureNotLeader(victim);
        const survivors = all.filter((m) => m !== victim);
        await write(survivors, 5);
        // Frozen first: the writes in between reach the watch only if it resumes where it was.
        victim.pause();
        await write(survivors, 10);
        await victim.kill('SIGKILL');
        await write(survivors, 10);
        await watcher.waitFor(shows(n), 30_000, `event ${n} after kill ${round}`);
        await victim.restart();
        expect(survivors).toContain(await streamingMember(cluster));
      }
      await write(all, 5);
      await watcher.waitFor(shows(n), 30_000, 'the last event');
      await watcher.settle(500);
      const result = await watcher.stop('SIGINT');
      const live = eventsOf(result.stdout.toString());

      // The cluster's own history of w2/ from the first event the watch printed, replayed by etcdctl.
      const from = live[0]!.modRevision;
      const replay = startCli('real', [endpointsOf(all), 'watch', '--prefix', 'w2/', '--rev', String(from), '-w', 'json']);
      await replay.waitFor((o) => eventsOf(o.stdout.toString()).some((e) => e.value === `event-${n}`), 30_000, 'the replay');
      await replay.settle(300);
      const history = eventsOf((await replay.stop('SIGINT')).stdout.toString());
      expect(live).toEqual(history);
      // Strictly increasing revisions: nothing twice, nothing out of order.
      for (let i = 1; i < live.length; i++) expect(live[i]!.modRevision).toBeGreaterThan(live[i - 1]!.modRevision);
      // Every numbered write is in it.
      for (let i = 1; i <= n; i++) expect(live.some((e) => e.value === `event-${i}`), `event-${i}`).toBe(true);
      expect(result.stderr.toString()).toBe('');
    } finally {
      await watcher.stop('SIGKILL').catch(() => undefined);
    }
  }, 150_000);
});

// ---------------------------------------------------------------------------------------------

describe('snapshot save from a member that is killed mid-download', () => {
  it('fails with exit 5 and leaves no file at the target', async () => {
    await cluster.waitHealthy();
    // Some 600 kB of data: about 20 chunks of 32 KiB to interrupt.
    const value = Buffer.alloc(100_000, 'x').toString();
    for (let i = 0; i < 6; i++) await put(cluster.members, `snapdata/${i}`, value);
    const leader = await cluster.leader();
    const source = cluster.members.find((m) => m !== leader)!;
    const target = path.join(tmp, 'killed.db');
    const save = startCli('ours', [endpointsOf([source]), 'snapshot', 'save', target], {
      env: { TEST_ETCDCTL_TS_SNAPSHOT_WRITE_DELAY_MS: '100' },
      lifetimeMs: 60_000,
    });
    let size = 0;
    await waitUntil('the download to start', 30_000, () => {
      size = fs.existsSync(`${target}.part`) ? fs.statSync(`${target}.part`).size : 0;
      return size > 0;
    }, undefined, 50);
    expect(size, 'the download started').toBeGreaterThan(0);
    await source.kill('SIGKILL');
    const result = await save.exited(30_000);
    expect(result.code, result.stderr.toString()).toBe(5);
    const stderr = result.stderr.toString();
    expect(stderr).toMatch(/\nError: rpc error: code = Unavailable desc = [^\n]+\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(`${target}.part`)).toBe(false);
    await source.restart();
  }, 60_000);
});
