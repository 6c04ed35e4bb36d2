// ls [prefix]: an etcdctl-ts addition. Lists the keys below a prefix as a tree of `/`-separated
// paths with key counts and value sizes, reading the range in bounded pages at one revision.
import type { Invocation } from '../cli/invocation.js';
import { paint } from '../cli/colour.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { LsTreeBuilder, renderLsTree } from '../output/ls-tree.js';
import { prefixRange } from '../kv/key-range.js';
import { commandLineDeadline } from '../cli/invocation.js';
import { bytesOfToken, tokenOfBytes } from '../common/byte-strings.js';
import { readRange } from '../kv/range-reader.js';
import { type Printable, text } from '../output/outcome.js';

const PAGE_KEYS = 5000;

/**
 * What `ls [prefix]` lists: a prefix not ending in '/' is taken as a directory; no prefix is the
 * whole keyspace. Shared with `snapshot ls`.
 */
export function lsScope(arg: string | undefined): { start: Buffer; end: Buffer; rootName: string; rest: (key: Buffer) => string } {
  let prefix = arg ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
  const prefixBytes = bytesOfToken(prefix);
  const { key: start, range_end: end } = prefixRange(prefixBytes);
  return {
    start,
    end,
    rootName: prefix === '' ? '.' : prefix,
    // Cut by the prefix's byte length; the rest as a token (bytes that are not UTF-8 kept).
    rest: (key) => tokenOfBytes(key.subarray(prefixBytes.length)),
  };
}

async function runLs(inv: Invocation): Promise<Printable> {
  if (inv.args.length > 1) throw new CtlError(ExitCode.BadArgs, 'ls command takes at most one argument (the prefix)');
  const depth = Number(inv.int('depth'));
  if (depth < 0) throw new CtlError(ExitCode.BadArgs, '--depth must be 0 (no limit) or more');
  const scope = lsScope(inv.args[0]);
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const timeoutMs = session.config.timeouts.commandTimeoutMs;
  const builder = new LsTreeBuilder(scope.rootName, depth);
  const request = {
    key: scope.start,
    range_end: scope.end,
    revision: String(inv.int('rev')),
    serializable: inv.string('consistency') === 's',
  };
  const pages = readRange(session.client.kv, request, { pageKeys: PAGE_KEYS, firstDeadline: deadline, nextDeadline: () => Date.now() + timeoutMs });
  for await (const page of pages) {
    for (const kv of page.kvs) builder.add(scope.rest(kv.key), kv.value.length);
  }
  const result = builder.result();
  if (session.config.display.format === 'simple') return text(renderLsTree(result, paint(session.config.display.colour)));
  return result;
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const LS_RUNS = { ls: runLs };
