// A txn request line (`put k v --prev-kv`, `get k --prefix`, `del k`) → etcdserverpb.RequestOp.
// etcdctl runs each line through fresh put/get/del cobra commands; here the same pflag parser as
// the top-level commands (src/cli/parse.ts) runs over a small command tree holding only those
// three, and the request builders of src/kv/requests.ts do the rest, so flags, validation and
// messages are those of the standalone commands.
import { CtlCommand } from '../cli/command.js';
import { type FlagSpec } from '../flags/flag.js';
import { flagValue, type Invocation } from '../cli/invocation.js';
import { parseCommandLine } from '../cli/parse.js';
import { prefixRangeEnd } from '../kv/key-range.js';
import { DEL_FLAGS, GET_FLAGS, KV_TEXTS, PUT_FLAGS, buildDeleteRequest, buildPutRequest, buildRangeRequest, type FlagReader } from '../kv/requests.js';
import { CtlError, ExitCode, UsageError } from '../common/errors.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import { bytesOfToken, hasRawBytes } from '../common/byte-strings.js';
import { tokenize } from './tokenize.js';

export interface ParsedOp {
  op: RequestOp;
  /** etcdctl's stderr note for `del <key> <range_end>` without --range (printed while reading). */
  warning?: string;
}

export interface OpHooks {
  /** cobra's usage text for a flag error, which etcdctl prints to stderr before its error line. */
  usage?(text: string): void;
  /** The parser's own complaint (`unknown flag: --x`), which etcdctl does not print. */
  reason?(message: string): void;
}

let tree: CtlCommand | undefined;

/** The put/get/del commands as etcdctl builds them for a txn line (3.5 flags only). */
function txnCommandTree(): CtlCommand {
  if (tree) return tree;
  const make = (name: keyof typeof KV_TEXTS, flags: FlagSpec[]) => CtlCommand.fromSpec({ name, ...KV_TEXTS[name], flags, run: async () => {} });
  tree = CtlCommand.fromSpec({ name: '', use: '', short: '' });
  tree.add(make('put', PUT_FLAGS), make('get', GET_FLAGS), make('del', DEL_FLAGS));
  return tree;
}

/** pflag's type names as FlagUsages shows them. */
const VARNAMES: Record<FlagSpec['kind'], string> = {
  bool: '',
  string: 'string',
  int64: 'int',
  int: 'int',
  uint64: 'uint',
  duration: 'duration',
  stringSlice: 'strings',
};

/** pflag's defaultIsZeroValue, per type. */
function isZeroDefault(flag: FlagSpec): boolean {
  switch (flag.kind) {
    case 'bool':
      return flag.defaultText === 'false';
    case 'string':
      return flag.defaultText === '';
    case 'duration':
      return flag.defaultText === '0' || flag.defaultText === '0s';
    case 'stringSlice':
      return flag.defaultText === '[]';
    default:
      return flag.defaultText === '0';
  }
}

