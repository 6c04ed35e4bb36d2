// The typed client as a library: `import { Etcd } from 'etcdctl-ts'`. A thin, friendly layer over
// the same client the CLI uses (src/client): keys and values as Buffers (strings accepted as
// input), revisions and IDs as bigints, one request deadline per call.
import { Connection } from '../client/connection.js';
import { EtcdClient } from '../client/services.js';
import type { Watcher } from '../client/watch.js';
import { watchResponseError } from '../client/watch.js';
import type { ClientConfig } from '../client/config.js';
import { keyRange } from '../kv/key-range.js';
import type { Compare } from '../generated/etcdserverpb/Compare.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import type { ResponseOp__Output } from '../generated/etcdserverpb/ResponseOp.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';

export type Bytes = string | Buffer | Uint8Array;

export interface EtcdOptions {
  /** `host:port` or URLs (`https://…` turns TLS on). Default: 127.0.0.1:2379. */
  endpoints?: string[];
  /** How long connecting may take (default 2000 ms). */
  dialTimeoutMs?: number;
  /** Deadline of each request (default 5000 ms); streams (watch, keep-alive) have none. */
  requestTimeoutMs?: number;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; insecureSkipVerify?: boolean };
  auth?: { username: string; password: string };
}

export interface KeyValue {
  key: Buffer;
  value: Buffer;
  createRevision: bigint;
  modRevision: bigint;
  version: bigint;
  /** The attached lease (0n for none). */
  lease: bigint;
}

export interface RangeOptions {
  /** Every key starting with `key`. */
  prefix?: boolean;
  /** Every key from `key` on. */
  fromKey?: boolean;
  /** Keys in [key, rangeEnd). */
  rangeEnd?: Bytes;
}

export interface GetOptions extends RangeOptions {
  limit?: number;
  /** Read as of this revision (0: the current one). */
  revision?: bigint;
  keysOnly?: boolean;
  countOnly?: boolean;
  serializable?: boolean;
  sort?: { target: 'key' | 'version' | 'create' | 'mod' | 'value'; order: 'ascend' | 'descend' };
}

export interface GetResult {
  kvs: KeyValue[];
  count: bigint;
  more: boolean;
  /** The store's revision when the read was served. */
  revision: bigint;
}

