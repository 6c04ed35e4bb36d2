// The raft snapshot file (member/snap/<term>-<index>.snap) and the v2 store it carries.
//
// A .snap file is a snappb.Snapshot: the CRC-32C of a marshalled raftpb.Snapshot, then that
// message, whose data is the JSON dump of etcd's v2 store (v2store.Store.Save). After a restore
// the store holds only the cluster membership: /0/members/<id>/raftAttributes for each member,
// created in member-id order, plus the empty /1 key space. The JSON is written the way Go's
// encoding/json writes etcd's store structs, so the file matches etcdutl's byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { goJsonString } from '../go/encode.js';
import { crc32c } from './crc32c.js';
import { type Member, raftAttributesJson } from './membership.js';
import { type ConfState, decodeRaftSnapshot, decodeSnapFile, encodeRaftSnapshot, encodeSnapFile, type SnapshotMetadata } from './raftpb.js';

const PERMANENT = '"0001-01-01T00:00:00Z"';
const EVENT_HISTORY_CAPACITY = 1000;

interface StoreNode {
  path: string;
  createdIndex: number;
  modifiedIndex: number;
  value: string;
  /** undefined for key-value nodes (Go: nil map → null). */
  children?: Map<string, StoreNode>;
}

function nodeJson(n: StoreNode): string {
  let children = 'null';
  if (n.children) {
    const keys = [...n.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    children = `{${keys.map((k) => `${goJsonString(k)}:${nodeJson(n.children!.get(k)!)}`).join(',')}}`;
  }
  return (
    `{"Path":${goJsonString(n.path)},"CreatedIndex":${n.createdIndex},"ModifiedIndex":${n.modifiedIndex},` +
    `"ExpireTime":${PERMANENT},"Value":${goJsonString(n.value)},"Children":${children}}`
  );
}

const dir = (p: string, index: number): StoreNode => ({ path: p, createdIndex: index, modifiedIndex: index, value: '', children: new Map() });

/**
 * v2store.New("/0", "/1") followed by one Create of /0/members/<id>/raftAttributes per member
 * (in the given order), then Save().
 */
export function membershipStoreJson(members: Member[]): string {
  const root = dir('/', 0);
  const zero = dir('/0', 0);
  root.children!.set('0', zero);
  root.children!.set('1', dir('/1', 0));
  const events: string[] = [];
  let index = 0;
  let membersDir: StoreNode | undefined;
  for (const m of members) {
    index++;
    const idHex = m.id.toString(16);
    membersDir ??= (() => {
      const d = dir('/0/members', index);
      zero.children!.set('members', d);
      return d;
    })();
    const memberDir = dir(`/0/members/${idHex}`, index);
    membersDir.children!.set(idHex, memberDir);
    const key = `/0/members/${idHex}/raftAttributes`;
    const value = raftAttributesJson(m);
    memberDir.children!.set('raftAttributes', { path: key, createdIndex: index, modifiedIndex: index, value });
    events.push(
      `{"action":"create","node":{"key":${goJsonString(key)},"value":${goJsonString(value)},"modifiedIndex":${index},"createdIndex":${index}}}`,
    );
  }
  const slots = [...events, ...Array.from({ length: EVENT_HISTORY_CAPACITY - events.length }, () => 'null')];
  const queue = `{"Events":[${slots.join(',')}],"Size":${events.length},"Front":0,"Back":${events.length},"Capacity":${EVENT_HISTORY_CAPACITY}}`;
  const startIndex = events.length > 0 ? 1 : 0;
  const watcherHub = `{"EventHistory":{"Queue":${queue},"StartIndex":${startIndex},"LastIndex":${index}}}`;
  const stats =
    '{"getsSuccess":0,"getsFail":0,"setsSuccess":0,"setsFail":0,"deleteSuccess":0,"deleteFail":0,' +
    `"updateSuccess":0,"updateFail":0,"createSuccess":${events.length},"createFail":0,"compareAndSwapSuccess":0,` +
    '"compareAndSwapFail":0,"compareAndDeleteSuccess":0,"compareAndDeleteFail":0,"expireCount":0,"watchers":0}';
  return `{"Root":${nodeJson(root)},"WatcherHub":${watcherHub},"CurrentIndex":${index},"Stats":${stats},"CurrentVersion":2}`;
}

/** `%016x-%016x.snap` of term and index. */
export function snapFileName(term: bigint, index: bigint): string {
  return `${term.toString(16).padStart(16, '0')}-${index.toString(16).padStart(16, '0')}.snap`;
}

/** The bytes of a .snap file for a raft snapshot with `data` at (index, term, confState). */
export function encodeSnapshotFile(data: Buffer, metadata: SnapshotMetadata): Buffer {
  const body = encodeRaftSnapshot(data, metadata);
  return encodeSnapFile(crc32c(body), body);
}

/** snap.Snapshotter.SaveSnap: writes and fsyncs `<dir>/<term>-<index>.snap` (mode 0666 & ~umask). */
export function saveSnapshotFile(dirPath: string, data: Buffer, index: bigint, term: bigint, confState: ConfState): string {
  const file = path.join(dirPath, snapFileName(term, index));
  const bytes = encodeSnapshotFile(data, { confState, index, term });
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o666);
  try {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Reads a .snap file back, checking its crc. */
export function readSnapshotFile(file: string): { data?: Buffer; metadata: SnapshotMetadata } {
  const snap = decodeSnapFile(fs.readFileSync(file));
  const body = snap.data ?? Buffer.alloc(0);
  if (crc32c(body) !== snap.crc) throw new Error('snap: crc mismatch');
  return decodeRaftSnapshot(body);
}
