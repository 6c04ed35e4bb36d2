// Snapshot stream messages (etcdserverpb.SnapshotResponse: 1 header, 2 remaining_bytes (uint64),
// 3 blob) read straight from their wire bytes: the blob is a view of the message, not
// a copy, and no 64-bit integer object is built per chunk. Same shape as the decoded message.
import v8 from 'node:v8';
import vm from 'node:vm';
import { WireReader } from '../proto/wire.js';
import { codecOf } from '../generated/codecs.js';
import type { SnapshotResponse__Output } from '../generated/etcdserverpb/SnapshotResponse.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';

const TO_OBJECT = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

const reader = new WireReader('SnapshotResponse');

// Each chunk arrives in a new buffer; the dead ones are freed only when V8 next collects the
// young generation, which its own heuristics put off while little JS memory is used. Collecting
// after every few MiB keeps memory flat over a snapshot of any size.
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
let sinceCollect = 0;
let collect: ((options: { type: 'minor' }) => void) | null | undefined;

function collectYoung(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as typeof collect;
      // Back as it was: V8's flags are part of what validates the code cache (bin/etcdctl-ts.js).
      v8.setFlagsFromString('--no-expose-gc');
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}

export function decodeSnapshotChunk(bytes: Buffer): SnapshotResponse__Output {
  sinceCollect += bytes.length;
  if (sinceCollect >= COLLECT_EVERY_BYTES) {
    sinceCollect = 0;
    collectYoung();
  }
  const r = reader.reset(bytes);
  let header: ResponseHeader__Output | null = null;
  let remaining = '0';
  let blob: Buffer = Buffer.alloc(0);
  while (r.more()) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 2 && (field === 1 || field === 3)) {
      const value = r.bytes() as Buffer;
      if (field === 1) {
        const codec = codecOf('etcdserverpb.ResponseHeader')!;
        header = codec.toObject(codec.decode(value), TO_OBJECT) as unknown as ResponseHeader__Output;
      } else blob = value;
    } else if (wireType === 0 && field === 2) {
      r.varint64();
      remaining = r.decimal(false);
    } else {
      r.skip(wireType);
    }
  }
  return { header, remaining_bytes: remaining, blob };
}
