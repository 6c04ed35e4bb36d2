// get, put and del requests from arguments and flags: pure functions with etcdctl's checks in
// etcdctl's order (getGetOp, getPutOp, getDelOp), shared by the commands, txn lines, the shell
// and completion. Flag tables are here too, so a txn line has the same grammar as the command.
import type { FlagSpec } from '../flags/flag.js';
import { parseGoInt64 } from '../flags/go-values.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { PutRequest } from '../generated/etcdserverpb/PutRequest.js';
import type { DeleteRangeRequest } from '../generated/etcdserverpb/DeleteRangeRequest.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { goQuote } from '../go/quote.js';
import { keyRange } from './key-range.js';
import { DEFAULT_PAGE_SIZE } from './range-reader.js';

/** The flag values a request builder needs, as plain data (so txn lines can supply them too). */
export interface FlagReader {
  bool(name: string): boolean;
  string(name: string): string;
  int(name: string): bigint;
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
  const range = keyRange(bytesOfToken(args[0]!), { prefix, fromKey, rangeEnd: args.length > 1 ? bytesOfToken(args[1]!) : undefined });
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
  const range = keyRange(bytesOfToken(args[0]!), { prefix, fromKey, rangeEnd: args.length > 1 ? bytesOfToken(args[1]!) : undefined });
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
export const GET_FLAGS_FROM_3_6: FlagSpec[] = [
  int64('min-create-rev', 'Minimum create revision', true),
  int64('max-create-rev', 'Maximum create revision', true),
  int64('min-mod-rev', 'Minimum modification revision', true),
  int64('max-mod-rev', 'Maximum modification revision', true),
];

/** get's, put's and del's use lines and summaries (their commands and txn's line parser share them). */
export const KV_TEXTS = {
  get: { use: 'get [options] <key> [range_end]', short: 'Gets the key or a range of keys' },
  put: { use: 'put [options] <key> <value> (<value> can also be given from stdin)', short: 'Puts the given key into the store' },
  del: { use: 'del [options] <key> [range_end]', short: 'Removes the specified key or range of keys [key, range_end)' },
} as const;

/** etcdctl-ts's extra: how get pages a large range (kv/range-reader.ts). */
export const PAGE_SIZE_FLAG: FlagSpec = {
  name: 'page-size',
  kind: 'int',
  defaultText: String(DEFAULT_PAGE_SIZE),
  help: 'most keys fetched per request when printing a large range (0: a single request)',
  extra: true,
};

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