/** pflag's FlagSet.FlagUsages (cobra's default usage template, not etcdctl's own). */
export function pflagUsages(flags: FlagSpec[]): string {
  const sorted = flags.filter((f) => !f.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const heads = sorted.map((f) => {
    const names = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const varname = VARNAMES[f.kind];
    return varname ? `${names} ${varname}` : names;
  });
  const maxlen = Math.max(0, ...heads.map((h) => h.length + 1));
  return sorted
    .map((f, i) => {
      const head = heads[i]!;
      let usage = f.help;
      if (!isZeroDefault(f)) usage += f.kind === 'string' ? ` (default ${JSON.stringify(f.defaultText)})` : ` (default ${f.defaultText})`;
      return `${head} ${' '.repeat(maxlen - head.length)} ${usage}\n`;
    })
    .join('');
}

/** The usage cobra prints (to stderr) when a txn line's flags do not parse. */
function cobraUsage(command: CtlCommand): string {
  if (!command.parentCommand) return ROOT_USAGE;
  const flags = pflagUsages([...command.ownFlags, command.helpFlag()]).replace(/\n$/, '');
  return `Usage:\n   ${command.use} [flags]\n\nFlags:\n${flags}\n`;
}

/** cobra's usage of etcdctl's nameless txn root (a flag error before any command word). */
const ROOT_USAGE = `Usage:
   [command]

Available Commands:
  completion  Generate the autocompletion script for the specified shell
  del         Removes the specified key or range of keys [key, range_end)
  get         Gets the key or a range of keys
  help        Help about any command
  put         Puts the given key into the store

Flags:
  -h, --help   help for this command

Use " [command] --help" for more information about a command.
`;

function flagReader(flags: Invocation['flags']): FlagReader {
  return {
    bool: (name) => flagValue(flags, name) === true,
    string: (name) => String(flagValue(flags, name)),
    int: (name) => flagValue(flags, name) as bigint,
  };
}

/**
 * Parses one request line of the success or failure section. Errors are etcdctl's:
 * too few words → `invalid txn compare request` (sic), a bad command word or flag →
 * `invalid txn request` (exit 3, after the usage text for flag errors), and the put/get/del
 * validation errors with their own exit codes.
 *
 * etcdctl hangs forever on lines that only ask for help (`get -h k`, `help get`); here they are
 * an `invalid txn request` too.
 */
export function parseRequestLine(line: string, hooks: OpHooks = {}): ParsedOp {
  const words = tokenize(line);
  if (words.length < 2) throw new CtlError(ExitCode.InvalidInput, `invalid txn compare request: ${line}`);
  const invalid = () => new CtlError(ExitCode.InvalidInput, `invalid txn request: ${line}`);
  const root = txnCommandTree();
  let parsed;
  try {
    parsed = parseCommandLine(root, words);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    hooks.reason?.(err.message);
    if (err.followUp.kind === 'usage') {
      let command = root;
      for (const name of err.followUp.commandPath) command = command.children.find((c) => c.name() === name) ?? command;
      hooks.usage?.(cobraUsage(command) + '\n');
    }
    throw invalid();
  }
  if (parsed.wantsHelp || parsed.command === root) {
    hooks.reason?.(parsed.wantsHelp && parsed.command !== root ? 'help is not a request' : 'no put, get or del command');
    throw invalid();
  }
  const flags = flagReader(parsed.flags);
  const args = parsed.args;
  switch (parsed.command.name()) {
    case 'put': {
      const request = buildPutRequest(args, flags);
      if (args.some(hasRawBytes)) {
        request.key = bytesOfToken(args[0]!);
        if (!request.ignore_value) request.value = bytesOfToken(args[1]!);
      }
      return { op: { request_put: request } };
    }
    case 'get': {
      const request = buildRangeRequest(args, flags);
      keepRawBytes(request, args, flags.bool('prefix'));
      return { op: { request_range: request } };
    }
    default: {
      const { request, rangeWarning } = buildDeleteRequest(args, flags);
      keepRawBytes(request, args, flags.bool('prefix'));
      const warning = rangeWarning
        ? 'In etcd v3.6, the operation will be suspended for a few seconds to provide the user time to verify range.\n'
        : undefined;
      return warning ? { op: { request_delete_range: request }, warning } : { op: { request_delete_range: request } };
    }
  }
}

/** Puts back the exact bytes of keys written with escapes that are not UTF-8 (`"\xff"`). */
function keepRawBytes(request: { key?: Buffer | Uint8Array | string; range_end?: Buffer | Uint8Array | string }, args: string[], prefix: boolean): void {
  const [key, end] = args;
  if (key !== undefined && hasRawBytes(key)) {
    const raw = bytesOfToken(key);
    request.key = raw;
    if (prefix) request.range_end = prefixRangeEnd(raw);
  }
  if (end !== undefined && hasRawBytes(end)) request.range_end = bytesOfToken(end);
}
