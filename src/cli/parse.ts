// cobra's command lookup and pflag's flag parsing, reproduced because their quirks are visible
// to scripts: persistent flags anywhere, unambiguous command-name prefixes, `--flag=false` for
// booleans, `-wjson`, Go-typed values, and the exact error texts.
import { UsageError } from '../common/errors.js';
import { goQuote } from '../go/quote.js';
import type { CtlCommand } from './command.js';
import { type FlagSpec, type FlagValue, type ParsedFlag, defaultFlagValue, parseFlagValue } from '../flags/flag.js';

export interface ParsedCommandLine {
  command: CtlCommand;
  args: string[];
  flags: Map<string, ParsedFlag>;
  /** `-h`/`--help` was given, or the command only groups subcommands. */
  wantsHelp: boolean;
}


function takesNoValue(flag: FlagSpec | undefined): boolean {
  return flag?.kind === 'bool';
}

/** cobra's stripFlags: the words of args that may name subcommands. */
function commandWords(args: string[], flags: FlagSpec[]): string[] {
  const byLong = new Map(flags.map((f) => [f.name, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const words: string[] = [];
  const rest = [...args];
  while (rest.length > 0) {
    const s = rest.shift()!;
    if (s === '--') break;
    const longNeedsValue = s.startsWith('--') && !s.includes('=') && !takesNoValue(byLong.get(s.slice(2)));
    const shortNeedsValue = s.startsWith('-') && !s.includes('=') && s.length === 2 && !takesNoValue(byShort.get(s.slice(1)));
    if (longNeedsValue || shortNeedsValue) {
      // cobra quirk: a value-taking flag followed by a single word ends the search.
      if (rest.length <= 1) break;
      rest.shift();
      continue;
    }
    if (s !== '' && !s.startsWith('-')) words.push(s);
  }
  return words;
}

/** cobra's argsMinusFirstX: removes the first non-flag occurrence of the command word. */
function withoutWord(args: string[], word: string, flags: FlagSpec[]): string[] {
  const byLong = new Map(flags.map((f) => [f.name, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short!, f]));
  for (let pos = 0; pos < args.length; pos++) {
    const s = args[pos]!;
    if (s === '--') break;
    const longNeedsValue = s.startsWith('--') && !s.includes('=') && !takesNoValue(byLong.get(s.slice(2)));
    const shortNeedsValue = s.startsWith('-') && !s.includes('=') && s.length === 2 && !takesNoValue(byShort.get(s.slice(1)));
    if (longNeedsValue || shortNeedsValue) {
      pos++;
      continue;
    }
    if (!s.startsWith('-') && s === word) return [...args.slice(0, pos), ...args.slice(pos + 1)];
  }
  return args;
}

/** cobra's findNext with prefix matching enabled: exact name, else a unique prefix. */
export function findChild(cmd: CtlCommand, word: string): CtlCommand | undefined {
  const prefixMatches: CtlCommand[] = [];
  for (const child of cmd.children) {
    if (child.name() === word) return child;
    // etcdctl-ts's own commands only by their full name: `etcdctl k` stays etcdctl's unknown command,
    // and they never make an etcdctl prefix ambiguous (`lo` stays lock, not load).
    if (child.name().startsWith(word) && !child.extraCommand) prefixMatches.push(child);
  }
  return prefixMatches.length === 1 ? prefixMatches[0] : undefined;
}

/** Levenshtein distance, case-insensitive as cobra computes it for suggestions. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const row = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (s[i - 1] === t[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[t.length]!;
}

/** cobra's "Did you mean this?" block (empty when nothing is close). */
function suggestionsFor(cmd: CtlCommand, typed: string): string {
  const names = cmd.children
    .filter((c) => !c.hiddenCommand && c.name() !== 'help')
    .filter((c) => editDistance(typed, c.name()) <= 2 || c.name().toLowerCase().startsWith(typed.toLowerCase()))
    .map((c) => c.name());
  if (names.length === 0) return '';
  return `\n\nDid you mean this?\n${names.map((n) => `\t${n}\n`).join('')}`;
}

/**
 * The flags cobra knows while it looks for the command: cobra adds -h/--help only after Find, so
 * there `-h`/`--help` count as unknown flags that take a value (`etcdctl -h get` is the root's help).
 */
function lookupFlags(command: CtlCommand): FlagSpec[] {
  return [...command.ownFlags, ...command.inheritedFlags()];
}

/** Finds the command named by argv (cobra's Find), returning it and the remaining args. */
export function findCommand(root: CtlCommand, argv: string[]): { command: CtlCommand; rest: string[] } {
  let command = root;
  let rest = argv;
  for (let depth = 0; depth < 16; depth++) {
    const words = commandWords(rest, lookupFlags(command));
    const next = words[0];
    if (next === undefined) break;
    const child = findChild(command, next);
    if (!child) break;
    rest = withoutWord(rest, next, lookupFlags(command));
    command = child;
  }
  // cobra's legacyArgs: only the root rejects an unknown subcommand word.
  if (command === root && root.children.length > 0) {
    const leftover = commandWords(rest, lookupFlags(root));
    if (leftover.length > 0) {
      const word = leftover[0]!;
      throw new UsageError(`unknown command ${goQuote(word)} for "${root.name()}"${suggestionsFor(root, word)}`, {
        kind: 'hint',
        commandPath: root.commandPath(),
      });
    }
  }
  return { command, rest };
}

/** pflag's FlagSet.Parse over the command's flags (interspersed positionals allowed). */
export function parseFlags(command: CtlCommand, argv: string[]): ParsedCommandLine {
  const specs = command.allFlags();
  const byLong = new Map(specs.map((f) => [f.name, f]));
  const byShort = new Map(specs.filter((f) => f.short).map((f) => [f.short!, f]));
  const flags = new Map<string, ParsedFlag>(specs.map((f) => [f.name, { spec: f, value: defaultFlagValue(f), changed: false }]));
  const args: string[] = [];
  const usageError = (message: string) => new UsageError(message, { kind: 'usage', commandPath: command.pathFromRoot() });

  const set = (spec: FlagSpec, text: string) => {
    const current = flags.get(spec.name)!;
    try {
      flags.set(spec.name, { spec, value: parseFlagValue(spec, text, current.value, current.changed), changed: true });
    } catch (err) {
      const name = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
      throw usageError(`invalid argument ${goQuote(text)} for ${goQuote(name)} flag: ${(err as Error).message}`);
    }
  };

  const rest = [...argv];
  while (rest.length > 0) {
    const s = rest.shift()!;
    if (s.length <= 1 || !s.startsWith('-')) {
      args.push(s);
      continue;
    }
    if (s === '--') {
      args.push(...rest);
      break;
    }
    if (s.startsWith('--')) {
      const body = s.slice(2);
      if (body === '' || body.startsWith('-') || body.startsWith('=')) throw usageError(`bad flag syntax: ${s}`);
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const spec = byLong.get(name);
      if (!spec) throw usageError(`unknown flag: --${name}`);
      if (eq !== -1) set(spec, body.slice(eq + 1));
      else if (spec.kind === 'bool') set(spec, 'true');
      else if (rest.length > 0) set(spec, rest.shift()!);
      else throw usageError(`flag needs an argument: ${s}`);
      continue;
    }
    // A run of shorthands, e.g. -hw json, -wjson, -w=json.
    let shorthands = s.slice(1);
    while (shorthands.length > 0) {
      const c = shorthands[0]!;
      const spec = byShort.get(c);
      if (!spec) throw usageError(`unknown shorthand flag: '${c}' in -${shorthands}`);
      if (shorthands.length > 2 && shorthands[1] === '=') {
        set(spec, shorthands.slice(2));
        shorthands = '';
      } else if (spec.kind === 'bool') {
        set(spec, 'true');
        shorthands = shorthands.slice(1);
      } else if (shorthands.length > 1) {
        set(spec, shorthands.slice(1));
        shorthands = '';
      } else if (rest.length > 0) {
        set(spec, rest.shift()!);
        shorthands = '';
      } else {
        throw usageError(`flag needs an argument: '${c}' in -${shorthands}`);
      }
    }
  }
  const wantsHelp = flags.get('help')?.value === true || !command.runnable;
  return { command, args, flags, wantsHelp };
}

export function parseCommandLine(root: CtlCommand, argv: string[]): ParsedCommandLine {
  const { command, rest } = findCommand(root, argv);
  return parseFlags(command, rest);
}
