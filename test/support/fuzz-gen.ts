// Generated etcdctl command lines and txn inputs for the fuzz test (test/integration/fuzz.test.ts).
//
// Deterministic from a seed: `new FuzzGenerator(seed, …).next()` always yields the same inputs, so
// a failure message that names the seed and the input's index reproduces it. Commands and flags
// come from the CLI's own command tree (every command, every flag with its kind), values from
// pools of awkward text: empty, huge (up to past etcd's request limit), binary, lone surrogates,
// broken quoting, negative and overflowing numbers, bad durations, unknown flags.

/** The parts of dist/cli/command.js's CtlCommand the generator reads. */
export interface CommandNode {
  name(): string;
  readonly children: CommandNode[];
  readonly runnable: boolean;
  pathFromRoot(): string[];
  allFlags(): FlagInfo[];
}

export interface FlagInfo {
  name: string;
  short?: string;
  kind: 'bool' | 'string' | 'int64' | 'uint64' | 'int' | 'duration' | 'stringSlice';
}

export interface FuzzInput {
  argv: string[];
  stdin: Buffer;
  env: Record<string, string>;
  /** Short label of how it was made, for statistics and messages. */
  shape: string;
}

/** A small, seedable PRNG (xorshift128 over a splitmix32-expanded seed). */
export class Rng {
  private s: [number, number, number, number];
  constructor(seed: number) {
    let x = seed >>> 0;
    const mix = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [mix() || 1, mix(), mix(), mix()];
  }
  /** A float in [0, 1). */
  next(): number {
    const s = this.s;
    let t = s[3];
    const u = s[0];
    s[3] = s[2];
    s[2] = s[1];
    s[1] = u;
    t ^= t << 11;
    t ^= t >>> 8;
    s[0] = (t ^ u ^ (u >>> 19)) >>> 0;
    return s[0] / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

const KEYS = ['fz/a', 'fz/b', 'fz/c', 'fz/dir/x', 'fz/dir/y', 'fz/', 'fz', 'k', 'key', 'a/b/c', 'é✓', '日本', '\u0000', 'a b', 'x=y', '/'];
const NUMBERS = [
  '0', '1', '2', '5', '10', '128', '129', '-1', '-0', '+1', '00', '010', '0x10', '1e3', '1.5', ' 1', '1 ', '',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '18446744073709551615', '18446744073709551616', '99999999999999999999999999', '2147483648', '-2147483649',
  'NaN', 'inf', 'Infinity', '١٢', '1_000', 'one',
];
const DURATIONS = [
  '0', '0s', '1ns', '1ms', '300ms', '1s', '2s', '5s', '-1s', '-5m', '1h', '1.5s', '.5s', '1e3s', '+3s', '3', 's', '',
  'abc', '1d', '1µs', '1us', '2562047h47m16.854775807s', '2562047h47m16.854775808s', '9999999999h', '1h1h1h', ' 1s',
];
const FORMATS = ['simple', 'json', 'fields', 'table', 'protobuf', 'yaml', 'json-decoded', '', 'JSON', 'bogus', 'simple ', '-w'];
const LEASE_IDS = ['0', '1', 'ffffffffffffffff', '10000000000000000', '7fffffffffffffff', 'zz', '-1', '0x10', 'abc', '', ' 1'];
const BOOLS = ['true', 'false', '1', '0', 't', 'F', 'TRUE', 'yes', 'no', '', '2', 'truee'];
const WORDS = [
  '', ' ', '-', '--', '-x', '--x', '---', '-=', '--=', '=', '"', "'", '`', '"quoted"', "'single'", '"unterminated', "'unterminated",
  '\\', '\\x', '\\xff', '"\\xff"', '\t', '\n', 'a\nb', '\r\n', '\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\u202e', '\ufeff', '%s',
  '%!d', '${HOME}', '$(id)', '*', '?', '[', '{}', 'null', 'true', 'help', '-h', '--help', 'version', 'get', 'put',
];
/** Unknown or odd flag spellings. */
const ODD_FLAGS = ['--', '-', '--bogus', '--bogus=1', '-Z', '-ww', '-w=', '--write-out', '--hex=maybe', '---hex', '--Hex', '-hex', '--prefix=', '--limit', '--=x', '--rev=-1', '-h=1'];
/** Global flags the fuzz never sets: they would point the CLI away from the test cluster or at DNS. */
const RESERVED_FLAGS = new Set(['endpoints', 'discovery-srv', 'insecure-transport']);
const ENV_VARS: [string, readonly string[]][] = [
  ['ETCDCTL_WRITE_OUT', FORMATS],
  ['ETCDCTL_HEX', BOOLS],
  ['ETCDCTL_COMMAND_TIMEOUT', DURATIONS],
  ['ETCDCTL_DIAL_TIMEOUT', DURATIONS],
  ['ETCDCTL_KEEPALIVE_TIME', DURATIONS],
  ['ETCDCTL_USER', ['root', 'u:p', ':', 'a:b:c', '', 'x']],
  ['ETCDCTL_PASSWORD', ['', 'p', 'p:q']],
  ['ETCDCTL_DEBUG', BOOLS],
  ['ETCDCTL_API', ['3', '2', '', 'x', '3 ']],
  ['ETCDCTL_FOO', ['bar', '']],
  ['ETCDCTL_WATCH_KEY', ['k', '']],
  ['ETCDCTL_TS_PROFILE', ['nope', '']],
  ['ETCDCTL_CACERT', ['/nonexistent/ca.pem', '']],
];

export interface GeneratorOptions {
  /** "127.0.0.1:P,…": every input talks to this cluster (flag or ETCDCTL_ENDPOINTS). */
  endpoints: string;
  /** Largest single argument (a real process's argv cannot carry more than 128 KiB per word). */
  maxArgBytes: number;
  /** Largest stdin. */
  maxStdinBytes: number;
}

export class FuzzGenerator {
  readonly rng: Rng;
  private readonly runnable: CommandNode[];

  constructor(
    readonly seed: number,
    root: CommandNode,
    private readonly opts: GeneratorOptions,
  ) {
    this.rng = new Rng(seed);
    this.runnable = [];
    const walk = (c: CommandNode) => {
      if (c.runnable && c.pathFromRoot().length > 0) this.runnable.push(c);
      for (const child of c.children) walk(child);
    };
    walk(root);
  }

  /** A long string: ASCII, repeated UTF-8, or binary-ish text. */
  private huge(): string {
    const r = this.rng;
    const sizes = [4096, 65_536, 131_000, 1_048_576, 1_400_000, 1_572_864 - 64, 1_600_000, 2_200_000].filter((n) => n <= this.opts.maxArgBytes);
    const n = r.pick(sizes.length > 0 ? sizes : [this.opts.maxArgBytes]);
    const unit = r.pick(['x', 'é', '日', 'ab']);
    return unit.repeat(Math.max(1, Math.floor(n / Buffer.byteLength(unit))));
  }

  private word(): string {
    const r = this.rng;
    switch (r.int(10)) {
      case 0:
        return r.pick(NUMBERS);
      case 1:
        return r.pick(WORDS);
      case 2:
        // Random code points, surrogates included.
        return Array.from({ length: 1 + r.int(8) }, () => String.fromCharCode(r.int(0x10000))).join('');
      case 3:
        return r.chance(0.02) ? this.huge() : 'v'.repeat(r.int(300));
      default:
        return r.pick(KEYS);
    }
  }

  private flagValue(flag: FlagInfo): string {
    const r = this.rng;
    if (r.chance(0.1)) return this.word();
    switch (flag.kind) {
      case 'bool':
        return r.pick(BOOLS);
      case 'duration':
        return r.pick(DURATIONS);
      case 'int':
      case 'int64':
      case 'uint64':
        return r.pick(NUMBERS);
      case 'stringSlice':
        return [this.word(), this.word()].slice(0, 1 + r.int(2)).join(',');
      default:
        if (flag.name === 'write-out') return r.pick(FORMATS);
        if (flag.name === 'lease' || flag.name.endsWith('lease')) return r.pick(LEASE_IDS);
        if (flag.name === 'sort-by') return r.pick(['CREATE', 'KEY', 'MODIFY', 'VALUE', 'VERSION', 'key', 'bogus', '']);
        if (flag.name === 'order') return r.pick(['ASCEND', 'DESCEND', 'descend', 'bogus', '']);
        if (flag.name === 'consistency') return r.pick(['l', 's', 'x', '', 'L']);
        if (['cert', 'key', 'cacert', 'dest-cert', 'dest-key', 'dest-cacert'].includes(flag.name)) return r.pick(['/nonexistent/x.pem', '', 'missing.pem', '/']);
        if (flag.name === 'user' || flag.name === 'dest-user') return r.pick(['root', 'u:p', ':', 'a:b:c', '', 'x:']);
        if (flag.name === 'data-dir') return r.pick(['/nonexistent/dir', '']);
        return this.word();
    }
  }

  /** One flag occurrence, in one of pflag's spellings. */
  private flagWords(flag: FlagInfo): string[] {
    const r = this.rng;
    const value = this.flagValue(flag);
    const useShort = flag.short !== undefined && r.chance(0.4);
    if (flag.kind === 'bool') {
      if (r.chance(0.6)) return [useShort ? `-${flag.short}` : `--${flag.name}`];
      return [useShort ? `-${flag.short}=${value}` : `--${flag.name}=${value}`];
    }
    switch (r.int(4)) {
      case 0:
        return [useShort ? `-${flag.short}` : `--${flag.name}`, value];
      case 1:
        return useShort ? [`-${flag.short}${value}`] : [`--${flag.name}=${value}`];
      case 2:
        return [useShort ? `-${flag.short}=${value}` : `--${flag.name}=${value}`];
      default:
        // Missing value at the end, or a value that looks like a flag.
        return r.chance(0.5) ? [`--${flag.name}`] : [`--${flag.name}`, `-${value}`];
    }
  }

  /** The words naming a command: exact, abbreviated, or misspelled. */
  private commandWords(cmd: CommandNode): string[] {
    const r = this.rng;
    return cmd.pathFromRoot().map((w) => {
      if (r.chance(0.85)) return w;
      if (r.chance(0.5)) return w.slice(0, 1 + r.int(w.length));
      return w.slice(0, -1) + r.pick(['x', 'e', '', w.slice(-1).toUpperCase()]);
    });
  }

  /** The runnable command at `path` ("lease keep-alive"). */
  command(path: string): CommandNode {
    const found = this.runnable.find((c) => c.pathFromRoot().join(' ') === path);
    if (!found) throw new Error(`no command ${path}`);
    return found;
  }

  private commandLine(forced?: CommandNode): { words: string[]; command?: CommandNode } {
    const r = this.rng;
    // Data commands more often than the rest.
    const favoured = this.runnable.filter((c) => ['get', 'put', 'del', 'txn'].includes(c.pathFromRoot().join(' ')));
    const command = forced ?? (r.chance(0.5) ? r.pick(favoured) : r.pick(this.runnable));
    const words = this.commandWords(command);
    const flags = command.allFlags().filter((f) => !RESERVED_FLAGS.has(f.name) && f.name !== 'help');
    const extra: string[][] = [];
    const nFlags = r.int(5);
    for (let i = 0; i < nFlags; i++) extra.push(r.chance(0.9) && flags.length > 0 ? this.flagWords(r.pick(flags)) : [r.pick(ODD_FLAGS)]);
    if (r.chance(0.03)) extra.push([r.pick(['-h', '--help'])]);
    const nArgs = r.int(4);
    for (let i = 0; i < nArgs; i++) extra.push([this.word()]);
    // pflag intersperses flags and arguments: shuffle the groups.
    for (let i = extra.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [extra[i], extra[j]] = [extra[j]!, extra[i]!];
    }
    if (r.chance(0.1)) extra.splice(r.int(extra.length + 1), 0, ['--']);
    return { words: [...words, ...extra.flat()], command };
  }

  private randomLine(): string[] {
    const r = this.rng;
    const n = r.int(7);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      if (r.chance(0.3)) out.push(r.pick(ODD_FLAGS));
      else if (r.chance(0.3)) out.push(r.pick(this.runnable).pathFromRoot()[0]!);
      else out.push(this.word());
    }
    return out;
  }

  // ---- txn input ----------------------------------------------------------------------------

  private quoted(): string {
    const r = this.rng;
    const w = r.pick(KEYS.slice(0, 6));
    switch (r.int(12)) {
      case 0:
        return w;
      case 1:
        return `'${w}'`;
      case 2:
        return `\`${w}\``;
      case 3:
        return `"${w}`;
      case 4:
        return `"\\x${r.int(256).toString(16).padStart(2, '0')}\\xff\\000"`;
      case 5:
        return `"\\u00e9\\U0001F600\\400"`;
      case 6:
        return `"${'q'.repeat(r.int(2000))}"`;
      case 7:
        return `"${w}\\"`;
      case 8:
        return r.pick(NUMBERS);
      default:
        return `"${w}"`;
    }
  }

  private compareLine(): string {
    const r = this.rng;
    const target = r.pick(['value', 'version', 'create', 'mod', 'lease', 'val', 'c', 'Value', 'bogus', '']);
    const op = r.pick(['=', '!=', '<', '>', '==', '>=', '<=', '', '=!']);
    const value = ['version', 'create', 'mod', 'lease'].includes(target) && r.chance(0.6) ? `"${r.pick(NUMBERS)}"` : this.quoted();
    const key = this.quoted();
    return r.chance(0.1) ? `${target}(${key} ${op} ${value}` : `${target}(${key}) ${op} ${value}`;
  }

  private requestLine(): string {
    const r = this.rng;
    const op = r.pick(['put', 'get', 'del', 'delete', 'p', 'g', 'bogus', 'help', 'get -h']);
    const parts = [op, this.quoted()];
    if (op.startsWith('p') && r.chance(0.9)) parts.push(r.chance(0.03) ? `"${'V'.repeat(r.pick([100_000, 1_400_000, 1_600_000]))}"` : this.quoted());
    const flagPool = ['--prefix', '--from-key', '--prev-kv', '--ignore-value', '--ignore-lease', `--lease=${r.pick(LEASE_IDS)}`, `--limit=${r.pick(NUMBERS)}`, `--rev=${r.pick(NUMBERS)}`, '--keys-only', '--count-only', `--sort-by=${r.pick(['KEY', 'bogus'])}`, '--bogus', '-w json', '--', `--range`];
    const n = r.int(3);
    for (let i = 0; i < n; i++) parts.push(r.pick(flagPool));
    if (r.chance(0.05)) parts.push(this.quoted());
    return parts.join(' ');
  }

  private txnInput(): Buffer {
    const r = this.rng;
    const sections: string[][] = [[], [], []];
    for (let i = r.int(3); i > 0; i--) sections[0]!.push(this.compareLine());
    for (let s = 1; s <= 2; s++) for (let i = r.int(4); i > 0; i--) sections[s]!.push(this.requestLine());
    // Many operations (etcd's default limit is 128 per txn).
    if (r.chance(0.03)) for (let i = 0; i < 130; i++) sections[1]!.push(`put fz/many/${i} v`);
    let text = sections.map((lines) => lines.map((l) => `${l}\n`).join('') + '\n').join('');
    let bytes = Buffer.from(text);
    switch (r.int(10)) {
      case 0:
        bytes = bytes.subarray(0, r.int(bytes.length + 1)); // cut anywhere (missing newlines, EOF mid-line)
        break;
      case 1:
        text = text.replace(/\n/g, '\r\n');
        bytes = Buffer.from(text);
        break;
      case 2: {
        // Raw bytes (invalid UTF-8, NUL) spliced in.
        const at = r.int(bytes.length + 1);
        bytes = Buffer.concat([bytes.subarray(0, at), r.bytes(1 + r.int(16)), bytes.subarray(at)]);
        break;
      }
      case 3:
        bytes = r.bytes(r.int(200));
        break;
      default:
        break;
    }
    return bytes.subarray(0, this.opts.maxStdinBytes);
  }

  // ---- keyspace files (load, diff) ----------------------------------------------------------

  /** A keyspace file (commands/keyspace-file.ts) built from its grammar, then maybe mutated. */
  private keyspaceInput(): Buffer {
    const r = this.rng;
    const prefix = r.pick(['fz/', 'fz/dir/', '', 'k', '\u00e9']);
    const lines: string[] = [];
    const n = r.int(6);
    for (let i = 0; i < n; i++) {
      const key = r.chance(0.9) ? `${prefix}${r.pick(KEYS)}` : r.pick(KEYS);
      const entry: Record<string, unknown> = r.chance(0.8) ? { key } : { key_b64: Buffer.from(key).toString('base64') };
      if (r.chance(0.7)) entry.value = this.word();
      else if (r.chance(0.8)) entry.value_b64 = r.bytes(r.int(8)).toString('base64');
      if (r.chance(0.1)) Object.assign(entry, r.pick([{ lease: r.pick(LEASE_IDS), ttl: Number(r.pick(NUMBERS)) || 0 }, { bogus: 1 }, { value_b64: '!!' }]));
      lines.push(JSON.stringify(entry));
    }
    const header = { format: r.chance(0.95) ? 'etcdctl-ts/keyspace' : 'x', version: r.chance(0.95) ? 1 : 2, prefix, revision: r.pick(['1', '0', '-1', 'x']), count: r.chance(0.8) ? n : r.int(8) };
    let bytes = Buffer.from([JSON.stringify(header), ...lines].map((l) => `${l}\n`).join(''));
    if (r.chance(0.3)) {
      const at = r.int(bytes.length + 1);
      bytes = r.chance(0.5) ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), r.bytes(1 + r.int(8)), bytes.subarray(at)]);
    }
    return bytes.subarray(0, this.opts.maxStdinBytes);
  }

  // ---- whole inputs -------------------------------------------------------------------------

  /** The next input; with `forced`, a command line for that command. */
  next(forced?: CommandNode): FuzzInput {
    const r = this.rng;
    let words: string[];
    let shape: string;
    let stdin = Buffer.alloc(0);
    const kind = forced ? 0 : r.int(20);
    if (kind < 13) {
      const line = this.commandLine(forced);
      words = line.words;
      shape = line.command?.pathFromRoot().join(' ') ?? 'command';
      if ((shape === 'load' || shape === 'diff') && r.chance(0.7)) stdin = this.keyspaceInput();
    } else if (kind < 17) {
      words = ['txn', ...(r.chance(0.2) ? ['-i'] : []), ...(r.chance(0.3) ? ['-w', r.pick(FORMATS)] : []), ...(r.chance(0.1) ? [this.word()] : [])];
      stdin = this.txnInput();
      shape = 'txn';
    } else if (kind < 19) {
      words = this.randomLine();
      shape = 'random';
    } else {
      words = ['__complete', ...this.randomLine().slice(0, 3), r.pick(['', 'fz/', '-', '--w'])];
      shape = '__complete';
    }
    // Standard input for commands that read it (put without value, passwords, txn).
    if (stdin.length === 0 && r.chance(0.3)) {
      stdin = r.chance(0.5) ? Buffer.from(`${this.word()}\n${this.word()}\n`) : r.bytes(r.int(64));
    }
    const env: Record<string, string> = {};
    for (let i = r.chance(0.15) ? 1 + r.int(3) : 0; i > 0; i--) {
      const [name, values] = r.pick(ENV_VARS);
      env[name] = r.pick(values);
    }
    // Every input talks to the test cluster: through the flag (anywhere before a `--`) or the variable.
    if (r.chance(0.85) || env.ETCDCTL_ENDPOINTS !== undefined) {
      const flag = `--endpoints=${this.opts.endpoints}`;
      const sep = words.indexOf('--');
      const limit = words[0] === '__complete' ? words.length : sep === -1 ? words.length : sep;
      const at = words[0] === '__complete' ? 1 + r.int(Math.max(1, limit - 1)) : r.int(limit + 1);
      words.splice(at, 0, flag);
    } else {
      env.ETCDCTL_ENDPOINTS = this.opts.endpoints;
    }
    // Cap what a real process could not take.
    words = words.map((w) => (Buffer.byteLength(w) > this.opts.maxArgBytes ? w.slice(0, Math.floor(this.opts.maxArgBytes / 3)) : w));
    return { argv: words, stdin, env, shape };
  }
}
