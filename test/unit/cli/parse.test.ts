import { describe, it, expect } from 'vitest';
import { CtlCommand } from '../../../src/cli/command.js';
import { GLOBAL_FLAGS } from '../../../src/cli/global-flags.js';
import { findChild, findCommand, parseCommandLine } from '../../../src/cli/parse.js';
import { type FlagValue } from '../../../src/flags/flag.js';
import { etcdctlProgram } from '../../../src/commands/program.js';
import { UsageError } from '../../../src/common/errors.js';

// Expectations were checked against etcdctl 3.5.16 (cobra 1.8 / pflag): the error texts are what it
// prints after `Error: `, the command is the one whose usage or help it prints.

function parse(argv: string[]) {
  const parsed = parseCommandLine(etcdctlProgram(), argv);
  return {
    command: parsed.command.pathFromRoot().join(' '),
    args: parsed.args,
    wantsHelp: parsed.wantsHelp,
    value: (name: string): FlagValue | undefined => parsed.flags.get(name)?.value,
    changed: (name: string): boolean | undefined => parsed.flags.get(name)?.changed,
  };
}

function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('command lookup (cobra Find) over etcdctlProgram()', () => {
  it.each([
    [['get', 'k'], 'get', ['k']],
    [['ver'], 'version', []],
    [['vers', 'x'], 'version', ['x']],
    [['g', 'k'], 'get', ['k']],
    [['del', 'k'], 'del', ['k']],
    [['--endpoints=a:1', 'get', 'k'], 'get', ['k']],
    [['--endpoints', 'a:1', 'get', 'k'], 'get', ['k']],
    [['-w', 'json', 'get', 'k'], 'get', ['k']],
    [['--hex', 'get', 'k'], 'get', ['k']],
    [['--hex=false', 'get', 'k'], 'get', ['k']],
    [['get', '--', 'put'], 'get', ['put']],
    [['help', 'get'], 'help', ['get']],
    [['he'], 'help', []],
    [['version', 'get'], 'version', ['get']],
    // A value-taking flag followed by a single word ends cobra's search (stripFlags quirk):
    // "get" is the --endpoints value and the root prints its help.
    [['--endpoints', 'get'], '', []],
    // `--` stops the search at the root.
    [['--', 'get', 'k'], '', ['get', 'k']],
    // An empty word is not a command name.
    [[''], '', ['']],
    [[], '', []],
  ])('%j → %j %j', (argv, command, args) => {
    const parsed = parse(argv);
    expect(parsed.command).toBe(command);
    expect(parsed.args).toEqual(args);
  });

  it('-h/--help are unknown to the lookup (cobra adds them after Find): `-h get` is the root help', () => {
    for (const help of ['-h', '--help']) {
      const parsed = parse([help, 'get']);
      expect(parsed.command).toBe('');
      expect(parsed.wantsHelp).toBe(true);
      expect(parsed.args).toEqual(['get']);
    }
    // With `=` the flag cannot swallow the next word.
    expect(parse(['-h=true', 'get']).command).toBe('get');
    expect(parse(['get', '-h', 'k']).command).toBe('get');
  });

  it.each([
    [['xyzzy'], 'unknown command "xyzzy" for "etcdctl"'],
    [['gett'], 'unknown command "gett" for "etcdctl"\n\nDid you mean this?\n\tget\n'],
    [['ptu'], 'unknown command "ptu" for "etcdctl"\n\nDid you mean this?\n\tput\n'],
    // Name matching is case-sensitive, suggestions are not.
    [['GET'], 'unknown command "GET" for "etcdctl"\n\nDid you mean this?\n\tget\n\tput\n\tdel\n'],
    [['--hex', 'xyzzy', 'k'], 'unknown command "xyzzy" for "etcdctl"'],
    [['-w', 'json', 'xyzzy'], 'unknown command "xyzzy" for "etcdctl"'],
    // `-h` takes "get" as its value during the lookup, so "k" is the command word.
    [['-h', 'get', 'k'], 'unknown command "k" for "etcdctl"'],
    [['--help', 'get', 'k'], 'unknown command "k" for "etcdctl"'],
    // cobra quotes with %q (strconv.Quote).
    [['x\x01y'], 'unknown command "x\\x01y" for "etcdctl"'],
  ])('%j → %j', (argv, message) => {
    const err = usageErrorOf(() => parseCommandLine(etcdctlProgram(), argv));
    expect(err.message).toBe(message);
    expect(err.followUp).toEqual({ kind: 'hint', commandPath: 'etcdctl' });
  });
});

