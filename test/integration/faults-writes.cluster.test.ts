// Writes under faults, on a real 3-member loopback cluster whose members the tests kill:
//
// - the leader SIGKILLed (twice, each victim restarted) in the middle of 2,000 puts through all
//   three endpoints, with 100 CLI processes running across the kills: every put that said OK is
//   there, no put is applied twice, every failure is a clean `Error:` line with exit 1;
// - a put whose answer is lost on the way back (a proxy withholds it and resets the connection):
//   it is reported as failed and applied once — never re-sent, while a read is retried elsewhere;
// - quorum lost: reads and writes fail within their timeout, like etcdctl, and work again after
//   the members come back.
//
// The 2,000 puts run the CLI entry in this process (main() from dist/main.js with a buffer Io, one
// call per put, 8 at a time, each with its own client and connections, exactly as a process
// would), because 2,000 Node processes take minutes on a small machine; 100 real
// `node bin/etcdctl-ts.js put` processes, two at a time, run across the kills too.
//
// Which puts are in flight at the leader when it dies is up to chance, so the leader kill cannot
// promise to catch a client that re-sends a put after its connection broke; the lost-answer test
// below catches that every time (a re-sent put shows up as version 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster, type Member } from '../support/cluster.js';
import { runCli, type CliResult } from '../support/run.js';
import { expectSame, runBoth } from '../support/diff.js';
import { describeArgv, runInProcess, type InProcessResult } from '../support/inproc.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { sleep, waitUntil } from '../support/wait.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, name: 'fw' });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

interface Kv {
  key: string;
  value: string;
  version: number;
  createRevision: number;
  modRevision: number;
}

/** Every key under `prefix` with its value, version and revisions, read through our CLI (-w json). */
async function readPrefix(endpoints: string[], prefix: string): Promise<Map<string, Kv>> {
  const r = await runInProcess([`--endpoints=${endpoints.join(',')}`, 'get', '--prefix', prefix, '-w', 'json'], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`get --prefix ${prefix} failed (${r.code}): ${r.stderr.toString()}`);
  const resp = JSON.parse(r.stdout.toString()) as {
    kvs?: { key: string; value?: string; version: number; create_revision: number; mod_revision: number }[];
  };
  const out = new Map<string, Kv>();
  for (const kv of resp.kvs ?? []) {
    const key = Buffer.from(kv.key, 'base64').toString();
    out.set(key, {
      key,
      value: Buffer.from(kv.value ?? '', 'base64').toString(),
      version: kv.version,
      createRevision: kv.create_revision,
      modRevision: kv.mod_revision,
    });
  }
  return out;
}

/** Waits (bounded) until a linearizable read through `endpoints` works again. */
async function waitWritable(endpoints: string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await runInProcess([`--endpoints=${endpoints.join(',')}`, '--command-timeout=1s', 'get', 'health-probe']);
    if (r.code === 0) return;
    await sleep(200);
  }
  throw new Error('the cluster never became usable again');
}

/** Errors a put may legitimately end with while the leader dies (etcd's and the transport's). */
const PUT_FAILURE = new RegExp(
  '^Error: (?:' +
    [
      'context deadline exceeded',
      'etcdserver: request timed out(?:, possibly due to (?:previous leader failure|connection lost)|, waiting for the applied index took too long)?',
      'etcdserver: leader changed',
      'etcdserver: no leader',
      'etcdserver: server stopped',
      'etcdserver: too many requests',
      'rpc error: code = Unknown desc = raft proposal dropped',
      'rpc error: code = Unavailable desc = [^\\n]+',
    ].join('|') +
    ')\\n$',
);

/** No JavaScript stack trace or internal error text in a CLI's output. */
function expectNoCrash(text: string, what: string): void {
  expect(text, `${what} shows a stack trace`).not.toMatch(/\n\s+at .+[:(]\d+:\d+\)?\n|TypeError|ReferenceError|RangeError|SyntaxError|Unhandled|ERR_[A-Z_]{3,}/);
}

