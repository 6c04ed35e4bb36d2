// Reading a large range in bounded batches, all at one revision, so that what is printed equals a
// single request at that revision: the first page is read at the requested revision (the current
// one when none was given) and fixes it; every later page asks for the same revision, starting
// after the last key seen. Page sizes adapt to the values' sizes so a page stays around
// PAGE_BYTES (at most `maxKeys` keys).
//
// etcd 3.5 counts the whole rest of the range again for every request that has a limit (≈13 ms
// per 100,000 keys here), so many pages cost more than they save. Unless pages were asked for
// (`--page-size` given), the first page decides: when the rest of the range (its count times the
// first page's bytes per key) is at most REST_IN_ONE_BYTES, it is read in one more request.
//
// The one way this can differ from a single request: if the cluster compacts past that revision
// while the pages are read, a later page fails ("required revision has been compacted") after
// earlier pages were printed.
import { hasRangeEnd } from '../kv/key-range.js';
import type { KvService } from '../client/services.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';

/** Keys in the first request: small enough to be cheap when the range is large. */
export const FIRST_PAGE_KEYS = 1000;
/** What a page aims at in bytes of keys and values. */
export const PAGE_BYTES = 4 * 1024 * 1024;
/** A rest of the range at most this large (estimated) is read in one request, when paging is automatic. */
export const REST_IN_ONE_BYTES = 32 * 1024 * 1024;

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
  const hasRange = hasRangeEnd(request.range_end);
  return (
    hasRange &&
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

const NUL = Buffer.from([0]);

function pageBytes(resp: RangeResponse__Output): number {
  let bytes = 0;
  for (const kv of resp.kvs) bytes += kv.key.length + kv.value.length + 32;
  return bytes;
}

export interface PageOptions {
  /** The most keys one request asks for. */
  maxKeys: number;
  /** Paging chosen by etcdctl-ts, not asked for: a small enough rest is read in one request. */
  automatic?: boolean;
  /** Deadline of the first request (the command's own). */
  firstDeadline?: number;
  /** Deadline for each later request, computed when it is sent. */
  nextDeadline?: () => number | undefined;
}

/**
 * The range's pages, in key order. The first page carries the header, `count` (of the whole
 * range) and the revision every later page is read at; the last has `more` false.
 */
export async function* rangePages(kv: KvService, request: RangeRequest, opts: PageOptions): AsyncGenerator<RangeResponse__Output> {
  let limit = Math.max(1, Math.min(opts.maxKeys, FIRST_PAGE_KEYS));
  let resp = await kv.range({ ...request, limit: String(limit) }, opts.firstDeadline);
  yield resp;
  const revision = request.revision !== undefined && String(request.revision) !== '0' ? String(request.revision) : (resp.header?.revision ?? '0');
  const total = Number(resp.count);
  let read = 0;
  while (resp.more && resp.kvs.length > 0) {
    read += resp.kvs.length;
    limit = nextPageLimit(opts.maxKeys, opts.automatic ?? false, resp.kvs.length, pageBytes(resp), total - read);
    const from = Buffer.concat([resp.kvs[resp.kvs.length - 1]!.key, NUL]);
    resp = await kv.range({ ...request, key: from, revision, limit: String(limit) }, opts.nextDeadline?.());
    yield resp;
  }
}
