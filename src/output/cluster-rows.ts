// Result shapes and shared rows for the cluster commands (member, endpoint, alarm, move-leader).
// As in etcdctl's printer.go, a table's rows are built once and used by both `simple`
// (cells joined by ", ") and `table`.
import type { AlarmMember__Output } from '../generated/etcdserverpb/AlarmMember.js';
import type { AlarmResponse__Output } from '../generated/etcdserverpb/AlarmResponse.js';
import type { HashKVResponse__Output } from '../generated/etcdserverpb/HashKVResponse.js';
import type { MemberAddResponse__Output } from '../generated/etcdserverpb/MemberAddResponse.js';
import type { MemberListResponse__Output } from '../generated/etcdserverpb/MemberListResponse.js';
import type { MemberPromoteResponse__Output } from '../generated/etcdserverpb/MemberPromoteResponse.js';
import type { MemberRemoveResponse__Output } from '../generated/etcdserverpb/MemberRemoveResponse.js';
import type { MemberUpdateResponse__Output } from '../generated/etcdserverpb/MemberUpdateResponse.js';
import type { MoveLeaderResponse__Output } from '../generated/etcdserverpb/MoveLeaderResponse.js';
import type { StatusResponse__Output } from '../generated/etcdserverpb/StatusResponse.js';
import { hexPlain, humanizeBytes } from '../go/encode.js';

/** One `endpoint health` outcome (etcdctl's epHealth). `took` is empty when no client could be made. */
export interface EndpointHealth {
  endpoint: string;
  health: boolean;
  took: string;
  error: string;
}

export interface EndpointStatus {
  endpoint: string;
  resp: StatusResponse__Output;
}

export interface EndpointHashKV {
  endpoint: string;
  resp: HashKVResponse__Output;
}

export type ClusterResult =
  /** `name` and `peerUrls` (as typed) feed the ETCD_* lines of the simple format. */
  | { kind: 'memberAdd'; resp: MemberAddResponse__Output; name: string; peerUrls: string }
  | { kind: 'memberRemove'; resp: MemberRemoveResponse__Output; id: bigint }
  | { kind: 'memberUpdate'; resp: MemberUpdateResponse__Output; id: bigint }
  | { kind: 'memberPromote'; resp: MemberPromoteResponse__Output; id: bigint }
  | { kind: 'memberList'; resp: MemberListResponse__Output }
  | { kind: 'endpointHealth'; list: EndpointHealth[] }
  | { kind: 'endpointStatus'; list: EndpointStatus[] }
  | { kind: 'endpointHashKV'; list: EndpointHashKV[] }
  /** `alarm disarm` builds its response from several replies, without a header. */
  | { kind: 'alarm'; resp: AlarmResponse__Output }
  | { kind: 'moveLeader'; resp: MoveLeaderResponse__Output; leader: string; target: bigint };

export interface Rows {
  header: string[];
  rows: string[][];
}

export function memberListRows(resp: MemberListResponse__Output): Rows {
  return {
    header: ['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'],
    rows: resp.members.map((m) => [
      hexPlain(m.ID),
      m.name === '' ? 'unstarted' : 'started',
      m.name,
      m.peerURLs.join(','),
      m.clientURLs.join(','),
      String(m.isLearner),
    ]),
  };
}

export function endpointHealthRows(list: EndpointHealth[]): Rows {
  return {
    header: ['endpoint', 'health', 'took', 'error'],
    rows: list.map((h) => [h.endpoint, String(h.health), h.took, h.error]),
  };
}

export function endpointStatusRows(list: EndpointStatus[]): Rows {
  return {
    header: ['endpoint', 'ID', 'version', 'db size', 'is leader', 'is learner', 'raft term', 'raft index', 'raft applied index', 'errors'],
    rows: list.map(({ endpoint, resp }) => {
      const memberId = resp.header?.member_id ?? '0';
      return [
        endpoint,
        hexPlain(memberId),
        resp.version,
        // humanize.Bytes(uint64(dbSize)): a negative int64 would wrap around.
        humanizeBytes(BigInt.asUintN(64, BigInt(resp.dbSize))),
        String(resp.leader === memberId),
        String(resp.isLearner),
        resp.raftTerm,
        resp.raftIndex,
        resp.raftAppliedIndex,
        resp.errors.join(', '),
      ];
    }),
  };
}

export function endpointHashKVRows(list: EndpointHashKV[]): Rows {
  return {
    header: ['endpoint', 'hash'],
    rows: list.map(({ endpoint, resp }) => [endpoint, String(resp.hash)]),
  };
}

const ALARM_TYPE_NAMES: Record<number, string> = { 0: 'NONE', 1: 'NOSPACE', 2: 'CORRUPT' };

/** AlarmType.String(): the enum name, or the number for values this version does not know. */
export function alarmTypeName(alarm: number): string {
  return ALARM_TYPE_NAMES[alarm] ?? String(alarm);
}

/** Go's `%+v` of an AlarmMember: protobuf compact text, zero fields left out, each field followed by a space. */
export function alarmMemberText(a: AlarmMember__Output): string {
  let text = '';
  if (a.memberID !== '0') text += `memberID:${a.memberID} `;
  if (a.alarm !== 0) text += `alarm:${alarmTypeName(a.alarm)} `;
  return text;
}

/** `--write-out=json --hex` for member list: etcdctl 3.5's hand-built JSON with hex IDs. */
export function memberListHexJson(resp: MemberListResponse__Output, quote: (s: string) => string): string {
  const h = resp.header;
  let out = `{"header":{"cluster_id":"${hexPlain(h?.cluster_id ?? '0')}","member_id":"${hexPlain(h?.member_id ?? '0')}","raft_term":${h?.raft_term ?? '0'}}`;
  const list = (urls: string[]) => (urls.length === 0 ? 'null' : `[${urls.map(quote).join(',')}]`);
  resp.members.forEach((m, i) => {
    out += i === 0 ? ',"members":[{"ID":"' : ',{"ID":"';
    // The name is written without any escaping, as etcdctl does.
    out += `${hexPlain(m.ID)}","name":"${m.name}","peerURLs":${list(m.peerURLs)},"clientURLS":${list(m.clientURLs)}}`;
    if (i === resp.members.length - 1) out += ']';
  });
  return out + '}';
}
