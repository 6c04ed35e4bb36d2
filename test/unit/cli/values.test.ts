import { describe, it, expect } from 'vitest';
import {
  parseCsvRecord,
  parseGoBool,
  parseGoInt64,
  parseGoUint64,
} from '../../../src/flags/go-values.js';

// Expected values and error texts were checked against etcdctl 3.5.16 (go1.24): successful parses
// through the `--debug` dump (`ETCDCTL_DIAL_TIMEOUT=…`, `ETCDCTL_ENDPOINTS=[…]`), failures through
// `invalid argument "…" for "--limit" flag: <error>` and `etcdctl compaction <rev>`.

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

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
