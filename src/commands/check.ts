// check perf / check datascale: etcdctl's built-in load tests. Both write random keys under a
// prefix from many clients, draw pb's progress bar on stdout, judge the run with etcdctl's
// criteria and delete their keys afterwards.
import type { RequestOptions } from 'node:https';
import { readFile } from 'node:fs/promises';
import { CtlCommand, type FlagSpec } from '../cli/command.js';
import type { Invocation, Session } from '../cli/invocation.js';
import { ProgressBar } from '../cli/progress-bar.js';
import type { TlsConfig } from '../config/resolve.js';
import { CtlError, ExitCode, RpcError, SilentExit, asCtlError } from '../errors.js';
import type { EtcdClient } from '../client/services.js';
import type { PutRequest } from '../generated/etcdserverpb/PutRequest.js';
import type { Io } from '../io.js';
import { goFixed, goQuote } from '../output/encode.js';
import { putUvarint } from '../proto/wire.js';
import { bytesOfToken } from '../byte-strings.js';
import { prefixRange } from '../kv/key-range.js';

type Model = 's' | 'm' | 'l' | 'xl';

const LOAD_ALIASES: Record<string, Model> = { s: 's', small: 's', m: 'm', medium: 'm', l: 'l', large: 'l', xl: 'xl', xLarge: 'xl' };

/** check perf workloads: target writes per second, clients, seconds. */
export const PERF_MODELS: Record<Model, { limit: number; clients: number; duration: number }> = {
  s: { limit: 150, clients: 50, duration: 60 },
  m: { limit: 1000, clients: 200, duration: 60 },
  l: { limit: 8000, clients: 500, duration: 60 },
  xl: { limit: 15000, clients: 1000, duration: 60 },
};

/** check datascale workloads: keys to write, bytes per key-value (as reported), clients. */
export const DATASCALE_MODELS: Record<Model, { limit: number; kvSize: number; clients: number }> = {
  s: { limit: 10_000, kvSize: 1024, clients: 50 },
  m: { limit: 100_000, kvSize: 1024, clients: 200 },
  l: { limit: 1_000_000, kvSize: 1024, clients: 500 },
  xl: { limit: 3_000_000, kvSize: 1024, clients: 1000 },
};

const PERF_KEY_SIZE = 256;
const PERF_VALUE_SIZE = 1024;
const DATASCALE_KEY_SIZE = 512;
const DATASCALE_VALUE_SIZE = 512;
/** Deadline of the clean-up delete, the compaction and each defragmentation. */
const MAINTENANCE_TIMEOUT_MS = 30_000;
const RESIDENT_MEMORY_KEY = 'process_resident_memory_bytes';

