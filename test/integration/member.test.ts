// Differential tests of member list/add/remove/update/promote on a real 3-member cluster,
// including a full learner cycle: member add --learner, a real etcd started from the printed
// ETCD_* lines, promote once it is in sync, remove, and the process stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/client/proto.js';
import { goJson } from '../../src/output/gojson.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { maskHeaderMemberId, maskMemberIds, maskMemberOrder } from '../support/cluster-masks.js';
import { expectSame, runBoth, runBothWithReset, type Both, type Mask } from '../support/diff.js';
import { etcdPath } from '../support/etcd-bin.js';
import { runCli, type CliResult, type Which } from '../support/run.js';
import { sleep, waitUntil } from '../support/wait.js';
import { httpGet } from '../support/watch-streams.js';

const FORMATS = ['simple', 'json', 'fields', 'table', 'protobuf'] as const;

interface MemberRow {
  id: bigint;
  name: string;
  peerUrls: string;
  isLearner: boolean;
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/** POST to etcd's JSON gateway; undefined when the member does not answer. */
function gatewayStatus(clientPort: number): Promise<{ raftIndex: bigint; raftAppliedIndex: bigint; leader: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port: clientPort, method: 'POST', path: '/v3/maintenance/status', agent: false, timeout: 1000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const j = JSON.parse(Buffer.concat(chunks).toString()) as { raftIndex?: string; raftAppliedIndex?: string; leader?: string };
            resolve({ raftIndex: BigInt(j.raftIndex ?? '0'), raftAppliedIndex: BigInt(j.raftAppliedIndex ?? '0'), leader: j.leader ?? '0' });
          } catch {
            resolve(undefined);
          }
        });
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end('{}');
  });
}

/** Masks for outputs that name a member added during the test (random IDs, hence member order). */
function newMemberMasks(ids: readonly bigint[]): Mask[] {
  return [maskMemberIds(ids), maskMemberOrder];
}

/** A Both from two runs made separately (each side with its own member ID argument). */
function bothOf(args: string[], real: CliResult, ours: CliResult): Both {
  return { args, opts: {}, real, ours };
}

/** Protobuf output made comparable: decoded and re-encoded as etcdctl's JSON. */
function protobufAsJson(result: CliResult, typeName: string): CliResult {
  if (result.code !== 0) return result;
  const json = goJson(decodeMessage(typeName, result.stdout) as Record<string, unknown>, typeName);
  return { ...result, stdout: Buffer.from(`${json}\n`) };
}

