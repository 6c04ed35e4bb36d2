// Behaviour of etcdctl-ts's long-running commands on a real 3-member cluster: a watch survives
// the death of the member it streams from (no event lost or repeated), two lock holders are
// serialised, and an election hands over when the leader resigns.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type Member } from '../support/cluster.js';
import { streamingMember, watchStreams } from '../support/watch-streams.js';
import { killAllBackground, startCli } from '../support/background.js';
import { runCli } from '../support/run.js';
import { expectSame } from '../support/diff.js';
import { sleep, waitUntil } from '../support/wait.js';

let cluster: Cluster;
let ep: string;
let tmp: string;


/** A put through a member's JSON gateway, retried (bounded) while the cluster settles; its revision. */
async function put(m: Member, key: string, value: string): Promise<string> {
  const body = JSON.stringify({ key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64') });
  for (let attempt = 0; attempt < 50; attempt++) {
    const revision = await new Promise<string | undefined>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: m.clientPort, method: 'POST', path: '/v3/kv/put', agent: false, timeout: 3000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const answer = /"revision":"(\d+)"/.exec(Buffer.concat(chunks).toString('utf8'));
            resolve(res.statusCode === 200 ? answer?.[1] : undefined);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(undefined));
      req.end(body);
    });
    if (revision !== undefined) return revision;
    await sleep(100);
  }
  throw new Error(`put ${key} kept failing on ${m.name}`);
}

beforeAll(async () => {
  cluster = await startCluster({ size: 3, name: 'wle' });
  ep = cluster.endpointsFlag;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-wle-'));
}, 120_000);

// A failed test leaves no process running.
afterEach(killAllBackground);

