// The server-side lock and election services (v3lockpb, v3electionpb), and a session: a lease
// kept alive for as long as a lock or a leadership is held, as clientv3's concurrency.Session.
//
// Lock and Campaign block until the lock or the leadership is obtained. They are safe to send
// again on another member after a failure: the server keys them by the session's lease
// (`<name>/<lease id hex>`), so a repeated request finds the key it created before.
import type { LockResponse__Output } from '../generated/v3lockpb/LockResponse.js';
import type { UnlockResponse__Output } from '../generated/v3lockpb/UnlockResponse.js';
import type { CampaignResponse__Output } from '../generated/v3electionpb/CampaignResponse.js';
import type { ResignResponse__Output } from '../generated/v3electionpb/ResignResponse.js';
import type { LeaderKey } from '../generated/v3electionpb/LeaderKey.js';
import type { Connection } from './connection.js';
import type { LeaseService } from './lease.js';

const LOCK = 'v3lockpb.Lock';
const ELECTION = 'v3electionpb.Election';

export class LockService {
  constructor(private readonly conn: Connection) {}

  /** Waits until the lock `name` is held by `lease`; `signal` gives up (`context canceled`). */
  lock(name: Buffer, lease: string, signal?: AbortSignal): Promise<LockResponse__Output> {
    return this.conn.unary(LOCK, 'Lock', { name, lease }, { idempotent: true, signal });
  }
  unlock(key: Buffer): Promise<UnlockResponse__Output> {
    return this.conn.unary(LOCK, 'Unlock', { key }, { idempotent: true });
  }
}

export class ElectionService {
  constructor(private readonly conn: Connection) {}

  /** Waits until `lease` leads election `name` with `value`; `signal` gives up (`context canceled`). */
  campaign(name: Buffer, lease: string, value: Buffer, signal?: AbortSignal): Promise<CampaignResponse__Output> {
    return this.conn.unary(ELECTION, 'Campaign', { name, lease, value }, { idempotent: true, signal });
  }
  resign(leader: LeaderKey): Promise<ResignResponse__Output> {
    return this.conn.unary(ELECTION, 'Resign', { leader }, { idempotent: true });
  }
}

/** concurrency.NewSession's default TTL, used when none (or one below 1) is given. */
export const DEFAULT_SESSION_TTL = 60;

/** A lease kept alive in the background (concurrency.Session). */
export class Session {
  /** Resolves when the lease is lost: expired, revoked, or not renewed within its TTL. */
  readonly done: Promise<void>;
  private stopped = false;
  private stopKeepAlive: (() => void) | undefined;

  private constructor(
    /** The lease ID (decimal, as the API carries int64). */
    readonly leaseId: string,
    renewals: AsyncIterable<unknown>,
  ) {
    this.done = (async () => {
      const iterator = renewals[Symbol.asyncIterator]();
      this.stopKeepAlive = () => void iterator.return?.();
      for (;;) {
        const next = await iterator.next();
        if (next.done || this.stopped) return;
      }
    })();
  }

  /**
   * Grants a lease of `ttlSeconds` (below 1: the default 60, as concurrency.WithTTL ignores
   * those) and starts renewing it. Grant errors come back as RpcError.
   */
  static async open(lease: LeaseService, ttlSeconds: bigint, firstRenewalTimeoutMs: number): Promise<Session> {
    const ttl = ttlSeconds > 0n ? ttlSeconds : BigInt(DEFAULT_SESSION_TTL);
    const resp = await lease.grant({ TTL: ttl.toString(), ID: '0' });
    return new Session(resp.ID, lease.keepAlive(resp.ID, firstRenewalTimeoutMs));
  }

  /** Stops renewing (the lease then expires on its own, as when etcdctl exits). */
  close(): void {
    this.stopped = true;
    this.stopKeepAlive?.();
  }
}