describe('the leader killed during 2,000 puts', () => {
  it('keeps every acknowledged put, applies none twice, and fails cleanly', async () => {
    const endpoints = cluster.endpoints;
    const ep = `--endpoints=${endpoints.join(',')}`;
    const run = Date.now().toString(36);
    const IN_PROCESS = 2000;
    const PROCESSES = 100;
    const WORKERS = 8;
    const KILL_AFTER = [700, 1400];

    interface Outcome {
      key: string;
      value: string;
      via: 'in-process' | 'process';
      code: number | null;
      stdout: string;
      stderr: string;
      /** When the command started (ms since epoch). */
      started: number;
    }
    const outcomes: Outcome[] = [];
    let next = 0;
    /** Outcomes recorded, and the time, at each kill. */
    const killedAt: number[] = [];
    const killTimes: number[] = [];

    // The bulk: WORKERS loops of sequential in-process CLI runs.
    const inProcessWorker = async () => {
      for (;;) {
        const n = next++;
        if (n >= IN_PROCESS) return;
        const key = `lk/${run}/i${String(n).padStart(5, '0')}`;
        const value = `v-${run}-i${n}`;
        const started = Date.now();
        const r: InProcessResult = await runInProcess([ep, 'put', key, value], { timeoutMs: 30_000 });
        if (r.hung) throw new Error(`put hung: ${describeArgv([ep, 'put', key, value])}`);
        outcomes.push({ key, value, via: 'in-process', code: r.code, stdout: r.stdout.toString(), stderr: r.stderr.toString(), started });
      }
    };
    // Real processes, two at a time, started together with the bulk so they straddle the kills.
    let nextProcess = 0;
    const processWorker = async () => {
      for (;;) {
        const n = nextProcess++;
        if (n >= PROCESSES) return;
        const key = `lk/${run}/p${String(n).padStart(5, '0')}`;
        const value = `v-${run}-p${n}`;
        const started = Date.now();
        const r: CliResult = await runCli('ours', [ep, 'put', key, value], { timeoutMs: 30_000 });
        outcomes.push({ key, value, via: 'process', code: r.code, stdout: r.stdout.toString(), stderr: r.stderr.toString(), started });
      }
    };
    // The leader is killed twice: after a third and after two thirds of the bulk (the first victim
    // is back, healthy, before the second kill).
    const victims: Member[] = [];
    const killer = async () => {
      for (const threshold of KILL_AFTER) {
        // Bounded: the bulk reaches the threshold within minutes at most.
        for (let i = 0; i < 6000 && next < threshold; i++) await sleep(20);
        const leader = await cluster.leader();
        expect(leader, 'a leader before the kill').toBeDefined();
        killedAt.push(outcomes.length);
        killTimes.push(Date.now());
        await leader!.kill('SIGKILL');
        victims.push(leader!);
        await leader!.restart();
      }
    };

    const started = Date.now();
    await Promise.all([...Array.from({ length: WORKERS }, inProcessWorker), processWorker(), processWorker(), killer()]);
    const took = Date.now() - started;
    expect(victims).toHaveLength(KILL_AFTER.length);
    expect(outcomes).toHaveLength(IN_PROCESS + PROCESSES);
    await waitWritable(endpoints);
    const stored = await readPrefix(endpoints, `lk/${run}/`);

    const problems: string[] = [];
    let ok = 0;
    let failed = 0;
    let failedButApplied = 0;
    for (const o of outcomes) {
      const kv = stored.get(o.key);
      expectNoCrash(o.stdout + o.stderr, `put ${o.key} (${o.via})`);
      if (o.code === 0) {
        ok++;
        if (o.stdout !== 'OK\n' || o.stderr !== '') problems.push(`${o.key}: exit 0 with stdout ${JSON.stringify(o.stdout)} stderr ${JSON.stringify(o.stderr)}`);
        if (!kv) problems.push(`${o.key}: acknowledged (OK) but not stored`);
        else if (kv.value !== o.value) problems.push(`${o.key}: acknowledged but holds ${JSON.stringify(kv.value)}`);
      } else {
        failed++;
        if (o.code !== 1) problems.push(`${o.key}: exit ${o.code} (etcdctl's put fails with 1): ${o.stderr}`);
        if (o.stdout !== '') problems.push(`${o.key}: failed but printed ${JSON.stringify(o.stdout)}`);
        if (!PUT_FAILURE.test(o.stderr)) problems.push(`${o.key}: unexpected failure text ${JSON.stringify(o.stderr)}`);
        if (kv) failedButApplied++;
      }
      // Each key was put by exactly one command: more than one version means it was applied twice.
      if (kv && (kv.version !== 1 || kv.createRevision !== kv.modRevision)) {
        problems.push(`${o.key}: applied more than once (version ${kv.version}, create ${kv.createRevision}, mod ${kv.modRevision})`);
      }
    }
    const expectedKeys = new Set(outcomes.map((o) => o.key));
    for (const key of stored.keys()) if (!expectedKeys.has(key)) problems.push(`${key}: stored but never put`);
    expect(problems, `${ok} ok, ${failed} failed (${failedButApplied} of them applied), kills after ${killedAt.join(' and ')} puts, ${took} ms`).toEqual([]);
    // The kills happened in the middle: puts succeeded before the first, and puts started after
    // each kill succeeded (through the other members, while the killed one restarted).
    expect(outcomes.slice(0, killedAt[0]).filter((o) => o.code === 0).length).toBeGreaterThan(0);
    for (const t of killTimes) expect(outcomes.filter((o) => o.started > t && o.code === 0).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.via === 'process' && o.code === 0).length).toBeGreaterThan(0);
  }, 180_000);
});

