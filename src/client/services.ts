// Typed one-line wrappers over the etcd v3 services. No printing, no flag knowledge.
import type { Connection } from './connection.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import type { PutRequest } from '../generated/etcdserverpb/PutRequest.js';
import type { PutResponse__Output } from '../generated/etcdserverpb/PutResponse.js';
import type { DeleteRangeRequest } from '../generated/etcdserverpb/DeleteRangeRequest.js';
import type { DeleteRangeResponse__Output } from '../generated/etcdserverpb/DeleteRangeResponse.js';
import type { TxnRequest } from '../generated/etcdserverpb/TxnRequest.js';
import type { TxnResponse__Output } from '../generated/etcdserverpb/TxnResponse.js';
import type { CompactionRequest } from '../generated/etcdserverpb/CompactionRequest.js';
import type { CompactionResponse__Output } from '../generated/etcdserverpb/CompactionResponse.js';
import { ClusterService } from './cluster.js';
import { MaintenanceService } from './maintenance.js';
import { AuthService } from './auth.js';
import { LeaseService } from './lease.js';
import { WatchService } from './watch.js';
import { ElectionService, LockService } from './concurrency.js';

const KV = 'etcdserverpb.KV';

export class KvService {
  constructor(private readonly conn: Connection) {}

  range(req: RangeRequest, deadline?: number): Promise<RangeResponse__Output> {
    return this.conn.unary(KV, 'Range', req, { deadline, idempotent: true });
  }
  /** The response's wire bytes, undecoded (proto/range-scan.ts reads them). */
  rangeRaw(req: RangeRequest, deadline?: number): Promise<Buffer> {
    return this.conn.unary<Buffer>(KV, 'Range', req, { deadline, idempotent: true, deserialize: (bytes) => bytes });
  }
  put(req: PutRequest, deadline?: number): Promise<PutResponse__Output> {
    return this.conn.unary(KV, 'Put', req, { deadline, idempotent: false });
  }
  deleteRange(req: DeleteRangeRequest, deadline?: number): Promise<DeleteRangeResponse__Output> {
    return this.conn.unary(KV, 'DeleteRange', req, { deadline, idempotent: false });
  }
  /** A txn is a write unless every op in it is a read, as clientv3 decides. */
  txn(req: TxnRequest, deadline?: number): Promise<TxnResponse__Output> {
    const ops = [...(req.success ?? []), ...(req.failure ?? [])];
    const readOnly = ops.every((op) => op.request_range !== undefined && op.request_range !== null);
    return this.conn.unary(KV, 'Txn', req, { deadline, idempotent: readOnly });
  }
  compact(req: CompactionRequest, deadline?: number): Promise<CompactionResponse__Output> {
    return this.conn.unary(KV, 'Compact', req, { deadline, idempotent: false });
  }
}

/** The typed client: one connection, one object per etcd service. */
export class EtcdClient {
  readonly kv: KvService;
  readonly auth: AuthService;
  readonly cluster: ClusterService;
  readonly maintenance: MaintenanceService;
  readonly lease: LeaseService;
  readonly watch: WatchService;
  readonly lock: LockService;
  readonly election: ElectionService;

  constructor(readonly connection: Connection) {
    this.kv = new KvService(connection);
    this.auth = new AuthService(connection);
    this.cluster = new ClusterService(connection);
    this.maintenance = new MaintenanceService(connection);
    this.lease = new LeaseService(connection);
    this.watch = new WatchService(connection);
    this.lock = new LockService(connection);
    this.election = new ElectionService(connection);
  }

  close(): void {
    this.connection.close();
  }
}
