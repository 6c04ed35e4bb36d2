// Typed wrappers over etcd's Maintenance service. No printing, no flag knowledge.
// Status, HashKV and Defragment answer for the member behind the connection they are sent on:
// use dialEndpoint() to reach one member, as clientv3's Maintenance does.
import type { Connection } from './connection.js';
import type { AlarmResponse__Output } from '../generated/etcdserverpb/AlarmResponse.js';
import type { AlarmType__Output } from '../generated/etcdserverpb/AlarmType.js';
import type { StatusResponse__Output } from '../generated/etcdserverpb/StatusResponse.js';
import type { HashKVResponse__Output } from '../generated/etcdserverpb/HashKVResponse.js';
import type { DefragmentResponse__Output } from '../generated/etcdserverpb/DefragmentResponse.js';
import type { MoveLeaderResponse__Output } from '../generated/etcdserverpb/MoveLeaderResponse.js';

const MAINTENANCE = 'etcdserverpb.Maintenance';

/** AlarmRequest.AlarmAction */
export const AlarmAction = { GET: 0, ACTIVATE: 1, DEACTIVATE: 2 } as const;

export class MaintenanceService {
  constructor(private readonly conn: Connection) {}

  /** Every active alarm of every member (action GET, member 0, alarm NONE). */
  alarmList(deadline?: number): Promise<AlarmResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'Alarm', { action: AlarmAction.GET, memberID: '0', alarm: 0 }, { deadline, idempotent: true });
  }
  /** Deactivates one alarm of one member. */
  alarmDisarm(memberID: string, alarm: AlarmType__Output, deadline?: number): Promise<AlarmResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'Alarm', { action: AlarmAction.DEACTIVATE, memberID, alarm }, { deadline, idempotent: true });
  }
  status(deadline?: number): Promise<StatusResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'Status', {}, { deadline, idempotent: true });
  }
  /** `revision` is an int64 as a decimal string; '0' hashes every revision. */
  hashKV(revision: string, deadline?: number): Promise<HashKVResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'HashKV', { revision }, { deadline, idempotent: true });
  }
  defragment(deadline?: number): Promise<DefragmentResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'Defragment', {}, { deadline, idempotent: false });
  }
  /** `targetID` is a uint64 as a decimal string; must be sent to the leader. */
  moveLeader(targetID: string, deadline?: number): Promise<MoveLeaderResponse__Output> {
    return this.conn.unary(MAINTENANCE, 'MoveLeader', { targetID }, { deadline, idempotent: true });
  }
}