describe('a put whose answer is lost', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    await cluster.waitHealthy();
    proxy = await startFaultProxy(cluster.members[0]!.clientPort);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('is reported as failed (exit 1), applied exactly once and never sent again', async () => {
    const run = Date.now().toString(36);
    proxy.loseResponses = true;
    try {
      for (let i = 0; i < 3; i++) {
        const key = `lost/${run}/${i}`;
        // The proxy alone, then the proxy first among healthy members: a put must not be re-sent
        // to another member after its connection broke.
        const endpoints = i === 0 ? [proxy.endpoint] : [proxy.endpoint, ...cluster.endpoints.slice(1)];
        const before = proxy.lostResponses;
        // A fresh client picks whichever endpoint connects first: repeat (bounded) until the put
        // went through the proxy. Bounded in time more than in count: the proxy shares this
        // process's event loop, so on a busy machine the direct members win most races.
        let r: InProcessResult | undefined;
        const deadline = Date.now() + 15_000;
        for (let attempt = 0; attempt < 500 && Date.now() < deadline && proxy.lostResponses === before; attempt++) {
          const k = `${key}-${attempt}`;
          r = await runInProcess([`--endpoints=${endpoints.join(',')}`, 'put', k, `value-${i}`], { timeoutMs: 30_000 });
          if (proxy.lostResponses !== before) {
            // Let a re-sent request, if any, land before reading (a fixed wait: it looks for
            // something that must not happen).
            await sleep(500);
            const kv = (await readPrefix(cluster.endpoints, k)).get(k);
            expect(kv, `${k} was applied by the server`).toBeDefined();
            expect(kv!.version, `${k} applied ${kv!.version} times (sent ${proxy.lostResponses - before} times)`).toBe(1);
            expect(proxy.lostResponses - before, 'requests that reached the server').toBe(1);
            expect(r.code, r.stderr.toString()).toBe(1);
            expect(r.stdout.toString()).toBe('');
            expect(r.stderr.toString()).toMatch(/^Error: rpc error: code = Unavailable desc = .+\n$/);
          }
        }
        expect(proxy.lostResponses, 'a put went through the proxy').toBeGreaterThan(before);
      }
    } finally {
      proxy.loseResponses = false;
    }
  }, 60_000);

  it('a read on the same broken path is retried on another member and succeeds', async () => {
    const key = `lost-read/${Date.now().toString(36)}`;
    const put = await runInProcess([cluster.endpointsFlag, 'put', key, 'readable']);
    expect(put.code).toBe(0);
    proxy.loseResponses = true;
    try {
      const before = proxy.lostResponses;
      let seenThroughProxy = false;
      // Bounded in time more than in count, as above.
      const deadline = Date.now() + 15_000;
      for (let attempt = 0; attempt < 500 && Date.now() < deadline && !seenThroughProxy; attempt++) {
        const r = await runInProcess([`--endpoints=${[proxy.endpoint, ...cluster.endpoints.slice(1)].join(',')}`, 'get', key, '--print-value-only']);
        expect([r.code, r.stdout.toString(), r.stderr.toString()]).toEqual([0, 'readable\n', '']);
        seenThroughProxy = proxy.lostResponses > before;
      }
      expect(seenThroughProxy, 'a read went through the proxy and lost its answer').toBe(true);
    } finally {
      proxy.loseResponses = false;
    }
  }, 60_000);
});

