// load [file]: an etcdctl-ts addition. Makes the keys under a keyspace file's prefix hold the
// file's values: checks the whole file first, compares it with the cluster (read at one revision),
// then writes only what differs, in txns that each compare the mod revisions read, so a key changed
// meanwhile is never overwritten blindly. Loading the same file again changes nothing.
import { askYesNo, canAsk } from '../cli/confirm.js';
import type { Invocation, Session } from '../cli/invocation.js';
import { CtlError, ExitCode, RpcError } from '../common/errors.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import { modRevisionIs } from '../txn/compare.js';
import { displayKey, type KeyspaceEntry } from './keyspace-file.js';
import { clusterPages, pageDeadline, pairByKey, readKeyspaceFile } from './keyspace-read.js';
import { type Text, text } from '../output/outcome.js';

/**
 * Bytes of keys and values per txn: below etcd's default --max-request-bytes (1.5 MiB) with room
 * for the request's framing. A single key and value larger than this goes alone.
 */
const TXN_BYTES = 1024 * 1024;

type ChangeKind = '+' | '~' | '-';

interface Change {
  kind: ChangeKind;
  key: Buffer;
  /** The mod revision read (0 for a key that did not exist): the txn's compare. */
  modRevision: string;
  entry?: KeyspaceEntry;
}

const NAMES: Record<ChangeKind, string> = { '+': 'created', '~': 'updated', '-': 'deleted' };

function sameAsFile(entry: KeyspaceEntry, value: Buffer, lease: string): boolean {
  return entry.value.equals(value) && (entry.lease !== undefined) === (lease !== '0');
}

function summary(counts: Record<ChangeKind, number>, unchanged?: number): string {
  const parts = (['+', '~', '-'] as const).map((k) => `${counts[k]} ${NAMES[k]}`);
  if (unchanged !== undefined) parts.push(`${unchanged} unchanged`);
  return parts.join(', ');
}

function opOf(change: Change, leases: Map<string, string>): RequestOp {
  if (change.kind === '-') return { request_delete_range: { key: change.key } };
  const lease = change.entry!.lease ? leases.get(change.entry!.lease.id)! : '0';
  return { request_put: { key: change.key, value: change.entry!.value, lease } };
}

/** The next txn's changes from `from`: at most `maxOps`, about TXN_BYTES, at least one. */
function nextBatch(changes: Change[], from: number, maxOps: number): number {
  let bytes = 0;
  let end = from;
  while (end < changes.length && end - from < maxOps) {
    const c = changes[end]!;
    // The key travels twice: in the compare and in the put or delete.
    bytes += 2 * c.key.length + (c.entry?.value.length ?? 0);
    if (bytes > TXN_BYTES && end > from) break;
    end++;
  }
  return end;
}

async function grantLeases(inv: Invocation, session: Session, changes: Change[]): Promise<Map<string, string>> {
  const leases = new Map<string, string>();
  for (const c of changes) {
    const lease = c.entry?.lease;
    if (!lease || leases.has(lease.id)) continue;
    const resp = await session.client.lease.grant({ TTL: String(lease.ttl), ID: '0' }, pageDeadline(session)()).catch((err) => {
      throw new CtlError(ExitCode.Error, `granting a lease for the file's lease ${lease.id}: ${(err as Error).message}; nothing was written`);
    });
    leases.set(lease.id, resp.ID);
  }
  return leases;
}

