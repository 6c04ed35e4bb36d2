import { describe, it, expect } from 'vitest';
import {
  formatGoDuration,
  parseCsvRecord,
  parseGoBool,
  parseGoDuration,
  parseGoInt64,
  parseGoUint64,
} from '../../../src/cli/values.js';

// Expected values and error texts were checked against etcdctl 3.5.16 (go1.24): successful parses
// through the `--debug` dump (`ETCDCTL_DIAL_TIMEOUT=…`, `ETCDCTL_ENDPOINTS=[…]`), failures through
// `invalid argument "…" for "--limit" flag: <error>` and `etcdctl compaction <rev>`.

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const SECOND = 1_000_000_000n;

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each([
    ['1', true],
    ['t', true],
    ['T', true],
    ['TRUE', true],
    ['true', true],
    ['True', true],
    ['0', false],
    ['f', false],
    ['F', false],
    ['FALSE', false],
    ['false', false],
    ['False', false],
  ])('%j → %s', (text, expected) => {
    expect(parseGoBool(text)).toBe(expected);
  });

  it.each([
    ['yes', 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['tRUE', 'strconv.ParseBool: parsing "tRUE": invalid syntax'],
    ['TrUe', 'strconv.ParseBool: parsing "TrUe": invalid syntax'],
    ['', 'strconv.ParseBool: parsing "": invalid syntax'],
    [' true', 'strconv.ParseBool: parsing " true": invalid syntax'],
    ['2', 'strconv.ParseBool: parsing "2": invalid syntax'],
    ['\x01', 'strconv.ParseBool: parsing "\\x01": invalid syntax'],
  ])('%j is rejected', (text, message) => {
    expect(() => parseGoBool(text)).toThrow(new Error(message));
  });
});

describe('parseGoInt64 (strconv.ParseInt)', () => {
  it.each([
    ['0', 0, 0n],
    ['-0', 0, 0n],
    ['42', 0, 42n],
    ['+5', 0, 5n],
    ['-5', 0, -5n],
    ['0x1f', 0, 31n],
    ['0X1F', 0, 31n],
    ['-0x10', 0, -16n],
    ['010', 0, 8n],
    ['0o17', 0, 15n],
    ['0O7', 0, 7n],
    ['0b101', 0, 5n],
    ['0B1', 0, 1n],
    ['1_000', 0, 1000n],
    ['1_0_0', 0, 100n],
    ['0x_1_f', 0, 31n],
    ['0b_1', 0, 1n],
    ['0o_7', 0, 7n],
    ['0_7', 0, 7n],
    ['01_7', 0, 15n],
    ['9223372036854775807', 0, INT64_MAX],
    ['-9223372036854775808', 0, INT64_MIN],
    ['010', 10, 10n],
    ['+5', 10, 5n],
    ['-9223372036854775808', 10, INT64_MIN],
    ['ff', 16, 255n],
    ['FF', 16, 255n],
    ['-1', 16, -1n],
    ['7fffffffffffffff', 16, INT64_MAX],
    ['-8000000000000000', 16, INT64_MIN],
  ] as const)('%j (base %d) → %s', (text, base, expected) => {
    expect(parseGoInt64(text, base)).toBe(expected);
  });

  it.each([
    ['', 0, 'invalid syntax'],
    ['-', 0, 'invalid syntax'],
    ['+', 0, 'invalid syntax'],
    ['_1', 0, 'invalid syntax'],
    ['-_1', 0, 'invalid syntax'],
    ['1_', 0, 'invalid syntax'],
    ['1__0', 0, 'invalid syntax'],
    ['_', 0, 'invalid syntax'],
    ['0_', 0, 'invalid syntax'],
    ['0x', 0, 'invalid syntax'],
    ['0x_', 0, 'invalid syntax'],
    ['08', 0, 'invalid syntax'],
    ['1a', 0, 'invalid syntax'],
    ['0x1g', 0, 'invalid syntax'],
    ['1.5', 0, 'invalid syntax'],
    [' 1', 0, 'invalid syntax'],
    ['٣', 0, 'invalid syntax'],
    ['9223372036854775808', 0, 'value out of range'],
    ['-9223372036854775809', 0, 'value out of range'],
    ['18446744073709551615', 0, 'value out of range'],
    ['18446744073709551616', 0, 'value out of range'],
    // strconv stops at the first digit that overflows uint64, before it sees a bad character...
    ['99999999999999999999x', 0, 'value out of range'],
    ['99999999999999999999_', 0, 'value out of range'],
    // ...but a value that still fits uint64 reaches the bad character.
    ['9223372036854775808x', 0, 'invalid syntax'],
    // etcdctl compaction parses with base 10: no prefixes, no underscores.
    ['0x1f', 10, 'invalid syntax'],
    ['1_000', 10, 'invalid syntax'],
    ['-5x', 10, 'invalid syntax'],
    ['9223372036854775808', 10, 'value out of range'],
    ['0x1f', 16, 'invalid syntax'],
    ['8000000000000000', 16, 'value out of range'],
  ] as const)('%j (base %d) → %s', (text, base, why) => {
    expect(() => parseGoInt64(text, base)).toThrow(new Error(`strconv.ParseInt: parsing ${JSON.stringify(text)}: ${why}`));
  });

  it('quotes the input like strconv.Quote, not JSON', () => {
    expect(() => parseGoInt64('\x01\x7f\t')).toThrow(new Error('strconv.ParseInt: parsing "\\x01\\x7f\\t": invalid syntax'));
    expect(() => parseGoInt64('é\u00a0')).toThrow(new Error('strconv.ParseInt: parsing "é\\u00a0": invalid syntax'));
  });
});

