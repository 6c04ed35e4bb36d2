// The one protobuf wire reader (and the varint writer): varints of 32 and 64 bits, length-delimited
// fields as zero-copy spans, skipping by wire type. Hand-written rather than protobufjs's Reader
// because the hot users (get's wire-level output, snapshot chunks) must not build an object or a
// Long per field: a 64-bit varint lands in two uint32 halves (lo, hi) on the reader itself and
// becomes text or a bigint only when asked. Everything that reads wire bytes by hand goes through
// here: output/range-wire.ts, client/snapshot-chunk.ts, offline/pb.ts.
//
// Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3 and 4, proto2 groups, never
// appear in etcd's messages and are rejected).

export class WireError extends Error {
  constructor(what = 'protobuf') {
    super(`invalid ${what}: truncated or malformed wire data`);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * A cursor over buf[pos, end). After varint64(), lo and hi hold the value's low and high 32 bits
 * (unsigned); after span(), start and pos bound the field's bytes. One reader can be reused over
 * many messages with reset() (the hot loops keep one per module).
 */
export class WireReader {
  buf: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  lo = 0;
  hi = 0;
  /** Start of the last span(). */
  start = 0;
  /** What the error messages call the data. */
  what: string;

  constructor(what = 'protobuf') {
    this.what = what;
  }

  reset(buf: Uint8Array, pos = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** Whether fields remain before end. */
  more(): boolean {
    return this.pos < this.end;
  }

  fail(): never {
    throw new WireError(this.what);
  }

  /** A varint's low 32 bits, unsigned (tags, lengths, enums); the rest of a longer varint is read past. */
  varint32(): number {
    // Most tags and lengths are one byte: that case first, small enough to be inlined.
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint32Long();
  }

  private varint32Long(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) this.fail();
      const b = buf[pos++]!;
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result |= (b & 0x0f) << 28;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
      shift += 7;
      if (shift > 63) this.fail();
    }
  }

  /** A 64-bit varint into lo/hi (two's complement halves). */
  varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) this.fail();
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else if (shift < 64) hi |= bits << (shift - 32);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        this.pos = pos;
        return;
      }
      shift += 7;
      if (shift > 63) this.fail();
    }
  }

  /** lo/hi as decimal text, as int64 (signed) or uint64. */
  decimal(signed: boolean): string {
    const { lo, hi } = this;
    if (hi < 0x200000) return String(hi * 0x100000000 + lo);
    let v = (BigInt(hi) << 32n) | BigInt(lo);
    if (signed && hi >= 0x80000000) v -= 1n << 64n;
    return v.toString();
  }

  /** lo/hi as an unsigned 64-bit bigint. */
  uint64(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Whether lo/hi is zero. */
  zero(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  /** A length-delimited field: returns its end and leaves pos at its start (start = pos too). */
  span(): number {
    const len = this.varint32();
    const stop = this.pos + len;
    if (stop > this.end) this.fail();
    this.start = this.pos;
    return stop;
  }

  /** A length-delimited field as a view of the buffer (no copy); pos moves past it. */
  bytes(): Uint8Array {
    const stop = this.span();
    this.pos = stop;
    return this.buf.subarray(this.start, stop);
  }

  /** Past one field's value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case 0: {
        // Past the varint without decoding it.
        const buf = this.buf;
        let pos = this.pos;
        const limit = Math.min(this.end, pos + 10);
        while (pos < limit && buf[pos]! >= 0x80) pos++;
        if (pos >= limit) this.fail();
        this.pos = pos + 1;
        return;
      }
      case 1:
        this.pos += 8;
        break;
      case 2: {
        // Not `pos += varint32()`: that would add to pos as it was before the length was read.
        const len = this.varint32();
        this.pos += len;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        this.fail();
    }
    if (this.pos > this.end) this.fail();
  }
}

/** Writes x (taken as uint64) as a base-128 varint into out at `at`; returns the position after it. */
export function putUvarint(out: Uint8Array | number[], at: number, x: bigint): number {
  let v = BigInt.asUintN(64, x);
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at++] = Number(v);
  return at;
}