/** A root with etcdctl 3.5.16's top-level commands in registration order (cobra adds help, then completion). */
function etcdctlTree(): CtlCommand {
  const root = CtlCommand.fromSpec({ name: 'etcdctl', use: 'etcdctl', short: 'A simple command line client for etcd3.' });
  for (const flag of GLOBAL_FLAGS) root.addFlag(flag);
  const run = async () => {};
  const names = ['get', 'put', 'del', 'txn', 'compaction', 'alarm', 'defrag', 'endpoint', 'move-leader', 'watch', 'version', 'lease'];
  for (const name of names) root.add(CtlCommand.fromSpec({ name, use: name, short: name, run }));
  const member = CtlCommand.fromSpec({ name: 'member', use: 'member <subcommand>', short: 'Membership related commands' });
  for (const name of ['add', 'remove', 'update', 'list', 'promote']) member.add(CtlCommand.fromSpec({ name, use: name, short: name, run }));
  root.add(member);
  for (const name of ['snapshot', 'make-mirror', 'lock', 'elect', 'auth', 'user', 'role', 'check', 'help', 'completion']) {
    root.add(CtlCommand.fromSpec({ name, use: name, short: name, run }));
  }
  return root;
}

describe('unknown commands and suggestions, over the full 3.5.16 command list', () => {
  // Each message is the text after `Error: ` that etcdctl 3.5.16 prints for `etcdctl <word>`.
  it.each([
    ['m', ['move-leader', 'member', 'make-mirror']],
    ['c', ['compaction', 'check', 'completion']],
    ['comp', ['compaction', 'completion']],
    ['e', ['get', 'del', 'endpoint', 'elect']],
    ['l', ['del', 'lease', 'lock']],
    ['a', ['alarm', 'auth']],
    ['d', ['del', 'defrag']],
    ['x', ['txn']],
    ['dle', ['del', 'role']],
    ['memeber', ['member']],
    ['lok', ['lock']],
    ['GET', ['get', 'put', 'del']],
    ['Ver', ['get', 'del', 'version', 'user']],
    ['xyzzy', []],
  ])('%j suggests %j', (word, suggestions) => {
    const err = usageErrorOf(() => findCommand(etcdctlTree(), [word]));
    const block = suggestions.length === 0 ? '' : `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`;
    expect(err.message).toBe(`unknown command "${word}" for "etcdctl"${block}`);
    expect(err.followUp).toEqual({ kind: 'hint', commandPath: 'etcdctl' });
  });

  it.each([
    [['s'], ['snapshot'], []],
    [['mem', 'lis'], ['member', 'list'], []],
    [['member', 'list', '-w', 'json'], ['member', 'list'], ['-w', 'json']],
    [['h'], ['help'], []],
    [['r'], ['role'], []],
    // Below the root an unknown word is an argument, not an error (the parent prints its help).
    [['member', 'xyz'], ['member'], ['xyz']],
    // `-h` swallows "list" during the lookup: `etcdctl member -h list` prints member's help.
    [['member', '-h', 'list'], ['member'], ['-h', 'list']],
    [['--endpoints', 'x', 'member', '-w', 'json', '-h', 'list'], ['member'], ['--endpoints', 'x', '-w', 'json', '-h', 'list']],
  ])('%j → %j', (argv, path, rest) => {
    const found = findCommand(etcdctlTree(), argv);
    expect(found.command.pathFromRoot()).toEqual(path);
    expect(found.rest).toEqual(rest);
  });

  it('findChild prefers an exact name, and needs a unique prefix otherwise', () => {
    const root = CtlCommand.fromSpec({ name: 'r', use: 'r', short: 'r' });
    const run = async () => {};
    root.add(CtlCommand.fromSpec({ name: 'get', use: 'get', short: '', run }), CtlCommand.fromSpec({ name: 'getx', use: 'getx', short: '', run }));
    expect(findChild(root, 'get')?.name()).toBe('get');
    expect(findChild(root, 'getx')?.name()).toBe('getx');
    expect(findChild(root, 'ge')).toBeUndefined();
    expect(findChild(root, 'gets')).toBeUndefined();
  });

  it("findChild: etcdctl-ts's own commands never make an etcdctl command's prefix ambiguous", () => {
    const tree = etcdctlProgram();
    expect(findChild(tree, 'lo')?.name()).toBe('lock');
    expect(findChild(tree, 's')?.name()).toBe('snapshot');
    // … and are found only by their full name, as etcdctl finds no command there.
    expect(findChild(tree, 'loa')).toBeUndefined();
    expect(findChild(tree, 'sh')).toBeUndefined();
    expect(findChild(tree, 'du')).toBeUndefined();
    expect(findChild(tree, 'load')?.name()).toBe('load');
    expect(findChild(tree, 'shell')?.name()).toBe('shell');
  });

  it('removes the command word, not an equal flag value before it', () => {
    // `--user get`: "get" is the value of --user; the command word is the second "get".
    const found = findCommand(etcdctlTree(), ['--user', 'get', '-w', 'json', 'get', 'k']);
    expect(found.command.name()).toBe('get');
    expect(found.rest).toEqual(['--user', 'get', '-w', 'json', 'k']);
  });
});

