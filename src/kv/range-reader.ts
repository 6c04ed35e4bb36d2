// The one range reader: a range as a stream of pages, all read at one revision, so that what is
// printed or copied equals a single request at that revision. The first page is read at the
// requested revision (the current one when none was given) and fixes it; every later page asks
// for the same revision, starting after the last key seen. Pages come as decoded responses or as
// raw wire bytes (proto/range-scan.ts), and the reader may run ahead of its consumer (one page for
// get's raw output: the next page is on the wire while one is printed; make-mirror's copy further).
//
// Page sizes adapt to the values' sizes so a page stays around PAGE_BYTES (at most `pageKeys`
// keys). etcd 3.5 counts the whole rest of the range again for every request that has a limit
// (≈13 ms per 100,000 keys here), so many pages cost more than they save: when paging was not
// asked for (`restInOne`), the first page decides, and a rest of the range at most
// REST_IN_ONE_BYTES (its count times the first page's bytes per key) is read in one more request.
//
// The one way this can differ from a single request: if the cluster compacts past that revision
// while the pages are read, a later page fails ("required revision has been compacted") after
// earlier pages were consumed.
import type { KvService } from '../client/services.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import { type RangeWire, headerRevision, keyOf, scanRange } from '../proto/range-scan.js';
import { NUL, hasRangeEnd } from './key-range.js';

/** Keys in the first request: small enough to be cheap when the range is large. */
export const FIRST_PAGE_KEYS = 1000;
/** What a page aims at in bytes of keys and values. */
export const PAGE_BYTES = 4 * 1024 * 1024;
/** A rest of the range at most this large (estimated) is read in one request, when paging is automatic. */
export const REST_IN_ONE_BYTES = 32 * 1024 * 1024;
/** get's `--page-size` default. */
export const DEFAULT_PAGE_SIZE = 10_000;

/**
 * The limit of the request after a page of `pageKeys` keys weighing `pageWeight` (Σ key + value
 * + 32 bytes), with `remaining` keys of the range still to read: 0 (no limit) for the whole rest
 * when it is small and paging is automatic, otherwise a page of about PAGE_BYTES, at most
 * `maxKeys` keys.
 */
export function nextPageLimit(maxKeys: number, automatic: boolean, pageKeys: number, pageWeight: number, remaining: number): number {
  const perKey = pageWeight / Math.max(1, pageKeys);
  if (automatic && remaining * perKey <= REST_IN_ONE_BYTES) return 0;
  return Math.max(1, Math.min(maxKeys, Math.floor(PAGE_BYTES / perKey)));
}

/** Whether a request can be read in pages and still give the single request's answer. */
export function canPage(request: RangeRequest): boolean {
  const zero = (v: unknown) => v === undefined || v === null || String(v) === '0';
  return (
    hasRangeEnd(request.range_end) &&
    zero(request.limit) &&
    zero(request.sort_order) &&
    zero(request.sort_target) &&
    !request.count_only &&
    zero(request.min_create_revision) &&
    zero(request.max_create_revision) &&
    zero(request.min_mod_revision) &&
    zero(request.max_mod_revision)
  );
}

/**
 * The page size for reading `request` (0: etcdctl's single request). Serializable reads may land
 * on different members, which need not have the revision yet, so they are not paged over several
 * endpoints.
 */
export function pageSizeFor(request: RangeRequest, pageSize: number, endpoints: number): number {
  if (pageSize <= 0 || !canPage(request)) return 0;
  if (request.serializable && endpoints > 1) return 0;
  return pageSize;
}

/** What the reader needs to know of a page, whatever its form. */
interface PageForm<P> {
  read(kv: KvService, request: RangeRequest, deadline: number | undefined): Promise<P>;
  more(page: P): boolean;
  count(page: P): string;
  kvCount(page: P): number;
  /** Σ (key length + value length + 32). */
  weight(page: P): number;
  revision(page: P): string;
  /** A copy of the last key (the page may be overwritten once consumed). */
  lastKey(page: P): Buffer;
}

const DECODED: PageForm<RangeResponse__Output> = {
  read: (kv, request, deadline) => kv.range(request, deadline),
  more: (p) => p.more,
  count: (p) => p.count,
  kvCount: (p) => p.kvs.length,
  weight: (p) => {
    let bytes = 0;
    for (const kv of p.kvs) bytes += kv.key.length + kv.value.length + 32;
    return bytes;
  },
  revision: (p) => p.header?.revision ?? '0',
  lastKey: (p) => Buffer.from(p.kvs[p.kvs.length - 1]!.key),
};

