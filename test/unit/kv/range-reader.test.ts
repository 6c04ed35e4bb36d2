import { describe, expect, it } from 'vitest';
import { PAGE_BYTES, REST_IN_ONE_BYTES, nextPageLimit } from '../../../src/kv/range-reader.js';

describe('nextPageLimit', () => {
  it('reads a small rest in one request when paging is automatic', () => {
    // 1,000 keys of ~130 bytes read, 99,000 to go: ~13 MB.
    expect(nextPageLimit(10_000, true, 1000, 130_000, 99_000)).toBe(0);
    expect(nextPageLimit(10_000, true, 1000, 1000 * 1024, REST_IN_ONE_BYTES / 1024)).toBe(0);
  });

  it('pages a large rest by bytes, at most maxKeys keys a page', () => {
    expect(nextPageLimit(10_000, true, 1000, 1000 * 1024, REST_IN_ONE_BYTES / 1024 + 1)).toBe(PAGE_BYTES / 1024);
    expect(nextPageLimit(10_000, true, 1000, 1000 * 100, 1_000_000)).toBe(10_000);
    expect(nextPageLimit(10_000, true, 10, 10 * 50 * 1024 * 1024, 1_000)).toBe(1);
  });

  it('always pages when --page-size was given', () => {
    expect(nextPageLimit(700, false, 700, 700 * 130, 5)).toBe(700);
    expect(nextPageLimit(10_000, false, 1000, 130_000, 99_000)).toBe(10_000);
  });
});
