// make-mirror: copies a prefix to a destination cluster, then follows the source's watch and
// applies every change there, like etcdctl's make-mirror on top of clientv3's mirror.Syncer.
// It runs until an error (or a signal, whose default action ends the process silently).
import type { Invocation } from '../cli/invocation.js';
import { mirrorDestinationConfig } from '../config/resolve.js';
import { CtlError, ExitCode, RpcError } from '../common/errors.js';
import type { Connection } from '../client/connection.js';
import type { EtcdClient } from '../client/services.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import type { WatchResponse__Output } from '../generated/etcdserverpb/WatchResponse.js';
import type { Event__Output } from '../generated/mvccpb/Event.js';
import { prefixRange } from '../kv/key-range.js';
import { readRange } from '../kv/range-reader.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import { type TtyProgress, ttyProgress } from '../cli/progress.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { type Text, text } from '../output/outcome.js';
import { pushStream } from '../output/push-stream.js';

/** mirror.Syncer's page size for the initial copy. */
const BATCH_LIMIT = 1000;
/** How often etcdctl prints the number of keys processed so far. */
const COUNT_INTERVAL_MS = 30_000;
/** Pause before reopening a watch stream that broke with a transient error. */
const WATCH_RETRY_MS = 100;

const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
const EVENT_DELETE = 1;

/**
 * The destination prefix etcdctl uses: `--dest-prefix`, else the source prefix (keys unchanged),
 * or nothing with `--no-dest-prefix`.
 */
export function destinationPrefix(prefix: string, destPrefix: string, noDestPrefix: boolean): string {
  if (noDestPrefix && destPrefix !== '') {
    throw new CtlError(ExitCode.BadArgs, '`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one');
  }
  return !noDestPrefix && destPrefix === '' ? prefix : destPrefix;
}

/** Go's strings.Replace(key, prefix, dest, 1) on bytes: the first occurrence, anywhere in the key. */
export function mapKey(key: Buffer, prefix: Buffer, dest: Buffer): Buffer {
  const at = key.indexOf(prefix);
  if (at === -1) return key;
  return Buffer.concat([key.subarray(0, at), dest, key.subarray(at + prefix.length)]);
}

/**
 * The destination transactions for one watch response: one per source revision, in order, each
 * holding that revision's puts and deletes (etcdctl flushes whenever the revision changes).
 */
export function transactionsFor(events: Event__Output[], rename: (key: Buffer) => Buffer): RequestOp[][] {
  const txns: RequestOp[][] = [];
  let ops: RequestOp[] = [];
  let lastRev = 0n;
  for (const ev of events) {
    const kv = ev.kv;
    const rev = BigInt(kv?.mod_revision ?? '0');
    if (lastRev !== 0n && rev > lastRev) {
      txns.push(ops);
      ops = [];
    }
    lastRev = rev;
    const key = rename(kv?.key ?? Buffer.alloc(0));
    ops.push(
      ev.type === EVENT_DELETE
        ? { request_delete_range: { key } }
        : { request_put: { key, value: kv?.value ?? Buffer.alloc(0) } },
    );
  }
  if (ops.length > 0) txns.push(ops);
  return txns;
}


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The destination client (config/resolve.ts mirrorDestinationConfig: the --dest-* flags and the
 * command line's timeouts). TLS errors exit 128, a failed login exits 2.
 */
async function connectDestination(inv: Invocation, endpoint: string): Promise<Connection> {
  const config = await mirrorDestinationConfig(inv.flags, endpoint, inv.io);
  const { Connection } = await import('../client/connection.js');
  const conn = new Connection(config);
  try {
    await conn.authenticate();
  } catch (err) {
    conn.close();
    if (err instanceof RpcError) throw new CtlError(ExitCode.BadConnection, err.message);
    throw err;
  }
  return conn;
}

/** How many pages the base reader may get ahead of the copy (the syncer's channel size). */
const READ_AHEAD_PAGES = 1024;

/**
 * Reads the prefix at a fixed revision in pages of 1000 keys, as fast as the server answers and
 * ahead of the caller (the syncer does this in its own goroutine, so a compaction during a slow
 * copy does not break it); a read error is thrown after the pages read before it.
 */
function basePages(source: EtcdClient, prefix: Buffer, revision: string): AsyncGenerator<RangeResponse__Output> {
  return readRange(source.kv, { ...prefixRange(prefix), revision }, { pageKeys: BATCH_LIMIT, sizeByBytes: false, readAhead: READ_AHEAD_PAGES });
}

type WatchEnd = 'closed' | 'compacted';

/** Wraps an error of the caller's `apply`, so it is told apart from the stream's own errors. */
class ApplyFailure {
  constructor(readonly cause: unknown) {}
}

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  // gRPC Unavailable (14) and Internal (13): clientv3 reopens the watch after these.
  return code === 14 || code === 13;
}

/**
 * Follows the watch on the prefix from `startRev`, calling `apply` for every response in order
 * (the next response is not handled before it finished). A stream that breaks with a transient
 * error is reopened from the revision after the last event seen, as clientv3 does; a compaction
 * ends the watch as 'compacted', anything else that ends it (a cancel, a halting error) as
 * 'closed'. Errors of `apply` are thrown.
 */
