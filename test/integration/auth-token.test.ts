// Auth tokens that expire during a long command (etcd with --auth-token=simple
// --auth-token-ttl=1: a token dies about a second after its last use). The client refreshes the
// token by itself: unary calls re-authenticate on `invalid auth token`, streams open with a fresh
// token, and a watch refused for its stream's stale token is created again on a new stream.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EtcdClient } from '../../src/client/services.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { adminClient } from '../support/etcd-admin.js';
import { runFor } from '../support/long-run.js';
import { runCli } from '../support/run.js';

const TTL_S = 1;
/** Comfortably longer than a token lives. */
const EXPIRY_WAIT_MS = 3500;
const ROOT = '--user=root:rootpw';

let cluster: Cluster;
let ep: string;
let admin: EtcdClient;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

describe('expired tokens', () => {
  it('a unary call made after the token expired re-authenticates and succeeds', async () => {
    const client = await adminClient(cluster.endpoints[0]!, { user: 'root', password: 'rootpw' });
    try {
      await client.kv.put({ key: Buffer.from('tok/a'), value: Buffer.from('1') });
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
    const input: [number, string][] = [
      [300, 'watch tok/w1\n'],
      [300 + EXPIRY_WAIT_MS, 'watch tok/w2\n'],
    ];
    const putBoth = async () => {
      await sleep(1300 + EXPIRY_WAIT_MS);
      await admin.kv.put({ key: Buffer.from('tok/w1'), value: Buffer.from('one') });
      await admin.kv.put({ key: Buffer.from('tok/w2'), value: Buffer.from('two') });
    };
    const expected = 'PUT\ntok/w1\none\nPUT\ntok/w2\ntwo\n';
    const [real] = await Promise.all([runFor('real', args, 9000, { input }), putBoth()]);
    expect(real.stderr).toContain('etcdserver: invalid auth token');
    expect(real.stdout).not.toContain('tok/w2');
    const [ours] = await Promise.all([runFor('ours', args, 9000, { input, until: expected }), putBoth()]);
    expect(ours.stdout).toBe(expected);
    expect(ours.stderr).toBe('');
  }, 30_000);

  it('a watch resumes with a new token after its member restarted (the old token died with it)', async () => {
    for (const which of ['real', 'ours'] as const) {
      const expected = `PUT\ntok/r\n${which}\n`;
      const watching = runFor(which, [ep, ROOT, 'watch', 'tok/r'], 25_000, { until: expected });
      await sleep(1500);
      await cluster.members[0]!.restart();
      await sleep(EXPIRY_WAIT_MS);
      await admin.kv.put({ key: Buffer.from('tok/r'), value: Buffer.from(which) });
      const run = await watching;
      expect(run.stdout, `${which}: ${run.stderr}`).toBe(expected);
    }
  }, 60_000);

  it('lease keep-alive outlives the token', async () => {
    for (const which of ['real', 'ours'] as const) {
      const grant = await runCli('real', [ep, ROOT, 'lease', 'grant', '2']);
      const id = /lease ([0-9a-f]+) granted/.exec(grant.stdout.toString())?.[1];
      expect(id).toBeDefined();
      const run = await runFor(which, [ep, ROOT, 'lease', 'keep-alive', id!], EXPIRY_WAIT_MS + 2000);
      const renewals = run.stdout.split('\n').filter((l) => l === `lease ${id} keepalived with TTL(2)`);
      expect(renewals.length, `${which}: ${run.stdout}${run.stderr}`).toBeGreaterThanOrEqual(4);
      expect(run.stderr).toBe('');
    }
  }, 30_000);
});
