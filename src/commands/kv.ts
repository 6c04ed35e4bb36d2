// get, put, del: argument rules and request building are pure functions (txn reuses them);
// the run functions only connect, call and print.
import { CtlCommand, type FlagSpec } from '../cli/command.js';
import { type Invocation, commandLineDeadline } from '../cli/invocation.js';
import { parseGoInt64 } from '../cli/values.js';
import { CtlError, ExitCode, asCtlError } from '../errors.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { PutRequest } from '../generated/etcdserverpb/PutRequest.js';
import type { DeleteRangeRequest } from '../generated/etcdserverpb/DeleteRangeRequest.js';
import { PAGE_SIZE_FLAG, pageSizeFor, printPagedGet } from './paged-get.js';
import { printFastGet } from './fast-get.js';
import { YES_FLAG, confirmRangeDelete } from '../cli/confirm.js';
import { bytesOfToken } from '../byte-strings.js';
import { goQuote } from '../output/encode.js';

/** The flag values a request builder needs, as plain data (so txn lines can supply them too). */
export interface FlagReader {
  bool(name: string): boolean;
  string(name: string): string;
  int(name: string): bigint;
}

const NUL = Buffer.from([0]);

/** clientv3.GetPrefixRangeEnd: increment the last byte below 0xff, dropping trailing 0xff bytes. */
export function prefixRangeEnd(key: Buffer): Buffer {
  for (let i = key.length - 1; i >= 0; i--) {
    if (key[i]! < 0xff) {
      const end = Buffer.from(key.subarray(0, i + 1));
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return NUL;
}

/** Key and range end for the --prefix / --from-key forms (an empty key means "all keys"). */
function keyRange(key: Buffer, prefix: boolean, fromKey: boolean, rangeEnd?: Buffer): { key: Buffer; range_end?: Buffer } {
  if (prefix) return key.length === 0 ? { key: NUL, range_end: NUL } : { key, range_end: prefixRangeEnd(key) };
  if (fromKey) return { key: key.length === 0 ? NUL : key, range_end: NUL };
  return rangeEnd ? { key, range_end: rangeEnd } : { key };
}

const tooManyArgs = () =>
  new CtlError(ExitCode.BadArgs, 'too many arguments, only accept one argument when `--prefix` or `--from-key` is set');
const prefixAndFromKey = () =>
  new CtlError(ExitCode.BadArgs, '`--prefix` and `--from-key` cannot be set at the same time, choose one');

const SORT_ORDERS: Record<string, number> = { '': 0, ASCEND: 1, DESCEND: 2 };
const SORT_TARGETS: Record<string, number> = { KEY: 0, VERSION: 1, CREATE: 2, MODIFY: 3, VALUE: 4 };

/** etcdctl's getGetOp: validation in etcdctl's order, then the RangeRequest. */
export function buildRangeRequest(args: string[], flags: FlagReader): RangeRequest {
  if (args.length === 0) throw new CtlError(ExitCode.BadArgs, 'get command needs one argument as key and an optional argument as range_end');
  const prefix = flags.bool('prefix');
  const fromKey = flags.bool('from-key');
  if (prefix && fromKey) throw prefixAndFromKey();
  if (flags.bool('keys-only') && flags.bool('count-only')) {
    throw new CtlError(ExitCode.BadArgs, '`--keys-only` and `--count-only` cannot be set at the same time, choose one');
  }
  const consistency = flags.string('consistency');
  if (consistency !== 'l' && consistency !== 's') throw new CtlError(ExitCode.BadFeature, `unknown consistency flag ${goQuote(consistency)}`);
  if (args.length > 1 && (prefix || fromKey)) throw tooManyArgs();

  const order = SORT_ORDERS[flags.string('order').toUpperCase()];
  if (order === undefined) throw new CtlError(ExitCode.BadFeature, `bad sort order ${flags.string('order')}`);
  const sortBy = flags.string('sort-by').toUpperCase();
  const target = sortBy === '' ? 0 : SORT_TARGETS[sortBy];
  if (target === undefined) throw new CtlError(ExitCode.BadFeature, `bad sort target ${flags.string('sort-by')}`);

  const revisionFilters = optionalRevisionFilters(flags);
  const rev = flags.int('rev');
  const range = keyRange(bytesOfToken(args[0]!), prefix, fromKey, args.length > 1 ? bytesOfToken(args[1]!) : undefined);
  return {
    ...range,
    limit: flags.int('limit').toString(),
    revision: rev > 0n ? rev.toString() : '0',
    // clientv3.WithSort: ascending by key is the server's natural order, so it is sent as "none".
    sort_order: (target === 0 && order === 1 ? 0 : order) as RangeRequest['sort_order'],
    sort_target: target as RangeRequest['sort_target'],
    serializable: consistency === 's',
    keys_only: flags.bool('keys-only'),
    count_only: flags.bool('count-only'),
    ...revisionFilters,
  };
}

/** The revision filters etcdctl gained in 3.6 (--min/max-create-rev, --min/max-mod-rev). */
function optionalRevisionFilters(flags: FlagReader): Partial<RangeRequest> {
  const has = (name: string) => {
    try {
      return flags.int(name);
    } catch {
      return 0n; // txn lines do not have these flags
    }
  };
  const minCreate = has('min-create-rev');
  const maxCreate = has('max-create-rev');
  const minMod = has('min-mod-rev');
  const maxMod = has('max-mod-rev');
  if (maxCreate > 0n && minCreate > maxCreate) {
    throw new CtlError(ExitCode.BadFeature, `getMinCreateRev(=${minCreate}) > getMaxCreateRev(=${maxCreate})`);
  }
  if (maxMod > 0n && minMod > maxMod) throw new CtlError(ExitCode.BadFeature, `getMinModRev(=${minMod}) > getMaxModRev(=${maxMod})`);
  return {
    min_create_revision: minCreate.toString(),
    max_create_revision: maxCreate.toString(),
    min_mod_revision: minMod.toString(),
    max_mod_revision: maxMod.toString(),
  };
}

/** etcdctl's getPutOp. `value` is the second argument or, when absent, what stdin held. */
export function buildPutRequest(args: string[], flags: FlagReader, stdinValue?: Buffer): PutRequest {
  const missing = () => new CtlError(ExitCode.BadArgs, 'put command needs 1 argument and input from stdin or 2 arguments');
  if (args.length === 0) throw missing();
  const ignoreValue = flags.bool('ignore-value');
  if (ignoreValue && args.length > 1) throw new CtlError(ExitCode.BadArgs, "put command needs only 1 argument when 'ignore-value' is set");
  let value: Buffer = Buffer.alloc(0);
  if (!ignoreValue) {
    if (args.length > 1) value = bytesOfToken(args[1]!);
    else if (stdinValue && stdinValue.length > 0) value = stdinValue;
    else throw missing();
  }
  const lease = parseLeaseId(flags.string('lease'), 'bad lease ID');
  return {
    key: bytesOfToken(args[0]!),
    value,
    lease: lease.toString(),
    prev_kv: flags.bool('prev-kv'),
    ignore_value: ignoreValue,
    ignore_lease: flags.bool('ignore-lease'),
  };
}

/** A lease ID given in hex (signed 64-bit, no 0x prefix), with etcdctl's error text. */
export function parseLeaseId(text: string, what: string): bigint {
  try {
    return parseGoInt64(text, 16);
  } catch (err) {
    throw new CtlError(ExitCode.BadArgs, `${what} (${(err as Error).message}), expecting ID in Hex`);
  }
}

export interface DeleteRequestWithWarning {
  request: DeleteRangeRequest;
  /** etcdctl 3.5.6+ warns on stderr when an explicit range end is used without --range. */
  rangeWarning: boolean;
}

/** etcdctl's getDelOp. */
export function buildDeleteRequest(args: string[], flags: FlagReader): DeleteRequestWithWarning {
  if (args.length === 0 || args.length > 2) {
    throw new CtlError(ExitCode.BadArgs, 'del command needs one argument as key and an optional argument as range_end');
  }
  const prefix = flags.bool('prefix');
  const fromKey = flags.bool('from-key');
  if (prefix && fromKey) throw prefixAndFromKey();
  if (args.length > 1 && (prefix || fromKey)) throw tooManyArgs();
  const range = keyRange(bytesOfToken(args[0]!), prefix, fromKey, args.length > 1 ? bytesOfToken(args[1]!) : undefined);
  return {
    request: { ...range, prev_kv: flags.bool('prev-kv') },
    rangeWarning: args.length > 1 && !safeBool(flags, 'range'),
  };
}

function safeBool(flags: FlagReader, name: string): boolean {
  try {
    return flags.bool(name);
  } catch {
    return false;
  }
}

const bool = (name: string, help: string): FlagSpec => ({ name, kind: 'bool', defaultText: 'false', help });
const int64 = (name: string, help: string, hidden = false): FlagSpec => ({ name, kind: 'int64', defaultText: '0', help, hidden });
const str = (name: string, defaultText: string, help: string): FlagSpec => ({ name, kind: 'string', defaultText, help });

export const GET_FLAGS: FlagSpec[] = [
  str('consistency', 'l', 'Linearizable(l) or Serializable(s)'),
  str('order', '', 'Order of results; ASCEND or DESCEND (ASCEND by default)'),
  str('sort-by', '', 'Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION'),
  int64('limit', 'Maximum number of results'),
  bool('prefix', 'Get keys with matching prefix'),
  bool('from-key', 'Get keys that are greater than or equal to the given key using byte compare'),
  int64('rev', 'Specify the kv revision'),
  bool('keys-only', 'Get only the keys'),
  bool('count-only', 'Get only the count'),
  bool('print-value-only', 'Only write values when using the "simple" output format'),
];

/**
 * Revision filters from etcdctl 3.6, offered here as extras (3.5.16 rejects them). Hidden from
 * the usage text so that `get`'s help and usage errors stay byte-identical to 3.5; the README
 * documents them.
 */
const GET_FLAGS_FROM_3_6: FlagSpec[] = [
  int64('min-create-rev', 'Minimum create revision', true),
  int64('max-create-rev', 'Maximum create revision', true),
  int64('min-mod-rev', 'Minimum modification revision', true),
  int64('max-mod-rev', 'Maximum modification revision', true),
];

export const PUT_FLAGS: FlagSpec[] = [
  str('lease', '0', 'lease ID (in hexadecimal) to attach to the key'),
  bool('prev-kv', 'return the previous key-value pair before modification'),
  bool('ignore-value', 'updates the key using its current value'),
  bool('ignore-lease', 'updates the key using its current lease'),
];

export const DEL_FLAGS: FlagSpec[] = [
  bool('prefix', 'delete keys with matching prefix'),
  bool('prev-kv', 'return deleted key-value pairs'),
  bool('from-key', 'delete keys that are greater than or equal to the given key using byte compare'),
  bool('range', 'delete range of keys'),
];

const PUT_LONG = `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`;

async function runGet(inv: Invocation): Promise<void> {
  const request = buildRangeRequest(inv.args, inv);
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const format = session.config.display.format;
  // etcdctl's checks that come after the request took effect.
  const checkOutput = () => {
    if (inv.bool('count-only') && format !== 'fields') {
      throw new CtlError(ExitCode.BadArgs, '--count-only is only for `--write-out=fields`');
    }
    if (inv.bool('print-value-only') && format !== 'simple') {
      throw new CtlError(ExitCode.BadArgs, 'print-value-only is only for `--write-out=simple`');
    }
  };
  // simple and json: printed straight from the wire bytes, same output (commands/fast-get.ts).
  if (await printFastGet(inv, session, request, deadline, checkOutput)) return;
  // A large range is read and printed in pages, with the same output (commands/paged-get.ts).
  const pageSize = pageSizeFor(inv, session, request);
  if (pageSize > 0) return printPagedGet(inv, session, request, deadline, pageSize, checkOutput);
  const resp = await session.client.kv.range(request, deadline).catch((err) => {
    throw asCtlError(err);
  });
  checkOutput();
  session.print({ kind: 'get', resp, valueOnly: inv.bool('print-value-only') });
}

async function runPut(inv: Invocation): Promise<void> {
  // Validate what can be validated before blocking on stdin.
  if (inv.args.length === 0) buildPutRequest(inv.args, inv);
  const needsStdin = inv.args.length === 1 && !inv.bool('ignore-value');
  const request = buildPutRequest(inv.args, inv, needsStdin ? await inv.io.readStdin() : undefined);
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const resp = await session.client.kv.put(request, deadline).catch((err) => {
    throw asCtlError(err);
  });
  session.print({ kind: 'put', resp });
}

async function runDel(inv: Invocation): Promise<void> {
  const { request, rangeWarning } = buildDeleteRequest(inv.args, inv);
  if (rangeWarning) inv.io.stderr.write('In etcd v3.6, the operation will be suspended for a few seconds to provide the user time to verify range.\n');
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  // On a terminal, a range delete asks first (cli/confirm.ts); never on pipes or with --yes.
  await confirmRangeDelete(inv, session, request);
  const resp = await session.client.kv.deleteRange(request, deadline).catch((err) => {
    throw asCtlError(err);
  });
  session.print({ kind: 'del', resp });
}

export function kvCommands(): CtlCommand[] {
  return [
    CtlCommand.fromSpec({
      name: 'get',
      use: 'get [options] <key> [range_end]',
      short: 'Gets the key or a range of keys',
      flags: [...GET_FLAGS, ...GET_FLAGS_FROM_3_6, PAGE_SIZE_FLAG],
      run: runGet,
    }),
    CtlCommand.fromSpec({
      name: 'put',
      use: 'put [options] <key> <value> (<value> can also be given from stdin)',
      short: 'Puts the given key into the store',
      long: PUT_LONG,
      flags: PUT_FLAGS,
      run: runPut,
    }),
    CtlCommand.fromSpec({
      name: 'del',
      use: 'del [options] <key> [range_end]',
      short: 'Removes the specified key or range of keys [key, range_end)',
      flags: [...DEL_FLAGS, YES_FLAG],
      run: runDel,
    }),
  ];
}