describe('member commands on a 3-member cluster', () => {
  let cluster: Cluster;
  let one: string;
  let all: string;
  const started: ChildProcess[] = [];
  /** When the first member was first seen connected to both of its peers. */
  let connectedSince: number | undefined;

  /**
   * etcd refuses member add ("etcdserver: unhealthy cluster") until the member handling it has been
   * connected to every voting member for 5 s (its HealthInterval). Waits until the member's metrics
   * show both peers connected, then until 5 s (and a margin) have passed since that was first seen:
   * that interval is etcd's own rule, so it is waited out.
   */
  async function waitReconfigurable(): Promise<void> {
    const m = cluster.members[0]!;
    const activePeers = async () => {
      const metrics = await httpGet(m.clientPort, '/metrics').catch(() => '');
      return [...metrics.matchAll(/^etcd_network_active_peers\{[^}]*\} (\d+)$/gm)].filter((l) => Number(l[1]) > 0).length;
    };
    // (At least: the gauge of a learner that was started and removed again may stay set.)
    await waitUntil(`${m.name} connected to its two peers`, 30_000, async () => (await activePeers()) >= 2, async () => `${await activePeers()} connected`);
    connectedSince ??= Date.now();
    await sleep(Math.max(0, connectedSince + 5_500 - Date.now()));
  }
  const tempDirs: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ size: 3, name: 'mem' });
    one = `--endpoints=${cluster.endpoints[0]}`;
    all = cluster.endpointsFlag;
  }, 60_000);
  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cluster?.stop();
    for (const dir of tempDirs) await fsp.rm(dir, { recursive: true, force: true });
  });

  async function members(): Promise<MemberRow[]> {
    const r = await runCli('real', [one, 'member', 'list']);
    expect(r.code, r.stderr.toString()).toBe(0);
    return r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((line) => {
        const [id, , name, peerUrls, , learner] = line.split(', ');
        return { id: BigInt(`0x${id}`), name: name!, peerUrls: peerUrls!, isLearner: learner === 'true' };
      });
  }

  /**
   * Removes every member this test added (they are all learners or unstarted). etcd derives a new
   * member's ID from its peer URLs and the current second, and never reuses a removed ID: the same
   * peer URL can only be added again in a later second.
   */
  async function removeAdded(): Promise<bigint[]> {
    const original = new Set(cluster.members.map((m) => m.peerUrl));
    const extra = (await members()).filter((m) => !original.has(m.peerUrls));
    for (const m of extra) {
      const r = await runCli('real', [one, 'member', 'remove', m.id.toString(16)]);
      expect(r.code, r.stderr.toString()).toBe(0);
    }
    // A fixed wait: the clock has to reach the next second.
    if (extra.length > 0) await sleep(1_100);
    return extra.map((m) => m.id);
  }

  it('member list: every format, --hex json, one endpoint or all', async () => {
    for (const w of FORMATS) {
      expectSame(await runBoth([one, 'member', 'list', '-w', w]));
      // With several endpoints any member may answer: only the header's member_id differs.
      if (w !== 'protobuf') expectSame(await runBoth([all, 'member', 'list', '-w', w]), { masks: [maskHeaderMemberId] });
    }
    expectSame(await runBoth([one, 'member', 'list', '-w', 'json', '--hex']));
    expectSame(await runBoth([one, 'member', 'list', '--hex']));
    expectSame(await runBoth([one, 'member', 'list', 'ignored', 'args']));
  });

  it('argument and peer URL errors', async () => {
    // More argument and URL cases are unit tests (test/unit/commands/member.test.ts).
    const cases = [
      ['member', 'add'],
      ['member', 'add', 'a', 'http://127.0.0.1:1', 'HTTPS://x:2'],
      ['member', 'add', 'a'],
      ['member', 'add', 'a', '--peer-urls=127.0.0.1:1'],
      ['member', 'add', 'a', '--peer-urls=http://127.0.0.1'],
      ['member', 'add', 'a', '--peer-urls=http://127.0.0.1:1/path,http://127.0.0.1:2'],
      ['member', 'remove'],
      ['member', 'remove', '10000000000000000'],
      ['member', 'remove', 'abc'],
      ['member', 'update', 'abc'],
      ['member', 'update', 'zz', '--peer-urls=http://127.0.0.1:1'],
      ['member', 'update', 'abc', '--peer-urls=http://127.0.0.1:1'],
      ['member', 'promote', '-1'],
      ['member', 'promote', 'abc'],
    ];
    for (const args of cases) expectSame(await runBoth([one, ...args]));
    // A voting member cannot be promoted.
    const voter = (await members())[0]!.id.toString(16);
    expectSame(await runBoth([one, 'member', 'promote', voter]));
    expectSame(await runBoth([one, 'member', 'promote', voter, '-w', 'json']));
  });

  it('member add --learner (unstarted), list it, remove it: every format', async () => {
    await waitReconfigurable();
    const [peer] = await freePorts(1);
    const addArgs = (w: string) => [one, 'member', 'add', 'waiting', '--learner', `--peer-urls=http://127.0.0.1:${peer}`, '-w', w];
    for (const w of FORMATS) {
      const removed: bigint[] = [];
      let both = await runBothWithReset(addArgs(w), {}, async () => {
        removed.push(...(await removeAdded()));
      });
      const added = (await members()).filter((m) => m.isLearner).map((m) => m.id);
      const ids = [...removed, ...added];
      expect(both.real.code, both.real.stderr.toString()).toBe(w === 'fields' || w === 'table' ? 4 : 0);
      if (w === 'protobuf') {
        both = { ...both, real: protobufAsJson(both.real, 'etcdserverpb.MemberAddResponse'), ours: protobufAsJson(both.ours, 'etcdserverpb.MemberAddResponse') };
      }
      expectSame(both, { masks: newMemberMasks(ids) });
    }

    // The unstarted learner as every format lists it (no name, no client URLs).
    for (const w of FORMATS) expectSame(await runBoth([one, 'member', 'list', '-w', w]));
    expectSame(await runBoth([one, 'member', 'list', '-w', 'json', '--hex']));

    // Remove: each side removes a learner of its own (on a fresh peer URL: see removeAdded).
    for (const w of ['simple', 'json', 'protobuf', 'fields'] as const) {
      const [realId] = await addLearner((await freePorts(1))[0]!);
      const real = await runCli('real', [one, 'member', 'remove', realId!.toString(16), '-w', w]);
      const [oursId] = await addLearner((await freePorts(1))[0]!);
      const ours = await runCli('ours', [one, 'member', 'remove', oursId!.toString(16), '-w', w]);
      let both = bothOf([one, 'member', 'remove', '<id>', '-w', w], real, ours);
      if (w === 'protobuf') {
        both = bothOf(both.args, protobufAsJson(real, 'etcdserverpb.MemberRemoveResponse'), protobufAsJson(ours, 'etcdserverpb.MemberRemoveResponse'));
      }
      expect(real.code).toBe(w === 'fields' ? 4 : 0);
      expectSame(both, { masks: newMemberMasks([realId!, oursId!]) });
    }
    await removeAdded();
  }, 120_000);

  /** Adds an unstarted learner with the real etcdctl (after removing earlier ones); returns its ID. */
  async function addLearner(peer: number): Promise<bigint[]> {
    await removeAdded();
    const r = await runCli('real', [one, 'member', 'add', 'waiting', '--learner', `--peer-urls=http://127.0.0.1:${peer}`]);
    expect(r.code, r.stderr.toString()).toBe(0);
    return [BigInt(`0x${/^Member +([0-9a-f]+) added/.exec(r.stdout.toString())![1]}`)];
  }

  /**
   * Right after a member was removed, a loaded etcd can refuse the next add with
   * `etcdserver: member not found` while it still applies the removal; both tools get the same
   * bounded second chance (had the refused add gone through, the retry would fail visibly with
   * the peer URL already in use).
   */
  async function addAfterReconfiguration(which: Which, args: string[]): Promise<CliResult> {
    let result = await runCli(which, [one, ...args]);
    for (let attempt = 0; attempt < 3 && result.code !== 0 && result.stderr.toString() === 'Error: etcdserver: member not found\n'; attempt++) {
      await sleep(1000);
      await waitReconfigurable();
      result = await runCli(which, [one, ...args]);
    }
    return result;
  }

  it('learner cycle: add --learner, start etcd from the ETCD_* lines, promote when in sync, remove', async () => {
    await removeAdded();
    await waitReconfigurable();
    const [clientPort, peerPort] = await freePorts(2);
    const results: Record<Which, { add: CliResult; promote: CliResult; remove: CliResult; id: bigint }> = {} as never;
    for (const which of ['real', 'ours'] as const) {
      const add = await addAfterReconfiguration(which, ['member', 'add', 'learner', '--learner', `--peer-urls=http://127.0.0.1:${peerPort}`]);
      expect(add.code, add.stderr.toString()).toBe(0);
      const id = BigInt(`0x${/^Member +([0-9a-f]+) added/.exec(add.stdout.toString())![1]}`);

      // The ETCD_* lines are etcd's configuration variables for the new member.
      const env: Record<string, string> = {};
      for (const m of add.stdout.toString().matchAll(/^(ETCD_[A-Z_]+)="(.*)"$/gm)) env[m[1]!] = m[2]!;
      expect(Object.keys(env).sort()).toEqual(['ETCD_INITIAL_ADVERTISE_PEER_URLS', 'ETCD_INITIAL_CLUSTER', 'ETCD_INITIAL_CLUSTER_STATE', 'ETCD_NAME']);
      const child = await startLearner(env, clientPort!, peerPort!);
      try {
        await waitInSync(clientPort!);
        const promote = await runCli(which, [one, 'member', 'promote', id.toString(16)]);
        expect(promote.code, promote.stderr.toString()).toBe(0);
        const remove = await runCli(which, [one, 'member', 'remove', id.toString(16)]);
        expect(remove.code, remove.stderr.toString()).toBe(0);
        results[which] = { add, promote, remove, id };
      } finally {
        await stopProcess(child);
      }
    }
    const masks = newMemberMasks([results.real.id, results.ours.id]);
    for (const step of ['add', 'promote', 'remove'] as const) {
      expectSame(bothOf([one, 'member', step], results.real[step], results.ours[step]), { masks });
    }
    expect(results.ours.promote.stdout.toString()).toMatch(/^Member [ 0-9a-f]{16} promoted in cluster [ 0-9a-f]{16}\n$/);
  }, 120_000);

  it('member update: every format (same peer URLs, so both runs see the same cluster)', async () => {
    const target = (await members()).find((m) => m.name === cluster.members[1]!.name)!;
    for (const w of FORMATS) {
      const both = await runBoth([one, 'member', 'update', target.id.toString(16), `--peer-urls=${target.peerUrls}`, '-w', w]);
      expect(both.real.code).toBe(w === 'fields' || w === 'table' ? 4 : 0);
      expectSame(both);
    }
  });

  it('usage texts', async () => {
    for (const sub of [[], ['add'], ['remove'], ['update'], ['list'], ['promote']]) {
      expectSame(await runBoth(['member', ...sub, '--help']));
    }
    expectSame(await runBoth(['member']));
  });

  async function startLearner(env: Record<string, string>, clientPort: number, peerPort: number): Promise<ChildProcess> {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'etcdctl-ts-learner-'));
    tempDirs.push(dir);
    const log = fs.openSync(path.join(dir, 'etcd.log'), 'a');
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const child = spawn(
      etcdPath(),
      [
        `--data-dir=${path.join(dir, 'data')}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        '--log-level=error',
      ],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env, ETCD_INITIAL_CLUSTER_TOKEN: cluster.token },
        stdio: ['ignore', log, log],
      },
    );
    fs.closeSync(log);
    started.push(child);
    return child;
  }

  /** Until the learner has applied everything the leader had committed (bounded). */
  async function waitInSync(clientPort: number): Promise<void> {
    const inSync = async () => {
      const leader = await cluster.leader();
      const target = leader ? await gatewayStatus(leader.clientPort) : undefined;
      const learner = await gatewayStatus(clientPort);
      return target !== undefined && learner !== undefined && learner.leader !== '0' && learner.raftAppliedIndex >= target.raftIndex;
    };
    await waitUntil('the learner to catch up', 30_000, inSync, undefined, 200);
  }

  /** A removed member stops by itself; otherwise SIGTERM, then SIGKILL (by PID, bounded). */
  async function stopProcess(child: ChildProcess): Promise<void> {
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    const waitExit = async (ms: number) => {
      const until = Date.now() + ms;
      while (!exited() && Date.now() < until) await sleep(100);
    };
    await waitExit(3_000);
    if (!exited()) process.kill(child.pid!, 'SIGTERM');
    await waitExit(5_000);
    if (!exited()) process.kill(child.pid!, 'SIGKILL');
    await waitExit(5_000);
    expect(exited()).toBe(true);
  }
});