describe('parseGoUint64 (strconv.ParseUint)', () => {
  it.each([
    ['0', 0n],
    ['0x10', 16n],
    ['1_000', 1000n],
    ['18446744073709551615', 2n ** 64n - 1n],
  ])('%j → %s', (text, expected) => {
    expect(parseGoUint64(text)).toBe(expected);
  });

  it.each([
    ['-1', 'invalid syntax'],
    ['+5', 'invalid syntax'],
    ['', 'invalid syntax'],
    ['18446744073709551616', 'value out of range'],
  ])('%j → %s', (text, why) => {
    expect(() => parseGoUint64(text)).toThrow(new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: ${why}`));
  });
});

describe('parseGoDuration (time.ParseDuration)', () => {
  it.each([
    ['0', 0n],
    ['-0', 0n],
    ['+0', 0n],
    ['1ns', 1n],
    ['1us', 1_000n],
    ['1µs', 1_000n], // U+00B5 micro sign
    ['1μs', 1_000n], // U+03BC Greek mu
    ['1.5ms', 1_500_000n],
    ['1000ms', SECOND],
    ['5s', 5n * SECOND],
    ['+5s', 5n * SECOND],
    ['-1s', -SECOND],
    ['.5s', SECOND / 2n],
    ['1.s', SECOND],
    ['90m', 5400n * SECOND],
    ['1h', 3600n * SECOND],
    ['1h1h', 7200n * SECOND],
    ['1h2m3.5s', 3_723_500_000_000n],
    ['0.000000001s', 1n],
    ['0.0000000009s', 0n],
    ['1.0000000001s', SECOND],
    // Go scales fractions in float64; these are the values etcdctl 3.5.16 prints.
    ['1.99999999999999999999999s', 2n * SECOND],
    ['0.3333333333333333333h', 1200n * SECOND],
    ['0.1234567891234h', 444_444_440_844n],
    ['1.123456789123456789h', 4_044_444_440_844n],
    ['2562047h47m16.854775807s', INT64_MAX],
    ['9223372036854775807ns', INT64_MAX],
    ['-2562047h47m16.854775808s', INT64_MIN],
    ['-9223372036854775808ns', INT64_MIN],
  ])('%j → %s ns', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });

  it.each([
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['-', 'time: invalid duration "-"'],
    ['.', 'time: invalid duration "."'],
    ['.s', 'time: invalid duration ".s"'],
    ['-.s', 'time: invalid duration "-.s"'],
    ['s', 'time: invalid duration "s"'],
    ['5', 'time: missing unit in duration "5"'],
    ['00', 'time: missing unit in duration "00"'],
    ['0.0', 'time: missing unit in duration "0.0"'],
    ['1.5.5s', 'time: missing unit in duration "1.5.5s"'],
    ['5x', 'time: unknown unit "x" in duration "5x"'],
    ['1e3s', 'time: unknown unit "e" in duration "1e3s"'],
    ['3m-1s', 'time: unknown unit "m-" in duration "3m-1s"'],
    ['1S', 'time: unknown unit "S" in duration "1S"'],
    // Units are looked up as own keys only.
    ['1constructor', 'time: unknown unit "constructor" in duration "1constructor"'],
    ['1__proto__', 'time: unknown unit "__proto__" in duration "1__proto__"'],
    // Overflow: more than 1<<63 digits, or a total above the int64 range.
    ['99999999999999999999', 'time: invalid duration "99999999999999999999"'],
    ['99999999999999999999s', 'time: invalid duration "99999999999999999999s"'],
    ['2562047h47m16.854775808s', 'time: invalid duration "2562047h47m16.854775808s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['99999999999h', 'time: invalid duration "99999999999h"'],
    // The time package quotes every byte outside printable ASCII as \xNN.
    ['1µx', 'time: unknown unit "\\xc2\\xb5x" in duration "1\\xc2\\xb5x"'],
    ['1\x01', 'time: unknown unit "\\x01" in duration "1\\x01"'],
    ['"', 'time: invalid duration "\\""'],
  ])('%j is rejected', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(new Error(message));
  });
});

describe('formatGoDuration (time.Duration.String)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1_000n, '1µs'],
    [1_001n, '1.001µs'],
    [1_500_000n, '1.5ms'],
    [999_999_999n, '999.999999ms'],
    [SECOND, '1s'],
    [-SECOND, '-1s'],
    [60n * SECOND, '1m0s'],
    [61_500_000_000n, '1m1.5s'],
    [5400n * SECOND, '1h30m0s'],
    [3600n * SECOND, '1h0m0s'],
    [7200n * SECOND, '2h0m0s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [444_444_440_844n, '7m24.444440844s'],
    [INT64_MAX, '2562047h47m16.854775807s'],
    [INT64_MIN, '-2562047h47m16.854775808s'],
  ])('%s ns → %j', (ns, expected) => {
    expect(formatGoDuration(ns)).toBe(expected);
  });

  // Pairs of (flag value, what etcdctl 3.5.16 --debug prints for it).
  it.each([
    ['1h2m3.5s', '1h2m3.5s'],
    ['.5s', '500ms'],
    ['1.s', '1s'],
    ['0', '0s'],
    ['-1s', '-1s'],
    ['1μs', '1µs'],
    ['1us', '1µs'],
    ['1000ms', '1s'],
    ['90m', '1h30m0s'],
    ['1h1h', '2h0m0s'],
    ['9223372036854775807ns', '2562047h47m16.854775807s'],
  ])('round trip %j → %j', (text, printed) => {
    expect(formatGoDuration(parseGoDuration(text))).toBe(printed);
  });
});

describe('parseCsvRecord (pflag string slice = first encoding/csv record)', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    [' a , b ', [' a ', ' b ']],
    ['a,', ['a', '']],
    [',', ['', '']],
    [',,', ['', '', '']],
    ['a,,b', ['a', '', 'b']],
    ['"a,b",c', ['a,b', 'c']],
    ['"a""b"', ['a"b']],
    ['""', ['']],
    ['""""', ['"']],
    ['a,"",b', ['a', '', 'b']],
    ['"a",', ['a', '']],
    ['"é",ü', ['é', 'ü']],
    ['#a', ['#a']],
    ['a;b', ['a;b']],
    ['a\tb', ['a\tb']],
    // Only the first record counts; empty lines before it are skipped, CRLF is read as LF.
    ['a\nb', ['a']],
    ['a\n', ['a']],
    ['\na,b', ['a', 'b']],
    ['a\r\nb', ['a']],
    ['"a"\nb', ['a']],
    ['"a"\r\nb', ['a']],
    ['a\n"b', ['a']],
    // A bare CR stays in the field, except right before the end of the input.
    ['a\rb', ['a\rb']],
    ['a\r', ['a']],
    ['"a"\r', ['a']],
    // Quoted fields may span lines.
    ['"a\nb",c', ['a\nb', 'c']],
    ['"a\r\nb"', ['a\nb']],
  ])('%j → %j', (text, expected) => {
    expect(parseCsvRecord(text)).toEqual(expected);
  });

  it.each([
    ['\n', 'EOF'],
    ['\n\n', 'EOF'],
    ['\r', 'EOF'],
    ['a"b', 'parse error on line 1, column 2: bare " in non-quoted-field'],
    ['ab"c"', 'parse error on line 1, column 3: bare " in non-quoted-field'],
    [' "a"', 'parse error on line 1, column 2: bare " in non-quoted-field'],
    // Columns count bytes, not characters.
    ['é"b', 'parse error on line 1, column 3: bare " in non-quoted-field'],
    ['"', 'parse error on line 1, column 2: extraneous or missing " in quoted-field'],
    ['"ab', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['"é', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['a,"b', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
    ['"ab"c', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['"é"b', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['a,"b"c', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'],
    ['"a" ,b', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'],
    ['"a\n', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['"a\n"b', 'record on line 1; parse error on line 2, column 1: extraneous or missing " in quoted-field'],
    ['"a\nb"c', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'],
    ['"a\n\n"b', 'record on line 1; parse error on line 3, column 1: extraneous or missing " in quoted-field'],
    ['\n\n"a\nb"c', 'record on line 3; parse error on line 4, column 2: extraneous or missing " in quoted-field'],
  ])('%j is rejected: %s', (text, message) => {
    expect(() => parseCsvRecord(text)).toThrow(new Error(message));
  });
});