async function runLoad(inv: Invocation): Promise<AsyncIterable<Text>> {
  const maxOps = Number(inv.int('max-txn-ops'));
  if (maxOps < 1) throw new CtlError(ExitCode.BadArgs, '--max-txn-ops must be at least 1');
  const { name, file } = await readKeyspaceFile(inv, ExitCode.InvalidInput);
  const prune = inv.bool('prune');
  const session = await inv.connect();

  // What differs, read at one revision.
  const changes: Change[] = [];
  let unchanged = 0;
  let revision = '0';
  for await (const { file: entry, live } of pairByKey(file.entries, clusterPages(inv, session, file.header.prefix), (rev) => (revision = rev))) {
    if (entry && live && sameAsFile(entry, live.value, live.lease)) unchanged++;
    else if (entry) changes.push({ kind: live ? '~' : '+', key: entry.key, modRevision: live?.mod_revision ?? '0', entry });
    else if (prune && live) changes.push({ kind: '-', key: live.key, modRevision: live.mod_revision });
  }
  const planned = { '+': 0, '~': 0, '-': 0 };
  for (const c of changes) planned[c.kind]++;

  if (inv.bool('dry-run')) return dryRun(changes, `dry run of ${name} against revision ${revision}: would be ${summary(planned, unchanged)}\n`);
  if (planned['-'] > 0 && canAsk(inv)) {
    const n = planned['-'];
    const under = file.header.prefix.length === 0 ? 'in the whole keyspace' : `under ${JSON.stringify(displayKey(file.header.prefix))}`;
    const yes = await askYesNo(inv, (c) => `Delete ${c.bold(`${n} ${n === 1 ? 'key' : 'keys'}`)} ${under} that ${name} lacks?`);
    if (!yes) throw new CtlError(ExitCode.Error, 'load cancelled, nothing was written');
  }

  const leases = await grantLeases(inv, session, changes);
  return writeChanges(session, changes, leases, maxOps, `loaded ${name}: `, unchanged);
}

/** Writes the changes in txns, yielding each txn's lines once it is written, then the summary. */
async function* writeChanges(
  session: Session,
  changes: Change[],
  leases: Map<string, string>,
  maxOps: number,
  loaded: string,
  unchanged: number,
): AsyncGenerator<Text> {
  const done = { '+': 0, '~': 0, '-': 0 };
  let txns = 0;
  let ops = maxOps;
  for (let from = 0; from < changes.length; ) {
    const end = nextBatch(changes, from, ops);
    const batch = changes.slice(from, end);
    const keys = batch.length === 1 ? displayKey(batch[0]!.key) : `from ${displayKey(batch[0]!.key)} to ${displayKey(batch[batch.length - 1]!.key)}`;
    const stopped = (why: string, unsure: boolean) => {
      const written = txns === 0 ? 'nothing was written' : `written in ${txns} txn${txns === 1 ? '' : 's'} before: ${summary(done)}`;
      const pending = unsure ? `; ${batch.length === 1 ? `the change of ${keys}` : `the txn of ${batch.length} changes, ${keys},`} may or may not have been applied` : '';
      return new CtlError(ExitCode.Error, `load stopped: ${why}; ${written}${pending}; loading the file again finishes the job`);
    };
    let resp;
    try {
      resp = await session.client.kv.txn({ compare: batch.map((c) => modRevisionIs(c.key, c.modRevision)), success: batch.map((c) => opOf(c, leases)), failure: [] }, pageDeadline(session)());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Refused as a whole (nothing applied): smaller txns may pass.
      if (err instanceof RpcError && /too many operations in txn request|request is too large/.test(message) && batch.length > 1) {
        ops = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      // Errors etcd answered are certain failures; a broken connection or deadline leaves it open.
      const unsure = !(err instanceof RpcError) || /Unavailable|deadline|Canceled|Unknown/.test(`${err.code} ${message}`);
      throw stopped(message, unsure);
    }
    if (!resp.succeeded) throw stopped(`${batch.length === 1 ? keys : `a key ${keys}`} was changed by someone else after it was read`, false);
    txns++;
    let lines = '';
    for (const c of batch) {
      done[c.kind]++;
      lines += `${c.kind} ${displayKey(c.key)}\n`;
    }
    yield text(lines);
    from = end;
  }
  yield text(`${loaded}${summary(done, unchanged)}\n`);
}

/** The changes load would make, a chunk of lines at a time, then `last`. */
async function* dryRun(changes: Change[], last: string): AsyncGenerator<Text> {
  let lines = '';
  for (const c of changes) {
    lines += `${c.kind} ${displayKey(c.key)}\n`;
    if (lines.length >= 65536) {
      yield text(lines);
      lines = '';
    }
  }
  yield text(lines + last);
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const LOAD_RUNS = { load: runLoad };