export interface PutOptions {
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface DeleteOptions extends RangeOptions {
  prevKv?: boolean;
}

export type Op =
  | ({ type: 'get'; key: Bytes } & GetOptions)
  | ({ type: 'put'; key: Bytes; value: Bytes } & PutOptions)
  | ({ type: 'delete'; key: Bytes } & DeleteOptions);

export type OpResult =
  | { type: 'get'; result: GetResult }
  | { type: 'put'; revision: bigint; prevKv?: KeyValue }
  | { type: 'delete'; deleted: bigint; prevKvs: KeyValue[] };

export interface Comparison {
  key: Bytes;
  target: 'value' | 'version' | 'create' | 'mod' | 'lease';
  result: '=' | '!=' | '<' | '>';
  /** A Bytes for 'value', a number/bigint for the others. */
  value: Bytes | bigint | number;
  rangeEnd?: Bytes;
}

export interface TxnRequest {
  compare?: Comparison[];
  success?: Op[];
  failure?: Op[];
}

export interface TxnResult {
  succeeded: boolean;
  revision: bigint;
  responses: OpResult[];
}

export interface WatchOptions extends RangeOptions {
  /** First revision to deliver (default: changes after now). */
  startRevision?: bigint;
  prevKv?: boolean;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** A watch: iterate it for events; cancel() ends the iteration. */
export interface Watch extends AsyncIterable<WatchEvent> {
  cancel(): void;
}

export interface LeaseInfo {
  id: bigint;
  ttl: bigint;
  grantedTtl: bigint;
  keys: Buffer[];
}

export interface Lock {
  /** The key that holds the lock (present while it is held). */
  key: Buffer;
  release(): Promise<void>;
}

export interface Leadership {
  /** The key that holds the leadership. */
  key: Buffer;
  resign(): Promise<void>;
}

const toBuffer = (b: Bytes) => (typeof b === 'string' ? Buffer.from(b) : Buffer.from(b));
function rangeOf(key: Bytes, o: RangeOptions): { key: Buffer; range_end?: Buffer } {
  return keyRange(toBuffer(key), { prefix: o.prefix, fromKey: o.fromKey, rangeEnd: o.rangeEnd !== undefined ? toBuffer(o.rangeEnd) : undefined });
}

function keyValue(kv: KeyValue__Output): KeyValue {
  return {
    key: kv.key,
    value: kv.value,
    createRevision: BigInt(kv.create_revision),
    modRevision: BigInt(kv.mod_revision),
    version: BigInt(kv.version),
    lease: BigInt(kv.lease),
  };
}

const SORT_TARGETS = { key: 0, version: 1, create: 2, mod: 3, value: 4 } as const;

function rangeRequest(key: Bytes, o: GetOptions): RangeRequest {
  return {
    ...rangeOf(key, o),
    limit: String(o.limit ?? 0),
    revision: String(o.revision ?? 0n),
    keys_only: o.keysOnly ?? false,
    count_only: o.countOnly ?? false,
    serializable: o.serializable ?? false,
    sort_order: o.sort ? (o.sort.order === 'ascend' ? 1 : 2) : 0,
    sort_target: o.sort ? SORT_TARGETS[o.sort.target] : 0,
  };
}

function requestOp(op: Op): RequestOp {
  switch (op.type) {
    case 'get':
      return { request_range: rangeRequest(op.key, op) };
    case 'put':
      return {
        request_put: {
          key: toBuffer(op.key),
          value: toBuffer(op.value),
          lease: String(op.lease ?? 0n),
          prev_kv: op.prevKv ?? false,
          ignore_value: op.ignoreValue ?? false,
          ignore_lease: op.ignoreLease ?? false,
        },
      };
    case 'delete':
      return { request_delete_range: { ...rangeOf(op.key, op), prev_kv: op.prevKv ?? false } };
  }
}

const COMPARE_RESULTS = { '=': 0, '>': 1, '<': 2, '!=': 3 } as const;
const COMPARE_TARGETS = { version: 0, create: 1, mod: 2, value: 3, lease: 4 } as const;
const TARGET_FIELDS = { version: 'version', create: 'create_revision', mod: 'mod_revision', value: 'value', lease: 'lease' } as const;

function compare(c: Comparison): Compare {
  const field = TARGET_FIELDS[c.target];
  const value = c.target === 'value' ? toBuffer(c.value as Bytes) : String(c.value);
  return {
    key: toBuffer(c.key),
    ...(c.rangeEnd !== undefined ? { range_end: toBuffer(c.rangeEnd) } : {}),
    result: COMPARE_RESULTS[c.result],
    target: COMPARE_TARGETS[c.target],
    [field]: value,
  };
}

function getResult(resp: { kvs: KeyValue__Output[]; count: string; more: boolean; header: { revision: string } | null }): GetResult {
  return { kvs: resp.kvs.map(keyValue), count: BigInt(resp.count), more: resp.more, revision: BigInt(resp.header?.revision ?? '0') };
}

function opResult(r: ResponseOp__Output): OpResult {
  if (r.response_range) return { type: 'get', result: getResult(r.response_range) };
  if (r.response_put) {
    return { type: 'put', revision: BigInt(r.response_put.header?.revision ?? '0'), ...(r.response_put.prev_kv ? { prevKv: keyValue(r.response_put.prev_kv) } : {}) };
  }
  const d = r.response_delete_range!;
  return { type: 'delete', deleted: BigInt(d.deleted), prevKvs: d.prev_kvs.map(keyValue) };
}

/** A client for one etcd cluster. Call close() when done. */
export class Etcd {
  private readonly client: EtcdClient;
  private readonly timeoutMs: number;
  private authenticated: Promise<void> | undefined;

