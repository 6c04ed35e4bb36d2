// clientv3's WithPrefix / WithFromKey rules, written once in src/kv/key-range.ts.
import { describe, expect, it } from 'vitest';
import { NUL, fromKeyRange, hasRangeEnd, isPrefixEnd, keyRange, prefixRange, prefixRangeEnd } from '../../../src/kv/key-range.js';

const b = (...bytes: number[]) => Buffer.from(bytes);

describe('kv/key-range', () => {
  it('prefix: an empty prefix is every key', () => {
    expect(prefixRange('')).toEqual({ key: NUL, range_end: NUL });
    expect(prefixRange('a/')).toEqual({ key: Buffer.from('a/'), range_end: Buffer.from('a0') });
    expect(prefixRange(b(0x61, 0xff))).toEqual({ key: b(0x61, 0xff), range_end: b(0x62) });
    expect(prefixRange(b(0xff, 0xff))).toEqual({ key: b(0xff, 0xff), range_end: NUL });
  });

  it('from-key: an empty key starts at the first key', () => {
    expect(fromKeyRange('')).toEqual({ key: NUL, range_end: NUL });
    expect(fromKeyRange('k')).toEqual({ key: Buffer.from('k'), range_end: NUL });
  });

  it('keyRange picks prefix, then from-key, then an explicit end', () => {
    const k = Buffer.from('k');
    expect(keyRange(k, { prefix: true })).toEqual({ key: k, range_end: Buffer.from('l') });
    expect(keyRange(k, { fromKey: true })).toEqual({ key: k, range_end: NUL });
    expect(keyRange(k, { rangeEnd: Buffer.from('z') })).toEqual({ key: k, range_end: Buffer.from('z') });
    expect(keyRange(k, {})).toEqual({ key: k });
  });

  it('recognises prefix ends and present range ends', () => {
    for (const key of [Buffer.from('abc'), b(0x61, 0xff), b(0xff), b()]) expect(isPrefixEnd(key, prefixRangeEnd(key))).toBe(true);
    expect(isPrefixEnd(Buffer.from('abc'), Buffer.from('abe'))).toBe(false);
    expect(hasRangeEnd(undefined)).toBe(false);
    expect(hasRangeEnd(b())).toBe(false);
    expect(hasRangeEnd(NUL)).toBe(true);
  });
});
