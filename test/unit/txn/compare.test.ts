// parseCompare: the compare grammar of etcdctl's txn (txn_command.go's parseCompare, whose
// upstream table test only covers lease targets). Expected messages were observed from etcdctl
// 3.5.16; the exit-2 cases are where etcdctl panics.
import { describe, expect, it } from 'vitest';
import { CtlError } from '../../../src/common/errors.js';
import { CompareResult as R, CompareTarget as T, parseCompare } from '../../../src/txn/compare.js';

const key = (s: string) => Buffer.from(s);

describe('parseCompare accepts', () => {
  it.each([
    ['ver("foo") = "1"', { target: T.VERSION, result: R.EQUAL, key: key('foo'), version: '1' }],
    ['version("foo") != "0"', { target: T.VERSION, result: R.NOT_EQUAL, key: key('foo'), version: '0' }],
    ['c("foo") < "100"', { target: T.CREATE, result: R.LESS, key: key('foo'), create_revision: '100' }],
    ['create("foo") > "-1"', { target: T.CREATE, result: R.GREATER, key: key('foo'), create_revision: '-1' }],
    ['m("k") > "+0"', { target: T.MOD, result: R.GREATER, key: key('k'), mod_revision: '0' }],
    ['mod("key1") > "0"', { target: T.MOD, result: R.GREATER, key: key('key1'), mod_revision: '0' }],
    ['val("a b") = "x\\ny"', { target: T.VALUE, result: R.EQUAL, key: key('a b'), value: key('x\ny') }],
    ['value("k") < "v"', { target: T.VALUE, result: R.LESS, key: key('k'), value: key('v') }],
    ['ver(`raw\\key`) > `0`', { target: T.VERSION, result: R.GREATER, key: key('raw\\key'), version: '0' }],
    ['value( "k")\t=\t"v" trailing words are ignored', { target: T.VALUE, result: R.EQUAL, key: key('k'), value: key('v') }],
    ['val("\\xff") = "\\x00"', { target: T.VALUE, result: R.EQUAL, key: Buffer.from([0xff]), value: Buffer.from([0]) }],
  ])('%s', (line, want) => {
    expect(parseCompare(line)).toEqual(want);
  });
});

function failure(line: string): { code: number; message: string } {
  try {
    parseCompare(line);
  } catch (err) {
    if (err instanceof CtlError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  throw new Error(`parsed: ${line}`);
}

describe('parseCompare rejects (exit 3, etcdctl text)', () => {
  it.each([
    ['x', 'malformed comparison: x'],
    ['value(foo) = "y"', 'malformed comparison: value(foo) = "y"; got value("")  ""'],
    ['value("foo")="y"', 'malformed comparison: value("foo")="y"; got value("foo")  ""'],
    ['value("foo") ="y"', 'malformed comparison: value("foo") ="y"; got value("foo") ="y" ""'],
    ['value("foo" ) = "y"', 'malformed comparison: value("foo" ) = "y"; got value("foo")  ""'],
    ['value("foo") = y', 'malformed comparison: value("foo") = y; got value("foo") = ""'],
    ['value("foo") =', 'malformed comparison: value("foo") =; got value("foo") = ""'],
    ['value("foo")', 'malformed comparison: value("foo"); got value("foo")  ""'],
    ['val("f\\qo") = "bar"', 'malformed comparison: val("f\\qo") = "bar"; got val("")  ""'],
    ['val("foo) = "bar"', 'malformed comparison: val("foo) = "bar"; got val("foo) = ")  ""'],
    ['val("\\x01") = y', 'malformed comparison: val("\\x01") = y; got val("\\x01") = ""'],
    ['foo("k") = "1"', 'malformed comparison: foo("k") = "1" (unknown target foo)'],
    ['val ("foo") = "bar"', 'malformed comparison: val ("foo") = "bar" (unknown target val )'],
    ['VAL("foo") = "bar"', 'malformed comparison: VAL("foo") = "bar" (unknown target VAL)'],
    ['ver("k") = "x"', 'invalid txn compare request: ver("k") = "x"'],
    ['ver("foo") > "0x1"', 'invalid txn compare request: ver("foo") > "0x1"'],
    ['ver("foo") > " 0"', 'invalid txn compare request: ver("foo") > " 0"'],
    ['m("foo") < "99999999999999999999"', 'invalid txn compare request: m("foo") < "99999999999999999999"'],
    ['ver("k") == "x"', 'invalid txn compare request: ver("k") == "x"'],
  ])('%s', (line, message) => {
    expect(failure(line)).toEqual({ code: 3, message });
  });
});

describe('parseCompare where etcdctl panics (exit 2, a clear message instead)', () => {
  it.each([
    ['ver("k") == "1"', 'malformed comparison: ver("k") == "1" (unknown operator "=="; use =, !=, < or >)'],
    ['val("k") >= "v"', 'malformed comparison: val("k") >= "v" (unknown operator ">="; use =, !=, < or >)'],
    ['lease("foo1") > "0"', 'unsupported comparison: lease("foo1") > "0" (etcdctl cannot compare leases)'],
    ['lease("foo1") = "2d8257079fa1bc0c"', 'unsupported comparison: lease("foo1") = "2d8257079fa1bc0c" (etcdctl cannot compare leases)'],
    ['lease("foo1") => "1"', 'malformed comparison: lease("foo1") => "1" (unknown operator "=>"; use =, !=, < or >)'],
  ])('%s', (line, message) => {
    expect(failure(line)).toEqual({ code: 2, message });
  });

  it('a malformed lease compare is still exit 3', () => {
    expect(failure('lease("foo1") > 10').code).toBe(3);
  });
});