describe('flag parsing (pflag)', () => {
  it('global flags are accepted before, after and among the arguments', () => {
    for (const argv of [
      ['--endpoints=a:1,b:2', 'get', 'k', 'z'],
      ['get', '--endpoints=a:1,b:2', 'k', 'z'],
      ['get', 'k', '--endpoints', 'a:1,b:2', 'z'],
      ['get', 'k', 'z', '--endpoints', 'a:1,b:2'],
    ]) {
      const parsed = parse(argv);
      expect(parsed.command).toBe('get');
      expect(parsed.args).toEqual(['k', 'z']);
      expect(parsed.value('endpoints')).toEqual(['a:1', 'b:2']);
      expect(parsed.changed('endpoints')).toBe(true);
    }
  });

  it('defaults are not "changed"', () => {
    const parsed = parse(['get', 'k']);
    expect(parsed.value('endpoints')).toEqual(['127.0.0.1:2379']);
    expect(parsed.changed('endpoints')).toBe(false);
    expect(parsed.value('dial-timeout')).toBe('2000000000');
    expect(parsed.value('insecure-transport')).toBe(true);
    expect(parsed.value('write-out')).toBe('simple');
    expect(parsed.value('limit')).toBe(0n);
    expect(parsed.value('consistency')).toBe('l');
  });

  it.each([
    [['get', '-wjson', 'k']],
    [['get', '-w=json', 'k']],
    [['get', '-w', 'json', 'k']],
    [['get', '--write-out=json', 'k']],
    [['get', '--write-out', 'json', 'k']],
    [['-w', 'json', 'get', 'k']],
    [['get', 'k', '-w', 'json']],
  ])('%j sets --write-out', (argv) => {
    const parsed = parse(argv);
    expect(parsed.value('write-out')).toBe('json');
    expect(parsed.args).toEqual(['k']);
  });

  it.each([
    [['get', '--hex', 'k'], true, ['k']],
    [['get', '--hex=true', 'k'], true, ['k']],
    [['get', '--hex=T', 'k'], true, ['k']],
    [['get', '--hex=1', 'k'], true, ['k']],
    [['get', '--hex=false', 'k'], false, ['k']],
    [['get', '--hex=0', 'k'], false, ['k']],
    [['get', '--hex=False', 'k'], false, ['k']],
    // A boolean never takes the next argument.
    [['get', '--hex', 'false'], true, ['false']],
    [['get', 'k', '--hex', 'true', 'z'], true, ['k', 'true', 'z']],
  ])('%j: --hex = %s, args %j', (argv, hex, args) => {
    const parsed = parse(argv);
    expect(parsed.value('hex')).toBe(hex);
    expect(parsed.changed('hex')).toBe(true);
    expect(parsed.args).toEqual(args);
  });

  it('bool flags of a command do not take the next argument either', () => {
    const parsed = parse(['put', '--prev-kv', 'k', 'v']);
    expect(parsed.value('prev-kv')).toBe(true);
    expect(parsed.args).toEqual(['k', 'v']);
  });

  it.each([
    [['get', '-hw', 'json'], { help: true, 'write-out': 'json' }, []],
    [['get', '-hwjson', 'k'], { help: true, 'write-out': 'json' }, ['k']],
    [['get', '-wh', 'k'], { help: false, 'write-out': 'h' }, ['k']],
    [['get', '-hh'], { help: true }, []],
    [['get', '-w='], { 'write-out': '=' }, []],
    [['get', '-w=', 'k'], { 'write-out': '=' }, ['k']],
    [['get', '-w==x'], { 'write-out': '=x' }, []],
    [['get', '--write-out='], { 'write-out': '' }, []],
    [['get', '-d', 'example.com'], { 'discovery-srv': 'example.com' }, []],
    [['get', '-dexample.com'], { 'discovery-srv': 'example.com' }, []],
    [['get', '-h=false', 'k'], { help: false }, ['k']],
  ])('shorthands %j', (argv, values, args) => {
    const parsed = parse(argv);
    for (const [name, value] of Object.entries(values)) expect(parsed.value(name)).toEqual(value);
    expect(parsed.args).toEqual(args);
  });

  it('-h anywhere asks for the command help', () => {
    expect(parse(['get', 'k', '-h']).wantsHelp).toBe(true);
    expect(parse(['get', '--help', 'k']).wantsHelp).toBe(true);
    expect(parse(['get', 'k']).wantsHelp).toBe(false);
    // Commands that only group subcommands (here the root) always print their help.
    expect(parse([]).wantsHelp).toBe(true);
    expect(parse(['--hex']).wantsHelp).toBe(true);
  });

  it.each([
    [['put', '--', 'key', '-value'], ['key', '-value']],
    [['put', 'key', '--', '-value'], ['key', '-value']],
    [['put', '--', '-key', '--lease=1'], ['-key', '--lease=1']],
    [['put', 'k', '--', '--', 'v'], ['k', '--', 'v']],
    [['--', 'put', 'k'], ['put', 'k']],
  ])('`--` ends flag parsing: %j → %j', (argv, args) => {
    const parsed = parse(argv);
    expect(parsed.args).toEqual(args);
    expect(parsed.value('lease')).toBe(argv[0] === 'put' ? '0' : undefined);
  });

  it.each([
    [['get', '-', 'k'], ['-', 'k']],
    [['get', '', 'k'], ['', 'k']],
    [['get', 'b', 'a', '--prefix', 'c'], ['b', 'a', 'c']],
    [['get', 'a', '--limit', '5', 'b', '--', 'c', '-d'], ['a', 'b', 'c', '-d']],
  ])('positional order is preserved: %j → %j', (argv, args) => {
    expect(parse(argv).args).toEqual(args);
  });

  it('parses typed values', () => {
    const parsed = parse(['get', 'k', '--limit', '0x10', '--rev=010', '--dial-timeout', '1h2m3.5s', '--command-timeout=500ms']);
    expect(parsed.value('limit')).toBe(16n);
    expect(parsed.value('rev')).toBe(8n);
    expect(parsed.value('dial-timeout')).toBe('3723500000000');
    expect(parsed.value('command-timeout')).toBe('500000000');
  });

  it.each([
    [['get', '--endpoints=a,b', '--endpoints', 'c'], ['a', 'b', 'c']],
    [['--endpoints=a', 'get', '--endpoints=b,c', 'k'], ['a', 'b', 'c']],
    [['get', '--endpoints', '"x,y",z'], ['x,y', 'z']],
    [['get', '--endpoints='], []],
    [['get', '--endpoints=', '--endpoints=a'], ['a']],
    [['get', '--endpoints=a', '--endpoints='], ['a']],
  ])('string slices: the first use replaces the default, later ones append: %j', (argv, endpoints) => {
    expect(parse(argv).value('endpoints')).toEqual(endpoints);
  });
});

