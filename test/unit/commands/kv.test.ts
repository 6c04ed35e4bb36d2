// Flag resolution of get, put and del: how flags and arguments become the RangeRequest,
// PutRequest and DeleteRangeRequest etcdctl 3.5.16 sends, and which error (text and exit code)
// wins when several are wrong. The wire-level effect is covered differentially in
// test/integration/{kv,put,del}.diff.test.ts; these pin the request fields themselves.
import { describe, expect, it } from 'vitest';
import { prefixRangeEnd } from '../../../src/kv/key-range.js';
import { buildDeleteRequest, buildPutRequest, buildRangeRequest, parseLeaseId, type FlagReader } from '../../../src/kv/requests.js';
import { CtlError } from '../../../src/common/errors.js';

const GET_DEFAULTS = {
  consistency: 'l',
  order: '',
  'sort-by': '',
  limit: 0n,
  prefix: false,
  'from-key': false,
  rev: 0n,
  'keys-only': false,
  'count-only': false,
  'print-value-only': false,
};
const PUT_DEFAULTS = { lease: '0', 'prev-kv': false, 'ignore-value': false, 'ignore-lease': false };
const DEL_DEFAULTS = { prefix: false, 'prev-kv': false, 'from-key': false, range: false };

/** A FlagReader over plain values; reading a flag the command does not have throws, as Invocation does. */
function flags(values: Record<string, string | boolean | bigint>): FlagReader {
  const get = (name: string) => {
    if (!(name in values)) throw new Error(`internal error: command has no flag --${name}`);
    return values[name]!;
  };
  return {
    bool: (name) => get(name) === true,
    string: (name) => String(get(name)),
    int: (name) => BigInt(get(name) as bigint),
  };
}

const getFlags = (over: Record<string, string | boolean | bigint> = {}) => flags({ ...GET_DEFAULTS, ...over });
const putFlags = (over: Record<string, string | boolean | bigint> = {}) => flags({ ...PUT_DEFAULTS, ...over });
const delFlags = (over: Record<string, string | boolean | bigint> = {}) => flags({ ...DEL_DEFAULTS, ...over });
const b = (s: string) => Buffer.from(s, 'latin1');

function ctlError(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof CtlError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  throw new Error('expected a CtlError');
}

describe('prefixRangeEnd (clientv3.GetPrefixRangeEnd)', () => {
  it.each([
    ['abc', 'abd'],
    ['a/', 'a0'],
    ['a\xff', 'b'],
    ['a\xff\xff', 'b'],
    ['a\xfe', 'a\xff'],
    ['\xff', '\x00'],
    ['\xff\xff', '\x00'],
  ])('%j → %j', (key, end) => {
    expect(prefixRangeEnd(b(key))).toEqual(b(end));
  });

  it('does not modify its argument', () => {
    const key = b('az');
    prefixRangeEnd(key);
    expect(key).toEqual(b('az'));
  });
});

