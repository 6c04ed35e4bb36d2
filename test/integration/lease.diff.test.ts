// Differential tests of lease grant / revoke / timetolive / list / keep-alive against the real
// etcdctl 3.5.16 on one cluster. Lease IDs differ between the two runs of a granting command and
// remaining TTLs tick, so those are masked; everything else must match byte for byte. The last
// test is the one long behaviour test of this file (30 s of keep-alive).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/background.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { testServerIs34 } from '../support/etcd-bin.js';
import { expectSame, maskLeaseIds, runBoth, type Both } from '../support/diff.js';
import { grantLease, realCtl, realCtlOk } from '../support/kv-diff.js';
import { childEnv, commandFor, runCli, type CliResult, type Which } from '../support/run.js';
import { httpPost } from '../support/snapshot.js';
import { sleep } from '../support/wait.js';

let cluster: Cluster;
let ep: string;
/** A long-lived lease with one key attached (one key: the server lists several in random order). */
let held = '';

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'leasediff' });
  ep = cluster.endpointsFlag;
  held = await grantLease(ep, 900);
  await realCtlOk(ep, ['put', 'lk/one', 'v', `--lease=${held}`]);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Remaining TTLs count down between the two runs. */
const maskRemaining = {
  name: 'maskRemaining',
  rules: [
    { pattern: /remaining\(\d+s\)/g, replacement: 'remaining(<TTL>s)' },
    { pattern: /"ttl":\d+/g, replacement: '"ttl":<TTL>' },
    { pattern: /^"TTL" : \d+$/gm, replacement: '"TTL" : <TTL>' },
  ],
};

const both = (args: string[]) => runBoth([ep, ...args]);

/** Runs `args` once per side, each with a lease of its own granted just before (`<ID>` in args). */
async function withFreshLease(args: string[], ttl = 600): Promise<Both> {
  const side = async (which: Which): Promise<CliResult> => {
    const id = await grantLease(ep, ttl);
    return runCli(which, [ep, ...args.map((a) => a.replace('<ID>', id))]);
  };
  const real = await side('real');
  const ours = await side('ours');
  return { args, opts: {}, real, ours };
}

describe('lease grant', () => {
  it.each([['simple'], ['json'], ['fields'], ['protobuf'], ['table']])('-w %s', async (format) => {
    expectSame(await both(['lease', 'grant', '100', '-w', format]), { masks: [maskLeaseIds] });
  });

  it.each([
    [['lease']],
    [['lease', 'keep-alive', '--help']],
    [['lease', 'timetolive', '-h']],
    [['lease', 'grant']],
    [['lease', 'grant', '1', '2']],
    [['lease', 'grant', 'abc']],
    [['lease', 'grant', '0x10']],
    [['lease', 'grant', '99999999999']],
    [['lease', 'grant', '99999999999999999999']],
    [['lease', 'grant', '0']],
    [['lease', 'grant', '10', '-w', 'xml']],
  ])('%j', async (args) => {
    expectSame(await both(args), { masks: [maskLeaseIds] });
  });
});

describe('lease revoke', () => {
  it.each([['simple'], ['json'], ['fields'], ['protobuf'], ['table']])('-w %s (revokes, then prints or fails)', async (format) => {
    expectSame(await withFreshLease(['lease', 'revoke', '<ID>', '-w', format]), { masks: [maskLeaseIds] });
  });

  it.each([
    [['lease', 'revoke']],
    [['lease', 'revoke', 'zz']],
    [['lease', 'revoke', 'zz', '-w', 'xml']],
    [['lease', 'revoke', '1234']],
    [['lease', 'revoke', '1234', '-w', 'json']],
  ])('%j', async (args) => {
    expectSame(await both(args));
  });
});

describe('lease timetolive', () => {
  it.each([['simple'], ['json'], ['fields'], ['protobuf'], ['table']])('-w %s, with and without --keys', async (format) => {
    expectSame(await both(['lease', 'timetolive', held, '--keys', '-w', format]), { masks: [maskRemaining] });
    expectSame(await both(['lease', 'timetolive', held, '-w', format]), { masks: [maskRemaining] });
  });

  it.each([
    [['lease', 'timetolive', '1234']],
    [['lease', 'timetolive', '1234', '--keys', '-w', 'json']],
    [['lease', 'timetolive', '1234', '-w', 'fields']],
    [['lease', 'timetolive']],
    [['lease', 'timetolive', 'zz']],
    // etcdctl builds the client (and checks -w) before it parses the ID.
    [['lease', 'timetolive', 'zz', '-w', 'xml']],
  ])('%j', async (args) => {
    expectSame(await both(args));
  });

  it('an RPC error exits 2 (permission denied on attached keys)', async () => {
    const auth = await startCluster({ size: 1, name: 'leaseauth' });
    try {
      const aep = auth.endpointsFlag;
      const ctl = (args: string[]) => realCtlOk(aep, args);
      await ctl(['user', 'add', 'root:rootpw']);
      await ctl(['user', 'grant-role', 'root', 'root']);
      await ctl(['user', 'add', 'nobody:pw']);
      await ctl(['auth', 'enable']);
      const grant = await ctl(['--user=root:rootpw', 'lease', 'grant', '600']);
      const id = /lease ([0-9a-f]{16})/.exec(grant.stdout.toString())![1]!;
      await ctl(['--user=root:rootpw', 'put', 'secret', 'v', `--lease=${id}`]);
      const r = await runBoth([aep, '--user=nobody:pw', 'lease', 'timetolive', id, '--keys']);
      // etcd 3.4 answers with the keys: the permission check on them came with 3.5.
      expect(r.real.code).toBe(testServerIs34() ? 0 : 2);
      expectSame(r, { masks: [maskRemaining] });
    } finally {
      await auth.stop();
    }
  });
});

