// Shell completion, answered by the program itself over the command tree, so every command,
// subcommand and flag is covered as soon as it is registered. The request/answer protocol is
// cobra's (etcdctl 3.5.16 has it too):
//
//   etcdctl-ts __complete <words before the cursor...> <word being completed>
//   → one candidate per line ("value\tdescription"; no description with __completeNoDesc),
//     then ":<directive>" (a bit set, Directive below); a note on stderr.
//
// Static answers (subcommands, flags, fixed flag values) match etcdctl's own `__complete` output.
// On top, live values come from the cluster named by the command line (keys, lease IDs, member
// IDs, users, roles) and profile names from the config file. Those need the gRPC client, which
// is imported only then (dynamic.ts); any failure there just gives no candidates.
import type { CtlCommand } from '../command.js';
import type { FlagSpec } from '../../flags/flag.js';
import { findChild, findCommand } from '../parse.js';
import type { Env } from '../../config/resolve.js';
import { OUTPUT_FORMATS } from '../../output/format-names.js';
import { profileNames } from '../../config/profiles.js';
import type { Io } from '../../io/types.js';

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

const DIRECTIVE_NAMES: [number, string][] = [
  [Directive.Error, 'ShellCompDirectiveError'],
  [Directive.NoSpace, 'ShellCompDirectiveNoSpace'],
  [Directive.NoFileComp, 'ShellCompDirectiveNoFileComp'],
  [Directive.FilterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [Directive.FilterDirs, 'ShellCompDirectiveFilterDirs'],
  [Directive.KeepOrder, 'ShellCompDirectiveKeepOrder'],
];

export interface Candidate {
  value: string;
  description?: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

/** Live values a completion may need; `context` describes the cluster the command line names. */
export type LiveKind = 'key' | 'lease' | 'member' | 'user' | 'role';

export interface LiveContext {
  command: CtlCommand;
  /** The words after the command path (flags and arguments), before the word being completed. */
  rest: string[];
  env: Env;
}

export type LiveSource = (kind: LiveKind, toComplete: string, context: LiveContext) => Promise<Candidate[]>;

/** What a positional argument holds, by command path and position (the last entry repeats when `repeatLast`). */
type ArgKind = LiveKind | 'none' | 'file' | 'permType';

interface ArgHints {
  args: ArgKind[];
  repeatLast?: boolean;
}

const ARG_HINTS: Record<string, ArgHints> = {
  get: { args: ['key', 'key'] },
  put: { args: ['key', 'none'] },
  del: { args: ['key', 'key'] },
  watch: { args: ['key', 'key'] },
  ls: { args: ['key'] },
  dump: { args: ['key'] },
  edit: { args: ['key'] },
  load: { args: ['file'] },
  diff: { args: ['file'] },
  shell: { args: [] },
  'lease revoke': { args: ['lease'] },
  'lease timetolive': { args: ['lease'] },
  'lease keep-alive': { args: ['lease'] },
  'lease grant': { args: ['none'] },
  'member remove': { args: ['member'] },
  'member update': { args: ['member'] },
  'member promote': { args: ['member'] },
  'member add': { args: ['none'] },
  'move-leader': { args: ['member'] },
  'user add': { args: ['none'] },
  'user get': { args: ['user'] },
  'user delete': { args: ['user'] },
  'user passwd': { args: ['user'] },
  'user grant-role': { args: ['user', 'role'] },
  'user revoke-role': { args: ['user', 'role'] },
  'role add': { args: ['none'] },
  'role get': { args: ['role'] },
  'role delete': { args: ['role'] },
  'role grant-permission': { args: ['role', 'permType', 'key', 'key'] },
  'role revoke-permission': { args: ['role', 'key', 'key'] },
  'snapshot save': { args: ['file'] },
  'snapshot status': { args: ['file'] },
  'snapshot restore': { args: ['file'] },
  compaction: { args: ['none'] },
  'make-mirror': { args: ['none'] },
  lock: { args: ['none'], repeatLast: true },
  elect: { args: ['none', 'none'] },
  txn: { args: [] },
  version: { args: [] },
};

/** Fixed values of flags, by flag name (and command path when the name alone is ambiguous). */
const FLAG_VALUES: Record<string, Candidate[]> = {
  consistency: [
    { value: 'l', description: 'Linearizable' },
    { value: 's', description: 'Serializable' },
  ],
  order: [{ value: 'ASCEND' }, { value: 'DESCEND' }],
  'sort-by': ['CREATE', 'KEY', 'MODIFY', 'VALUE', 'VERSION'].map((value) => ({ value })),
  'check perf --load': ['s', 'm', 'l', 'xl'].map((value) => ({ value })),
  'check datascale --load': ['s', 'm', 'l', 'xl', 'xxl'].map((value) => ({ value })),
};

/** Flags whose value is a directory or a file (completed by the shell), by name. */
const DIRECTORY_FLAGS = new Set(['data-dir', 'wal-dir']);
const FILE_FLAGS = new Set(['cacert', 'cert', 'key', 'dest-cacert', 'dest-cert', 'dest-key', 'output']);
/** Flags whose value is a lease ID. */
const LEASE_FLAGS = new Set(['lease']);

const pathOf = (command: CtlCommand) => command.pathFromRoot().join(' ');

/** Flags offered while completing: not hidden, unless they are etcdctl-ts's own (extra). */
const offered = (f: FlagSpec) => !f.hidden || f.extra === true;

const byName = (a: FlagSpec, b: FlagSpec) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Scan {
  /** Flags given (by name). */
  given: Set<string>;
  /** Positional arguments before the word being completed. */
  positional: string[];
  /** The flag whose value the word being completed is, when the previous word asks for one. */
  pendingFlag: FlagSpec | undefined;
  /** `--` was seen: everything after is an argument. */
  dashdash: boolean;
}

/** A forgiving pflag-style scan of the words after the command path. */
function scanWords(command: CtlCommand, rest: string[]): Scan {
  const flags = command.allFlags();
  const byLong = new Map(flags.map((f) => [f.name, f]));
  const byShort = new Map(flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const scan: Scan = { given: new Set(), positional: [], pendingFlag: undefined, dashdash: false };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const last = i === rest.length - 1;
    if (scan.dashdash || word.length <= 1 || !word.startsWith('-')) {
      scan.positional.push(word);
      continue;
    }
    if (word === '--') {
      scan.dashdash = true;
      continue;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const spec = byLong.get(word.slice(2, eq === -1 ? undefined : eq));
      if (!spec) continue;
      scan.given.add(spec.name);
      if (eq === -1 && spec.kind !== 'bool') {
        if (last) scan.pendingFlag = spec;
        else i++;
      }
      continue;
    }
    // Shorthands: -w json, -wjson, -w=json, -hw json.
    for (let j = 1; j < word.length; j++) {
      const spec = byShort.get(word[j]!);
      if (!spec) break;
      scan.given.add(spec.name);
      if (spec.kind === 'bool') continue;
      if (j === word.length - 1) {
        if (last) scan.pendingFlag = spec;
        else i++;
      }
      break;
    }
  }
  return scan;
}

/** cobra's flag-name candidates: inherited flags first, then local ones, each sorted by name. */
function flagNameCandidates(command: CtlCommand, toComplete: string, given: Set<string>): Candidate[] {
  const out: Candidate[] = [];
  const add = (f: FlagSpec) => {
    if (!offered(f)) return;
    if (given.has(f.name) && f.kind !== 'stringSlice') return;
    if (`--${f.name}`.startsWith(toComplete)) out.push({ value: `--${f.name}`, description: f.help });
    if (f.short && `-${f.short}`.startsWith(toComplete)) out.push({ value: `-${f.short}`, description: f.help });
  };
  command.inheritedFlags().sort(byName).forEach(add);
  [...command.ownFlags, command.helpFlag()].sort(byName).forEach(add);
  return out;
}

/** Children offered as subcommands: etcdctl's visible ones (help included) and etcdctl-ts's own. */
function subcommandCandidates(command: CtlCommand, toComplete: string): Candidate[] {
  return command.children
    .filter((c) => !c.hiddenCommand || c.extraCommand)
    .filter((c) => c.name().startsWith(toComplete))
    .sort((a, b) => (a.name() < b.name() ? -1 : a.name() > b.name() ? 1 : 0))
    .map((c) => ({ value: c.name(), description: c.short }));
}

const withPrefix = (values: Candidate[], toComplete: string) => values.filter((c) => c.value.startsWith(toComplete));

async function flagValueCompletion(
  command: CtlCommand,
  flag: FlagSpec,
  toComplete: string,
  live: LiveSource,
  context: LiveContext,
  env: Env,
): Promise<Completion> {
  const path = pathOf(command);
  const fixed = FLAG_VALUES[`${path} --${flag.name}`] ?? FLAG_VALUES[flag.name];
  if (flag.name === 'write-out') {
    const formats = [...OUTPUT_FORMATS, ...command.extraFormats];
    return { candidates: withPrefix(formats.map((value) => ({ value })), toComplete), directive: Directive.NoFileComp };
  }
  if (flag.name === 'profile') {
    return { candidates: withPrefix(profileNames(env).map((value) => ({ value })), toComplete), directive: Directive.NoFileComp };
  }
  if (fixed) return { candidates: withPrefix(fixed, toComplete), directive: Directive.NoFileComp };
  if (LEASE_FLAGS.has(flag.name)) return { candidates: await live('lease', toComplete, context), directive: Directive.NoFileComp };
  if (DIRECTORY_FLAGS.has(flag.name)) return { candidates: [], directive: Directive.FilterDirs };
  if (FILE_FLAGS.has(flag.name)) return { candidates: [], directive: Directive.Default };
  // As cobra: no registered values, so the shell's default (file names).
  return { candidates: [], directive: Directive.Default };
}

/** `help <command path>`: the children of the command named so far. */
function helpCompletion(root: CtlCommand, args: string[], toComplete: string): Completion {
  let command = root;
  for (const word of args) {
    const child = findChild(command, word);
    if (!child) return { candidates: [], directive: Directive.NoFileComp };
    command = child;
  }
  return { candidates: subcommandCandidates(command, toComplete), directive: Directive.NoFileComp };
}

async function argumentCompletion(command: CtlCommand, scan: Scan, toComplete: string, live: LiveSource, context: LiveContext): Promise<Completion> {
  const path = pathOf(command);
  if (path === 'help') return helpCompletion(command.parentCommand!, scan.positional, toComplete);
  const hints = ARG_HINTS[path];
  if (!hints) return { candidates: [], directive: Directive.Default };
  const index = scan.positional.length;
  const kind = hints.args[index] ?? (hints.repeatLast ? hints.args[hints.args.length - 1] : 'none') ?? 'none';
  switch (kind) {
    case 'none':
      return { candidates: [], directive: Directive.NoFileComp };
    case 'file':
      return { candidates: [], directive: Directive.Default };
    case 'permType':
      return { candidates: withPrefix(['read', 'write', 'readwrite'].map((value) => ({ value })), toComplete), directive: Directive.NoFileComp };
    default:
      return { candidates: await live(kind, toComplete, context), directive: Directive.NoFileComp };
  }
}

/** Answers one completion request: `args` are the words after `__complete`, the last being completed. */
export async function complete(root: CtlCommand, args: string[], env: Env, live: LiveSource): Promise<Completion> {
  const toComplete = args.length > 0 ? args[args.length - 1]! : '';
  const words = args.slice(0, -1);
  let found: { command: CtlCommand; rest: string[] };
  try {
    found = findCommand(root, words);
  } catch {
    return { candidates: [], directive: Directive.Default };
  }
  const { command, rest } = found;
  const scan = scanWords(command, rest);
  const context: LiveContext = { command, rest, env };

  if (!scan.dashdash) {
    // --flag=value and -f=value: the value part.
    if (toComplete.startsWith('-') && toComplete.includes('=')) {
      const eq = toComplete.indexOf('=');
      const flags = command.allFlags();
      const spec = toComplete.startsWith('--')
        ? flags.find((f) => f.name === toComplete.slice(2, eq))
        : flags.find((f) => f.short !== undefined && f.short === toComplete[eq - 1]);
      if (!spec || spec.kind === 'bool') return { candidates: [], directive: Directive.Default };
      return flagValueCompletion(command, spec, toComplete.slice(eq + 1), live, context, env);
    }
    if (scan.pendingFlag) return flagValueCompletion(command, scan.pendingFlag, toComplete, live, context, env);
    if (toComplete.startsWith('-')) return { candidates: flagNameCandidates(command, toComplete, scan.given), directive: Directive.NoFileComp };
  }
  if (command.children.length > 0) {
    if (scan.positional.length > 0) return { candidates: [], directive: Directive.NoFileComp };
    return { candidates: subcommandCandidates(command, toComplete), directive: Directive.NoFileComp };
  }
  return argumentCompletion(command, scan, toComplete, live, context);
}

function directiveNames(directive: number): string {
  if (directive === 0) return 'ShellCompDirectiveDefault';
  return DIRECTIVE_NAMES.filter(([bit]) => (directive & bit) !== 0)
    .map(([, name]) => name)
    .join(', ');
}

/** The protocol's text for a completion (descriptions dropped for __completeNoDesc). */
export function protocolText(completion: Completion, withDescriptions: boolean): { stdout: string; stderr: string } {
  const lines = completion.candidates.map((c) => {
    // A description is one line; cobra keeps only its first line.
    const description = c.description?.split('\n')[0] ?? '';
    return withDescriptions && description !== '' ? `${c.value}\t${description}` : c.value;
  });
  return {
    stdout: lines.map((l) => `${l}\n`).join('') + `:${completion.directive}\n`,
    stderr: `Completion ended with directive: ${directiveNames(completion.directive)}\n`,
  };
}

/** Entry for `__complete` / `__completeNoDesc`: never fails, never prompts. */
export async function runCompletionRequest(root: CtlCommand, args: string[], withDescriptions: boolean, io: Io, env: Env): Promise<number> {
  let completion: Completion;
  try {
    completion = await complete(root, args, env, async (kind, toComplete, context) => {
      const { liveCandidates } = await import('./live.js');
      return liveCandidates(kind, toComplete, context);
    });
  } catch {
    completion = { candidates: [], directive: Directive.Error };
  }
  const text = protocolText(completion, withDescriptions);
  io.stdout.write(text.stdout);
  io.stderr.write(text.stderr);
  return 0;
}
