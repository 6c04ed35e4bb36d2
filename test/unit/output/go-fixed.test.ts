import { describe, expect, it } from 'vitest';
import { goFixed } from '../../../src/go/encode.js';

describe('goFixed (strconv.FormatFloat(x, f, prec, 64))', () => {
  it.each([
    [0.055689, 6, '0.055689'],
    [0.317189123, 6, '0.317189'],
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [35.25, 2, '35.25'],
    [1.005, 2, '1.00'],
    [-1.25, 1, '-1.2'],
    [100, 2, '100.00'],
    [1e-7, 6, '0.000000'],
    [NaN, 6, 'NaN'],
    [Infinity, 6, '+Inf'],
    [-Infinity, 2, '-Inf'],
    [-0, 2, '-0.00'],
  ])('%d with %d decimals → %s', (x, prec, text) => {
    expect(goFixed(x, prec)).toBe(text);
  });
});