describe('lease list', () => {
  it.each([['simple'], ['json'], ['fields'], ['protobuf'], ['table']])('-w %s', async (format) => {
    expectSame(await both(['lease', 'list', '-w', format]));
  });

  it('ignores extra arguments', async () => {
    expectSame(await both(['lease', 'list', 'a', 'b']));
  });
});

describe('lease keep-alive', () => {
  it.each([['simple'], ['json'], ['fields'], ['protobuf'], ['table']])('--once -w %s', async (format) => {
    expectSame(await both(['lease', 'keep-alive', '--once', held, '-w', format]));
  });

  it.each([
    [['lease', 'keep-alive']],
    [['lease', 'keep-alive', 'zz']],
    [['lease', 'keep-alive', '--once', '1234']],
    [['lease', 'keep-alive', '--once', '1234', '-w', 'json']],
    // A lease the server does not know ends the renewal at once: simple says so, others are silent.
    [['lease', 'keep-alive', '1234']],
    [['lease', 'keep-alive', '1234', '-w', 'json']],
    [['lease', 'keep-alive', '1234', '-w', 'table']],
  ])('%j', async (args) => {
    expectSame(await both(args));
  });

  /** Keep-alive of a fresh 5 s lease that is revoked once its first renewal is printed: one renewal, then the end. */
  async function keepAliveUntilRevoked(which: Which, format: string): Promise<CliResult> {
    const id = await grantLease(ep, 5);
    const run = startCli(which, [ep, 'lease', 'keep-alive', id, '-w', format]);
    await run.waitFor((o) => o.stdout.length > 0, 30_000, `the first renewal from ${which}`);
    // The next renewal is due a third of the TTL (~1.7 s) later: revoke through the gateway, which
    // is quicker than starting an etcdctl process.
    await httpPost(cluster.members[0]!.clientPort, '/v3/lease/revoke', { ID: BigInt(`0x${id}`).toString() });
    return run.exited(30_000);
  }

  it.each([['simple'], ['json']])('renews until the lease is revoked (-w %s)', async (format) => {
    const real = await keepAliveUntilRevoked('real', format);
    const ours = await keepAliveUntilRevoked('ours', format);
    expectSame({ args: ['lease', 'keep-alive', '<ID>', '-w', format], opts: {}, real, ours }, { masks: [maskLeaseIds] });
  });

  it('-w table fails at the first renewal with exit 4', async () => {
    expectSame(await withFreshLease(['lease', 'keep-alive', '<ID>', '-w', 'table']), { masks: [maskLeaseIds] });
  });

  /** Starts keep-alive, waits for its first line, sends `signal`, and returns how it ended. */
  function interrupted(which: Which, id: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stdout: string }> {
    const [cmd, ...prefix] = commandFor(which);
    const child = spawn(cmd!, [...prefix, ep, 'lease', 'keep-alive', id], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${which} keep-alive did not print or stop in time`));
      }, 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        const first = stdout === '';
        stdout += chunk.toString();
        if (first) child.kill(signal);
      });
      child.on('close', (code, sig) => {
        clearTimeout(guard);
        resolve({ code, signal: sig, stdout });
      });
    });
  }

  it.each([['SIGINT' as const], ['SIGTERM' as const]])('%s ends it the way it ends etcdctl', async (signal) => {
    const id = await grantLease(ep, 60);
    const real = await interrupted('real', id, signal);
    const ours = await interrupted('ours', id, signal);
    expect(real.signal).toBe(signal);
    expect({ code: ours.code, signal: ours.signal, stdout: ours.stdout }).toEqual({ code: real.code, signal: real.signal, stdout: real.stdout });
  });

  // LONG BEHAVIOUR TEST (about 30 s): the one long test of this file.
  it('LONG (30 s): keeps a 5 s lease alive for 30 s, renewing at a third of the TTL', async () => {
    const id = await grantLease(ep, 5);
    const [cmd, ...prefix] = commandFor('ours');
    const child = spawn(cmd!, [...prefix, ep, 'lease', 'keep-alive', id], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      // Time passing is the point here: 30 s of renewals (six TTLs).
      await sleep(30_000);
      const ttl = await realCtl(ep, ['lease', 'timetolive', id]);
      expect(ttl.stdout.toString()).toMatch(new RegExp(`^lease ${id} granted with TTL\\(5s\\), remaining\\([1-5]s\\)\\n$`));
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.every((l) => l === `lease ${id} keepalived with TTL(5)`)).toBe(true);
    // Every ~1.67 s (sent on clientv3's 500 ms ticks): about 15 renewals in 30 s.
    expect(lines.length).toBeGreaterThanOrEqual(12);
    expect(lines.length).toBeLessThanOrEqual(22);
  }, 60_000);
});
