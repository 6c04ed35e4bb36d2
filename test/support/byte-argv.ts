// Command lines whose arguments are bytes that are not UTF-8 (`put $'/k/\xff' v`). Node's spawn
// takes arguments as strings and encodes them as UTF-8, so it cannot pass a byte like \xff. Such a
// command line runs through /bin/sh instead: each argument travels as printf octal escapes (plain
// ASCII; a leading - is escaped too, or printf takes it for an option), the shell rebuilds its bytes and execs the program (the same process, so signals sent to
// the child reach it).

/** An argument: text (sent as UTF-8) or exact bytes. */
export type Arg = string | Uint8Array;

// printf's output is taken with an `x` after it, because $(...) drops trailing newlines.
const REBUILD = 'for a in "$@"; do b=$(printf "${a}x"); set -- "$@" "${b%x}"; shift; done; exec "$@"';

const bytesOf = (arg: Arg): Buffer => (typeof arg === 'string' ? Buffer.from(arg, 'utf8') : Buffer.from(arg));

function printfEscaped(arg: Arg): string {
  let out = '';
  for (const b of bytesOf(arg)) {
    if (b === 0) throw new Error('an argument cannot hold a NUL byte');
    out += /[A-Za-z0-9_./=:,+]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/**
 * The file and arguments to give spawn() for `command` followed by `args`; `byteEnv` adds
 * environment variables whose values are bytes (set by env(1) in front of the command).
 */
export function spawnArgs(command: readonly string[], args: readonly Arg[], byteEnv: Record<string, Uint8Array> = {}): { file: string; args: string[] } {
  const [file, ...prefix] = command;
  if (file === undefined) throw new Error('empty command');
  const env = Object.entries(byteEnv).map(([name, value]) => Buffer.concat([Buffer.from(`${name}=`), value]));
  if (env.length === 0 && args.every((a) => typeof a === 'string')) return { file, args: [...prefix, ...(args as string[])] };
  const full: Arg[] = [...(env.length > 0 ? ['env', ...env] : []), ...command, ...args];
  return { file: '/bin/sh', args: ['-c', REBUILD, 'sh', ...full.map(printfEscaped)] };
}

/** Shell-like rendering of one argument, for messages only (bytes as $'\xNN'). */
export function formatArg(arg: Arg): string {
  if (typeof arg === 'string') return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
  return `$'${[...bytesOf(arg)].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}'`;
}
