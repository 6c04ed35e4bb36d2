import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { tabwrite, usageText } from '../../../src/cli/help.js';
import { etcdctlProgram } from '../../../src/commands/program.js';
import type { CtlCommand } from '../../../src/cli/command.js';

describe('tabwrite (text/tabwriter: minwidth 0, tabwidth 8, padding 1, padchar \\t)', () => {
  it.each([
    ['empty text', '', ''],
    ['lines without tabs pass through', 'a\nbb\n', 'a\nbb\n'],
    ['no trailing newline', 'a\tb', 'a\tb'],
    ['width = longest cell + 1, rounded up to 8', 'a\tx\naa\ty\n', 'a\tx\naa\ty\n'],
    ['7 characters + padding fill exactly one tab stop', 'abcdefg\tx\na\ty\n', 'abcdefg\tx\na\ty\n'],
    ['8 characters + padding need the next tab stop', 'abcdefgh\tx\na\ty\n', 'abcdefgh\tx\na\t\ty\n'],
    ['15 characters → 16-wide column', 'abcdefghijklmno\tx\na\ty\n', 'abcdefghijklmno\tx\na\t\ty\n'],
    ['16 characters → 24-wide column', 'abcdefghijklmnop\tx\na\ty\n', 'abcdefghijklmnop\tx\na\t\t\ty\n'],
    [
      'a line without tabs ends the column block',
      'a\tx\nno tabs here\nabcdefghijk\ty\n',
      'a\tx\nno tabs here\nabcdefghijk\ty\n',
    ],
    ['an empty line ends the column block too', 'a\tx\n\nabcdefghijk\ty\n', 'a\tx\n\nabcdefghijk\ty\n'],
    ['empty first column is padded with tabs', '\tx\nabcdefghij\ty\n', '\t\tx\nabcdefghij\ty\n'],
    ['only empty first cells', '\tx\n\ty\n', '\tx\n\ty\n'],
    [
      'the last cell of a line is not part of a column',
      'a\tb\tc\naaaaaaaaaa\tb\n',
      'a\t\tb\tc\naaaaaaaaaa\tb\n',
    ],
    ['width counts characters, not UTF-16 units', '😀😀😀😀😀😀😀\tx\na\ty\n', '😀😀😀😀😀😀😀\tx\na\ty\n'],
    ['multi-byte characters count once', '日本語\tx\nabcdefgh\ty\n', '日本語\t\tx\nabcdefgh\ty\n'],
    [
      // Go's tabwriter_test.go case "13a" (minwidth 8 does not change it: every column is ≥ 8).
      'nested column blocks (Go test 13a)',
      '4444\t日本語\t22\t1\t333\n' +
        '999999999\t22\n' +
        '7\t22\n' +
        '\t\t\t88888888\n' +
        '\n' +
        '666666\t666666\t666666\t4444\n' +
        '1\t1\t999999999\t0000000000\n',
      '4444\t\t日本語\t22\t1\t333\n' +
        '999999999\t22\n' +
        '7\t\t22\n' +
        '\t\t\t\t88888888\n' +
        '\n' +
        '666666\t666666\t666666\t\t4444\n' +
        '1\t1\t999999999\t0000000000\n',
    ],
  ])('%s', (_name, input, expected) => {
    expect(tabwrite(input)).toBe(expected);
  });
});

function commandNamed(root: CtlCommand, name: string): CtlCommand {
  const command = root.children.find((c) => c.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  return command;
}

describe('usageText matches `etcdctl <cmd> --help` of etcdctl 3.5.16', () => {
  // Golden files: `etcdctl <cmd> --help > test/fixtures/help/<cmd>.txt` with the real 3.5.16 binary.
  // The root help is not compared: it lists every command, and not all of them exist yet.
  it.each(['get', 'put', 'del', 'compaction', 'version', 'help'])('%s', (name) => {
    const golden = readFileSync(new URL(`../../fixtures/help/${name}.txt`, import.meta.url), 'utf8');
    expect(usageText(commandNamed(etcdctlProgram(), name))).toBe(golden);
  });
});
