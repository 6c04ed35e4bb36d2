// Differential tests of endpoint health/status/hashkv, defrag and move-leader on a real
// 3-member cluster: the real etcdctl 3.5.16 and ours, same arguments, same cluster.
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import {
  maskFieldsBlockOrder,
  maskJsonHealthOrder,
  maskLineOrder,
  maskStatusSizesAndIndexes,
  maskTableRowOrder,
} from '../support/cluster-masks.js';
import { expectSame, maskHashes, maskTableLayout, maskTimings, runBoth, runBothWithReset, type Mask } from '../support/diff.js';
import { etcdutlPath } from '../support/etcd-bin.js';
import { runCli } from '../support/run.js';

const FORMATS = ['simple', 'json', 'fields', 'table', 'protobuf'] as const;
const HEALTH_MASKS: Record<(typeof FORMATS)[number], Mask[]> = {
  simple: [maskTimings, maskLineOrder],
  json: [maskTimings, maskJsonHealthOrder],
  fields: [maskTimings, maskFieldsBlockOrder],
  table: [maskTimings, maskTableLayout, maskTableRowOrder],
  protobuf: [],
};

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('endpoint, defrag and move-leader on a 3-member cluster', () => {
  let cluster: Cluster;
  let all: string;
  let one: string;
  let dead: string;

  beforeAll(async () => {
    cluster = await startCluster({ size: 3, name: 'ep' });
    all = cluster.endpointsFlag;
    one = `--endpoints=${cluster.endpoints[0]}`;
    dead = `127.0.0.1:${await closedPort()}`;
    expect((await runCli('real', [all, 'put', 'ep/k', 'v'])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('endpoint status: every format, listed endpoints and --cluster', async () => {
    for (const w of FORMATS) {
      const masks = w === 'table' ? [maskTableLayout, maskStatusSizesAndIndexes] : [maskStatusSizesAndIndexes];
      expectSame(await runBoth([all, 'endpoint', 'status', '-w', w]), { masks });
      if (w !== 'fields' && w !== 'protobuf') expectSame(await runBoth([one, 'endpoint', 'status', '--cluster', '-w', w]), { masks });
    }
  });

  it('endpoint hashkv: every format, --rev, listed endpoints and --cluster', async () => {
    for (const w of FORMATS) {
      const masks = w === 'table' ? [maskTableLayout, maskHashes] : [maskHashes];
      expectSame(await runBoth([all, 'endpoint', 'hashkv', '-w', w]), { masks });
    }
    for (const w of ['simple', 'json'] as const) {
      expectSame(await runBoth([one, 'endpoint', 'hashkv', '--cluster', '-w', w]), { masks: [maskHashes] });
    }
    // A fixed revision hashes the same history on both runs: nothing to mask.
    expectSame(await runBoth([all, 'endpoint', 'hashkv', '--rev=2', '-w', 'json']));
    expectSame(await runBoth([all, 'endpoint', 'hashkv', '--rev=100000']));
  });

  it('endpoint health: every format, listed endpoints and --cluster', async () => {
    for (const w of FORMATS) {
      expectSame(await runBoth([all, 'endpoint', 'health', '-w', w]), { masks: HEALTH_MASKS[w] });
      if (w === 'simple' || w === 'json') {
        expectSame(await runBoth([one, 'endpoint', 'health', '--cluster', '-w', w]), { masks: HEALTH_MASKS[w] });
      }
    }
  });

  it('reports an unreachable endpoint without hiding the others', async () => {
    const eps = `--endpoints=${cluster.endpoints[0]},${dead},${cluster.endpoints[1]}`;
    const timeout = '--command-timeout=1s';
    for (const w of ['simple', 'table'] as const) {
      const health = await runBoth([eps, timeout, 'endpoint', 'health', '-w', w]);
      expect(health.real.code).toBe(1);
      expectSame(health, { masks: HEALTH_MASKS[w] });
      if (w === 'simple') {
        expect(health.ours.stderr.toString()).toMatch(new RegExp(`^${dead} is unhealthy: failed to commit proposal: context deadline exceeded$`, 'm'));
        expect(health.ours.stdout.toString().split('\n').filter((l) => l.includes('is healthy'))).toHaveLength(2);
      }
    }
    expectSame(await runBoth([eps, timeout, 'endpoint', 'status']), { masks: [maskStatusSizesAndIndexes] });
    expectSame(await runBoth([eps, timeout, 'endpoint', 'hashkv', '-w', 'json']), { masks: [maskHashes] });
  });

  it('fails the --cluster member lookup like etcdctl', async () => {
    for (const cmd of [['endpoint', 'health'], ['defrag']]) {
      const both = await runBoth([`--endpoints=${dead}`, '--command-timeout=1s', ...cmd, '--cluster']);
      expect(both.real.stderr.toString()).toContain('failed to fetch endpoints from etcd cluster member list');
      expectSame(both);
    }
  });

  it('defrag: one endpoint, several, --cluster, a dead one; -w is ignored', async () => {
    expectSame(await runBoth([one, 'defrag']));
    expectSame(await runBoth([all, 'defrag', '-w', 'json']));
    expectSame(await runBoth([one, 'defrag', '--cluster', '-w', 'table']));
    const withDead = await runBoth([`--endpoints=${cluster.endpoints[0]},${dead}`, '--command-timeout=1s', 'defrag']);
    expect(withDead.real.code).toBe(1);
    expectSame(withDead);
  });

  it('defrag --data-dir: a stopped member\'s backend, compacted with the same content', async () => {
    // Copies of a member's data dir (a copy holds no lock): one for each side.
    const dirs = await Promise.all(['real', 'ours'].map((w) => fsp.mkdtemp(path.join(os.tmpdir(), `etcdctl-ts-defrag-${w}-`))));
    try {
      for (const dir of dirs) await fsp.cp(cluster.members[0]!.dataDir, dir, { recursive: true });
      const real = await runCli('real', ['defrag', `--data-dir=${dirs[0]}`]);
      const ours = await runCli('ours', ['defrag', `--data-dir=${dirs[1]}`]);
      // etcdctl also logs two zap info lines (sizes, timings) that we do not print.
      expectSame({ args: ['defrag', '--data-dir=<copy>'], opts: {}, real, ours }, { stdoutOnly: true });
      const notice = 'Use `etcdutl defrag` instead. The --data-dir is going to be decomissioned in v3.6.\n\n';
      expect(real.stderr.toString().startsWith(notice)).toBe(true);
      expect(ours.stderr.toString()).toBe(notice);
      const status = async (dir: string) => {
        const r = await runCli('ours', ['snapshot', 'status', path.join(dir, 'member', 'snap', 'db'), '-w', 'json'], { ours: [etcdutlPath()] });
        expect(r.code, r.stderr.toString()).toBe(0);
        return JSON.parse(r.stdout.toString()) as { hash: number; revision: number; totalKey: number };
      };
      const [a, b] = [await status(dirs[0]!), await status(dirs[1]!)];
      expect({ ...b }).toEqual({ ...a, totalSize: (b as { totalSize?: number }).totalSize });
      // No database and no directory: etcd's backend panics (exit 2).
      const missing = await runBoth(['defrag', `--data-dir=${path.join(dirs[0]!, 'nope')}`]);
      expect(missing.real.code).toBe(2);
      expectSame(missing, { stdoutOnly: true });
      expect(missing.ours.stderr.toString()).toMatch(/\tpanic\tbackend\/backend.go:201\tfailed to open database\t.*no such file or directory"\}\npanic: failed to open database\n$/);
    } finally {
      for (const dir of dirs) await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('defrag --data-dir waits for a running etcd to release its lock', async () => {
    const waiting = runCli('ours', ['defrag', `--data-dir=${cluster.members[0]!.dataDir}`], { timeoutMs: 2_500 });
    await expect(waiting).rejects.toThrow(/waiting for etcd to close and release its lock on ".*member\/snap\/db"\. To defrag a running etcd instance, omit --data-dir\./);
  });

  it('move-leader transfers leadership from the leader found among the endpoints', async () => {
    const ids = await memberIds();
    const [first, second] = [ids[0]!, ids[1]!];
    // Before each side: leadership on the first member.
    const leadFirst = async () => moveLeaderTo(first);
    for (const w of ['simple', 'json', 'protobuf'] as const) {
      const both = await runBothWithReset([all, 'move-leader', second, '-w', w], {}, leadFirst);
      expect(both.real.code).toBe(0);
      expectSame(both);
    }
    // table (like fields): leadership moves, then the format is refused (exit 4).
    expectSame(await runBothWithReset([all, 'move-leader', second, '-w', 'table'], {}, leadFirst));
    await leadFirst();
    // Only followers given: no leader among them.
    const followers = `--endpoints=${cluster.endpoints[1]},${cluster.endpoints[2]}`;
    expectSame(await runBoth([followers, 'move-leader', second]));
    // Unknown transferee, bad IDs, wrong argument counts.
    expectSame(await runBoth([all, 'move-leader', 'abcdef']));
    for (const args of [[], ['zz'], [first, second]]) {
      expectSame(await runBoth([all, 'move-leader', ...args]));
    }
  });

  it('usage texts', async () => {
    for (const cmd of [['endpoint'], ['endpoint', 'health'], ['endpoint', 'status'], ['endpoint', 'hashkv'], ['defrag'], ['move-leader']]) {
      expectSame(await runBoth([...cmd, '--help']));
    }
  });

  it('ETCDCTL_CLUSTER works for endpoint subcommands (an inherited flag), not for defrag', async () => {
    expectSame(await runBoth([one, 'endpoint', 'status'], { env: { ETCDCTL_CLUSTER: 'true' } }), {
      masks: [maskStatusSizesAndIndexes],
    });
    // defrag's --cluster is its own persistent flag: the variable is unknown there (a zap warning).
    expectSame(await runBoth([one, 'defrag'], { env: { ETCDCTL_CLUSTER: 'true' } }));
  });

  it('reports a stopped member as unhealthy and keeps the healthy ones', async () => {
    // A follower: a stopping leader first spends seconds handing leadership over.
    const leader = await cluster.leader();
    const victim = cluster.members.slice(1).find((m) => m !== leader)!;
    await victim.stop();
    try {
      for (const w of ['simple', 'json'] as const) {
        const both = await runBoth([one, '--command-timeout=1s', 'endpoint', 'health', '--cluster', '-w', w]);
        expect(both.real.code).toBe(1);
        expectSame(both, { masks: HEALTH_MASKS[w] });
      }
      const status = await runBoth([one, '--command-timeout=1s', 'endpoint', 'status', '--cluster']);
      expect(status.real.stderr.toString()).toContain(`Failed to get the status of endpoint ${victim.clientUrl}`);
      expectSame(status, { masks: [maskStatusSizesAndIndexes] });
    } finally {
      await victim.restart();
    }
  }, 60_000);

  async function memberIds(): Promise<string[]> {
    const list = await runCli('real', [all, 'member', 'list']);
    const byUrl = new Map(list.stdout.toString().trim().split('\n').map((l) => [l.split(', ')[4]!, l.split(', ')[0]!]));
    return cluster.clientUrls.map((u) => byUrl.get(u)!);
  }

  async function moveLeaderTo(id: string): Promise<void> {
    const r = await runCli('real', [all, 'move-leader', id]);
    // Already the leader: etcdctl asks it to transfer to itself, which etcd accepts.
    expect(r.code, r.stderr.toString()).toBe(0);
  }
});