/** The model behind a --load value (exit 4 for an unknown one). */
export function loadModel(load: string): Model {
  const model = Object.hasOwn(LOAD_ALIASES, load) ? LOAD_ALIASES[load] : undefined;
  if (model === undefined) throw new CtlError(ExitCode.BadFeature, `unknown load option ${load}`);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Keys: etcdctl writes binary.PutVarint(k, rand.Int63n(MaxInt64)) over the start of one reused
// buffer, so bytes after a short varint keep what longer ones left there.

/** Go's binary.PutVarint: zig-zag, then a base-128 varint. Returns the length. */
export function putVarint(buf: Uint8Array, x: bigint): number {
  let ux = BigInt.asUintN(64, x << 1n);
  if (x < 0n) ux = BigInt.asUintN(64, ~ux);
  return putUvarint(buf, 0, ux);
}

const MAX_INT64 = (1n << 63n) - 1n;

export class KeyMaker {
  private readonly buf: Buffer;
  private readonly prefix: Buffer;
  private pool = new BigUint64Array(256);
  private used = this.pool.length;

  constructor(prefix: string, size: number) {
    this.prefix = bytesOfToken(prefix);
    this.buf = Buffer.alloc(size);
  }

  /** A random value in [0, MaxInt64), like rand.Int63n(math.MaxInt64). */
  private random(): bigint {
    for (;;) {
      if (this.used === this.pool.length) {
        globalThis.crypto.getRandomValues(this.pool);
        this.used = 0;
      }
      const value = this.pool[this.used++]! >> 1n;
      if (value < MAX_INT64) return value;
    }
  }

  next(): Buffer {
    putVarint(this.buf, this.random());
    return Buffer.concat([this.prefix, this.buf]);
  }
}

// ---------------------------------------------------------------------------------------------
// Results: pkg/report's Stats, as far as check uses them.

export interface Stats {
  /** Requests per second: successful requests over the whole run. */
  rps: number;
  /** Seconds of the slowest successful request (0 when none succeeded). */
  slowest: number;
  /** Population standard deviation of the successful requests' seconds (NaN when none). */
  stddev: number;
  /** Failed requests by error text, in order of first appearance. */
  errors: Map<string, number>;
}

export class Recorder {
  readonly latencies: number[] = [];
  readonly errors = new Map<string, number>();
  ok(seconds: number): void {
    this.latencies.push(seconds);
  }
  fail(message: string): void {
    this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
  }
}

export function computeStats(rec: Recorder, totalSeconds: number): Stats {
  const n = rec.latencies.length;
  let sum = 0;
  let slowest = 0;
  for (const l of rec.latencies) {
    sum += l;
    if (l > slowest) slowest = l;
  }
  const average = sum / n;
  let squares = 0;
  for (const l of rec.latencies) squares += (l - average) * (l - average);
  return { rps: n / totalSeconds, slowest, stddev: Math.sqrt(squares / n), errors: rec.errors };
}

function errorLines(errors: Map<string, number>): string {
  let out = 'FAIL: too many errors\n';
  for (const [message, count] of errors) out += `FAIL: ERROR(${message}) -> ${count}\n`;
  return out;
}

/** check perf's verdict lines and whether the cluster passed. */
export function perfVerdict(stats: Stats, limit: number): { text: string; ok: boolean } {
  let ok = true;
  let text = '';
  if (stats.errors.size !== 0) {
    text += errorLines(stats.errors);
    ok = false;
  }
  const writes = Math.trunc(stats.rps) + 1;
  if (stats.rps / limit <= 0.9) {
    text += `FAIL: Throughput too low: ${writes} writes/s\n`;
    ok = false;
  } else {
    text += `PASS: Throughput is ${writes} writes/s\n`;
  }
  if (stats.slowest > 0.5) {
    text += `Slowest request took too long: ${goFixed(stats.slowest, 6)}s\n`;
    ok = false;
  } else {
    text += `PASS: Slowest request took ${goFixed(stats.slowest, 6)}s\n`;
  }
  if (stats.stddev > 0.1) {
    text += `Stddev too high: ${goFixed(stats.stddev, 6)}s\n`;
    ok = false;
  } else {
    text += `PASS: Stddev is ${goFixed(stats.stddev, 6)}s\n`;
  }
  text += ok ? 'PASS\n' : 'FAIL\n';
  return { text, ok };
}

// ---------------------------------------------------------------------------------------------
// The load: a bounded queue between one producer and many clients, as etcdctl's channel.

class Queue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T | undefined) => void)[] = [];
  private readonly senders: (() => void)[] = [];
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Adds an item, waiting while the queue is full; resolves true if it had to wait. */
  async send(item: T): Promise<boolean> {
    const taker = this.takers.shift();
    if (taker) {
      taker(item);
      return false;
    }
    let waited = false;
    while (this.items.length >= this.capacity) {
      waited = true;
      await new Promise<void>((resolve) => this.senders.push(resolve));
    }
    this.items.push(item);
    return waited;
  }

  /** The next item, or undefined once the queue is closed and drained. */
  receive(): Promise<T | undefined> {
    if (this.items.length > 0) {
      const item = this.items.shift();
      this.senders.shift()?.();
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const taker of this.takers.splice(0)) taker(undefined);
  }
}

