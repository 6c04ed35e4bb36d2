// Typed wrappers over etcd's Cluster service (membership). No printing, no flag knowledge.
// Like clientv3, only MemberList is sent again after it may have reached a server.
import type { Connection } from './connection.js';
import type { MemberAddResponse__Output } from '../generated/etcdserverpb/MemberAddResponse.js';
import type { MemberRemoveResponse__Output } from '../generated/etcdserverpb/MemberRemoveResponse.js';
import type { MemberUpdateResponse__Output } from '../generated/etcdserverpb/MemberUpdateResponse.js';
import type { MemberListResponse__Output } from '../generated/etcdserverpb/MemberListResponse.js';
import type { MemberPromoteResponse__Output } from '../generated/etcdserverpb/MemberPromoteResponse.js';

const CLUSTER = 'etcdserverpb.Cluster';

export class ClusterService {
  constructor(private readonly conn: Connection) {}

  memberAdd(peerURLs: string[], isLearner: boolean, deadline?: number): Promise<MemberAddResponse__Output> {
    return this.conn.unary(CLUSTER, 'MemberAdd', { peerURLs, isLearner }, { deadline, idempotent: false });
  }
  /** `id` is a uint64 as a decimal string. */
  memberRemove(id: string, deadline?: number): Promise<MemberRemoveResponse__Output> {
    return this.conn.unary(CLUSTER, 'MemberRemove', { ID: id }, { deadline, idempotent: false });
  }
  memberUpdate(id: string, peerURLs: string[], deadline?: number): Promise<MemberUpdateResponse__Output> {
    return this.conn.unary(CLUSTER, 'MemberUpdate', { ID: id, peerURLs }, { deadline, idempotent: false });
  }
  /** clientv3 3.5 always asks for a linearizable list. */
  memberList(deadline?: number): Promise<MemberListResponse__Output> {
    return this.conn.unary(CLUSTER, 'MemberList', { linearizable: true }, { deadline, idempotent: true });
  }
  memberPromote(id: string, deadline?: number): Promise<MemberPromoteResponse__Output> {
    return this.conn.unary(CLUSTER, 'MemberPromote', { ID: id }, { deadline, idempotent: false });
  }
}
