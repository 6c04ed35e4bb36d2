// The one wire reader: varints at their limits, spans as views, skipping, malformed input.
import { describe, expect, it } from 'vitest';
import { WireError, WireReader, putUvarint } from '../../../src/proto/wire.js';

const varint = (x: bigint) => {
  const out: number[] = [];
  putUvarint(out, 0, x);
  return Uint8Array.from(out);
};

describe('proto/wire', () => {
  it.each([0n, 1n, 127n, 128n, 300n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n])('round-trips the varint %s', (x) => {
    const r = new WireReader().reset(varint(x));
    r.varint64();
    expect(r.uint64()).toBe(x);
    expect(r.decimal(false)).toBe(String(x));
    expect(r.more()).toBe(false);
    const low = new WireReader().reset(varint(x));
    expect(low.varint32()).toBe(Number(x & 0xffffffffn));
  });

  it('reads int64 as signed decimal', () => {
    const r = new WireReader().reset(varint(-1n));
    expect(r.buf.length).toBe(10);
    r.varint64();
    expect(r.decimal(true)).toBe('-1');
    expect(r.decimal(false)).toBe('18446744073709551615');
  });

  it('gives length-delimited fields as views and skips the other wire types', () => {
    // field 1 varint 150, field 2 bytes "hi", field 3 fixed64, field 4 fixed32, field 5 bytes "!"
    const msg = Uint8Array.from([0x08, 0x96, 0x01, 0x12, 2, 0x68, 0x69, 0x19, 1, 2, 3, 4, 5, 6, 7, 8, 0x25, 1, 2, 3, 4, 0x2a, 1, 0x21]);
    const r = new WireReader().reset(msg);
    const seen: string[] = [];
    while (r.more()) {
      const tag = r.varint32();
      if (tag >>> 3 === 2 || tag >>> 3 === 5) {
        const b = r.bytes();
        expect(b.buffer).toBe(msg.buffer);
        seen.push(Buffer.from(b).toString());
      } else r.skip(tag & 7);
    }
    expect(seen).toEqual(['hi', '!']);
  });

  it('rejects truncated input and groups with its own name', () => {
    expect(() => new WireReader('X').reset(Uint8Array.from([0x80])).varint32()).toThrow(new WireError('X'));
    expect(() => new WireReader().reset(Uint8Array.from([0x12, 5, 1])).bytes()).toThrow(WireError);
    expect(() => new WireReader().reset(Uint8Array.from([1, 2])).skip(3)).toThrow(WireError);
    expect(() => new WireReader().reset(Uint8Array.from([1, 2])).skip(1)).toThrow(WireError);
  });
});