  constructor(options: EtcdOptions = {}) {
    const tls = options.tls ?? {};
    const config: ClientConfig = {
      endpoints: options.endpoints ?? ['127.0.0.1:2379'],
      dialTimeoutMs: options.dialTimeoutMs ?? 2000,
      commandTimeoutMs: options.requestTimeoutMs ?? 5000,
      commandTimeoutExplicit: true,
      keepaliveTimeMs: 2000,
      keepaliveTimeoutMs: 6000,
      tls: {
        certFile: tls.certFile ?? '',
        keyFile: tls.keyFile ?? '',
        caFile: tls.caFile ?? '',
        insecureTransport: !(tls.caFile || tls.certFile),
        insecureSkipVerify: tls.insecureSkipVerify ?? false,
        serverName: '',
      },
      ...(options.auth ? { auth: options.auth } : {}),
      debug: false,
    };
    this.timeoutMs = config.commandTimeoutMs;
    this.client = new EtcdClient(new Connection(config));
  }

  /** Resolves once authenticated (when credentials were given); every call waits for it. */
  private async ready(): Promise<EtcdClient> {
    await (this.authenticated ??= this.client.connection.authenticate());
    return this.client;
  }

  private deadline(): number {
    return Date.now() + this.timeoutMs;
  }

  async get(key: Bytes, options: GetOptions = {}): Promise<GetResult> {
    const client = await this.ready();
    return getResult(await client.kv.range(rangeRequest(key, options), this.deadline()));
  }

  /** The value of one key as UTF-8 text, or undefined when it does not exist. */
  async getString(key: Bytes): Promise<string | undefined> {
    const { kvs } = await this.get(key);
    return kvs[0]?.value.toString('utf8');
  }

  async put(key: Bytes, value: Bytes, options: PutOptions = {}): Promise<{ revision: bigint; prevKv?: KeyValue }> {
    const client = await this.ready();
    const op = requestOp({ type: 'put', key, value, ...options }).request_put!;
    const resp = await client.kv.put(op, this.deadline());
    return { revision: BigInt(resp.header?.revision ?? '0'), ...(resp.prev_kv ? { prevKv: keyValue(resp.prev_kv) } : {}) };
  }

  async delete(key: Bytes, options: DeleteOptions = {}): Promise<{ deleted: bigint; prevKvs: KeyValue[]; revision: bigint }> {
    const client = await this.ready();
    const resp = await client.kv.deleteRange({ ...rangeOf(key, options), prev_kv: options.prevKv ?? false }, this.deadline());
    return { deleted: BigInt(resp.deleted), prevKvs: resp.prev_kvs.map(keyValue), revision: BigInt(resp.header?.revision ?? '0') };
  }

  /** All comparisons true → `success` ops, else `failure` ops; atomically. */
  async txn(request: TxnRequest): Promise<TxnResult> {
    const client = await this.ready();
    const resp = await client.kv.txn(
      {
        compare: (request.compare ?? []).map(compare),
        success: (request.success ?? []).map(requestOp),
        failure: (request.failure ?? []).map(requestOp),
      },
      this.deadline(),
    );
    return { succeeded: resp.succeeded, revision: BigInt(resp.header?.revision ?? '0'), responses: resp.responses.map(opResult) };
  }

  /** Watches a key or range; iterate the result for events. A compaction or cancel by the server throws. */
  watch(key: Bytes, options: WatchOptions = {}): Watch {
    let watcher: Watcher | undefined;
    let cancelled = false;
    const start = async () => {
      const client = await this.ready();
      const range = rangeOf(key, options);
      watcher = client.watch.watch({
        key: range.key,
        ...(range.range_end ? { rangeEnd: range.range_end } : {}),
        startRevision: options.startRevision ?? 0n,
        prevKv: options.prevKv ?? false,
      });
      if (cancelled) watcher.cancel();
      return watcher;
    };
    return {
      cancel: () => {
        cancelled = true;
        watcher?.cancel();
      },
      [Symbol.asyncIterator]: async function* () {
        const w = await start();
        for await (const resp of w) {
          const error = watchResponseError(resp);
          if (error !== undefined && !cancelled) throw new Error(error);
          for (const ev of resp.events ?? []) {
            if (!ev.kv) continue;
            yield { type: ev.type === 1 ? 'delete' : 'put', kv: keyValue(ev.kv), ...(ev.prev_kv ? { prevKv: keyValue(ev.prev_kv) } : {}) };
          }
          if (resp.canceled) return;
        }
      },
    };
  }