/** A cancellation that sleeps can wait on (etcdctl's context cancelled by SIGINT). */
class Cancel {
  canceled = false;
  private readonly wakers = new Set<() => void>();
  cancel(): void {
    this.canceled = true;
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
  /** Rejects with `context canceled` when cancelled first. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.canceled) return Promise.reject(new RpcError('context canceled', 'Canceled'));
    return new Promise<T>((resolve, reject) => {
      const wake = () => reject(new RpcError('context canceled', 'Canceled'));
      this.wakers.add(wake);
      promise.then(resolve, reject).finally(() => this.wakers.delete(wake));
    });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Each client puts what the queue gives it until the queue is closed, recording every result. */
async function putWorker(client: EtcdClient, queue: Queue<PutRequest>, rec: Recorder, done: () => void): Promise<void> {
  for (;;) {
    const req = await queue.receive();
    if (req === undefined) return;
    const start = performance.now();
    try {
      await client.kv.put(req);
      rec.ok((performance.now() - start) / 1000);
    } catch (err) {
      rec.fail(messageOf(err));
    }
    done();
  }
}

/**
 * Feeds the queue at `limit` requests per second until the deadline or a cancel, like a
 * rate.Limiter with burst 1: the schedule advances by 1/limit per request, restarting from now
 * only after the queue was full (timer lateness is caught up instead of lost).
 */
async function produceAtRate(queue: Queue<PutRequest>, limit: number, deadline: number, cancel: Cancel, make: () => PutRequest): Promise<void> {
  const interval = 1000 / limit;
  let next = performance.now();
  while (!cancel.canceled && next <= deadline) {
    const wait = next - performance.now();
    if (wait > 0) {
      await cancel.sleep(wait);
      if (cancel.canceled) return;
    }
    const waited = await queue.send(make());
    next = waited ? Math.max(next + interval, performance.now()) : next + interval;
  }
}

// ---------------------------------------------------------------------------------------------
// Clients and the clean-up steps.

/** etcdctl builds the configuration once, then one client per worker; a failed login exits 2. */
async function connectClients(inv: Invocation, count: number): Promise<{ session: Session; clients: EtcdClient[] }> {
  const session = await inv.connect();
  const { connectClient } = await import('../client/endpoint-dial.js');
  const clients: EtcdClient[] = [session.client];
  try {
    for (let i = 1; i < count; i++) clients.push(await connectClient(session.config.client));
  } catch (err) {
    for (const c of clients.slice(1)) c.close();
    if (err instanceof RpcError) throw new CtlError(ExitCode.BadConnection, err.message);
    throw err;
  }
  return { session, clients };
}

async function compact(client: EtcdClient, revision: string, io: Io): Promise<void> {
  io.stdout.write(`Compacting with revision ${revision}\n`);
  try {
    await client.kv.compact({ revision, physical: true }, Date.now() + MAINTENANCE_TIMEOUT_MS);
  } catch (err) {
    throw asCtlError(err);
  }
  io.stdout.write(`Compacted with revision ${revision}\n`);
}

async function defragAll(session: Session, io: Io): Promise<void> {
  const { dialEndpoint } = await import('../client/endpoint-dial.js');
  for (const endpoint of session.config.client.endpoints) {
    io.stdout.write(`Defragmenting ${goQuote(endpoint)}\n`);
    const deadline = Date.now() + MAINTENANCE_TIMEOUT_MS;
    let member: EtcdClient | undefined;
    try {
      member = await dialEndpoint(session.client.connection, endpoint);
      await member.maintenance.defragment(deadline);
    } catch (err) {
      throw asCtlError(err);
    } finally {
      member?.close();
    }
    io.stdout.write(`Defragmented ${goQuote(endpoint)}\n`);
  }
}

/** check perf's clean-up: delete the prefix (a failure is only reported), then maybe compact. */
async function attemptCleanup(client: EtcdClient, prefix: string, autoCompact: boolean, io: Io): Promise<void> {
  let revision: string;
  try {
    const resp = await client.kv.deleteRange(prefixRange(prefix), Date.now() + MAINTENANCE_TIMEOUT_MS);
    revision = resp.header?.revision ?? '0';
  } catch (err) {
    io.stdout.write(`FAIL: Cleanup failed during key deletion: ERROR(${messageOf(err)})\n`);
    return;
  }
  if (autoCompact) await compact(client, revision, io);
}

// ---------------------------------------------------------------------------------------------
// check perf

async function runPerf(inv: Invocation): Promise<void> {
  const cfg = PERF_MODELS[loadModel(inv.string('load'))];
  const prefix = inv.string('prefix');
  const autoCompact = inv.bool('auto-compact');
  const autoDefrag = inv.bool('auto-defrag');
  const { io } = inv;

  const { session, clients } = await connectClients(inv, cfg.clients);
  const first = session.client;
  const deadline = performance.now() + cfg.duration * 1000;
  const cancel = new Cancel();
  // SIGINT stops the load and deletes the keys; further SIGINTs are ignored until that is done.
  let interrupted = false;
  const stopListening = io.onSignal?.('SIGINT', () => {
    if (interrupted) return;
    interrupted = true;
    cancel.cancel();
    void attemptCleanup(first, prefix, false, io)
      .catch(() => undefined)
      .finally(() => stopListening?.());
  });

  let bar: ProgressBar | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const existing = await cancel
      .race(first.kv.range({ ...prefixRange(prefix), limit: '1' }, Date.now() + Math.max(0, deadline - performance.now())))
      .catch((err: unknown) => {
        throw asCtlError(err);
      });
    if (existing.kvs.length > 0) {
      throw new CtlError(ExitCode.InvalidInput, `prefix ${goQuote(prefix)} has keys. Delete with 'etcdctl del --prefix ${prefix}' first`);
    }

    const keys = new KeyMaker(prefix, PERF_KEY_SIZE);
    const value = Buffer.alloc(PERF_VALUE_SIZE);
    const progress = new ProgressBar(cfg.duration, (text) => io.stdout.write(text), io.terminalWidth?.() ?? 0).start();
    bar = progress;
    const started = performance.now();
    const rec = new Recorder();
    const queue = new Queue<PutRequest>(cfg.clients);
    const workers = clients.map((c) => putWorker(c, queue, rec, () => undefined));

    // The bar counts seconds on its own, whatever the load does.
    let seconds = 0;
    const tick = () => {
      progress.add(1);
      if (++seconds >= cfg.duration) progress.finish();
      else ticker = setTimeout(tick, 1000).unref();
    };
    ticker = setTimeout(tick, 1000).unref();

    await produceAtRate(queue, cfg.limit, deadline, cancel, () => ({ key: keys.next(), value }));
    queue.close();
    await Promise.all(workers);
    const stats = computeStats(rec, (performance.now() - started) / 1000);

    await attemptCleanup(first, prefix, autoCompact, io);
    if (autoDefrag) await defragAll(session, io);

    const verdict = perfVerdict(stats, cfg.limit);
    io.stdout.write(verdict.text);
    if (!verdict.ok) throw new SilentExit(ExitCode.Error);
  } finally {
    clearTimeout(ticker);
    bar?.stop();
    if (!interrupted) stopListening?.();
    for (const c of clients.slice(1)) c.close();
  }
}

// ---------------------------------------------------------------------------------------------
// check datascale

/** Go's strconv.ParseFloat for a metrics value; undefined for invalid syntax. */
export function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return /nan/i.test(special[2]!) ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** How Go's net/http phrases a failed GET. */
function fetchErrorText(url: string, err: NodeJS.ErrnoException & { address?: string; port?: number }): string {
  if (err.code === 'ECONNREFUSED' && err.address !== undefined) {
    const host = err.address.includes(':') ? `[${err.address}]` : err.address;
    return `Get ${goQuote(url)}: dial tcp ${host}:${err.port}: connect: connection refused`;
  }
  if (err.code === 'ENOTFOUND') return `Get ${goQuote(url)}: dial tcp: lookup ${new URL(url).hostname}: no such host`;
  return `Get ${goQuote(url)}: ${err.message}`;
}

async function readFileForTls(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new Error(`open ${path}: ${why}`);
  }
}