describe('quorum lost (two members killed)', () => {
  it('reads and writes fail within the command timeout like etcdctl, and work after the restart', async () => {
    await cluster.waitHealthy();
    const [survivor, ...victims] = cluster.members as [Member, Member, Member];
    const ep = cluster.endpointsFlag;
    const seed = await runInProcess([ep, 'put', 'quorum/k', 'before']);
    expect(seed.code).toBe(0);
    await Promise.all(victims.map((m) => m.kill('SIGKILL')));
    // Past an election timeout the survivor knows it has no leader (a leader steps down, check-quorum;
    // a follower turns (pre-)candidate).
    await waitUntil('the survivor to know it has no leader', 30_000, async () => (await survivor.status().catch(() => undefined))?.leader === '0');

    const TIMEOUT_S = 2;
    const bound = (TIMEOUT_S + 3) * 1000;
    const commands: string[][] = [
      ['get', 'quorum/k'],
      ['put', 'quorum/k', 'during'],
      ['del', 'quorum/k'],
      ['get', 'quorum/k', '--consistency=s'],
    ];
    for (const args of commands) {
      const full = [ep, `--command-timeout=${TIMEOUT_S}s`, ...args];
      const both = await runBoth(full, { timeoutMs: 20_000 });
      expectSame(both);
      expect(both.ours.durationMs, `ours: ${args.join(' ')}`).toBeLessThan(bound);
    }
    // A serializable read is served by the survivor alone; the rest fail.
    const serial = await runCli('ours', [ep, `--command-timeout=${TIMEOUT_S}s`, 'get', 'quorum/k', '--consistency=s', '--print-value-only']);
    expect(serial.stdout.toString()).toBe('before\n');
    const linear = await runCli('ours', [ep, `--command-timeout=${TIMEOUT_S}s`, 'put', 'quorum/k', 'during']);
    expect(linear.code).toBe(1);
    expect(linear.stderr.toString()).toMatch(/^Error: .+\n$/);

    await Promise.all(victims.map((m) => m.restart()));
    await waitWritable(cluster.endpoints);
    const put = await runCli('ours', [ep, `--command-timeout=${TIMEOUT_S}s`, 'put', 'quorum/k', 'after']);
    expect([put.code, put.stdout.toString(), put.stderr.toString()]).toEqual([0, 'OK\n', '']);
    const get = await runCli('ours', [ep, `--command-timeout=${TIMEOUT_S}s`, 'get', 'quorum/k', '--print-value-only']);
    expect([get.code, get.stdout.toString()]).toEqual([0, 'after\n']);
    expect(survivor.running).toBe(true);
  }, 120_000);
});
