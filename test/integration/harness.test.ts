// Self-tests of the integration support code (test/support): cluster lifecycle, runCli, and the
// differential harness. "Ours" is pointed at the real etcdctl (opts.ours), so real-vs-real must
// compare equal, and deliberately different commands must produce a readable report.
import fs from 'node:fs';
import path from 'node:path';
import { AssertionError } from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import {
  differenceReport,
  expectSame,
  maskHashes,
  maskLeaseIds,
  maskRevisions,
  maskTableLayout,
  maskTimings,
  runBoth,
  runBothWithReset,
} from '../support/diff.js';
import { etcdctlRealPath } from '../support/etcd-bin.js';
import { runCli, type RunOptions } from '../support/run.js';

const REAL_AS_OURS: RunOptions = { ours: [etcdctlRealPath()] };

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fake "ours": a node one-liner (no shell). */
function nodeScript(code: string): string[] {
  return [process.execPath, '-e', code, '--'];
}

describe('single-member cluster', () => {
  let cluster: Cluster;
  let ep: string;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startCluster({ size: 1, extraArgs: ['--quota-backend-bytes=67108864'] });
    console.info(`[harness] 1-member cluster healthy in ${Date.now() - t0} ms (${cluster.endpoints.join(',')})`);
    ep = cluster.endpointsFlag;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('exposes endpoints, urls and members', () => {
    expect(cluster.members).toHaveLength(1);
    const m = cluster.members[0]!;
    expect(cluster.endpoints).toEqual([`127.0.0.1:${m.clientPort}`]);
    expect(cluster.clientUrls).toEqual([`http://127.0.0.1:${m.clientPort}`]);
    expect(m.peerPort).not.toBe(m.clientPort);
    expect(m.running).toBe(true);
    expect(pidAlive(m.pid)).toBe(true);
    expect(fs.existsSync(m.dataDir)).toBe(true);
    expect(m.dataDir.startsWith(cluster.dir)).toBe(true);
  });

  it('puts and gets with the real etcdctl', async () => {
    const put = await runCli('real', [ep, 'put', 'harness/k', 'v1']);
    expect(put.code).toBe(0);
    expect(put.stdout.toString()).toBe('OK\n');
    const get = await runCli('real', [ep, 'get', 'harness/k']);
    expect(get.code).toBe(0);
    expect(get.stdout.toString()).toBe('harness/k\nv1\n');
    expect(get.stderr.length).toBe(0);
  });

  it('feeds stdin and closes it', async () => {
    const txn = await runCli('real', [ep, 'txn'], {
      stdin: 'value("harness/k") = "v1"\n\nput harness/txn yes\n\n\n',
    });
    expect(txn.stdout.toString()).toBe('SUCCESS\n\nOK\n');
    // No stdin given: the child sees EOF at once instead of hanging.
    const empty = await runCli('real', [ep, 'txn'], { timeoutMs: 5000 });
    expect(empty.code).toBe(3);
    expect(empty.stderr.toString()).toBe('Error: EOF\n');
  });

  it('gives the child a clean environment', async () => {
    const r = await runCli('ours', [], {
      ours: nodeScript('process.stdout.write(JSON.stringify(Object.keys(process.env).sort()))'),
      env: { ETCDCTL_DIAL_TIMEOUT: '3s', HOME: undefined },
    });
    const keys = JSON.parse(r.stdout.toString()) as string[];
    expect(keys).toContain('ETCDCTL_DIAL_TIMEOUT');
    expect(keys).not.toContain('HOME');
    const allowed = new Set(['PATH', 'TMPDIR', 'LANG', 'ETCDCTL_DIAL_TIMEOUT']);
    // Node itself may add nothing; anything else would be a leak from the test process.
    expect(keys.filter((k) => !allowed.has(k))).toEqual([]);
  });

  it('kills a child that runs too long and reports partial output', async () => {
    const t0 = Date.now();
    await expect(
      runCli('ours', ['ignored'], {
        ours: nodeScript('process.stdout.write("partial-out"); setTimeout(() => {}, 60000)'),
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/timed out after 1000 ms[\s\S]*partial-out/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('real vs real compares equal', async () => {
    for (const args of [
      ['get', 'harness/k'],
      ['get', 'harness/', '--prefix', '-w', 'json'],
      ['get', 'harness/k', '-w', 'fields'],
      ['get', 'harness/k', '--hex'],
      ['member', 'list'],
      ['no-such-command'],
    ]) {
      expectSame(await runBoth([ep, ...args], REAL_AS_OURS));
    }
  });

  it('drops zap log lines from stderr by default', async () => {
    const both = await runBoth([ep, 'get', 'harness/k', '--rev=100000'], REAL_AS_OURS);
    expect(both.real.code).toBe(1);
    expect(both.real.stderr.toString()).toMatch(/^\{"level":"warn"/m);
    expect(both.real.stderr.toString()).toMatch(/^Error: etcdserver: mvcc: required revision is a future revision$/m);
    expectSame(both);
    // Kept, the timestamps and pointers in the zap lines differ between the two runs.
    expect(differenceReport(both, { keepZapLogLines: true })).toMatch(/stderr:  DIFFERS/);
  });

  it('masks lease ids', async () => {
    const both = await runBoth([ep, 'lease', 'grant', '100'], REAL_AS_OURS);
    expect(differenceReport(both)).not.toBeNull();
    expectSame(both, { masks: [maskLeaseIds] });
    const json = await runBoth([ep, 'lease', 'grant', '100', '-w', 'json'], REAL_AS_OURS);
    expect(differenceReport(json)).not.toBeNull();
    expectSame(json, { masks: [maskLeaseIds, maskRevisions] });
    const fields = await runBoth([ep, 'lease', 'grant', '100', '-w', 'fields'], REAL_AS_OURS);
    expectSame(fields, { masks: [maskLeaseIds] });
  });

  it('masks timings, revisions and hashes', async () => {
    expectSame(await runBoth([ep, 'endpoint', 'health'], REAL_AS_OURS), { masks: [maskTimings] });
    expectSame(await runBoth([ep, 'endpoint', 'health', '-w', 'json'], REAL_AS_OURS), { masks: [maskTimings] });
    expectSame(await runBoth([ep, 'endpoint', 'health', '-w', 'fields'], REAL_AS_OURS), { masks: [maskTimings] });
    expectSame(await runBoth([ep, 'endpoint', 'health', '-w', 'table'], REAL_AS_OURS), {
      masks: [maskTimings, maskTableLayout],
    });
    const put = await runBoth([ep, 'put', 'harness/rev', 'x', '-w', 'json'], REAL_AS_OURS);
    expect(differenceReport(put)).toMatch(/"revision":/);
    expectSame(put, { masks: [maskRevisions] });
    // hashkv changes with every write: write between the two runs.
    const hash = await runBothWithReset([ep, 'endpoint', 'hashkv', '-w', 'json'], REAL_AS_OURS, async () => {
      await runCli('real', [ep, 'put', 'harness/hash', String(Math.random())]);
    });
    expectSame(hash, { masks: [maskHashes, maskRevisions] });
  });

  it('runBothWithReset recreates state before each side', async () => {
    const setup = async (): Promise<void> => {
      for (const k of ['a', 'b']) expect((await runCli('real', [ep, 'put', `harness/del/${k}`, k])).code).toBe(0);
    };
    const both = await runBothWithReset([ep, 'del', 'harness/del/', '--prefix'], REAL_AS_OURS, setup);
    expect(both.real.stdout.toString()).toBe('2\n');
    expectSame(both);
    // Without the reset the second run finds nothing to delete.
    await setup();
    const plain = await runBoth([ep, 'del', 'harness/del/', '--prefix'], REAL_AS_OURS);
    expect(() => expectSame(plain)).toThrow(AssertionError);
  });

  it('reports a stdout mismatch readably', async () => {
    await runCli('real', [ep, 'put', 'harness/k', 'v1']);
    const both = await runBoth([ep, 'get', 'harness/k'], {
      ours: nodeScript('process.stdout.write("harness/k\\nv1\\u0000\\tx\\n")'),
    });
    let caught: unknown;
    try {
      expectSame(both);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AssertionError);
    const msg = (caught as Error).message;
    console.info(`[harness] sample mismatch report:\n${msg}`);
    expect(msg).toContain(`command: etcdctl ${ep} get harness/k`);
    expect(msg).toContain('exit:    real code 0, ours code 0');
    expect(msg).toContain('stdout:  DIFFERS');
    expect(msg).toContain('stderr:  same');
    expect(msg).toContain('first difference in stdout at byte 12 (line 2, column 3)');
    expect(msg).toMatch(/^- 2 \|v1$/m);
    expect(msg).toMatch(/^\+ 2 \|v1\\x00\\tx$/m);
    expect(msg).toMatch(/^  1 \|harness\/k$/m);
  });

  it('reports exit status and stderr mismatches', async () => {
    const both = await runBoth([ep, 'get'], { ours: nodeScript('process.exitCode = 3') });
    const report = differenceReport(both) ?? '';
    expect(report).toContain('exit:    real code 128, ours code 3   <-- differs');
    expect(report).toMatch(/first difference in stderr at byte 0/);
    expect(report).toMatch(/^- 1 \|Error: get command needs one argument as key and an optional argument as range_end$/m);
    // stdoutOnly still compares the exit status.
    expect(differenceReport(both, { stdoutOnly: true })).toMatch(/stderr:  not compared/);
    const noEol = await runBoth([ep, 'get', 'harness/k'], { ours: nodeScript('process.stdout.write("harness/k\\nv1")') });
    expect(differenceReport(noEol)).toMatch(/^\+ 2 \|v1⟨no EOL⟩$/m);
  });
});

describe('start failure', () => {
  it('fails fast with the member log tail and cleans up', async () => {
    const t0 = Date.now();
    const err = await startCluster({ size: 1, extraArgs: ['--no-such-flag'] }).then(
      () => new Error('startCluster unexpectedly succeeded'),
      (e: Error) => e,
    );
    expect(err.message).toMatch(
      /infra0 \(pid \d+\) exited \(code \d+, signal null\) before becoming healthy[\s\S]*Log tail[\s\S]*no-such-flag/,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    // The message names the log file, inside the cluster's temp dir, which must be gone.
    const logFile = /Log tail \(([^)]+)\)/.exec(err.message)?.[1] ?? '';
    expect(path.basename(path.dirname(logFile))).toMatch(/^etcdctl-ts-/);
    expect(fs.existsSync(path.dirname(logFile))).toBe(false);
  });
});

describe('three-member cluster', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startCluster({ size: 3, name: 'harness' });
    console.info(`[harness] 3-member cluster healthy in ${Date.now() - t0} ms (${cluster.endpoints.join(',')})`);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('has three named members on distinct ports', async () => {
    expect(cluster.members.map((m) => m.name)).toEqual(['harness0', 'harness1', 'harness2']);
    const ports = cluster.members.flatMap((m) => [m.clientPort, m.peerPort]);
    expect(new Set(ports).size).toBe(6);
    const list = await runCli('real', [cluster.endpointsFlag, 'member', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.toString().trim().split('\n')).toHaveLength(3);
    expect(await cluster.leader()).toBeDefined();
  });

  it('survives a killed follower and restarts it', async () => {
    const leader = await cluster.leader();
    const follower = cluster.members.find((m) => m !== leader)!;
    const oldPid = follower.pid;
    const t0 = Date.now();
    await follower.kill();
    expect(follower.running).toBe(false);
    expect(pidAlive(oldPid)).toBe(false);
    const others = cluster.members.filter((m) => m !== follower).map((m) => m.endpoint);
    const put = await runCli('real', [`--endpoints=${others.join(',')}`, 'put', 'three/k', 'after-kill']);
    expect(put.code).toBe(0);
    await follower.restart();
    console.info(`[harness] follower killed and back healthy in ${Date.now() - t0} ms`);
    expect(follower.pid).not.toBe(oldPid);
    expect(pidAlive(follower.pid)).toBe(true);
    const get = await runCli('real', [`--endpoints=${follower.endpoint}`, 'get', 'three/k', '--print-value-only']);
    expect(get.stdout.toString()).toBe('after-kill\n');
  });

  it('pauses and resumes a member', async () => {
    const m = cluster.members[2]!;
    m.pause();
    expect(m.paused).toBe(true);
    const r = await runCli('real', [`--endpoints=${m.endpoint}`, '--command-timeout=1s', 'get', 'three/k']);
    expect(r.code).not.toBe(0);
    m.resume();
    await m.waitHealthy(20_000);
    const ok = await runCli('real', [`--endpoints=${m.endpoint}`, 'get', 'three/k', '--print-value-only']);
    expect(ok.stdout.toString()).toBe('after-kill\n');
  });

  it('stops a paused member with SIGTERM, then restarts the leader', async () => {
    const m = cluster.members[0]!;
    m.pause();
    await m.stop();
    expect(m.running).toBe(false);
    await m.restart();
    const leader = (await cluster.leader())!;
    await leader.kill('SIGTERM');
    await leader.restart();
    await cluster.waitHealthy();
    expect(await cluster.leader()).toBeDefined();
  });

  it('stop() leaves no process and no temp dir behind', async () => {
    const pids = cluster.members.map((m) => m.pid);
    expect(pids.every(pidAlive)).toBe(true);
    const t0 = Date.now();
    await cluster.stop();
    console.info(`[harness] 3-member cluster stopped in ${Date.now() - t0} ms`);
    expect(pids.filter(pidAlive)).toEqual([]);
    expect(fs.existsSync(cluster.dir)).toBe(false);
    await cluster.stop(); // idempotent
  });
});
