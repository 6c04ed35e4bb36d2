// argify: how a txn request line is split into words (etcdctl's util.go), with the 3.5.28 fix
// for single quotes. Expected words were checked against etcdctl 3.5.16 where it is not buggy.
import { describe, expect, it } from 'vitest';
import { CtlError } from '../../../src/common/errors.js';
import { bytesOfToken, hasRawBytes } from '../../../src/common/byte-strings.js';
import { tokenize } from '../../../src/txn/tokenize.js';
import { goUnquoteDouble } from '../../../src/go/quote.js';

describe('tokenize', () => {
  it.each([
    ['plain words', 'put k v', ['put', 'k', 'v']],
    ['runs of spaces and tabs', 'get  k\tz', ['get', 'k', 'z']],
    ['double quotes keep spaces', 'put "a b" c', ['put', 'a b', 'c']],
    ['double quotes unescape', 'put k "x\\ny\\t\\"q\\""', ['put', 'k', 'x\ny\t"q"']],
    ['hex, unicode and octal escapes', 'put "\\x41\\u00e9\\101" v', ['put', 'AéA', 'v']],
    ['single quotes are literal (3.5.28+)', "put 'sq' 'single quoted'", ['put', 'sq', 'single quoted']],
    ['single quotes keep backslashes', "put k 'a\\nb'", ['put', 'k', 'a\\nb']],
    ['empty quoted strings are words', `put "" ''`, ['put', '', '']],
    ['a quote inside a word does not split it', 'put a"b c"d', ['put', 'a"b', 'c"d']],
    ['an unmatched quote is skipped', 'put "abc v', ['put', 'abc', 'v']],
    ['a quoted word ends where the quote closes', 'put "ab"cd', ['put', 'ab', 'cd']],
    ['flags are words', 'put k v --lease=1a --prev-kv', ['put', 'k', 'v', '--lease=1a', '--prev-kv']],
    ['double-dash', 'put k -- -v', ['put', 'k', '--', '-v']],
    ['non-ASCII words', 'put clé välue', ['put', 'clé', 'välue']],
  ])('%s', (_name, line, words) => {
    expect(tokenize(line)).toEqual(words);
  });

  it.each([
    ['unknown escape', 'put "a\\q" v'],
    ['escaped single quote in double quotes', `put "it\\'s" v`],
    ['short hex escape', 'put "\\x4" v'],
    ['octal above 255', 'put "\\400" v'],
    ['surrogate code point', 'put "\\ud800" v'],
  ])('rejects a bad double-quoted word: %s → invalid syntax, exit 3', (_name, line) => {
    let error: unknown;
    try {
      tokenize(line);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CtlError);
    expect((error as CtlError).exitCode).toBe(3);
    expect((error as CtlError).message).toBe('invalid syntax');
  });

  it('keeps bytes that are not UTF-8', () => {
    const [, key, value] = tokenize('put "\\xff\\x01" "\\xc3\\xa9\\xfe"');
    expect(hasRawBytes(key!)).toBe(true);
    expect(bytesOfToken(key!)).toEqual(Buffer.from([0xff, 0x01]));
    expect(bytesOfToken(value!)).toEqual(Buffer.from([0xc3, 0xa9, 0xfe]));
    expect(hasRawBytes('é😀')).toBe(false);
  });
});

describe('goUnquoteDouble', () => {
  it.each([
    ['"abc"', 'abc'],
    ['"\\a\\b\\f\\n\\r\\t\\v\\\\\\""', '\x07\b\f\n\r\t\v\\"'],
    ['"\\U0001F600"', '😀'],
    ["\"it's\"", "it's"],
  ])('%s', (literal, text) => {
    expect(goUnquoteDouble(literal).toString('utf8')).toBe(text);
  });
});