describe('buildRangeRequest (get)', () => {
  it('a single key: no range end, defaults elsewhere', () => {
    const req = buildRangeRequest(['k'], getFlags());
    expect(req.key).toEqual(b('k'));
    expect(req.range_end).toBeUndefined();
    expect(req).toMatchObject({ limit: '0', revision: '0', sort_order: 0, sort_target: 0, serializable: false, keys_only: false, count_only: false });
  });

  it('key and range_end; arguments past the second are ignored', () => {
    expect(buildRangeRequest(['a', 'c', 'ignored'], getFlags())).toMatchObject({ key: b('a'), range_end: b('c') });
  });

  it.each([
    [['p/'], { prefix: true }, 'p/', 'p0'],
    [[''], { prefix: true }, '\x00', '\x00'],
    [['k'], { 'from-key': true }, 'k', '\x00'],
    [[''], { 'from-key': true }, '\x00', '\x00'],
  ])('%j with %j → [%j, %j)', (args, over, key, end) => {
    expect(buildRangeRequest(args, getFlags(over))).toMatchObject({ key: b(key), range_end: b(end) });
  });

  it.each([
    // [sort-by, order] → [sort_target, sort_order]; ascending by key is the server's natural order.
    ['', '', 0, 0],
    ['KEY', 'ASCEND', 0, 0],
    ['KEY', 'DESCEND', 0, 2],
    ['', 'DESCEND', 0, 2],
    ['', 'ascend', 0, 0],
    ['VERSION', '', 1, 0],
    ['version', 'ASCEND', 1, 1],
    ['CREATE', 'DESCEND', 2, 2],
    ['Modify', 'descend', 3, 2],
    ['VALUE', 'Ascend', 4, 1],
  ])('--sort-by=%j --order=%j → target %i, order %i', (sortBy, order, target, sortOrder) => {
    const req = buildRangeRequest(['k'], getFlags({ 'sort-by': sortBy, order }));
    expect([req.sort_target, req.sort_order]).toEqual([target, sortOrder]);
  });

  it.each([
    ['7', '7'],
    ['0', '0'],
    ['-3', '0'],
  ])('--rev=%s → revision %s', (rev, revision) => {
    expect(buildRangeRequest(['k'], getFlags({ rev: BigInt(rev) })).revision).toBe(revision);
  });

  it('passes limit, serializable, keys-only and count-only through', () => {
    expect(buildRangeRequest(['k'], getFlags({ limit: 2n, consistency: 's', 'keys-only': true }))).toMatchObject({
      limit: '2',
      serializable: true,
      keys_only: true,
      count_only: false,
    });
    expect(buildRangeRequest(['k'], getFlags({ 'count-only': true })).count_only).toBe(true);
  });

  it.each<[string[], Record<string, string | boolean>, number, string]>([
    [[], {}, 128, 'get command needs one argument as key and an optional argument as range_end'],
    [[], { consistency: 'x', order: 'bad' }, 128, 'get command needs one argument as key and an optional argument as range_end'],
    [['k'], { prefix: true, 'from-key': true }, 128, '`--prefix` and `--from-key` cannot be set at the same time, choose one'],
    [['k'], { 'keys-only': true, 'count-only': true }, 128, '`--keys-only` and `--count-only` cannot be set at the same time, choose one'],
    [['k'], { consistency: 'x' }, 4, 'unknown consistency flag "x"'],
    [['k'], { consistency: 'L' }, 4, 'unknown consistency flag "L"'],
    [['k', 'z'], { prefix: true, consistency: 'x' }, 4, 'unknown consistency flag "x"'],
    [['k', 'z'], { prefix: true, order: 'bad' }, 128, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set'],
    [['k', 'z'], { 'from-key': true }, 128, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set'],
    [['k'], { order: 'Up', 'sort-by': 'bogus' }, 4, 'bad sort order Up'],
    [['k'], { 'sort-by': 'bogus' }, 4, 'bad sort target bogus'],
  ])('get %j %j → exit %i %j', (args, over, code, message) => {
    expect(ctlError(() => buildRangeRequest(args, getFlags(over)))).toEqual({ code, message });
  });

  it('txn lines (no 3.6 revision filter flags) still build', () => {
    expect(buildRangeRequest(['k'], getFlags()).min_create_revision).toBe('0');
  });
});

describe('buildPutRequest (put)', () => {
  it('value from the second argument, extra arguments ignored', () => {
    expect(buildPutRequest(['k', 'v', 'x'], putFlags())).toMatchObject({ key: b('k'), value: b('v'), lease: '0', prev_kv: false });
  });

  it('value from stdin, byte for byte', () => {
    const stdin = Buffer.from([0, 0xff, 0x0a]);
    expect(buildPutRequest(['k'], putFlags(), stdin).value).toEqual(stdin);
  });

  it('--ignore-value sends an empty value and reads no stdin', () => {
    expect(buildPutRequest(['k'], putFlags({ 'ignore-value': true }))).toMatchObject({ value: Buffer.alloc(0), ignore_value: true });
  });

  it('passes --prev-kv, --ignore-lease and the lease id (hex) through', () => {
    expect(buildPutRequest(['k', 'v'], putFlags({ 'prev-kv': true, 'ignore-lease': true, lease: '694d7c4c4c6e1b04' }))).toMatchObject({
      prev_kv: true,
      ignore_lease: true,
      lease: String(0x694d7c4c4c6e1b04n),
    });
  });

  it.each<[string[], Record<string, string | boolean>, Buffer | undefined, string]>([
    [[], {}, undefined, 'put command needs 1 argument and input from stdin or 2 arguments'],
    [[], {}, Buffer.from('v'), 'put command needs 1 argument and input from stdin or 2 arguments'],
    [['k'], {}, undefined, 'put command needs 1 argument and input from stdin or 2 arguments'],
    [['k'], {}, Buffer.alloc(0), 'put command needs 1 argument and input from stdin or 2 arguments'],
    [['k', 'v'], { 'ignore-value': true }, undefined, "put command needs only 1 argument when 'ignore-value' is set"],
    [['k', 'v'], { lease: 'zz' }, undefined, 'bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex'],
    [['k', 'v'], { lease: '0x12' }, undefined, 'bad lease ID (strconv.ParseInt: parsing "0x12": invalid syntax), expecting ID in Hex'],
    [['k', 'v'], { lease: 'ffffffffffffffffff' }, undefined, 'bad lease ID (strconv.ParseInt: parsing "ffffffffffffffffff": value out of range), expecting ID in Hex'],
  ])('put %j %j → exit 128 %j', (args, over, stdin, message) => {
    expect(ctlError(() => buildPutRequest(args, putFlags(over), stdin))).toEqual({ code: 128, message });
  });
});

describe('parseLeaseId', () => {
  it.each([
    ['0', 0n],
    ['1a', 26n],
    ['7FFFFFFFFFFFFFFF', 2n ** 63n - 1n],
    ['-1', -1n],
  ])('%j → %s', (text, id) => {
    expect(parseLeaseId(text, 'bad lease ID')).toBe(id);
  });
});

describe('buildDeleteRequest (del)', () => {
  it('a key, a range (with the 3.5.6+ warning unless --range), a prefix, from a key', () => {
    expect(buildDeleteRequest(['k'], delFlags())).toEqual({ request: { key: b('k'), prev_kv: false }, rangeWarning: false });
    expect(buildDeleteRequest(['a', 'c'], delFlags())).toEqual({ request: { key: b('a'), range_end: b('c'), prev_kv: false }, rangeWarning: true });
    expect(buildDeleteRequest(['a', 'c'], delFlags({ range: true })).rangeWarning).toBe(false);
    expect(buildDeleteRequest(['p/'], delFlags({ prefix: true, 'prev-kv': true })).request).toEqual({ key: b('p/'), range_end: b('p0'), prev_kv: true });
    expect(buildDeleteRequest([''], delFlags({ prefix: true })).request).toMatchObject({ key: b('\x00'), range_end: b('\x00') });
    expect(buildDeleteRequest(['k'], delFlags({ 'from-key': true })).request).toMatchObject({ key: b('k'), range_end: b('\x00') });
  });

  it.each<[string[], Record<string, boolean>, string]>([
    [[], {}, 'del command needs one argument as key and an optional argument as range_end'],
    [['a', 'b', 'c'], {}, 'del command needs one argument as key and an optional argument as range_end'],
    [['a', 'b', 'c'], { prefix: true, 'from-key': true }, 'del command needs one argument as key and an optional argument as range_end'],
    [['a'], { prefix: true, 'from-key': true }, '`--prefix` and `--from-key` cannot be set at the same time, choose one'],
    [['a', 'b'], { prefix: true }, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set'],
    [['a', 'b'], { 'from-key': true }, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set'],
  ])('del %j %j → exit 128 %j', (args, over, message) => {
    expect(ctlError(() => buildDeleteRequest(args, delFlags(over)))).toEqual({ code: 128, message });
  });
});