const RAW: PageForm<RangeWire> = {
  read: async (kv, request, deadline) => scanRange(await kv.rangeRaw(request, deadline)),
  more: (p) => p.more,
  count: (p) => p.count,
  kvCount: (p) => p.kvCount,
  weight: (p) => p.weight,
  revision: headerRevision,
  lastKey: (p) => Buffer.from(keyOf(p, p.kvCount - 1)),
};

export interface ReadRangeOptions {
  /** The most keys one request asks for; 0 sends the request once, as it is. */
  pageKeys: number;
  /** Paging chosen by etcdctl-ts, not asked for: a small enough rest is read in one request. */
  restInOne?: boolean;
  /** Pages sized by PAGE_BYTES (default); false asks for pageKeys every time (mirror.Syncer). */
  sizeByBytes?: boolean;
  /**
   * Pages read ahead of the consumer. 0 (the default) asks for the next page when the consumer
   * asks for it; 1 reads it while the consumer handles the current one, which is only safe when
   * handling a page takes far less than the command timeout (the next request's deadline runs
   * from when it is sent, so a slow consumer could make it miss).
   */
  readAhead?: number;
  /** Deadline of the first request (the command's own). */
  firstDeadline?: number;
  /** Deadline for each later request, computed when it is sent. */
  nextDeadline?: () => number | undefined;
}

/** The range's pages as decoded responses. */
export function readRange(kv: KvService, request: RangeRequest, opts: ReadRangeOptions): AsyncGenerator<RangeResponse__Output> {
  return pagesOf(DECODED, kv, request, opts);
}

/** The range's pages as wire bytes with their key-values located (no object per key). */
export function readRangeRaw(kv: KvService, request: RangeRequest, opts: ReadRangeOptions): AsyncGenerator<RangeWire> {
  return pagesOf(RAW, kv, request, opts);
}

/**
 * The pages, in key order. The first carries the header, `count` (of the whole range) and the
 * revision every later page is read at; the last has `more` false (unless the request had a
 * limit and was sent once). A read error is thrown after the pages read before it.
 */
async function* pagesOf<P>(form: PageForm<P>, kv: KvService, request: RangeRequest, opts: ReadRangeOptions): AsyncGenerator<P> {
  const maxKeys = opts.pageKeys;
  if (maxKeys <= 0) {
    yield await form.read(kv, request, opts.firstDeadline);
    return;
  }
  const readAhead = Math.max(0, opts.readAhead ?? 0);
  const queue: P[] = [];
  let failure: { error: unknown } | undefined;
  let finished = false;
  let stopped = false;
  let wakeReader: (() => void) | undefined;
  let wakeConsumer: (() => void) | undefined;
  const wake = (fn: (() => void) | undefined) => fn?.();
  const wakeReaderNow = () => {
    const reader = wakeReader;
    wakeReader = undefined;
    wake(reader);
  };

  // The reader runs on its own, at most readAhead pages ahead of the consumer.
  void (async () => {
    try {
      let page = await form.read(kv, { ...request, limit: String(Math.min(maxKeys, FIRST_PAGE_KEYS)) }, opts.firstDeadline);
      const explicit = request.revision !== undefined && request.revision !== null && String(request.revision) !== '0';
      const revision = explicit ? String(request.revision) : form.revision(page);
      const total = Number(form.count(page));
      let read = 0;
      for (;;) {
        // What the next request needs is taken before the page is handed over.
        const more = form.more(page) && form.kvCount(page) > 0;
        const from = more ? Buffer.concat([form.lastKey(page), NUL]) : undefined;
        const kvCount = form.kvCount(page);
        const weight = form.weight(page);
        queue.push(page);
        wake(wakeConsumer);
        if (!from || stopped) return;
        read += kvCount;
        const limit = opts.sizeByBytes === false ? maxKeys : nextPageLimit(maxKeys, opts.restInOne ?? false, kvCount, weight, total - read);
        while (queue.length >= Math.max(1, readAhead) && !stopped) await new Promise<void>((resolve) => (wakeReader = resolve));
        if (stopped) return;
        page = await form.read(kv, { ...request, key: from, revision, limit: String(limit) }, opts.nextDeadline?.());
      }
    } catch (err) {
      failure = { error: err };
    } finally {
      finished = true;
      wake(wakeConsumer);
    }
  })();

  try {
    for (;;) {
      const page = queue.shift();
      if (page !== undefined) {
        if (readAhead > 0) wakeReaderNow();
        yield page;
        if (readAhead === 0) wakeReaderNow();
        continue;
      }
      if (finished) {
        if (failure) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => (wakeConsumer = () => {
        wakeConsumer = undefined;
        resolve();
      }));
    }
  } finally {
    // The consumer stopped early (an error while printing): the reader sends nothing more.
    stopped = true;
    wakeReaderNow();
  }
}
