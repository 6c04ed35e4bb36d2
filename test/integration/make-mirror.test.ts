// make-mirror between two real 1-member clusters. The real etcdctl 3.5.16 and etcdctl-ts mirror
// the same source side by side (each to its own destination prefix), so what they copy, what they
// print (the key count every 30 s) and how they end (killed by SIGINT/SIGTERM, or an error) are
// compared directly; argument errors are plain differential runs.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { childEnv, commandFor, type Which } from '../support/run.js';
import { waitUntil } from '../support/wait.js';

let src: Cluster;
let dst: Cluster;
let srcEp: string;
const children = new Set<ChildProcess>();
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
  [src, dst] = await Promise.all([startCluster({ size: 1, name: 'mmsrc' }), startCluster({ size: 1, name: 'mmdst' })]);
  srcEp = src.endpointsFlag;
});

afterAll(async () => {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  agent.destroy();
  await Promise.all([src?.stop(), dst?.stop()]);
});

// ---------------------------------------------------------------------------------------------
// etcd's JSON gateway, to write and read many keys quickly without a CLI process per key.

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

function gateway(cluster: Cluster, path: string, body: object): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: cluster.members[0]!.clientPort, method: 'POST', path, agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const put = (key: string, value: string, lease?: string) =>
  gateway(src, '/v3/kv/put', { key: b64(key), value: b64(value), ...(lease ? { lease } : {}) });
const del = (key: string) => gateway(src, '/v3/kv/deleterange', { key: b64(key) });
const txnPuts = (pairs: [string, string][]) =>
  gateway(src, '/v3/kv/txn', { success: pairs.map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } })) });

/** Runs `jobs` with at most `width` at a time. */
async function parallel(jobs: (() => Promise<unknown>)[], width = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

interface Kv {
  value: string;
  modRevision: string;
  lease: string;
}

function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]!++;
  return end;
}

/** The destination's keys under `prefix` (whole keys as map keys). */
async function destKeys(prefix: string): Promise<Map<string, Kv>> {
  const resp = await gateway(dst, '/v3/kv/range', { key: b64(prefix), range_end: b64(prefixEnd(prefix)) });
  const out = new Map<string, Kv>();
  for (const kv of resp.kvs ?? []) out.set(unb64(kv.key), { value: unb64(kv.value), modRevision: kv.mod_revision, lease: kv.lease ?? '0' });
  return out;
}

async function destCount(prefix: string): Promise<number> {
  const resp = await gateway(dst, '/v3/kv/range', { key: b64(prefix), range_end: b64(prefixEnd(prefix)), count_only: true });
  return Number(resp.count ?? 0);
}

/** How many KV Range calls the member has answered (etcd's grpc_server_handled_total). */
async function rangesServed(cluster: Cluster): Promise<number> {
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: cluster.members[0]!.clientPort, path: '/metrics', agent: false, timeout: 10_000 }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
  let total = 0;
  for (const m of text.matchAll(/^grpc_server_handled_total\{[^}]*grpc_method="Range"[^}]*\} (\d+)$/gm)) total += Number(m[1]);
  return total;
}

/** What the mirrors have done so far, for timeout messages. */
async function mirrorState(prefixes: string[], runs: Running[]): Promise<string> {
  const counts = await Promise.all(prefixes.map(async (p) => `${p} ${await destCount(p)}`));
  const outputs = runs.map((r) => `${r.which}: stdout ${JSON.stringify(r.stdout())} stderr ${JSON.stringify(r.stderr().slice(-500))}`);
  return [...counts, ...outputs].join('; ');
}

// ---------------------------------------------------------------------------------------------
// Long-running CLI processes.