/**
 * process_resident_memory_bytes from the endpoint's /metrics (etcdctl's endpointMemoryMetrics):
 * 0 after printing why when it cannot be had.
 */
export async function residentMemoryBytes(endpoint: string, tls: TlsConfig, io: Io): Promise<number> {
  const host = endpoint.startsWith('http://') || endpoint.startsWith('https://') ? endpoint : `http://${endpoint}`;
  const url = `${host}/metrics`;
  let options: RequestOptions = {};
  if (host.startsWith('https://')) {
    try {
      const cert = await readFileForTls(tls.certFile);
      const key = await readFileForTls(tls.keyFile);
      options = { cert, key, rejectUnauthorized: !tls.insecureSkipVerify };
    } catch (err) {
      io.stdout.write(`client certificate error: ${messageOf(err)}\n`);
      return 0;
    }
  }
  // Loaded here: every other command starts without the HTTP stack.
  const { get } = url.startsWith('https://') ? await import('node:https') : await import('node:http');
  let body: string;
  try {
    body = await new Promise<string>((resolve, reject) => {
      const req = get(url, { ...options, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  } catch (err) {
    io.stdout.write(`fetch error: ${fetchErrorText(url, err as NodeJS.ErrnoException)}\n`);
    return 0;
  }
  const line = body.split('\n').find((l) => l.startsWith(RESIDENT_MEMORY_KEY));
  const text = line === undefined ? '' : line.slice(RESIDENT_MEMORY_KEY.length).trim();
  if (text === '') {
    io.stdout.write(`could not find: ${RESIDENT_MEMORY_KEY}\n`);
    return 0;
  }
  const value = parseGoFloat(text);
  if (value === undefined) {
    io.stdout.write(`parse error: strconv.ParseFloat: parsing ${goQuote(text)}: invalid syntax\n`);
    return 0;
  }
  return value;
}

async function runDatascale(inv: Invocation): Promise<void> {
  const cfg = DATASCALE_MODELS[loadModel(inv.string('load'))];
  const prefix = inv.string('prefix');
  const autoCompact = inv.bool('auto-compact');
  const autoDefrag = inv.bool('auto-defrag');
  const { io } = inv;

  const { session, clients } = await connectClients(inv, cfg.clients);
  const first = session.client;
  const endpoint = session.config.client.endpoints[0]!;
  let bar: ProgressBar | undefined;
  try {
    const existing = await first.kv.range({ ...prefixRange(prefix), limit: '1' }).catch((err: unknown) => {
      throw asCtlError(err);
    });
    if (existing.kvs.length > 0) {
      throw new CtlError(ExitCode.InvalidInput, `prefix ${goQuote(prefix)} has keys. Delete with etcdctl del --prefix ${prefix} first`);
    }

    const before = await residentMemoryBytes(endpoint, session.config.client.tls, io);
    if (before === 0) {
      io.stdout.write('FAIL: Could not read process_resident_memory_bytes before the put operations.\n');
      throw new SilentExit(ExitCode.Error);
    }

    io.stdout.write(
      `Start data scale check for work load [${cfg.limit} key-value pairs, ${cfg.kvSize} bytes per key-value, ${cfg.clients} concurrent clients].\n`,
    );
    const progress = new ProgressBar(cfg.limit, (text) => io.stdout.write(text), io.terminalWidth?.() ?? 0).start();
    bar = progress;
    const rec = new Recorder();
    const queue = new Queue<PutRequest>(cfg.clients);
    const workers = clients.map((c) => putWorker(c, queue, rec, () => progress.add(1)));
    const keys = new KeyMaker(prefix, DATASCALE_KEY_SIZE);
    const value = Buffer.alloc(DATASCALE_VALUE_SIZE);
    for (let i = 0; i < cfg.limit; i++) await queue.send({ key: keys.next(), value });
    queue.close();
    await Promise.all(workers);
    progress.finish();

    const after = await residentMemoryBytes(endpoint, session.config.client.tls, io);
    if (after === 0) {
      io.stdout.write('FAIL: Could not read process_resident_memory_bytes after the put operations.\n');
      throw new SilentExit(ExitCode.Error);
    }

    const deleted = await first.kv.deleteRange(prefixRange(prefix)).catch((err: unknown) => {
      throw asCtlError(err);
    });
    if (autoCompact) await compact(first, deleted.header?.revision ?? '0', io);
    if (autoDefrag) await defragAll(session, io);

    if (rec.errors.size !== 0) {
      io.stdout.write(errorLines(rec.errors));
      throw new SilentExit(ExitCode.Error);
    }
    const megabytes = (after - before) / (1024 * 1024);
    io.stdout.write(`PASS: Approximate system memory used : ${goFixed(megabytes, 2)} MB.\n`);
  } finally {
    bar?.stop();
    for (const c of clients.slice(1)) c.close();
  }
}

// ---------------------------------------------------------------------------------------------

const maintenanceFlags: FlagSpec[] = [
  { name: 'auto-compact', kind: 'bool', defaultText: 'false', help: 'Compact storage with last revision after test is finished.' },
  { name: 'auto-defrag', kind: 'bool', defaultText: 'false', help: 'Defragment storage after test is finished.' },
];

export function checkCommand(): CtlCommand {
  const perf = CtlCommand.fromSpec({
    name: 'perf',
    use: 'perf [options]',
    short: 'Check the performance of the etcd cluster',
    flags: [
      {
        name: 'load',
        kind: 'string',
        defaultText: 's',
        help: "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)",
      },
      { name: 'prefix', kind: 'string', defaultText: '/etcdctl-check-perf/', help: "The prefix for writing the performance check's keys." },
      ...maintenanceFlags,
    ],
    run: runPerf,
  });
  const datascale = CtlCommand.fromSpec({
    name: 'datascale',
    use: 'datascale [options]',
    short: 'Check the memory usage of holding data for different workloads on a given server endpoint.',
    long: 'If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.',
    flags: [
      {
        name: 'load',
        kind: 'string',
        defaultText: 's',
        help: "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)",
      },
      {
        name: 'prefix',
        kind: 'string',
        defaultText: '/etcdctl-check-datascale/',
        help: "The prefix for writing the datascale check's keys.",
      },
      ...maintenanceFlags,
    ],
    run: runDatascale,
  });
  return CtlCommand.fromSpec({ name: 'check', use: 'check <subcommand>', short: 'commands for checking properties of the etcd cluster' }).add(
    perf,
    datascale,
  );
}
