// Auth tokens that expire during a long command (etcd with --auth-token=simple
// --auth-token-ttl=1: a token dies about a second after its last use). The client refreshes the
// token by itself: unary calls re-authenticate on `invalid auth token`, streams open with a fresh
// token, and a watch refused for its stream's stale token is created again on a new stream.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EtcdClient } from '../../src/client/services.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { adminClient } from '../support/etcd-admin.js';
import { startCli, type Output } from '../support/background.js';
import { runFor } from '../support/long-run.js';
import { runCli, type CliResult, type Which } from '../support/run.js';
import { sleep, waitUntil } from '../support/wait.js';
import { watchers } from '../support/watch-streams.js';

const TTL_S = 1;
/** Comfortably longer than a token lives. */
const EXPIRY_WAIT_MS = 3500;
const ROOT = '--user=root:rootpw';

let cluster: Cluster;
let ep: string;
let admin: EtcdClient;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, extraArgs: ['--auth-token=simple', `--auth-token-ttl=${TTL_S}`] });
  ep = cluster.endpointsFlag;
  admin = await adminClient(cluster.endpoints[0]!, { user: 'root', password: 'rootpw' });
  await admin.auth.userAdd('root', 'rootpw', false);
  await admin.auth.roleAdd('root');
  await admin.auth.userGrantRole('root', 'root');
  await admin.auth.authEnable();
});
afterAll(async () => {
  admin?.close();
  await cluster?.stop();
});

/** Until the member serves no watch (those of a process stopped just before are gone). */
function noWatches(): Promise<void> {
  return waitUntil('the earlier watches to end', 20_000, async () => (await watchers(cluster.members[0]!)) === 0);
}

describe('expired tokens', () => {
  it('a unary call made after the token expired re-authenticates and succeeds', async () => {
    const client = await adminClient(cluster.endpoints[0]!, { user: 'root', password: 'rootpw' });
    try {
      await client.kv.put({ key: Buffer.from('tok/a'), value: Buffer.from('1') });
      // Time passing is the point: the token dies (a probe would use it and keep it alive).
      await sleep(EXPIRY_WAIT_MS);
      const refresh = vi.spyOn(client.connection, 'refreshToken');
      const resp = await client.kv.range({ key: Buffer.from('tok/a') });
      expect(resp.kvs[0]?.value.toString()).toBe('1');
      // The server refused the expired token once; the client fetched a new one and retried.
      expect(refresh).toHaveBeenCalledTimes(1);
    } finally {
      client.close();
    }
  });

  it('watch -i: a watch added after the token expired still works (etcdctl 3.5 cancels it)', async () => {
    const args = [ep, ROOT, 'watch', '-i'];
    const member = cluster.members[0]!;
    /** Adds a watch, lets the token die, adds a second one and, once `settled` says it is handled, writes both keys. */
    const session = async (which: Which, settled: (o: Output) => boolean | Promise<boolean>) => {
      await noWatches();
      const proc = startCli(which, args, { keepStdin: true });
      try {
        proc.writeLine('watch tok/w1');
        await waitUntil(`${which}'s first watch`, 20_000, async () => (await watchers(member)) >= 1);
        // Time passing is the point: the token the watch stream was opened with dies.
        await sleep(EXPIRY_WAIT_MS);
        proc.writeLine('watch tok/w2');
        await waitUntil(`${which}'s second watch to be created or refused`, 20_000, () => settled(proc.output()), () => proc.output().stderr.toString());
        await admin.kv.put({ key: Buffer.from('tok/w1'), value: Buffer.from('one') });
        await admin.kv.put({ key: Buffer.from('tok/w2'), value: Buffer.from('two') });
        return proc;
      } catch (e) {
        await proc.stop('SIGKILL');
        throw e;
      }
    };
    const text = (r: CliResult) => ({ stdout: r.stdout.toString(), stderr: r.stderr.toString() });
    const expected = 'PUT\ntok/w1\none\nPUT\ntok/w2\ntwo\n';
    const realProc = await session('real', (o) => o.stderr.includes('invalid auth token'));
    await realProc.waitFor((o) => o.stdout.includes('tok/w1\none\n'), 20_000, 'the first event');
    // A fixed wait: it looks for an event that must not come.
    await realProc.settle(500);
    const real = text(await realProc.stop('SIGINT'));
    expect(real.stderr).toContain('etcdserver: invalid auth token');
    expect(real.stdout).not.toContain('tok/w2');
    const oursProc = await session('ours', async () => (await watchers(member)) >= 2);
    await oursProc.waitFor((o) => o.stdout.toString() === expected, 20_000, 'both events');
    const ours = text(await oursProc.stop('SIGINT'));
    expect(ours.stdout).toBe(expected);
    expect(ours.stderr).toBe('');
  }, 90_000);

  it('a watch resumes with a new token after its member restarted (the old token died with it)', async () => {
    const member = cluster.members[0]!;
    for (const which of ['real', 'ours'] as const) {
      const expected = `PUT\ntok/r\n${which}\n`;
      await noWatches();
      const watching = runFor(which, [ep, ROOT, 'watch', 'tok/r'], 60_000, { until: expected });
      await waitUntil(`${which}'s watch`, 20_000, async () => (await watchers(member)) >= 1);
      await member.restart();
      // The restarted member starts with no watch: the put is seen only if the watch came back.
      await waitUntil(`${which}'s watch back after the restart`, 30_000, async () => (await watchers(member).catch(() => 0)) >= 1);
      await admin.kv.put({ key: Buffer.from('tok/r'), value: Buffer.from(which) });
      const run = await watching;
      expect(run.stdout, `${which}: ${run.stderr}`).toBe(expected);
    }
  }, 150_000);

  it('lease keep-alive outlives the token', async () => {
    for (const which of ['real', 'ours'] as const) {
      const grant = await runCli('real', [ep, ROOT, 'lease', 'grant', '2']);
      const id = /lease ([0-9a-f]+) granted/.exec(grant.stdout.toString())?.[1];
      expect(id).toBeDefined();
      const proc = startCli(which, [ep, ROOT, 'lease', 'keep-alive', id!]);
      await proc.waitFor((o) => o.stdout.length > 0, 20_000, `${which}'s first renewal`);
      // Time passing is the point: renewals go on after the first token died.
      await sleep(EXPIRY_WAIT_MS + 1000);
      const stopped = await proc.stop('SIGINT');
      const run = { stdout: stopped.stdout.toString(), stderr: stopped.stderr.toString() };
      const renewals = run.stdout.split('\n').filter((l) => l === `lease ${id} keepalived with TTL(2)`);
      expect(renewals.length, `${which}: ${run.stdout}${run.stderr}`).toBeGreaterThanOrEqual(4);
      expect(run.stderr).toBe('');
    }
  }, 30_000);
});
