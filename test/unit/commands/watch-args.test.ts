// etcdctl's watch argument rules (parseWatchArgs, getWatchChan), quirks included.
import { describe, expect, it } from 'vitest';
import { buildWatchOptions, parseWatchCommandLine, parseWatchLine, type WatchFlags } from '../../../src/commands/watch.js';
import { CtlError } from '../../../src/common/errors.js';

const NO_FLAGS: WatchFlags = { prefix: false, rev: 0n, prevKv: false, progressNotify: false };

/** The positional arguments pflag leaves from `words` (everything after `--` included). */
function positionals(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return [...out, ...words.slice(i + 1)];
    if (w === '--rev') i++;
    else if (!w.startsWith('-')) out.push(w);
  }
  return out;
}

function commandLine(argv: string[], env: { key?: string; range?: string } = {}) {
  const at = argv.indexOf('watch');
  return parseWatchCommandLine(argv, positionals(argv.slice(at + 1)), env.key ?? '', env.range ?? '');
}

function errorOf(fn: () => unknown): { code: number; message: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof CtlError) return { code: err.exitCode, message: err.message };
    throw err;
  }
}

describe('parseWatchCommandLine', () => {
  it.each([
    [['watch', 'k'], { watchArgs: ['k'], execArgs: [] }],
    [['watch', 'k', 'end'], { watchArgs: ['k', 'end'], execArgs: [] }],
    [['watch', 'k', '--', 'echo', 'hi'], { watchArgs: ['k'], execArgs: ['echo', 'hi'] }],
    [['watch', '--rev', '3', 'k', 'end', '--', 'echo'], { watchArgs: ['k', 'end'], execArgs: ['echo'] }],
    // The words are cut at the last one equal to the command name.
    [['watch', 'k', '--', 'echo', 'echo'], { watchArgs: ['k', 'echo'], execArgs: ['echo', 'echo'] }],
    // Global flags before "watch" are not its arguments.
    [['--endpoints=x', 'watch', 'k'], { watchArgs: ['k'], execArgs: [] }],
    // Flags without a key pass here; getWatchChan rejects them later.
    [['watch', '--rev', '1'], { watchArgs: [], execArgs: [] }],
  ])('%j', (argv, expected) => {
    expect(commandLine(argv)).toEqual(expected);
  });

  it.each([
    [['watch'], 'bad number of arguments'],
    [['-w', 'json', 'watch'], 'bad number of arguments'],
    [['watch', '--'], 'bad number of arguments (found separator --, but no commands)'],
    [['watch', 'k', '--'], 'bad number of arguments (found separator --, but no commands)'],
  ])('%j fails', (argv, message) => {
    expect(errorOf(() => commandLine(argv))).toEqual({ code: 128, message });
  });

  it('takes the key and range end from the environment', () => {
    expect(commandLine(['watch'], { key: 'k', range: 'z' })).toEqual({ watchArgs: ['k', 'z'], execArgs: [] });
    expect(commandLine(['watch', '--', 'echo', '1'], { key: 'k' })).toEqual({ watchArgs: ['k'], execArgs: ['echo', '1'] });
    const conflict = { code: 128, message: 'bad number of arguments (found conflicting environment key)' };
    expect(errorOf(() => commandLine(['watch', 'a'], { key: 'k' }))).toEqual(conflict);
    expect(errorOf(() => commandLine(['watch', 'a', '--', 'echo'], { key: 'k' }))).toEqual(conflict);
  });
});

describe('parseWatchLine (interactive)', () => {
  it('takes flags from the line only', () => {
    expect(parseWatchLine(['watch', '--prefix', 'k', '--rev', '7', '--prev-kv'], '', '')).toEqual({
      watchArgs: ['k'],
      execArgs: [],
      flags: { prefix: true, rev: 7n, prevKv: true, progressNotify: false },
    });
    expect(parseWatchLine(['watch', 'k', '--progress-notify', '--', 'sh', '-c', 'x'], '', '')).toEqual({
      watchArgs: ['k'],
      execArgs: ['sh', '-c', 'x'],
      flags: { ...NO_FLAGS, progressNotify: true },
    });
  });

  it.each([
    [['watch', 'k', '--'], '', 'bad number of arguments (found separator --, but no commands)'],
    [['watch', 'k', '--bogus'], '', 'unknown flag: --bogus'],
    [['watch', '-w', 'json', 'k'], '', "unknown shorthand flag: 'w' in -w"],
    [['watch', '-h'], '', 'pflag: help requested'],
    [['watch', '--rev', '1'], '', 'bad number of arguments'],
    [['watch', 'k'], 'env', 'bad number of arguments (found conflicting environment key)'],
  ])('%j fails', (tokens, envKey, message) => {
    expect(errorOf(() => parseWatchLine(tokens, envKey, ''))).toEqual({ code: 128, message });
  });

  it('an exec command without key leaves no watch words', () => {
    expect(parseWatchLine(['watch', '--', 'echo'], '', '')).toEqual({ watchArgs: [], execArgs: ['echo'], flags: NO_FLAGS });
    expect(parseWatchLine(['watch', '--', 'echo'], 'k', 'z').watchArgs).toEqual(['k', 'z']);
  });
});

describe('buildWatchOptions', () => {
  const b = (s: string) => Buffer.from(s);
  it('builds key, range and prefix requests', () => {
    expect(buildWatchOptions([b('k')], { ...NO_FLAGS, rev: 5n, prevKv: true })).toEqual({
      key: b('k'),
      startRevision: 5n,
      prevKv: true,
      progressNotify: false,
    });
    expect(buildWatchOptions([b('a'), b('c')], NO_FLAGS).rangeEnd).toEqual(b('c'));
    // A third word disables the range.
    expect(buildWatchOptions([b('a'), b('c'), b('x')], NO_FLAGS).rangeEnd).toBeUndefined();
    expect(buildWatchOptions([b('ab')], { ...NO_FLAGS, prefix: true }).rangeEnd).toEqual(b('ac'));
    const all = buildWatchOptions([b('')], { ...NO_FLAGS, prefix: true });
    expect([all.key, all.rangeEnd]).toEqual([Buffer.from([0]), Buffer.from([0])]);
  });

  it('rejects what etcdctl rejects', () => {
    expect(() => buildWatchOptions([], NO_FLAGS)).toThrow('bad number of arguments');
    expect(() => buildWatchOptions([b('a'), b('b')], { ...NO_FLAGS, prefix: true })).toThrow('`range_end` and `--prefix` are mutually exclusive');
  });
});
