// The raft, WAL and snapshot protobuf messages etcd 3.5 keeps on disk (raftpb, walpb, snappb,
// etcdserverpb.Metadata), encoded exactly as gogoproto marshals them, and decoded for checks.
import { PbWriter, bytesField, decodeFields, repeatedUint, uintField } from './pb.js';

export const ENTRY_NORMAL = 0;
export const ENTRY_CONF_CHANGE = 1;
export const CONF_CHANGE_ADD_NODE = 0;

export interface Entry {
  term: bigint;
  index: bigint;
  type: number;
  data?: Buffer;
}

export interface HardState {
  term: bigint;
  vote: bigint;
  commit: bigint;
}

export interface ConfState {
  voters: bigint[];
  learners?: bigint[];
  votersOutgoing?: bigint[];
  learnersNext?: bigint[];
  autoLeave?: boolean;
}

export interface ConfChange {
  id: bigint;
  type: number;
  nodeId: bigint;
  context?: Buffer;
}

export interface SnapshotMetadata {
  confState: ConfState;
  index: bigint;
  term: bigint;
}

/** raftpb.Entry: Type(1), Term(2), Index(3) always; Data(4) when set. */
export function encodeEntry(e: Entry): Buffer {
  const w = new PbWriter().uint(1, e.type).uint(2, e.term).uint(3, e.index);
  if (e.data !== undefined) w.bytes(4, e.data);
  return w.finish();
}

export function decodeEntry(buf: Buffer): Entry {
  const f = decodeFields(buf);
  const data = bytesField(f, 4);
  return { type: Number(uintField(f, 1)), term: uintField(f, 2), index: uintField(f, 3), ...(data ? { data } : {}) };
}

export function encodeHardState(s: HardState): Buffer {
  return new PbWriter().uint(1, s.term).uint(2, s.vote).uint(3, s.commit).finish();
}

export function decodeHardState(buf: Buffer): HardState {
  const f = decodeFields(buf);
  return { term: uintField(f, 1), vote: uintField(f, 2), commit: uintField(f, 3) };
}

/** raftpb.ConfState: repeated ids unpacked (proto2), auto_leave always. */
export function encodeConfState(c: ConfState): Buffer {
  const w = new PbWriter();
  for (const v of c.voters) w.uint(1, v);
  for (const v of c.learners ?? []) w.uint(2, v);
  for (const v of c.votersOutgoing ?? []) w.uint(3, v);
  for (const v of c.learnersNext ?? []) w.uint(4, v);
  w.uint(5, c.autoLeave ?? false);
  return w.finish();
}

export function decodeConfState(buf: Buffer): ConfState {
  const f = decodeFields(buf);
  return {
    voters: repeatedUint(f, 1),
    learners: repeatedUint(f, 2),
    votersOutgoing: repeatedUint(f, 3),
    learnersNext: repeatedUint(f, 4),
    autoLeave: uintField(f, 5) !== 0n,
  };
}

/** raftpb.ConfChange: ID(1), Type(2), NodeID(3) always; Context(4) when set. */
export function encodeConfChange(c: ConfChange): Buffer {
  const w = new PbWriter().uint(1, c.id).uint(2, c.type).uint(3, c.nodeId);
  if (c.context !== undefined) w.bytes(4, c.context);
  return w.finish();
}

export function decodeConfChange(buf: Buffer): ConfChange {
  const f = decodeFields(buf);
  const context = bytesField(f, 4);
  return { id: uintField(f, 1), type: Number(uintField(f, 2)), nodeId: uintField(f, 3), ...(context ? { context } : {}) };
}

/** raftpb.Snapshot: Data(1) when set, Metadata(2) always (ConfState(1), Index(2), Term(3)). */
export function encodeRaftSnapshot(data: Buffer | undefined, meta: SnapshotMetadata): Buffer {
  const metadata = new PbWriter().bytes(1, encodeConfState(meta.confState)).uint(2, meta.index).uint(3, meta.term).finish();
  const w = new PbWriter();
  if (data !== undefined) w.bytes(1, data);
  return w.bytes(2, metadata).finish();
}

export function decodeRaftSnapshot(buf: Buffer): { data?: Buffer; metadata: SnapshotMetadata } {
  const f = decodeFields(buf);
  const data = bytesField(f, 1);
  const m = decodeFields(bytesField(f, 2) ?? Buffer.alloc(0));
  return {
    ...(data ? { data } : {}),
    metadata: { confState: decodeConfState(bytesField(m, 1) ?? Buffer.alloc(0)), index: uintField(m, 2), term: uintField(m, 3) },
  };
}

/** walpb.Snapshot: Index(1), Term(2) always; ConfState(3) when set. */
export function encodeWalSnapshot(index: bigint, term: bigint, confState?: ConfState): Buffer {
  const w = new PbWriter().uint(1, index).uint(2, term);
  if (confState) w.bytes(3, encodeConfState(confState));
  return w.finish();
}

export function decodeWalSnapshot(buf: Buffer): { index: bigint; term: bigint; confState?: ConfState } {
  const f = decodeFields(buf);
  const cs = bytesField(f, 3);
  return { index: uintField(f, 1), term: uintField(f, 2), ...(cs ? { confState: decodeConfState(cs) } : {}) };
}

/** walpb.Record: Type(1), Crc(2) always; Data(3) when set. */
export function encodeWalRecord(type: number, crc: number, data?: Buffer): Buffer {
  const w = new PbWriter().uint(1, type).uint(2, crc);
  if (data !== undefined) w.bytes(3, data);
  return w.finish();
}

export function decodeWalRecord(buf: Buffer): { type: number; crc: number; data?: Buffer } {
  const f = decodeFields(buf);
  const data = bytesField(f, 3);
  return { type: Number(uintField(f, 1)), crc: Number(uintField(f, 2)), ...(data ? { data } : {}) };
}

/** etcdserverpb.Metadata, the WAL's metadata record: NodeID(1), ClusterID(2). */
export function encodeWalMetadata(nodeId: bigint, clusterId: bigint): Buffer {
  return new PbWriter().uint(1, nodeId).uint(2, clusterId).finish();
}

export function decodeWalMetadata(buf: Buffer): { nodeId: bigint; clusterId: bigint } {
  const f = decodeFields(buf);
  return { nodeId: uintField(f, 1), clusterId: uintField(f, 2) };
}

/** snappb.Snapshot, the .snap file: Crc(1) always, Data(2) when set. */
export function encodeSnapFile(crc: number, data: Buffer): Buffer {
  return new PbWriter().uint(1, crc).bytes(2, data).finish();
}

export function decodeSnapFile(buf: Buffer): { crc: number; data?: Buffer } {
  const f = decodeFields(buf);
  const data = bytesField(f, 2);
  return { crc: Number(uintField(f, 1)), ...(data ? { data } : {}) };
}