afterAll(async () => {
  await cluster?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('lock on a 3-member cluster', () => {
  it('serialises two holders running commands', async () => {
    const log = path.join(tmp, 'lock.log');
    // Holding the lock for a second is the point: without the lock the two runs would interleave.
    const script = (id: string) => `echo "start ${id}" >> "${log}"; sleep 1; echo "end ${id}" >> "${log}"`;
    const [a, b] = await Promise.all([
      runCli('ours', [ep, 'lock', 'serial', '--', 'sh', '-c', script('A')], { timeoutMs: 60_000 }),
      runCli('ours', [ep, 'lock', 'serial', '--', 'sh', '-c', script('B')], { timeoutMs: 60_000 }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    // Whoever went first finished before the other started.
    const first = lines[0]!.split(' ')[1];
    const second = first === 'A' ? 'B' : 'A';
    expect(lines).toEqual([`start ${first}`, `end ${first}`, `start ${second}`, `end ${second}`]);
  });

  it('a second holder gets the lock only when the first releases it', async () => {
    const first = startCli('ours', [ep, 'lock', 'handover']);
    await first.waitFor((o) => o.stdout.toString().startsWith('handover/'), 30_000, 'the first holder');
    const second = startCli('ours', [ep, 'lock', 'handover']);
    // The second one is waiting: its key exists but it printed nothing.
    await waitUntil('the second lock key', 30_000, async () => {
      const keys = await runCli('real', [ep, 'get', '--prefix', 'handover/', '--keys-only']);
      return keys.stdout.toString().split('\n').filter((l) => l.startsWith('handover/')).length === 2;
    });
    expect(second.output().stdout.length).toBe(0);
    const r1 = await first.stop('SIGTERM');
    expect(r1.code).toBe(0);
    await second.waitFor((o) => o.stdout.toString().startsWith('handover/'), 30_000, 'the second holder');
    expect(second.output().stdout.toString()).not.toBe(r1.stdout.toString());
    const r2 = await second.stop('SIGINT');
    expect(r2.code).toBe(0);
    const left = await runCli('real', [ep, 'get', '--prefix', 'handover/', '--count-only', '-w', 'fields']);
    expect(left.stdout.toString()).toContain('"Count" : 0');
  });
});

describe('election on a 3-member cluster', () => {
  it('hands over to the next candidate when the leader resigns', async () => {
    const observer = startCli('ours', [ep, 'elect', '-l', 'vote']);
    const alpha = startCli('ours', [ep, 'elect', 'vote', 'alpha']);
    await alpha.waitFor((o) => o.stdout.includes('alpha\n'), 30_000, 'alpha elected');
    await observer.waitFor((o) => o.stdout.includes('alpha\n'), 30_000, 'alpha observed');
    const bravo = startCli('ours', [ep, 'elect', 'vote', 'bravo']);
    await waitUntil('bravo\'s campaign key', 30_000, async () => {
      const keys = await runCli('real', [ep, 'get', '--prefix', 'vote/', '--count-only', '-w', 'fields']);
      return keys.stdout.toString().includes('"Count" : 2');
    });
    expect(bravo.output().stdout.length).toBe(0);
    expect((await alpha.stop('SIGINT')).code).toBe(0);
    await bravo.waitFor((o) => o.stdout.includes('bravo\n'), 30_000, 'bravo elected');
    await observer.waitFor((o) => o.stdout.includes('bravo\n'), 30_000, 'bravo observed');
    const seen = (await observer.stop('SIGINT')).stdout.toString().split('\n').filter((l) => !l.startsWith('vote/'));
    expect(seen).toEqual(['alpha', 'bravo', '']);
    expect((await bravo.stop('SIGINT')).code).toBe(0);
  });
});

describe('watch on a 3-member cluster', () => {
  it('resumes on another member when its member dies: every write once, in order', async () => {
    const watcher = startCli('ours', [ep, 'watch', '--prefix', 'f/'], { lifetimeMs: 120_000 });
    // Writes to f/000 until the watch shows one: from that write on it must miss nothing.
    const [m0] = cluster.members;
    const readyRevisions: string[] = [];
    for (let i = 0; !/ready-\d+/.test(watcher.output().stdout.toString()); i++) {
      if (i >= 60) throw new Error('the watch never started');
      readyRevisions.push(await put(m0!, 'f/000', `ready-${i}`));
      await watcher.waitFor((o) => /ready-\d+/.test(o.stdout.toString()), 1000).catch(() => undefined);
    }
    const firstSeen = Number(/ready-(\d+)/.exec(watcher.output().stdout.toString())![1]);
    let victim = await streamingMember(cluster);
    const leader = await cluster.leader();
    if (leader === victim) {
      // Keep the leader: a watch would rightly end if its new member had no leader yet.
      const target = cluster.members.find((m) => m !== victim)!;
      const status = await target.status();
      const moved = await runCli('real', [`--endpoints=${victim.endpoint}`, 'move-leader', BigInt(status.memberId).toString(16)]);
      expect(moved.code).toBe(0);
      victim = await streamingMember(cluster);
    }
    const survivors = cluster.members.filter((m) => m !== victim);
    const keys: string[] = ['f/000'];
    for (let i = 1; i <= 60; i++) {
      const key = `f/${String(i).padStart(3, '0')}`;
      // Frozen first, so the writes in between reach the watch only if it resumes from where it was.
      if (i === 15) victim.pause();
      if (i === 30) await victim.kill('SIGKILL');
      await put(survivors[i % survivors.length]!, key, `v${key.slice(2)}`);
      keys.push(key);
    }
    await watcher.waitFor((o) => o.stdout.includes('v060'), 60_000, 'the last write');
    // The watch moved to a surviving member.
    expect(survivors).toContain(await streamingMember(cluster));
    await watcher.settle();
    const live = (await watcher.stop('SIGINT')).stdout.toString();

    // The cluster's own history of f/, replayed by a fresh watch, is what the live watch must have printed.
    const rev = readyRevisions[firstSeen];
    const replay = startCli('real', [`--endpoints=${survivors.map((m) => m.endpoint).join(',')}`, 'watch', '--prefix', 'f/', '--rev', String(rev)]);
    await replay.waitFor((o) => o.stdout.includes('v060'), 30_000, 'the replay');
    await replay.settle();
    const history = (await replay.stop('SIGINT')).stdout.toString();
    expect(live).toBe(history);
    // And that history holds every key written (a retried put may write a key twice, never zero times).
    const printedKeys = live.split('\n').filter((l) => l.startsWith('f/'));
    expect([...new Set(printedKeys)]).toEqual(keys);
    await victim.restart();
  }, 180_000);

  it('a watch whose member has no leader any more ends like etcdctl’s (exit 5)', async () => {
    const [keep, ...others] = cluster.members as [Member, ...Member[]];
    const args = [`--endpoints=${keep.endpoint}`, 'watch', 'nl/', '--prefix', '-w', 'json'];
    const real = startCli('real', args);
    const ours = startCli('ours', args);
    await waitUntil('both watch streams', 30_000, async () => (await watchStreams(keep)) >= 2);
    expect(await watchStreams(keep)).toBe(2);
    await Promise.all(others.map((m) => m.kill('SIGKILL')));
    const [r, o] = await Promise.all([real.exited(60_000), ours.exited(60_000)]);
    expectSame({ args, opts: {}, real: r, ours: o });
    expect(o.code).toBe(5);
    await Promise.all(others.map((m) => m.restart()));
  }, 180_000);
});
