import { describe, expect, it } from 'vitest';
import { KeyMaker, loadModel, putVarint } from '../../../src/commands/check/load.js';
import { parseGoFloat } from '../../../src/commands/check/metrics.js';
import { Recorder, computeStats, perfVerdict } from '../../../src/commands/check/stats.js';
import { CtlError } from '../../../src/common/errors.js';

describe('loadModel', () => {
  it.each([
    ['s', 's'],
    ['small', 's'],
    ['m', 'm'],
    ['medium', 'm'],
    ['l', 'l'],
    ['large', 'l'],
    ['xl', 'xl'],
    ['xLarge', 'xl'],
  ])('%s → %s', (load, model) => {
    expect(loadModel(load)).toBe(model);
  });
  it.each(['S', 'xlarge', 'XL', '', 'toString', 'constructor'])('rejects %j with exit 4', (load) => {
    expect(() => loadModel(load)).toThrow(new CtlError(4, `unknown load option ${load}`));
  });
});

describe('putVarint (encoding/binary.PutVarint)', () => {
  it.each([
    [0n, '00'],
    [1n, '02'],
    [-1n, '01'],
    [63n, '7e'],
    [64n, '8001'],
    [(1n << 63n) - 2n, 'fcffffffffffffffff01'],
    [-(1n << 63n), 'ffffffffffffffffff01'],
  ])('%d → %s', (x, hex) => {
    const buf = new Uint8Array(16);
    const n = putVarint(buf, x);
    expect(Buffer.from(buf.subarray(0, n)).toString('hex')).toBe(hex);
  });
});

describe('KeyMaker', () => {
  it('writes prefix + a fixed-size buffer whose start is a varint', () => {
    const keys = new KeyMaker('/p/', 256);
    const key = keys.next();
    expect(key).toHaveLength(3 + 256);
    expect(key.subarray(0, 3).toString()).toBe('/p/');
    // A varint ends at the first byte below 0x80, within 10 bytes.
    const end = [...key.subarray(3, 13)].findIndex((byte) => byte < 0x80);
    expect(end).toBeGreaterThanOrEqual(0);
    expect(keys.next().equals(key)).toBe(false);
  });
});

describe('perf verdict', () => {
  const rec = (lats: number[], errors: [string, number][] = []) => {
    const r = new Recorder();
    for (const l of lats) r.ok(l);
    for (const [m, n] of errors) for (let i = 0; i < n; i++) r.fail(m);
    return r;
  };

  it('passes like the captured etcdctl run', () => {
    const stats = computeStats(rec(Array.from({ length: 9000 }, (_, i) => (i % 2 ? 0.01 : 0.012))), 60.2);
    const v = perfVerdict(stats, 150);
    expect(v.ok).toBe(true);
    expect(v.text).toBe('PASS: Throughput is 150 writes/s\nPASS: Slowest request took 0.012000s\nPASS: Stddev is 0.001000s\nPASS\n');
  });

  it('fails on errors, low throughput, a slow request and a high stddev, in that order', () => {
    const stats = computeStats(rec([0.01, 0.9], [['etcdserver: mvcc: database space exceeded', 3], ['context canceled', 1]]), 10);
    const v = perfVerdict(stats, 150);
    expect(v.ok).toBe(false);
    expect(v.text).toBe(
      'FAIL: too many errors\n' +
        'FAIL: ERROR(etcdserver: mvcc: database space exceeded) -> 3\n' +
        'FAIL: ERROR(context canceled) -> 1\n' +
        'FAIL: Throughput too low: 1 writes/s\n' +
        'Slowest request took too long: 0.900000s\n' +
        'Stddev too high: 0.445000s\n' +
        'FAIL\n',
    );
  });

  it('throughput must be above 90% of the target', () => {
    expect(perfVerdict(computeStats(rec(Array(135).fill(0.01)), 1), 150).text).toContain('FAIL: Throughput too low: 136 writes/s');
    expect(perfVerdict(computeStats(rec(Array(136).fill(0.01)), 1), 150).text).toContain('PASS: Throughput is 137 writes/s');
  });

  it('prints Go NaN for the stddev when nothing succeeded (and passes that check)', () => {
    const v = perfVerdict(computeStats(rec([], [['boom', 2]]), 1), 150);
    expect(v.text).toContain('PASS: Slowest request took 0.000000s\nPASS: Stddev is NaNs\n');
  });
});

describe('parseGoFloat', () => {
  it.each([
    ['4.2516224e+07', 42516224],
    ['1234', 1234],
    ['.5', 0.5],
    ['+Inf', Infinity],
    ['abc', undefined],
    ['1,5', undefined],
  ])('%s → %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });
});
