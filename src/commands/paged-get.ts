// `get` over a large range: read in pages (range-pages.ts) and printed as they come, with output
// byte-identical to etcdctl's single response in the simple, json and fields formats, and memory
// bounded by one page. Other formats (protobuf, etcdctl-ts's extras), --limit, sorting, revision
// filters and --count-only keep the single request.
//
// Paging is automatic: the first request asks for at most a page; when the whole range fits, it
// is printed exactly as before, and when the rest is small (range-pages.ts REST_IN_ONE_BYTES) it
// comes in one more request. `--page-size N` pages the whole range, at most N keys per request;
// 0 turns paging off.
import type { FlagSpec } from '../cli/command.js';
import type { Invocation, Session } from '../cli/invocation.js';
import { asCtlError } from '../errors.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import type { OutputStream } from '../io.js';
import { fieldsHeader, fieldsKv } from '../output/formats/fields.js';
import { simpleKv } from '../output/formats/simple.js';
import { goJson } from '../output/gojson.js';
import { canPage, rangePages } from './range-pages.js';

export const DEFAULT_PAGE_SIZE = 10_000;

export const PAGE_SIZE_FLAG: FlagSpec = {
  name: 'page-size',
  kind: 'int',
  defaultText: String(DEFAULT_PAGE_SIZE),
  help: 'most keys fetched per request when printing a large range (0: a single request)',
  extra: true,
};

const PAGED_FORMATS = new Set(['simple', 'json', 'fields']);

/** The page size to use for this get, or 0 for etcdctl's single request. */
export function pageSizeFor(inv: Invocation, session: Session, request: RangeRequest): number {
  const size = Number(inv.int(PAGE_SIZE_FLAG.name));
  if (size <= 0 || !PAGED_FORMATS.has(session.config.display.format) || !canPage(request)) return 0;
  // Serializable reads may land on different members, which need not have the revision yet.
  if (request.serializable && session.config.client.endpoints.length > 1) return 0;
  return size;
}

/** Writes and waits while the stream's buffer is full, so a slow reader bounds memory. */
async function write(out: OutputStream, chunk: string | Uint8Array): Promise<void> {
  out.write(chunk);
  await out.drained?.();
}

/**
 * Prints the range page by page. `checkOutput` runs etcdctl's after-the-request checks (after the
 * first page, before anything is printed).
 */
export async function printPagedGet(
  inv: Invocation,
  session: Session,
  request: RangeRequest,
  firstDeadline: number,
  pageSize: number,
  checkOutput: () => void,
): Promise<void> {
  const format = session.config.display.format;
  const hex = session.config.display.hex;
  const valueOnly = inv.bool('print-value-only');
  const timeoutMs = Number(BigInt(inv.string('command-timeout')) / 1_000_000n);
  const out = inv.io.stdout;
  const pages = rangePages(session.client.kv, request, {
    maxKeys: pageSize,
    automatic: !inv.changed(PAGE_SIZE_FLAG.name),
    firstDeadline,
    nextDeadline: () => Date.now() + timeoutMs,
  });
  let first: RangeResponse__Output | undefined;
  let kvsWritten = 0;
  try {
    for await (const page of pages) {
      if (!first) {
        first = page;
        checkOutput();
        if (!page.more) {
          // The whole range in one page: exactly the single request's response.
          session.print({ kind: 'get', resp: page, valueOnly });
          return;
        }
        if (format === 'json') await write(out, `{"header":${goJson(page.header as never, 'etcdserverpb.ResponseHeader')},"kvs":[`);
        if (format === 'fields') await write(out, fieldsHeader(page.header));
      }
      if (format === 'simple') {
        await write(out, Buffer.concat(page.kvs.map((kv) => simpleKv(kv, { hex }, valueOnly))));
      } else if (format === 'json') {
        const items = page.kvs.map((kv) => goJson(kv as never, 'mvccpb.KeyValue'));
        await write(out, (kvsWritten > 0 ? ',' : '') + items.join(','));
      } else {
        await write(out, page.kvs.map((kv) => fieldsKv('', kv)).join(''));
      }
      kvsWritten += page.kvs.length;
    }
  } catch (err) {
    throw asCtlError(err);
  }
  if (!first) return;
  if (format === 'json') await write(out, `],"count":${first.count}}\n`);
  if (format === 'fields') await write(out, `"More" : false\n"Count" : ${first.count}\n`);
}
