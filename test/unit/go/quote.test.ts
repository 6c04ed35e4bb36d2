import { describe, it, expect } from 'vitest';
import { goQuote, isGoPrint } from '../../../src/go/quote.js';

const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('goQuote', () => {
  // Every row was observed from etcdctl 3.5.16 (go1.24) via `put k < bytes; get k -w fields`.
  it.each([
    ['reference example', '6109620a6322645c6520c3a9200120ff', String.raw`"a\tb\nc\"d\\e é \x01 \xff"`],
    ['short escapes, NUL and DEL', '07080c0b0d001f7f', String.raw`"\a\b\f\v\r\x00\x1f\x7f"`],
    ['Latin-1: NBSP, soft hyphen, NEL are not printable; ¡ is', 'c2a0c2adc2a1c285', String.raw`"\u00a0\u00ad¡\u0085"`],
    ['line/paragraph separators, ZWSP, BOM', 'e280a8e280a9e2808befbbbf', String.raw`"\u2028\u2029\u200b\ufeff"`],
    ['UTF-8 encoded surrogate is three bad bytes', 'eda080', String.raw`"\xed\xa0\x80"`],
    ['overlong encodings', 'c0afe080af', String.raw`"\xc0\xaf\xe0\x80\xaf"`],
    ['above U+10FFFF', 'f4908080', String.raw`"\xf4\x90\x80\x80"`],
    ['truncated 3-byte sequence', 'e0a0', String.raw`"\xe0\xa0"`],
    ['emoji then truncated emoji', 'f09f988078f09f98', String.raw`"😀x\xf0\x9f\x98"`],
    ['a real U+FFFD is printable', 'efbfbd', '"\u{fffd}"'],
    ['non-printable astral rune uses \\U', 'f3a08081', String.raw`"\U000e0001"`],
    ['astral format character', 'f09d85b3', String.raw`"\U0001d173"`],
    ['private use', 'ee8080', String.raw`"\ue000"`],
    ['U+10000 printable, U+10FFFF not', 'f0908080f48fbfbf', String.raw`"𐀀\U0010ffff"`],
    ['ideographic space is not printable, CJK is', 'e38080e4b8ad', String.raw`"\u3000中"`],
    ['unassigned BMP code point', 'cdb8', String.raw`"\u0378"`],
    ['HTML characters are left alone', Buffer.from(`<a href='x'>&amp;</a>`).toString('hex'), `"<a href='x'>&amp;</a>"`],
    ['stray continuation bytes and impossible leads', '80bfc1bff580', String.raw`"\x80\xbf\xc1\xbf\xf5\x80"`],
  ])('%s', (_name, hex, expected) => {
    expect(goQuote(fromHex(hex))).toBe(expected);
  });

  it.each([
    ['', '""'],
    ['foo', '"foo"'],
    ['é', '"é"'],
    ['\u00e9\u0301', '"\u00e9\u0301"'],
    ['a b', '"a b"'],
    ['\u0085', String.raw`"\u0085"`],
  ])('quotes the JS string %j as its UTF-8 bytes', (input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  it('uses lower-case hex in every escape form', () => {
    expect(goQuote(fromHex('ab1b'))).toBe(String.raw`"\xab\x1b"`);
    expect(goQuote('\u{feff}\u{e0001}')).toBe(String.raw`"\ufeff\U000e0001"`);
  });

  it('copies runs of printable runes whole between escapes', () => {
    expect(goQuote(`${'a'.repeat(3)}\n${'é'.repeat(2)}\u{2ffc}z"\u{1f600}`)).toBe(String.raw`"aaa\néé\u2ffcz\"😀"`);
    expect(goQuote(Buffer.concat([Buffer.alloc(30_000, 0x61), Buffer.from([0xff]), Buffer.from('✓')]))).toBe(`"${'a'.repeat(30_000)}\\xff✓"`);
  });

  it('resynchronises right after a bad lead byte (the bad byte consumes only itself)', () => {
    // E2 starts a 3-byte sequence, but "41" is not a continuation, so only E2 is escaped.
    expect(goQuote(fromHex('e241e282ac'))).toBe(String.raw`"\xe2A€"`);
  });
});

// Code points assigned after Unicode 15.0 (Go 1.24's tables): unprintable for Go, so escaped,
// whatever Unicode the JavaScript runtime knows (Node 20.20 already knows 17.0).
describe('goQuote follows Unicode 15.0, not the runtime', () => {
  it.each([
    ['15.1: ideographic description character', 0x2ffc, String.raw`"\u2ffc"`],
    ['15.1: CJK stroke', 0x31ef, String.raw`"\u31ef"`],
    ['15.1: CJK Extension I', 0x2ebf0, String.raw`"\U0002ebf0"`],
    ['16.0: emoji root vegetable', 0x1fadc, String.raw`"\U0001fadc"`],
    ['16.0: Garay letter', 0x10d50, String.raw`"\U00010d50"`],
    ['16.0: Latin capital letter', 0xa7cb, String.raw`"\ua7cb"`],
    ['17.0: CJK Extension J', 0x323b0, String.raw`"\U000323b0"`],
    ['17.0: Sidetic letter', 0x10940, String.raw`"\U00010940"`],
  ])('%s (U+%s)', (_name, cp, expected) => {
    expect(goQuote(String.fromCodePoint(cp))).toBe(expected);
  });

  it.each([
    ['last of CJK Extension H (15.0)', 0x323af],
    ['15.0 emoji: shaking face', 0x1fae8],
    ['Kawi (15.0)', 0x11f04],
    ['CJK Extension G (13.0)', 0x30000],
  ])('%s stays printable', (_name, cp) => {
    expect(goQuote(String.fromCodePoint(cp))).toBe(`"${String.fromCodePoint(cp)}"`);
  });

  it('isGoPrint agrees at the edges of the table', () => {
    expect([0x1f, 0x20, 0x7e, 0x7f, 0xa0, 0xa1, 0xad].map(isGoPrint)).toEqual([false, true, true, false, false, true, false]);
    expect([0xe000, 0xfffd, 0xfffe, 0x10ffff].map(isGoPrint)).toEqual([false, true, false, false]);
  });
});
