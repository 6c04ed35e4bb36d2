import { describe, expect, it } from 'vitest';
import { ShellWordsError, shellWords } from '../../../src/cli/shell-words.js';

describe('shellWords', () => {
  it.each([
    ['get foo', ['get', 'foo']],
    ['  get   foo\t--prefix  ', ['get', 'foo', '--prefix']],
    ['', []],
    ['# a comment', []],
    ['get a # trailing comment', ['get', 'a']],
    ['put a#b c', ['put', 'a#b', 'c']],
    ["put 'a b' 'it''s'", ['put', 'a b', 'its']],
    ['put "a b" "say \\"hi\\""', ['put', 'a b', 'say "hi"']],
    ['put "a\\nb" x', ['put', 'a\\nb', 'x']],
    ['put a\\ b c\\\\d', ['put', 'a b', 'c\\d']],
    ['put a"b c"d', ['put', 'ab cd']],
    ["put '' \"\"", ['put', '', '']],
    ['get "$HOME" *', ['get', '$HOME', '*']],
    ["put k 'é✓ \\ \"'", ['put', 'k', 'é✓ \\ "']],
  ])('%j', (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });

  it.each(['put "a', "put 'a", 'put a\\'])('rejects %j', (line) => {
    expect(() => shellWords(line)).toThrow(ShellWordsError);
  });
});
