// Snapshot stream messages (etcdserverpb.SnapshotResponse: 1 header, 2 remaining_bytes (uint64),
// 3 blob) read straight from their wire bytes: the blob is a view of the message, not
// a copy, and no 64-bit integer object is built per chunk. Same shape as the decoded message.
import v8 from 'node:v8';
import vm from 'node:vm';
import { codecOf } from '../generated/codecs.js';
import type { SnapshotResponse__Output } from '../generated/etcdserverpb/SnapshotResponse.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';

const TO_OBJECT = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

class ChunkError extends Error {
  constructor() {
    super('invalid SnapshotResponse: truncated or malformed wire data');
  }
}

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
  let pos = 0;
  const end = bytes.length;
  const varint = (): bigint | number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new ChunkError();
      const b = bytes[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result <= Number.MAX_SAFE_INTEGER ? result : exact(pos - i - 1, pos);
      scale *= 128;
    }
    throw new ChunkError();
  };
  // A varint beyond 2^53, read again exactly.
  const exact = (from: number, to: number): bigint => {
    let v = 0n;
    for (let i = to - 1; i >= from; i--) v = (v << 7n) | BigInt(bytes[i]! & 0x7f);
    return BigInt.asUintN(64, v);
  };
  let header: ResponseHeader__Output | null = null;
  let remaining: bigint | number = 0;
  let blob: Buffer = Buffer.alloc(0);
  while (pos < end) {
    const tag = Number(varint());
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 2) {
      const len = Number(varint());
      if (pos + len > end) throw new ChunkError();
      const value = bytes.subarray(pos, pos + len);
      pos += len;
      if (field === 1) {
        const codec = codecOf('etcdserverpb.ResponseHeader')!;
        header = codec.toObject(codec.decode(value), TO_OBJECT) as unknown as ResponseHeader__Output;
      } else if (field === 3) blob = value as Buffer;
    } else if (wireType === 0) {
      const v = varint();
      if (field === 2) remaining = v;
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4;
      if (pos > end) throw new ChunkError();
    } else {
      throw new ChunkError();
    }
  }
  return { header, remaining_bytes: String(remaining), blob };
}
