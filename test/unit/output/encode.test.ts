import { describe, it, expect } from 'vitest';
import { base64Std, goJsonString, hex16Space, hex16Zero, hexEscape, hexPlain, humanizeBytes } from '../../../src/go/encode.js';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('hexEscape', () => {
  it.each([
    ['foo', String.raw`\x66\x6f\x6f`],
    ['', ''],
    [fromHex('00ff0a7f'), String.raw`\x00\xff\x0a\x7f`],
    ['é', String.raw`\xc3\xa9`],
  ])('%j -> %s', (input, expected) => {
    expect(hexEscape(input)).toBe(expected);
  });
});

describe('goJsonString', () => {
  // Rows marked "observed" come from `role add <name>; role list -w json` on etcdctl 3.5.16.
  it.each([
    ['observed: HTML characters and quote', '613c6226633e22c3a9', String.raw`"a\u003cb\u0026c\u003e\"é"`],
    ['observed: control characters (Go >= 1.22 writes \\b and \\f)', '010708090a0b0c0d1b1f', String.raw`"\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f"`],
    ['observed: DEL stays raw', '781f7f79', '"x\\u001f\x7fy"'],
    ['observed: backslash escaped, solidus not', Buffer.from('back\\slash/solidus').toString('hex'), String.raw`"back\\slash/solidus"`],
    ['observed: U+2028/9 escaped, NEL, NBSP, BOM, U+FFFD raw', 'e280a8e280a9c285c2a0efbbbfefbfbd', '"\\u2028\\u2029\u0085\u00a0\ufeff\ufffd"'],
    ['observed: astral and CJK raw', 'f09f9880e4b8ad', '"😀中"'],
    ['NUL', '00', String.raw`"\u0000"`],
    ['each invalid byte becomes one \\ufffd', 'ff', String.raw`"\ufffd"`],
    ['encoded surrogate: three bytes, three replacements', 'eda080', String.raw`"\ufffd\ufffd\ufffd"`],
    ['truncated sequence: one replacement per byte, unlike TextDecoder', 'f09f98', String.raw`"\ufffd\ufffd\ufffd"`],
    ['bad lead byte followed by ASCII', 'e24178', String.raw`"\ufffdAx"`],
    ['valid text around invalid bytes is kept raw', '61c3a9ff62', '"aé\\ufffdb"'],
    ['leading BOM is not swallowed', 'efbbbf61', '"\ufeffa"'],
    ['empty', '', '""'],
  ])('%s', (_name, hex, expected) => {
    expect(goJsonString(fromHex(hex))).toBe(expected);
  });

  it('accepts JS strings', () => {
    expect(goJsonString('a<b>"c"\n')).toBe(String.raw`"a\u003cb\u003e\"c\"\n"`);
  });
});

describe('base64Std', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    [fromHex('fbff'), '+/8='],
  ])('%j -> %s', (input, expected) => {
    expect(base64Std(input)).toBe(expected);
  });
});

describe('humanizeBytes', () => {
  it.each<[bigint | number, string]>([
    [0, '0 B'],
    [9, '9 B'],
    [10, '10 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1023, '1.0 kB'],
    [1024, '1.0 kB'],
    [9949, '9.9 kB'],
    [9950, '10 kB'],
    [9999, '10 kB'],
    // Observed (etcdctl 3.5.16 `endpoint status`): dbSize 24576 is "25 kB", 20480 is "20 kB" (20.5 rounds to even).
    [24_576, '25 kB'],
    [20_480, '20 kB'],
    // %.0f rounds exact halves to even.
    [24_500, '24 kB'],
    [25_500, '26 kB'],
    [368_640, '369 kB'],
    [99_950, '100 kB'],
    [999_999, '1000 kB'],
    [1_000_000, '1.0 MB'],
    [2_100_000, '2.1 MB'],
    [9_999_999, '10 MB'],
    [1_000_000_000, '1.0 GB'],
    [5_500_000_000, '5.5 GB'],
    [1_000_000_000_000, '1.0 TB'],
    [1_000_000_000_000_000, '1.0 PB'],
    [1_000_000_000_000_000_000n, '1.0 EB'],
    [18_446_744_073_709_551_615n, '18 EB'],
  ])('%s -> %s', (size, expected) => {
    expect(humanizeBytes(size)).toBe(expected);
  });

  it('rejects negative sizes', () => {
    expect(() => humanizeBytes(-1)).toThrow(RangeError);
  });
});

describe('hex ID formats', () => {
  it.each<[bigint | string, string, string, string]>([
    // [id, %x, %16x, %016x]
    ['0', '0', '               0', '0000000000000000'],
    ['255', 'ff', '              ff', '00000000000000ff'],
    // Observed cluster ID in member add messages: space padded.
    ['324952591200643719', '48276a8f75b6a87', ' 48276a8f75b6a87', '048276a8f75b6a87'],
    // Observed: member_id 12482368311410588819 is listed as ad3a47d845387c93 in `member list -w table`.
    ['12482368311410588819', 'ad3a47d845387c93', 'ad3a47d845387c93', 'ad3a47d845387c93'],
    ['18446744073709551615', 'ffffffffffffffff', 'ffffffffffffffff', 'ffffffffffffffff'],
    [7587855428514247173n, '694d7a4f5f9c7205', '694d7a4f5f9c7205', '694d7a4f5f9c7205'],
    // Go prints negative int64 as a sign plus the magnitude; zero padding goes after the sign.
    ['-1', '-1', '              -1', '-000000000000001'],
    ['-9223372036854775808', '-8000000000000000', '-8000000000000000', '-8000000000000000'],
  ])('%s', (id, plain, spacePadded, zeroPadded) => {
    expect(hexPlain(id)).toBe(plain);
    expect(hex16Space(id)).toBe(spacePadded);
    expect(hex16Zero(id)).toBe(zeroPadded);
  });

  it.each(['', '0x10', '1e3', ' 1', '1.0', 'abc'])('rejects the non-decimal string %j', (id) => {
    expect(() => hexPlain(id)).toThrow(RangeError);
  });
});
