// The Lease service: typed unary calls, and keep-alive renewal the way clientv3's lessor does it
// (a first request at once, then one every TTL/3 after each response, checked every 500 ms; the
// renewal ends when the server answers TTL <= 0, or when no answer came within the lease's TTL —
// before the first answer, within --dial-timeout + 1 s).
import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { RpcError } from '../common/errors.js';
import type { LeaseGrantRequest } from '../generated/etcdserverpb/LeaseGrantRequest.js';
import type { LeaseGrantResponse__Output } from '../generated/etcdserverpb/LeaseGrantResponse.js';
import type { LeaseRevokeRequest } from '../generated/etcdserverpb/LeaseRevokeRequest.js';
import type { LeaseRevokeResponse__Output } from '../generated/etcdserverpb/LeaseRevokeResponse.js';
import type { LeaseTimeToLiveRequest } from '../generated/etcdserverpb/LeaseTimeToLiveRequest.js';
import type { LeaseTimeToLiveResponse__Output } from '../generated/etcdserverpb/LeaseTimeToLiveResponse.js';
import type { LeaseLeasesResponse__Output } from '../generated/etcdserverpb/LeaseLeasesResponse.js';
import type { LeaseKeepAliveResponse__Output } from '../generated/etcdserverpb/LeaseKeepAliveResponse.js';
import type { Connection } from './connection.js';
import { fromGrpcError } from './grpc-errors.js';

const LEASE = 'etcdserverpb.Lease';
/** clientv3's retryConnWait: the send loop's tick and the pause before reopening a stream. */
const RETRY_WAIT_MS = 500;
/** clientv3's deadline loop tick. */
const DEADLINE_TICK_MS = 1000;
/** Keep-alive streams ask the server to refuse them while it has no leader (WithRequireLeader). */
const REQUIRE_LEADER = { hasleader: 'true' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The server's reply when a keep-alive finds no such lease (TTL <= 0). */
export const LEASE_NOT_FOUND = 'etcdserver: requested lease not found';

/** Unavailable and Internal are worth another try; anything else ends a keep-alive-once. */
function isHalting(err: ServiceError): boolean {
  return err.code !== status.UNAVAILABLE && err.code !== status.INTERNAL;
}

export class LeaseService {
  constructor(private readonly conn: Connection) {}

  grant(req: LeaseGrantRequest, deadline?: number): Promise<LeaseGrantResponse__Output> {
    return this.conn.unary(LEASE, 'LeaseGrant', req, { deadline, idempotent: true });
  }
  revoke(req: LeaseRevokeRequest, deadline?: number): Promise<LeaseRevokeResponse__Output> {
    return this.conn.unary(LEASE, 'LeaseRevoke', req, { deadline, idempotent: true });
  }
  timeToLive(req: LeaseTimeToLiveRequest, deadline?: number): Promise<LeaseTimeToLiveResponse__Output> {
    return this.conn.unary(LEASE, 'LeaseTimeToLive', req, { deadline, idempotent: true });
  }
  leases(deadline?: number): Promise<LeaseLeasesResponse__Output> {
    return this.conn.unary(LEASE, 'LeaseLeases', {}, { deadline, idempotent: true });
  }

  /** One renewal on a fresh stream (clientv3 KeepAliveOnce): TTL <= 0 is "lease not found". */
  async keepAliveOnce(id: string): Promise<LeaseKeepAliveResponse__Output> {
    for (;;) {
      const stream = await this.conn.bidiStream(LEASE, 'LeaseKeepAlive');
      try {
        const resp = await new Promise<LeaseKeepAliveResponse__Output>((resolve, reject) => {
          stream.once('data', (r: LeaseKeepAliveResponse__Output) => resolve(r));
          stream.once('error', reject);
          stream.once('end', () => reject(Object.assign(new Error('stream ended'), { code: status.UNAVAILABLE, details: '' })));
          stream.write({ ID: id });
        });
        if (BigInt(resp.TTL) <= 0n) throw new RpcError(LEASE_NOT_FOUND, 'NotFound');
        return resp;
      } catch (err) {
        if (err instanceof RpcError) throw err;
        const e = err as ServiceError;
        if (isHalting(e)) throw fromGrpcError(e);
        await sleep(RETRY_WAIT_MS);
      } finally {
        stream.removeAllListeners();
        stream.on('error', () => {});
        stream.cancel();
      }
    }
  }

  /**
   * Renews the lease until it expires or is revoked, yielding every response. `firstTimeoutMs`
   * bounds the wait for the first response (clientv3: dial timeout + 1 s).
   */
  keepAlive(id: string, firstTimeoutMs: number): AsyncIterable<LeaseKeepAliveResponse__Output> {
    return new KeepAlive(this.conn, id, firstTimeoutMs);
  }
}

/** One lease's renewal loop, consumed as an async iterable of responses. */
class KeepAlive implements AsyncIterable<LeaseKeepAliveResponse__Output> {
  private readonly queue: LeaseKeepAliveResponse__Output[] = [];
  private wake: (() => void) | undefined;
  private done = false;
  private stream: ClientDuplexStream<object, object> | undefined;
  private nextSendAt = Date.now();
  private deadline: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly conn: Connection,
    private readonly id: string,
    firstTimeoutMs: number,
  ) {
    this.deadline = Date.now() + firstTimeoutMs;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const t of this.timers) clearInterval(t);
    if (this.stream) {
      this.stream.removeAllListeners();
      this.stream.on('error', () => {});
      this.stream.cancel();
    }
    this.notify();
  }

  private sendDue(): void {
    if (this.done || !this.stream || Date.now() < this.nextSendAt) return;
    this.stream.write({ ID: this.id });
  }

  private onResponse(resp: LeaseKeepAliveResponse__Output): void {
    if (this.done || resp.ID !== this.id) return;
    const ttl = BigInt(resp.TTL);
    if (ttl <= 0n) {
      this.finish();
      return;
    }
    const ttlMs = Number(ttl) * 1000;
    this.nextSendAt = Date.now() + ttlMs / 3;
    this.deadline = Date.now() + ttlMs;
    this.queue.push(resp);
    this.notify();
  }

  /** Opens streams until the renewal ends; each stream lives until an error or its end. */
  private async run(): Promise<void> {
    while (!this.done) {
      let stream: ClientDuplexStream<object, object>;
      try {
        stream = await this.conn.bidiStream(LEASE, 'LeaseKeepAlive', undefined, REQUIRE_LEADER);
      } catch {
        await sleep(RETRY_WAIT_MS);
        continue;
      }
      if (this.done) {
        stream.on('error', () => {});
        stream.cancel();
        return;
      }
      this.stream = stream;
      const ended = await new Promise<ServiceError | undefined>((resolve) => {
        stream.on('data', (r: LeaseKeepAliveResponse__Output) => this.onResponse(r));
        stream.on('error', (err: ServiceError) => resolve(err));
        stream.on('end', () => resolve(undefined));
        this.sendDue();
      });
      this.stream = undefined;
      stream.removeAllListeners();
      stream.on('error', () => {});
      // A stream refused for lack of a leader ends the renewal, as clientv3 closes require-leader channels.
      if (ended && fromGrpcError(ended).message === 'etcdserver: no leader') this.finish();
      if (!this.done) await sleep(RETRY_WAIT_MS);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LeaseKeepAliveResponse__Output> {
    this.timers.push(setInterval(() => this.sendDue(), RETRY_WAIT_MS));
    this.timers.push(
      setInterval(() => {
        if (Date.now() > this.deadline) this.finish();
      }, DEADLINE_TICK_MS),
    );
    void this.run();
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.done) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.finish();
    }
  }
}
