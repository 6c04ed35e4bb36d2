// `get` in the simple and json formats printed straight from the responses' wire bytes
// (output/range-wire.ts): no object per key; simple text is written over the response's own
// bytes. The requests, the paging (paged-get.ts, range-pages.ts: same page sizes, same revision,
// same checks) and the output are the same as the general path's, byte for byte; while a page is
// printed, the next one is already being read. Other formats, --hex and the rest keep the general
// path.
import type { Invocation, Session } from '../cli/invocation.js';
import { asCtlError } from '../errors.js';
import type { RangeRequest } from '../generated/etcdserverpb/RangeRequest.js';
import type { OutputStream } from '../io.js';
import { type RangeWire, headerJson, headerRevision, keyOf, kvsJson, rangeJsonParts, scanRange, simpleTextInPlace } from '../output/range-wire.js';
import { pageSizeFor, PAGE_SIZE_FLAG } from './paged-get.js';
import { FIRST_PAGE_KEYS, nextPageLimit } from './range-pages.js';

const NUL = Buffer.from([0]);

async function write(out: OutputStream, chunk: string | Uint8Array): Promise<void> {
  out.write(chunk);
  await out.drained?.();
}

/**
 * Prints the get when its format allows (returns false otherwise, having done nothing).
 * `checkOutput` runs etcdctl's after-the-request checks, as in runGet.
 */
export async function printFastGet(
  inv: Invocation,
  session: Session,
  request: RangeRequest,
  deadline: number,
  checkOutput: () => void,
): Promise<boolean> {
  const format = session.config.display.format;
  if ((format !== 'simple' && format !== 'json') || session.config.display.hex) return false;
  const valueOnly = inv.bool('print-value-only');
  const out = inv.io.stdout;
  const connection = session.client.connection;
  const range = (req: RangeRequest, until: number | undefined): Promise<Buffer> =>
    connection.unary<Buffer>('etcdserverpb.KV', 'Range', req, { deadline: until, idempotent: true, deserialize: (bytes) => bytes });
  const whole = (wire: RangeWire) => {
    if (format === 'simple') out.write(simpleTextInPlace(wire, valueOnly));
    else for (const part of rangeJsonParts(wire)) out.write(part);
  };

  const pageSize = pageSizeFor(inv, session, request);
  const automatic = !inv.changed(PAGE_SIZE_FLAG.name);
  if (pageSize <= 0) {
    const bytes = await range(request, deadline).catch((err) => {
      throw asCtlError(err);
    });
    checkOutput();
    whole(scanRange(bytes));
    return true;
  }

  // As paged-get.ts printPagedGet over range-pages.ts rangePages.
  const timeoutMs = Number(BigInt(inv.string('command-timeout')) / 1_000_000n);
  let pending = range({ ...request, limit: String(Math.max(1, Math.min(pageSize, FIRST_PAGE_KEYS))) }, deadline);
  let first: RangeWire | undefined;
  let revision = '0';
  let kvsWritten = 0;
  try {
    for (;;) {
      const wire = scanRange(await pending);
      if (!first) {
        first = wire;
        checkOutput();
        if (!wire.more) {
          // The whole range in one page: exactly the single request's response.
          whole(wire);
          return true;
        }
        revision = request.revision !== undefined && request.revision !== null && String(request.revision) !== '0' ? String(request.revision) : headerRevision(wire);
        if (format === 'json') await write(out, `{"header":${wire.header ? headerJson(wire.header) : 'null'},"kvs":[`);
      }
      let next: Promise<Buffer> | undefined;
      if (wire.more && wire.kvCount > 0) {
        const limit = nextPageLimit(pageSize, automatic, wire.kvCount, wire.weight, Number(first.count) - kvsWritten - wire.kvCount);
        const from = Buffer.concat([keyOf(wire, wire.kvCount - 1), NUL]);
        next = range({ ...request, key: from, revision, limit: String(limit) }, Date.now() + timeoutMs);
        // Awaited on the next turn; until then a failure must not count as unhandled.
        next.catch(() => {});
      }
      // The page's bytes are not needed after this (the next page's start key is a copy).
      if (format === 'simple') await write(out, simpleTextInPlace(wire, valueOnly));
      else {
        if (kvsWritten > 0) out.write(',');
        await write(out, kvsJson(wire));
      }
      kvsWritten += wire.kvCount;
      if (!next) break;
      pending = next;
    }
  } catch (err) {
    throw asCtlError(err);
  }
  if (format === 'json') await write(out, `],"count":${first.count}}\n`);
  return true;
}
