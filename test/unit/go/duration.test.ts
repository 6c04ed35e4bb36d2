// Go's time.Duration: ParseDuration, String, and timers for durations Node's timers cannot hold.
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, formatGoDuration, parseGoDuration, timerDeadline, timerDelay } from '../../../src/go/duration.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const SECOND = 1_000_000_000n;

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

describe('formatGoDuration (numbers too)', () => {
  it.each<[bigint | number, string]>([
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1000, '1µs'],
    [1100, '1.1µs'],
    [1500, '1.5µs'],
    [850_200, '850.2µs'],
    [999_999, '999.999µs'],
    [1_000_000, '1ms'],
    [1_327_020, '1.32702ms'],
    [2_065_291, '2.065291ms'],
    [2_200_000, '2.2ms'],
    [999_999_999, '999.999999ms'],
    [1_000_000_000, '1s'],
    [3_300_000_000, '3.3s'],
    [5_014_804_626, '5.014804626s'],
    [5_000_438_442, '5.000438442s'],
    [59_999_999_999, '59.999999999s'],
    [60_000_000_000, '1m0s'],
    [60_500_000_000, '1m0.5s'],
    [245_000_000_000, '4m5s'],
    [245_001_000_000, '4m5.001s'],
    [480_000_000_001, '8m0.000000001s'],
    [3_599_000_000_000, '59m59s'],
    [3_600_000_000_000, '1h0m0s'],
    [7_200_000_000_000, '2h0m0s'],
    [18_367_001_000_000, '5h6m7.001s'],
    [-1, '-1ns'],
    [-1100, '-1.1µs'],
    [-60_500_000_000, '-1m0.5s'],
    [9_223_372_036_854_775_807n, '2562047h47m16.854775807s'],
    [-9_223_372_036_854_775_808n, '-2562047h47m16.854775808s'],
  ])('%s ns -> %s', (nanoseconds, expected) => {
    expect(formatGoDuration(nanoseconds)).toBe(expected);
  });

  it('uses the micro sign U+00B5, not the Greek mu U+03BC', () => {
    expect(formatGoDuration(1500)).toContain('\u00b5');
  });

  it('rejects non-integer numbers instead of guessing', () => {
    expect(() => formatGoDuration(1.5)).toThrow(RangeError);
  });
});

describe('timers for long durations', () => {
  it('a delay beyond 2^31-1 ms is cut to the longest a Node timer holds', () => {
    expect(timerDelay(597 * 3600 * 1000)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Number((1n << 63n) / 1_000_000n))).toBe(MAX_TIMER_MS);
    expect(timerDelay(1500)).toBe(1500);
    expect(timerDelay(-5)).toBe(0);
  });

  it('a deadline beyond reach is brought within it', () => {
    const now = Date.now();
    expect(timerDeadline(now + 1000)).toBe(now + 1000);
    const far = timerDeadline(now + 597 * 3600 * 1000);
    expect(far - Date.now()).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(far - now).toBeGreaterThan(MAX_TIMER_MS - 60_000);
  });
});
