// The command tree is made of commander objects (names, descriptions, options), extended with
// what etcdctl's cobra/pflag model needs and commander lacks: Go-typed flag values, persistent
// flags, cobra's `Use` line and a separate long description. Parsing follows cobra/pflag
// (see parse.ts) because commander's own parser differs in ways scripts can see.
import { Command, Option } from 'commander';
import type { Invocation } from './invocation.js';
import type { Outcome } from '../output/outcome.js';
import type { FlagSpec } from '../flags/flag.js';
import type { ExtraOutputFormat } from '../output/format-names.js';

export class CtlOption extends Option {
  readonly spec: FlagSpec;
  constructor(spec: FlagSpec) {
    const names = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
    super(spec.kind === 'bool' ? names : `${names} <${spec.kind}>`, spec.help);
    this.spec = spec;
    this.default(spec.defaultText);
    if (spec.hidden || spec.extra) this.hideHelp();
  }
}

/** A command's execution: what it returns main writes (output/outcome.ts); it never prints. */
export type RunFn = (inv: Invocation) => Promise<Outcome | void>;

/**
 * A command as data (commands/specs/): what parsing, help, suggestions and completion need,
 * and a way to load its code when it runs. Reading a spec never evaluates command code.
 */
export interface CommandSpec {
  name: string;
  /** cobra's Use: the name followed by the argument synopsis. */
  use: string;
  short: string;
  long?: string;
  flags?: readonly FlagSpec[];
  hidden?: boolean;
  /** An etcdctl-ts addition (implies hidden): not in etcdctl's help or suggestions, but completed. */
  extra?: boolean;
  /** cobra's DisableFlagsInUseLine: no ` [flags]` after the use line in the help text. */
  disableFlagsInUseLine?: boolean;
  /**
   * etcdctl-ts's -w values the command accepts besides etcdctl's: only a command whose every
   * result kind has a builder in output/formats/decoded-formats.ts; any other -w value gets
   * etcdctl's "unsupported output format".
   */
  extraFormats?: readonly ExtraOutputFormat[];
  /** In registration order (cobra's "Did you mean" suggestions follow it). */
  subcommands?: readonly CommandSpec[];
  /** Loads the command's module (a dynamic import) and gives its run function. */
  load?: () => Promise<RunFn>;
  /** The run function itself, for commands whose code is at hand (help, tests). */
  run?: RunFn;
}

// Where a command keeps the arrays behind commander's `commands` and `options` (see below).
const COMMANDS = Symbol('commands');
const OPTIONS = Symbol('options');

export class CtlCommand extends Command {
  use = '';
  runFn: RunFn | undefined;
  hiddenCommand = false;
  extraCommand = false;
  disableFlagsInUseLine = false;
  extraFormats: readonly ExtraOutputFormat[] = [];
  /** The spec whose flags and subcommands are not built yet. */
  private pending: CommandSpec | undefined;
  declare [COMMANDS]: Command[];
  declare [OPTIONS]: Option[];

  static {
    // Flags and subcommands are built when first looked at: parsing `get k` builds the root, its
    // children and get's flags, not the whole tree. Everything that reads commander's arrays
    // (commander itself included) goes through these accessors, so a command looks the same
    // built or not.
    for (const [key, store] of [
      ['commands', COMMANDS],
      ['options', OPTIONS],
    ] as const) {
      Object.defineProperty(CtlCommand.prototype, key, {
        get(this: CtlCommand) {
          this.materialize();
          return this[store];
        },
        set(this: CtlCommand, value: never) {
          this[store] = value;
        },
        configurable: true,
      });
    }
  }

  static fromSpec(spec: CommandSpec): CtlCommand {
    const cmd = new CtlCommand(spec.name);
    cmd.use = spec.use;
    const { load } = spec;
    cmd.runFn = spec.run ?? (load && (async (inv) => (await load())(inv)));
    cmd.hiddenCommand = (spec.hidden ?? false) || (spec.extra ?? false);
    cmd.extraCommand = spec.extra ?? false;
    cmd.disableFlagsInUseLine = spec.disableFlagsInUseLine ?? false;
    cmd.extraFormats = spec.extraFormats ?? [];
    // commander holds the texts: summary is cobra's Short, description its Long ('' when none).
    cmd.summary(spec.short);
    cmd.description(spec.long ?? '');
    if (spec.flags?.length || spec.subcommands?.length) cmd.pending = spec;
    return cmd;
  }

  private materialize(): void {
    const spec = this.pending;
    if (!spec) return;
    this.pending = undefined;
    for (const flag of spec.flags ?? []) this.addFlag(flag);
    for (const child of spec.subcommands ?? []) this.addCommand(CtlCommand.fromSpec(child));
  }

  /** cobra's Short: the one line in command lists. */
  get short(): string {
    return this.summary();
  }

  /** cobra's Long: the help text's description ('' when the command has none). */
  get long(): string {
    return this.description();
  }

  addFlag(spec: FlagSpec): this {
    this.addOption(new CtlOption(spec.extra ? { ...spec, hidden: true } : spec));
    return this;
  }

  add(...children: CtlCommand[]): this {
    for (const child of children) this.addCommand(child);
    return this;
  }

  get children(): CtlCommand[] {
    return this.commands as CtlCommand[];
  }

  get parentCommand(): CtlCommand | undefined {
    return (this.parent as CtlCommand | null) ?? undefined;
  }

  /** Flags defined on this command itself. */
  get ownFlags(): FlagSpec[] {
    return (this.options as readonly Option[]).filter((o): o is CtlOption => o instanceof CtlOption).map((o) => o.spec);
  }

  /** Persistent flags of the ancestors (cobra's InheritedFlags). */
  inheritedFlags(): FlagSpec[] {
    const out: FlagSpec[] = [];
    const own = new Set(this.ownFlags.map((f) => f.name));
    for (let p = this.parentCommand; p; p = p.parentCommand) {
      for (const f of p.ownFlags) if (f.persistent && !own.has(f.name) && !out.some((o) => o.name === f.name)) out.push(f);
    }
    return out;
  }

  /** cobra's automatic -h/--help flag, local to every command. */
  helpFlag(): FlagSpec {
    return { name: 'help', short: 'h', kind: 'bool', defaultText: 'false', help: `help for ${this.name()}` };
  }

  /** Every flag the command accepts: its own, help, and the inherited persistent ones. */
  allFlags(): FlagSpec[] {
    return [...this.ownFlags, this.helpFlag(), ...this.inheritedFlags()];
  }

  /** Names from the root's child down to this command (`['member', 'list']`). */
  pathFromRoot(): string[] {
    const names: string[] = [];
    for (let c: CtlCommand | undefined = this; c?.parentCommand; c = c.parentCommand) names.unshift(c.name());
    return names;
  }

  /** cobra's CommandPath: `etcdctl member list`. */
  commandPath(): string {
    let root: CtlCommand = this;
    while (root.parentCommand) root = root.parentCommand;
    return [root.name(), ...this.pathFromRoot()].join(' ');
  }

  get runnable(): boolean {
    return this.runFn !== undefined;
  }
}
