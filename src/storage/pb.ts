// A minimal protobuf encoder/decoder for the few raft/WAL/snap messages the storage code writes.
// etcd's messages there are proto2 with gogoproto `nullable=false`: such fields are always written,
// zero or not, in field-number order, and repeated scalars are not packed. The writer mirrors that:
// callers emit exactly the fields gogo would, in order.

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
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
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
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('protobuf: truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new Error('protobuf: varint too long');
  };
  while (pos < buf.length) {
    const tag = Number(readVarint());
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ field, v: { wire: 0, value: readVarint() } });
    else if (wire === 2) {
      const len = Number(readVarint());
      if (pos + len > buf.length) throw new Error('protobuf: truncated field');
      out.push({ field, v: { wire: 2, value: buf.subarray(pos, pos + len) } });
      pos += len;
    } else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      out.push({ field, v: { wire, value: buf.subarray(pos, pos + len) } });
      pos += len;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
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
      const packed = f.v.value;
      let pos = 0;
      while (pos < packed.length) {
        let result = 0n;
        let shift = 0n;
        for (;;) {
          const byte = packed[pos++];
          if (byte === undefined) throw new Error('protobuf: truncated packed varint');
          result |= BigInt(byte & 0x7f) << shift;
          if (byte < 0x80) break;
          shift += 7n;
        }
        out.push(result);
      }
    }
  }
  return out;
}
