// readTxn and request lines: sections, terminators, EOF, and the put/get/del grammar inside a
// txn (flags, validation and cobra usage on flag errors). Messages observed from etcdctl 3.5.16.
import { describe, expect, it } from 'vitest';
import { CtlError } from '../../../src/common/errors.js';
import { pflagUsages, parseRequestLine } from '../../../src/txn/ops.js';
import { linesOf, readTxn, type Section } from '../../../src/txn/read.js';
import { PUT_FLAGS } from '../../../src/kv/requests.js';

async function read(text: string, interactive = false) {
  const stderr: string[] = [];
  const sections: Section[] = [];
  try {
    const req = await readTxn(linesOf(text), {
      stderr: (t) => stderr.push(t),
      ...(interactive ? { beforeSection: (s: Section) => sections.push(s) } : {}),
    });
    return { req, stderr: stderr.join(''), sections };
  } catch (err) {
    if (!(err instanceof CtlError)) throw err;
    return { error: { code: err.exitCode, message: err.message }, stderr: stderr.join(''), sections };
  }
}

describe('readTxn sections', () => {
  it('reads compares, success and failure requests', async () => {
    const { req } = await read('val("foo") = "bar"\nmod("foo") > "0"\n\nput a 1\nget foo\n\ndel x\n\n');
    expect(req?.compare).toHaveLength(2);
    expect(req?.success?.map((op) => Object.keys(op)[0])).toEqual(['request_put', 'request_range']);
    expect(req?.failure?.map((op) => Object.keys(op)[0])).toEqual(['request_delete_range']);
  });

  it.each([
    ['three terminators and nothing else', '\n\n\n', [0, 0, 0]],
    ['blank lines are whitespace-only lines', ' \t\n\r\n  \n', [0, 0, 0]],
    ['lines are trimmed, CRLF included', '  val("foo") = "bar"  \r\n\r\n put a 1 \r\n\r\n\r\n', [1, 1, 0]],
    ['input after the third terminator is not read', '\n\n\nnot a txn line', [0, 0, 0]],
  ])('%s', async (_name, text, counts) => {
    const { req } = await read(text);
    expect([req?.compare?.length, req?.success?.length, req?.failure?.length]).toEqual(counts);
  });

  it.each([
    ['no input', ''],
    ['only two terminators', 'val("foo") = "bar"\n\nput a 1\n\n'],
    ['last terminator without newline', '\n\n '],
    ['last line without newline', 'val("foo") = "bar"'],
  ])('ends in Error: EOF (exit 3) on %s', async (_name, text) => {
    expect((await read(text)).error).toEqual({ code: 3, message: 'EOF' });
  });

  it('reports the first bad line, before reading on', async () => {
    expect((await read('x\n')).error).toEqual({ code: 3, message: 'malformed comparison: x' });
  });

  it('announces each section before reading it (-i prompts)', async () => {
    expect((await read('\n\n\n', true)).sections).toEqual(['compares', 'success', 'failure']);
    expect((await read('val("foo") = "bar"\n\nput a 1\n', true)).sections).toEqual(['compares', 'success']);
  });
});

describe('request lines', () => {
  it('builds put, get and del requests with their flags', () => {
    expect(parseRequestLine('put k v --lease=1a --prev-kv').op).toEqual({
      request_put: { key: Buffer.from('k'), value: Buffer.from('v'), lease: '26', prev_kv: true, ignore_value: false, ignore_lease: false },
    });
    const get = parseRequestLine('get a --prefix --limit 2 --keys-only').op.request_range!;
    expect([get.key, get.range_end, get.limit, get.keys_only]).toEqual([Buffer.from('a'), Buffer.from('b'), '2', true]);
    expect(parseRequestLine('del k --prev-kv').op).toEqual({ request_delete_range: { key: Buffer.from('k'), prev_kv: true } });
  });

  it('matches command-name prefixes like cobra', () => {
    expect(Object.keys(parseRequestLine('p k v').op)).toEqual(['request_put']);
    expect(Object.keys(parseRequestLine('g k').op)).toEqual(['request_range']);
    expect(Object.keys(parseRequestLine('de k').op)).toEqual(['request_delete_range']);
  });

  it('notes a del range without --range, as etcdctl does', () => {
    expect(parseRequestLine('del a b').warning).toMatch(/^In etcd v3\.6, the operation will be suspended/);
    expect(parseRequestLine('del a b --range').warning).toBeUndefined();
  });

  it('keeps raw bytes of escaped keys, also for --prefix', () => {
    const get = parseRequestLine('get "\\xff\\x01" --prefix').op.request_range!;
    expect([get.key, get.range_end]).toEqual([Buffer.from([0xff, 0x01]), Buffer.from([0xff, 0x02])]);
  });

  function failure(line: string) {
    let usage = '';
    try {
      parseRequestLine(line, { usage: (t) => (usage += t) });
    } catch (err) {
      if (err instanceof CtlError) return { code: err.exitCode, message: err.message, usage };
      throw err;
    }
    throw new Error(`parsed: ${line}`);
  }

  it.each([
    ['put', 3, 'invalid txn compare request: put'],
    ['get', 3, 'invalid txn compare request: get'],
    ['foo a b', 3, 'invalid txn request: foo a b'],
    ['--bogus put k v', 3, 'invalid txn request: --bogus put k v'],
    ['get -h k', 3, 'invalid txn request: get -h k'],
    ['help get', 3, 'invalid txn request: help get'],
    ['put "a\\q" v', 3, 'invalid syntax'],
    ['put a', 128, 'put command needs 1 argument and input from stdin or 2 arguments'],
    ['put --lease=zz k v', 128, 'bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex'],
    ['get k --consistency=x', 4, 'unknown consistency flag "x"'],
    ['get --prefix a b', 128, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set'],
    ['del k a b', 128, 'del command needs one argument as key and an optional argument as range_end'],
  ])('%s → exit %i', (line, code, message) => {
    const f = failure(line);
    expect([f.code, f.message, f.usage]).toEqual([code, message, '']);
  });

  it('prints cobra default usage of the command before a flag error', () => {
    const f = failure('put k3 v3 --bogus');
    expect(f.message).toBe('invalid txn request: put k3 v3 --bogus');
    expect(f.usage).toBe(
      'Usage:\n' +
        '   put [options] <key> <value> (<value> can also be given from stdin) [flags]\n\n' +
        'Flags:\n' +
        '  -h, --help           help for put\n' +
        '      --ignore-lease   updates the key using its current lease\n' +
        '      --ignore-value   updates the key using its current value\n' +
        '      --lease string   lease ID (in hexadecimal) to attach to the key (default "0")\n' +
        '      --prev-kv        return the previous key-value pair before modification\n\n',
    );
    expect(failure('get k -w json').usage).toMatch(/^Usage:\n   get \[options\] <key> \[range_end\] \[flags\]\n\nFlags:\n {6}--consistency string {3}Linearizable/);
    expect(failure('--a --b').usage).toMatch(/^Usage:\n {3}\[command\]\n\nAvailable Commands:\n {2}completion/);
  });

  it('lays out flags like pflag', () => {
    expect(pflagUsages(PUT_FLAGS.slice(0, 2))).toBe(
      '      --lease string   lease ID (in hexadecimal) to attach to the key (default "0")\n' +
        '      --prev-kv        return the previous key-value pair before modification\n',
    );
  });
});