describe('flag errors', () => {
  it.each([
    [['get', '--bogus'], 'unknown flag: --bogus', ['get']],
    [['get', '--bogus=1', 'k'], 'unknown flag: --bogus', ['get']],
    [['get', '--h'], 'unknown flag: --h', ['get']],
    [['get', '--Hex'], 'unknown flag: --Hex', ['get']],
    [['--bogus', 'get'], 'unknown flag: --bogus', []],
    [['put', 'k', '--prefix'], 'unknown flag: --prefix', ['put']],
    [['get', '-c'], "unknown shorthand flag: 'c' in -c", ['get']],
    [['get', '-ch'], "unknown shorthand flag: 'c' in -ch", ['get']],
    [['get', '-hc'], "unknown shorthand flag: 'c' in -c", ['get']],
    [['get', '-x=1'], "unknown shorthand flag: 'x' in -x=1", ['get']],
    [['get', '-=x'], "unknown shorthand flag: '=' in -=x", ['get']],
    [['get', '-W', 'json'], "unknown shorthand flag: 'W' in -W", ['get']],
    [['compaction', '-5'], "unknown shorthand flag: '5' in -5", ['compaction']],
    [['get', 'k', '--endpoints'], 'flag needs an argument: --endpoints', ['get']],
    [['--endpoints'], 'flag needs an argument: --endpoints', []],
    [['get', '--consistency'], 'flag needs an argument: --consistency', ['get']],
    [['get', '-w'], "flag needs an argument: 'w' in -w", ['get']],
    [['get', '-d'], "flag needs an argument: 'd' in -d", ['get']],
    [['get', '-hd'], "flag needs an argument: 'd' in -d", ['get']],
    [['get', '---x'], 'bad flag syntax: ---x', ['get']],
    [['get', '--=x'], 'bad flag syntax: --=x', ['get']],
    [['get', '--='], 'bad flag syntax: --=', ['get']],
    [['get', '--dial-timeout=abc', 'k'], 'invalid argument "abc" for "--dial-timeout" flag: time: invalid duration "abc"', ['get']],
    [['get', '--dial-timeout', '5', 'k'], 'invalid argument "5" for "--dial-timeout" flag: time: missing unit in duration "5"', ['get']],
    [['get', '--dial-timeout', '1x', 'k'], 'invalid argument "1x" for "--dial-timeout" flag: time: unknown unit "x" in duration "1x"', ['get']],
    [
      ['get', '--dial-timeout=1µx', 'k'],
      'invalid argument "1µx" for "--dial-timeout" flag: time: unknown unit "\\xc2\\xb5x" in duration "1\\xc2\\xb5x"',
      ['get'],
    ],
    [['get', '--hex=maybe', 'k'], 'invalid argument "maybe" for "--hex" flag: strconv.ParseBool: parsing "maybe": invalid syntax', ['get']],
    [['get', '--hex=\x01'], 'invalid argument "\\x01" for "--hex" flag: strconv.ParseBool: parsing "\\x01": invalid syntax', ['get']],
    // A flag with a shorthand is named "-h, --help" in the message.
    [['get', '-h=maybe'], 'invalid argument "maybe" for "-h, --help" flag: strconv.ParseBool: parsing "maybe": invalid syntax', ['get']],
    [['get', '--help=maybe'], 'invalid argument "maybe" for "-h, --help" flag: strconv.ParseBool: parsing "maybe": invalid syntax', ['get']],
    [['get', '--limit=1.5'], 'invalid argument "1.5" for "--limit" flag: strconv.ParseInt: parsing "1.5": invalid syntax', ['get']],
    [['get', '--limit', '5x', 'k'], 'invalid argument "5x" for "--limit" flag: strconv.ParseInt: parsing "5x": invalid syntax', ['get']],
    [
      ['get', '--limit=9223372036854775808'],
      'invalid argument "9223372036854775808" for "--limit" flag: strconv.ParseInt: parsing "9223372036854775808": value out of range',
      ['get'],
    ],
    [
      ['get', '--limit=\x01\x7f\t'],
      'invalid argument "\\x01\\x7f\\t" for "--limit" flag: strconv.ParseInt: parsing "\\x01\\x7f\\t": invalid syntax',
      ['get'],
    ],
    [
      ['get', '--endpoints=a"b', 'k'],
      'invalid argument "a\\"b" for "--endpoints" flag: parse error on line 1, column 2: bare " in non-quoted-field',
      ['get'],
    ],
    [
      ['get', '--endpoints="ab"c', 'k'],
      'invalid argument "\\"ab\\"c" for "--endpoints" flag: parse error on line 1, column 4: extraneous or missing " in quoted-field',
      ['get'],
    ],
    [['get', '--endpoints=\n'], 'invalid argument "\\n" for "--endpoints" flag: EOF', ['get']],
    // The first error wins; later arguments are not looked at.
    [['get', '--bogus', '--hex=maybe'], 'unknown flag: --bogus', ['get']],
    [['version', '--bogus'], 'unknown flag: --bogus', ['version']],
    [['help', '--bogus'], 'unknown flag: --bogus', ['help']],
  ])('%j → %j', (argv, message, commandPath) => {
    const err = usageErrorOf(() => parseCommandLine(etcdctlProgram(), argv));
    expect(err.message).toBe(message);
    expect(err.followUp).toEqual({ kind: 'usage', commandPath });
  });

  it('flag errors below a group name the full command path', () => {
    const err = usageErrorOf(() => parseCommandLine(etcdctlTree(), ['mem', 'lis', '--bogus']));
    expect(err.message).toBe('unknown flag: --bogus');
    expect(err.followUp).toEqual({ kind: 'usage', commandPath: ['member', 'list'] });
  });
});
