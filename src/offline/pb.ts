// A minimal protobuf encoder/decoder for the few raft/WAL/snap messages the storage code writes.
// etcd's messages there are proto2 with gogoproto `nullable=false`: such fields are always written,
// zero or not, in field-number order, and repeated scalars are not packed. The writer mirrors that:
// callers emit exactly the fields gogo would, in order.

import { WireReader, putUvarint } from '../proto/wire.js';

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

export class PbWriter {
  private readonly parts: Buffer[] = [];
  private pending: number[] = [];

  private flushPending(): void {
    if (this.pending.length > 0) {
      this.parts.push(Buffer.from(this.pending));
      this.pending = [];
    }
  }

  private varint(value: bigint): void {
    putUvarint(this.pending, this.pending.length, value);
  }

  /** A varint field (int64, uint64, uint32, enum, bool); negative int64 become 10-byte varints. */
  uint(field: number, value: bigint | number | boolean): this {
    const v = typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value);
    this.varint(BigInt((field << 3) | WIRE_VARINT));
    this.varint(v);
    return this;
  }

  /** A length-delimited field (bytes, string, embedded message). */
  bytes(field: number, value: Uint8Array | string): this {
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.varint(BigInt((field << 3) | WIRE_LEN));
    this.varint(BigInt(data.length));
    this.flushPending();
    this.parts.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    return this;
  }

  finish(): Buffer {
    this.flushPending();
    return Buffer.concat(this.parts);
  }
}

export type PbValue = { wire: 0; value: bigint } | { wire: 2; value: Buffer } | { wire: 1 | 5; value: Buffer };

/** Decodes a message into its fields, in wire order (repeated fields appear several times). */
export function decodeFields(buf: Buffer): { field: number; v: PbValue }[] {
  const out: { field: number; v: PbValue }[] = [];
  const r = new WireReader().reset(buf);
  while (r.more()) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      r.varint64();
      out.push({ field, v: { wire: 0, value: r.uint64() } });
    } else if (wire === 2) out.push({ field, v: { wire: 2, value: r.bytes() as Buffer } });
    else if (wire === 1 || wire === 5) {
      const start = r.pos;
      r.skip(wire);
      out.push({ field, v: { wire, value: buf.subarray(start, r.pos) } });
    } else r.fail();
  }
  return out;
}

/** The last varint value of `field`, or 0n. */
export function uintField(fields: { field: number; v: PbValue }[], field: number): bigint {
  let value = 0n;
  for (const f of fields) if (f.field === field && f.v.wire === 0) value = f.v.value;
  return value;
}

/** The last bytes value of `field`, or undefined. */
export function bytesField(fields: { field: number; v: PbValue }[], field: number): Buffer | undefined {
  let value: Buffer | undefined;
  for (const f of fields) if (f.field === field && f.v.wire === 2) value = f.v.value;
  return value;
}

/** Every varint value of a repeated `field` (unpacked or packed). */
export function repeatedUint(fields: { field: number; v: PbValue }[], field: number): bigint[] {
  const out: bigint[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.v.wire === 0) out.push(f.v.value);
    else if (f.v.wire === 2) {
      const r = new WireReader().reset(f.v.value);
      while (r.more()) {
        r.varint64();
        out.push(r.uint64());
      }
    }
  }
  return out;
}