async function followWatch(
  conn: Connection,
  prefix: Buffer,
  startRev: bigint,
  apply: (resp: WatchResponse__Output) => Promise<void>,
): Promise<WatchEnd> {
  const { isTokenError } = await import('../client/connection.js');
  const range = prefixRange(prefix);
  let nextRev = startRev;
  let tokenRetried = false;
  for (;;) {
    let stream: Awaited<ReturnType<Connection['bidiStream']>>;
    try {
      stream = await conn.bidiStream('etcdserverpb.Watch', 'Watch');
    } catch (err) {
      if (!isTransient(err)) return 'closed';
      await sleep(WATCH_RETRY_MS);
      continue;
    }
    stream.on('error', () => {
      // Reported through the iteration below.
    });
    stream.write({ create_request: { ...range, start_revision: nextRev.toString() } });
    let reopen = false;
    try {
      for await (const raw of stream) {
        const resp = raw as WatchResponse__Output;
        if (resp.compact_revision !== '0' && resp.compact_revision !== '') return 'compacted';
        if (resp.canceled && isTokenError(resp.cancel_reason) && conn.config.auth && !tokenRetried) {
          // A stale token refuses the watch: the client fetches a new one once and tries again.
          tokenRetried = true;
          await conn.refreshToken();
          reopen = true;
          break;
        }
        if (resp.canceled) return 'closed';
        await apply(resp).catch((err: unknown) => {
          throw new ApplyFailure(err);
        });
        const last = resp.events[resp.events.length - 1];
        if (last?.kv) nextRev = BigInt(last.kv.mod_revision) + 1n;
      }
      if (!reopen) return 'closed';
    } catch (err) {
      if (err instanceof ApplyFailure) throw err.cause;
      if (!isTransient(err)) return 'closed';
      await sleep(WATCH_RETRY_MS);
    } finally {
      stream.cancel();
    }
  }
}

async function runMakeMirror(inv: Invocation): Promise<AsyncIterable<Text>> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'make-mirror takes one destination argument');
  return pushStream<Text>((push) => mirror(inv, inv.args[0]!, push));
}

/**
 * Mirrors until an error; meanwhile pushes the number of keys processed every 30 s, as etcdctl
 * prints it (the copy does not wait for those lines).
 */
async function mirror(inv: Invocation, destination: string, push: (item: Text) => void): Promise<never> {
  const dest = await connectDestination(inv, destination);
  let counter: NodeJS.Timeout | undefined;
  try {
    const session = await inv.connect();
    const source = session.client;
    const prefixText = inv.string('prefix');
    const prefix = bytesOfToken(prefixText);

    let total = 0;
    let progressClear: (() => void) | undefined;
    const scheduleCount = () => {
      counter = setTimeout(() => {
        progressClear?.();
        push(text(`${total}\n`));
        scheduleCount();
      }, COUNT_INTERVAL_MS);
      counter.unref();
    };
    scheduleCount();

    // The revision to copy at comes from a plain read of the prefix key ("foo" for all keys).
    const head = await source.kv.range({ key: prefix.length === 0 ? Buffer.from('foo') : prefix }).then(
      (resp) => ({ revision: resp.header?.revision ?? '0' }),
      (err: unknown) => ({ error: err }),
    );
    // etcdctl checks the two destination-prefix flags only now, after that read.
    const destPrefix = bytesOfToken(destinationPrefix(prefixText, inv.string('dest-prefix'), inv.bool('no-dest-prefix')));
    if ('error' in head) throw asMirrorError(head.error);
    const rename = (key: Buffer) => mapKey(key, prefix, destPrefix);
    const { KvService } = await import('../client/services.js');
    const destKv = new KvService(dest);

    try {
      // The initial copy shows a progress bar on stderr when it is a terminal (cli/progress.ts).
      let progress: TtyProgress | undefined;
      for await (const page of basePages(source, prefix, head.revision)) {
        progress ??= ttyProgress(inv.io, Number(page.count ?? 0));
        progressClear = progress.clear;
        for (const kv of page.kvs) {
          await destKv.put({ key: rename(kv.key), value: kv.value });
          total++;
          progress.add();
        }
      }
      progress?.done();
      const end = await followWatch(source.connection, prefix, BigInt(head.revision) + 1n, async (resp) => {
        for (const ops of transactionsFor(resp.events, rename)) {
          total += ops.length;
          await destKv.txn({ success: ops });
        }
      });
      if (end === 'compacted') throw new CtlError(ExitCode.Error, COMPACTED);
    } catch (err) {
      throw asMirrorError(err);
    }
    // The watch ended without an error: etcdctl then reports the nil error it got back.
    throw new CtlError(ExitCode.Error, '<nil>');
  } finally {
    clearTimeout(counter);
    dest.close();
  }
}

function asMirrorError(err: unknown): unknown {
  return err instanceof RpcError ? new CtlError(ExitCode.Error, err.message) : err;
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const MAKE_MIRROR_RUNS = { 'make-mirror': runMakeMirror };
