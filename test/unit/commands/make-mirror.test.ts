import { describe, expect, it } from 'vitest';
import { destinationPrefix, mapKey, transactionsFor } from '../../../src/commands/make-mirror.js';
import { CtlError } from '../../../src/common/errors.js';
import type { Event__Output } from '../../../src/generated/mvccpb/Event.js';

const b = (s: string) => Buffer.from(s);

describe('destinationPrefix', () => {
  it('defaults to the source prefix, takes --dest-prefix, or nothing with --no-dest-prefix', () => {
    expect(destinationPrefix('src/', '', false)).toBe('src/');
    expect(destinationPrefix('src/', 'dst/', false)).toBe('dst/');
    expect(destinationPrefix('src/', '', true)).toBe('');
  });
  it('rejects both flags with exit 128', () => {
    let err: unknown;
    try {
      destinationPrefix('src/', 'dst/', true);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CtlError);
    expect((err as CtlError).exitCode).toBe(128);
    expect((err as CtlError).message).toBe('`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one');
  });
});

describe('mapKey (strings.Replace(key, prefix, dest, 1))', () => {
  it.each([
    ['src/a', 'src/', 'dst/', 'dst/a'],
    ['src/a', 'src/', '', 'a'],
    ['src/src/a', 'src/', 'x/', 'x/src/a'],
    // The first occurrence anywhere, not only at the start (as etcdctl does).
    ['a/src/b', 'src/', 'x/', 'a/x/b'],
    // An empty prefix matches at the start.
    ['k', '', 'all/', 'all/k'],
    ['k', '', '', 'k'],
  ])('%s with %s → %s gives %s', (key, prefix, dest, want) => {
    expect(mapKey(b(key), b(prefix), b(dest)).toString()).toBe(want);
  });
  it('works on raw bytes', () => {
    expect(mapKey(Buffer.from([0xff, 0x01, 0x02]), Buffer.from([0xff]), b('p')).equals(Buffer.from([0x70, 0x01, 0x02]))).toBe(true);
  });
});

function ev(type: 0 | 1, key: string, rev: number, value = ''): Event__Output {
  return {
    type,
    kv: { key: b(key), value: b(value), mod_revision: String(rev), create_revision: '0', version: '1', lease: '0' },
    prev_kv: null,
  } as Event__Output;
}

describe('transactionsFor', () => {
  it('makes one transaction per source revision, renaming keys', () => {
    const txns = transactionsFor([ev(0, 's/a', 5, '1'), ev(0, 's/b', 6, '2'), ev(1, 's/a', 6), ev(0, 's/c', 8, '3')], (k) => mapKey(k, b('s/'), b('d/')));
    expect(txns).toHaveLength(3);
    expect(txns[0]).toEqual([{ request_put: { key: b('d/a'), value: b('1') } }]);
    expect(txns[1]).toEqual([{ request_put: { key: b('d/b'), value: b('2') } }, { request_delete_range: { key: b('d/a') } }]);
    expect(txns[2]).toEqual([{ request_put: { key: b('d/c'), value: b('3') } }]);
  });
  it('makes none for a response without events', () => {
    expect(transactionsFor([], (k) => k)).toEqual([]);
  });
});