interface Running {
  which: Which;
  child: ChildProcess;
  stdout: () => string;
  /** When the first stdout bytes arrived (Date.now()), if any did. */
  firstStdoutAt: () => number | undefined;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(which: Which, args: string[]): Running {
  const [cmd, ...prefix] = commandFor(which);
  const child = spawn(cmd!, [...prefix, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  let firstOut: number | undefined;
  child.stdout!.on('data', (c: Buffer) => {
    firstOut ??= Date.now();
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { which, child, stdout: () => out, firstStdoutAt: () => firstOut, stderr: () => err, exited };
}

async function stopWith(signal: NodeJS.Signals, ...runs: Running[]) {
  for (const r of runs) r.child.kill(signal);
  return Promise.all(
    runs.map(async (r) => {
      let timer: NodeJS.Timeout | undefined;
      const end = await Promise.race([r.exited, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${r.which} did not exit after ${signal}`)), 10_000)))]);
      clearTimeout(timer);
      return end;
    }),
  );
}

/** The zap warnings of the real client are not ours to print (see maskZapLogLines). */
const withoutZap = (s: string) => s.replace(/^\{"level":[^\n]*\n/gm, '');

// ---------------------------------------------------------------------------------------------

// Independent one-shot runs: concurrently, to keep the file short.
describe.concurrent('make-mirror argument errors', () => {
  const cases: [string, (dstEp: string) => string[]][] = [
    ['no destination', () => ['make-mirror']],
    ['two destinations', () => ['make-mirror', 'a', 'b']],
    ['--dest-prefix with --no-dest-prefix (checked after connecting)', (d) => ['make-mirror', '--dest-prefix', 'x', '--no-dest-prefix', d]],
    ['--dest-cert without --dest-key', (d) => ['make-mirror', '--dest-cert', 'x.pem', d]],
    ['--dest-key without --dest-cert', (d) => ['make-mirror', '--dest-key', 'y.pem', d]],
    ['unreadable --dest-cacert', (d) => ['make-mirror', '--dest-cacert', '/nonexistent/ca.pem', d]],
    ['bad output format, after the destination client', (d) => ['-w', 'yaml', 'make-mirror', '--dest-prefix', 'x', '--no-dest-prefix', d]],
    ['unknown flag', (d) => ['make-mirror', '--dest-prefixx', 'x', d]],
    ['login at an unreachable destination', () => ['make-mirror', '--dial-timeout', '300ms', '--dest-user', 'u:p', '127.0.0.1:1']],
  ];
  it.each(cases)('%s', async (_, args) => {
    expectSame(await runBoth([srcEp, ...args(dst.endpoints[0]!)]));
  });
});

describe('make-mirror', () => {
  it('copies the prefix, follows 1,000 further writes, prints the count after 30 s and dies by SIGINT, like etcdctl', async () => {
    const { ID: leaseId } = await gateway(src, '/v3/lease/grant', { TTL: 600 });
    await parallel(Array.from({ length: 200 }, (_, i) => () => put(`src/base/${String(i).padStart(3, '0')}`, `base-${i}`)));
    await put('src/leased', 'with a lease', leaseId);
    await put('other/outside', 'not mirrored');

    const dstEp = dst.endpoints[0]!;
    const started = Date.now();
    const real = startCli('real', [srcEp, 'make-mirror', '--prefix', 'src/', '--dest-prefix', 'real/', dstEp]);
    const ours = startCli('ours', [srcEp, 'make-mirror', '--prefix', 'src/', '--dest-prefix', 'ours/', dstEp]);
    const state = () => mirrorState(['real/', 'ours/'], [real, ours]);
    await waitUntil('the initial copies', 30_000, async () => (await destCount('real/')) === 201 && (await destCount('ours/')) === 201, state);

    // 1,000 events: 980 single puts, 5 transactions of 2 puts, 10 deletes.
    const jobs: (() => Promise<unknown>)[] = Array.from({ length: 980 }, (_, i) => () => put(`src/new/${String(i).padStart(4, '0')}`, `new-${i}`));
    for (let t = 0; t < 5; t++) jobs.push(() => txnPuts([[`src/txn/${t}a`, `a${t}`], [`src/txn/${t}b`, `b${t}`]]));
    for (let d = 0; d < 10; d++) jobs.push(() => del(`src/base/${String(d).padStart(3, '0')}`));
    await parallel(jobs);
    await put('other/after', 'not mirrored either');

    const expected = new Map<string, string>();
    for (let i = 10; i < 200; i++) expected.set(`base/${String(i).padStart(3, '0')}`, `base-${i}`);
    expected.set('leased', 'with a lease');
    for (let i = 0; i < 980; i++) expected.set(`new/${String(i).padStart(4, '0')}`, `new-${i}`);
    for (let t = 0; t < 5; t++) {
      expected.set(`txn/${t}a`, `a${t}`);
      expected.set(`txn/${t}b`, `b${t}`);
    }
    // The exact key set, not a count: the count passes the final size on the way up (the puts)
    // before the deletes land.
    const mirrored = async (side: string) => {
      const got = await destKeys(`${side}/`);
      return got.size === expected.size && [...expected].every(([k, v]) => got.get(`${side}/${k}`)?.value === v);
    };
    await waitUntil('every write on the destination', 30_000, async () => (await mirrored('real')) && (await mirrored('ours')), state);
    const allMirroredAt = Date.now();

    for (const side of ['real', 'ours']) {
      const got = await destKeys(`${side}/`);
      expect(new Map([...got].map(([k, kv]) => [k.slice(side.length + 1), kv.value]))).toEqual(expected);
      // Leases are not copied, and each source revision is one destination transaction.
      expect(got.get(`${side}/leased`)!.lease).toBe('0');
      for (let t = 0; t < 5; t++) expect(got.get(`${side}/txn/${t}a`)!.modRevision).toBe(got.get(`${side}/txn/${t}b`)!.modRevision);
    }
    expect(await destCount('other/')).toBe(0);
    expect(await destCount('src/')).toBe(0);

    // Every 30 s both print how many keys they processed: 201 copied + 1,000 events.
    await waitUntil('the 30-second count line', Math.max(5_000, 45_000 - (Date.now() - started)), () => real.stdout() !== '' && ours.stdout() !== '');
    const [realEnd, oursEnd] = await stopWith('SIGINT', real, ours);
    // A count printed after everything was mirrored is 1201 on both sides; on a machine so busy
    // that the writes outlasted the first 30 s, it is only an earlier, smaller count.
    for (const run of [real, ours]) {
      expect(run.stdout()).toMatch(/^\d+\n$/);
      if (run.firstStdoutAt()! > allMirroredAt) expect(run.stdout()).toBe('1201\n');
      else expect(Number(run.stdout())).toBeLessThanOrEqual(1201);
    }
    expect(withoutZap(real.stderr())).toBe('');
    expect(ours.stderr()).toBe('');
    expect(realEnd).toEqual({ code: null, signal: 'SIGINT' });
    expect(oursEnd).toEqual(realEnd);
  }, 70_000);

  it('mirrors every key with an empty --prefix (more than one page), strips the prefix with --no-dest-prefix, and dies by SIGTERM', async () => {
    const dstEp = dst.endpoints[0]!;
    const sourceKeys = Number((await gateway(src, '/v3/kv/range', { key: b64('\0'), range_end: b64('\0'), count_only: true })).count);
    expect(sourceKeys).toBeGreaterThan(1000);
    const real = startCli('real', [srcEp, 'make-mirror', '--dest-prefix', 'allr/', dstEp]);
    const ours = startCli('ours', [srcEp, 'make-mirror', '--dest-prefix', 'allo/', dstEp]);
    const stripped = startCli('ours', [srcEp, 'make-mirror', '--prefix', 'src/txn/', '--no-dest-prefix', dstEp]);
    await waitUntil('the initial copies', 30_000, async () => (await destCount('allr/')) === sourceKeys && (await destCount('allo/')) === sourceKeys && (await destCount('0')) === 2);
    await put('src/txn/9z', 'late');
    await del('other/outside');
    await waitUntil('the later writes', 10_000, async () => (await destCount('9z')) === 1 && (await destCount('allo/other/outside')) === 0 && (await destCount('allr/other/outside')) === 0);

    const all = async (p: string) => new Map([...(await destKeys(p))].map(([k, kv]) => [k.slice(p.length), kv.value]));
    expect(await all('allo/')).toEqual(await all('allr/'));
    expect(await all('4')).toEqual(new Map([['a', 'a4'], ['b', 'b4']]));

    const ends = await stopWith('SIGTERM', real, ours, stripped);
    expect(ends).toEqual([{ code: null, signal: 'SIGTERM' }, { code: null, signal: 'SIGTERM' }, { code: null, signal: 'SIGTERM' }]);
    expect(ours.stdout()).toBe(real.stdout());
    expect(ours.stderr()).toBe(withoutZap(real.stderr()));
  }, 60_000);

  it('ends with the compaction error, exit 1, when the watch would start at a compacted revision', async () => {
    // Both mirrors read the source, then wait on the paused destination; meanwhile the source is
    // compacted past the copy's revision, so the watch that follows the copy fails.
    await parallel(Array.from({ length: 50 }, (_, i) => () => put(`big/${String(i).padStart(2, '0')}`, 'x')));
    const dstEp = dst.endpoints[0]!;
    const before = await rangesServed(src);
    dst.members[0]!.pause();
    let mirrors: [Running, Running] | undefined;
    try {
      mirrors = [
        startCli('real', [srcEp, 'make-mirror', '--prefix', 'big/', '--dest-prefix', 'bigr/', dstEp]),
        startCli('ours', [srcEp, 'make-mirror', '--prefix', 'big/', '--dest-prefix', 'bigo/', dstEp]),
      ];
      // Each reads the revision, then the one page of keys.
      await waitUntil('both mirrors to read the source', 20_000, async () => (await rangesServed(src)) >= before + 4);
      await put('big/late', 'y');
      const { header } = await put('big/late', 'z');
      await gateway(src, '/v3/kv/compaction', { revision: header.revision, physical: true });
    } finally {
      dst.members[0]!.resume();
    }
    const [real, ours] = mirrors;
    let timer: NodeJS.Timeout | undefined;
    const [realEnd, oursEnd] = await Promise.race([
      Promise.all([real.exited, ours.exited]),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the mirrors did not end after the compaction')), 30_000))),
    ]);
    clearTimeout(timer);
    expect(realEnd).toEqual({ code: 1, signal: null });
    expect(withoutZap(real.stderr())).toBe('Error: etcdserver: mvcc: required revision has been compacted\n');
    expect(oursEnd).toEqual(realEnd);
    expect(ours.stderr()).toBe(withoutZap(real.stderr()));
    expect(ours.stdout()).toBe(real.stdout());
    // The copy itself completed before the watch failed.
    expect(await destCount('bigo/')).toBe(50);
    expect(await destCount('bigr/')).toBe(50);
  }, 60_000);
});