  readonly lease = {
    /** Grants a lease of `ttlSeconds`; returns its ID. */
    grant: async (ttlSeconds: number): Promise<{ id: bigint; ttl: bigint }> => {
      const client = await this.ready();
      const resp = await client.lease.grant({ TTL: String(ttlSeconds), ID: '0' }, this.deadline());
      return { id: BigInt(resp.ID), ttl: BigInt(resp.TTL) };
    },
    revoke: async (id: bigint): Promise<void> => {
      const client = await this.ready();
      await client.lease.revoke({ ID: id.toString() }, this.deadline());
    },
    timeToLive: async (id: bigint, options: { keys?: boolean } = {}): Promise<LeaseInfo> => {
      const client = await this.ready();
      const resp = await client.lease.timeToLive({ ID: id.toString(), keys: options.keys ?? false }, this.deadline());
      return { id: BigInt(resp.ID), ttl: BigInt(resp.TTL), grantedTtl: BigInt(resp.grantedTTL), keys: resp.keys };
    },
    list: async (): Promise<bigint[]> => {
      const client = await this.ready();
      return (await client.lease.leases(this.deadline())).leases.map((l) => BigInt(l.ID));
    },
    /** Renews the lease once; returns the TTL it was reset to. */
    keepAliveOnce: async (id: bigint): Promise<bigint> => {
      const client = await this.ready();
      return BigInt((await client.lease.keepAliveOnce(id.toString())).TTL);
    },
  };

  /**
   * A lease of `ttlSeconds` renewed every third of its TTL until `stop()` (which revokes it). The
   * renewal timer does not keep the process alive on its own.
   */
  private async heldLease(ttlSeconds: number): Promise<{ id: string; stop: () => Promise<void> }> {
    const client = await this.ready();
    const ttl = ttlSeconds > 0 ? ttlSeconds : 60;
    const id = (await client.lease.grant({ TTL: String(ttl), ID: '0' }, this.deadline())).ID;
    const timer = setInterval(() => void client.lease.keepAliveOnce(id).catch(() => undefined), (ttl * 1000) / 3);
    timer.unref();
    return {
      id,
      stop: async () => {
        clearInterval(timer);
        await client.lease.revoke({ ID: id }, this.deadline()).catch(() => undefined);
      },
    };
  }

  /** Waits for and takes the lock `name`, held by a lease of `ttlSeconds` (default 60) while the program runs. */
  async lock(name: Bytes, options: { ttlSeconds?: number } = {}): Promise<Lock> {
    const client = await this.ready();
    const lease = await this.heldLease(options.ttlSeconds ?? 60);
    try {
      const resp = await client.lock.lock(toBuffer(name), lease.id);
      return {
        key: resp.key,
        release: async () => {
          try {
            await client.lock.unlock(resp.key);
          } finally {
            await lease.stop();
          }
        },
      };
    } catch (err) {
      await lease.stop();
      throw err;
    }
  }

  /** Campaigns in election `name` with `value`; resolves once this client leads. */
  async campaign(name: Bytes, value: Bytes, options: { ttlSeconds?: number } = {}): Promise<Leadership> {
    const client = await this.ready();
    const lease = await this.heldLease(options.ttlSeconds ?? 60);
    try {
      const resp = await client.election.campaign(toBuffer(name), lease.id, toBuffer(value));
      const leader = resp.leader!;
      return {
        key: leader.key,
        resign: async () => {
          try {
            await client.election.resign(leader);
          } finally {
            await lease.stop();
          }
        },
      };
    } catch (err) {
      await lease.stop();
      throw err;
    }
  }

  /** Ends every watch and the connection. */
  close(): void {
    this.client.watch.close();
    this.client.close();
  }
}
