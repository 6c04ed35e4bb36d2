// A get rendered as it is read: the format's GetStream (output/types.ts) over the range
// reader's pages (kv/range-reader.ts), written with back-pressure so memory stays bounded by a
// page whatever the range's size; and the same GetStream over one response for the formats' `get`.
import type { OutputStream } from '../io/types.js';
import type { Chunk, GetStream } from './types.js';

/** Writes and waits while the stream's buffer is full, so a slow reader bounds memory. */
async function write(out: OutputStream, chunks: Chunk | readonly Chunk[]): Promise<void> {
  if (typeof chunks === 'string' || chunks instanceof Uint8Array) {
    if (chunks.length === 0) return;
    out.write(chunks);
  } else {
    for (const chunk of chunks) if (chunk.length > 0) out.write(chunk);
  }
  await out.drained?.();
}

/**
 * Writes the pages as one response. `afterFirst` runs once the first page is in, before anything
 * is written (etcdctl's checks that come after the request took effect).
 */
export async function writeGet<P>(out: OutputStream, stream: GetStream<P>, pages: AsyncIterable<P>, afterFirst: () => void): Promise<void> {
  let first: P | undefined;
  let last: P | undefined;
  let kvs = 0;
  for await (const page of pages) {
    if (first === undefined) {
      first = page;
      afterFirst();
      await write(out, stream.begin(page));
    }
    // Counted first: rendering may overwrite the page (simple text in place).
    const count = stream.kvCount(page);
    await write(out, stream.page(page, kvs));
    kvs += count;
    last = page;
  }
  if (first !== undefined && last !== undefined) await write(out, stream.end(first, last));
}

/** One response rendered whole: text when every piece is text, bytes otherwise. */
export function wholeGet<P>(stream: GetStream<P>, resp: P): string | Uint8Array {
  const begin = stream.begin(resp);
  const page = stream.page(resp, 0);
  const chunks = [begin, ...(typeof page === 'string' || page instanceof Uint8Array ? [page] : page), stream.end(resp, resp)];
  if (chunks.every((c) => typeof c === 'string')) return chunks.join('');
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}
