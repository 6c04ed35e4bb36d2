// check perf / datascale: the load models, etcdctl's random keys, the bounded queue between one
// producer and many clients, the clients themselves and the clean-up steps.
import type { Invocation, Session } from '../../cli/invocation.js';
import { CtlError, ExitCode, RpcError, asCtlError } from '../../common/errors.js';
import type { EtcdClient } from '../../client/services.js';
import type { PutRequest } from '../../generated/etcdserverpb/PutRequest.js';
import { goQuote } from '../../go/quote.js';
import { bytesOfToken } from '../../common/byte-strings.js';
import { putUvarint } from '../../proto/wire.js';
import { prefixRange } from '../../kv/key-range.js';
import { Recorder } from './stats.js';

export type Model = 's' | 'm' | 'l' | 'xl';

export const LOAD_ALIASES: Record<string, Model> = { s: 's', small: 's', m: 'm', medium: 'm', l: 'l', large: 'l', xl: 'xl', xLarge: 'xl' };

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

export const PERF_KEY_SIZE = 256;
export const PERF_VALUE_SIZE = 1024;
export const DATASCALE_KEY_SIZE = 512;
export const DATASCALE_VALUE_SIZE = 512;
/** Deadline of the clean-up delete, the compaction and each defragmentation. */
export const MAINTENANCE_TIMEOUT_MS = 30_000;
export const RESIDENT_MEMORY_KEY = 'process_resident_memory_bytes';

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

export const MAX_INT64 = (1n << 63n) - 1n;

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
// The load: a bounded queue between one producer and many clients, as etcdctl's channel.

export class Queue<T> {
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
export class Cancel {
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

/** Where check's lines go: into the command's output stream (see perf.ts, datascale.ts). */
export type Say = (line: string) => void;

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Each client puts what the queue gives it until the queue is closed, recording every result. */
export async function putWorker(client: EtcdClient, queue: Queue<PutRequest>, rec: Recorder, done: () => void): Promise<void> {
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
export async function produceAtRate(queue: Queue<PutRequest>, limit: number, deadline: number, cancel: Cancel, make: () => PutRequest): Promise<void> {
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
export async function connectClients(inv: Invocation, count: number): Promise<{ session: Session; clients: EtcdClient[] }> {
  const session = await inv.connect();
  const { connectClient } = await import('../../client/endpoint-dial.js');
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

/** What both runs start with: the load model (exit 4 for an unknown one), the flags they share, the clients. */
export async function startRun<M extends { clients: number }>(inv: Invocation, models: Record<Model, M>) {
  const cfg = models[loadModel(inv.string('load'))];
  const flags = { prefix: inv.string('prefix'), autoCompact: inv.bool('auto-compact'), autoDefrag: inv.bool('auto-defrag'), io: inv.io };
  const { session, clients } = await connectClients(inv, cfg.clients);
  return { cfg, ...flags, session, clients, first: session.client };
}

export async function compact(client: EtcdClient, revision: string, say: Say): Promise<void> {
  say(`Compacting with revision ${revision}\n`);
  try {
    await client.kv.compact({ revision, physical: true }, Date.now() + MAINTENANCE_TIMEOUT_MS);
  } catch (err) {
    throw asCtlError(err);
  }
  say(`Compacted with revision ${revision}\n`);
}

export async function defragAll(session: Session, say: Say): Promise<void> {
  const { dialEndpoint } = await import('../../client/endpoint-dial.js');
  for (const endpoint of session.config.client.endpoints) {
    say(`Defragmenting ${goQuote(endpoint)}\n`);
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
    say(`Defragmented ${goQuote(endpoint)}\n`);
  }
}

/** check perf's clean-up: delete the prefix (a failure is only reported), then maybe compact. */
export async function attemptCleanup(client: EtcdClient, prefix: string, autoCompact: boolean, say: Say): Promise<void> {
  let revision: string;
  try {
    const resp = await client.kv.deleteRange(prefixRange(prefix), Date.now() + MAINTENANCE_TIMEOUT_MS);
    revision = resp.header?.revision ?? '0';
  } catch (err) {
    say(`FAIL: Cleanup failed during key deletion: ERROR(${messageOf(err)})\n`);
    return;
  }
  if (autoCompact) await compact(client, revision, say);
}

