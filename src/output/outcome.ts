// What a command returns, and the one place it is written to stdout. Commands execute and hand
// back an Outcome; main writes it here, rendered in the chosen format, so no command prints.
import type { OutputStream } from '../io/types.js';
import type { OutputFormat } from './format-names.js';
import type { Chunk, GetStream, RenderOptions, Result } from './types.js';

/** Output etcdctl writes with fmt rather than its printer: the same text whatever -w says. */
export interface Text {
  kind: 'text';
  text: Chunk;
}

/**
 * A get printed as it is read (kv/range-reader.ts's pages, output/render.ts's getRendering).
 * `afterFirst` runs once the first page is in, before anything is written: etcdctl's checks
 * that come after the request took effect.
 */
export interface PagedGet<P = unknown> {
  kind: 'pagedGet';
  stream: GetStream<P>;
  pages: AsyncIterable<P>;
  afterFirst: () => void;
}

export type Printable = Result | Text;

/** A single result, or a stream of them (watch, keep-alive, elect --listen, progress lines). */
export type Outcome = Printable | PagedGet | AsyncIterable<Printable>;

/** How results are rendered: the -w format and its options. */
export interface Display extends RenderOptions {
  format: OutputFormat;
}

export function text(chunk: Chunk): Text {
  return { kind: 'text', text: chunk };
}

/** What etcdctl prints before it exits with an error: the items, then `failure` (if any) for main to report. */
export async function* thenFail(items: readonly Printable[], failure: unknown): AsyncGenerator<Printable> {
  yield* items;
  if (failure) throw failure;
}

function isStream(outcome: Outcome): outcome is AsyncIterable<Printable> {
  return typeof (outcome as Partial<AsyncIterable<Printable>>)[Symbol.asyncIterator] === 'function';
}

/**
 * Writes the outcome to `out`. The display is asked for only when a result needs rendering
 * (resolving it may read the configuration), and the format's renderer is loaded once.
 */
export async function writeOutcome(out: OutputStream, outcome: Outcome, display: () => Promise<Display>): Promise<void> {
  let renderer: ((result: Result) => Chunk) | undefined;
  const print = async (item: Printable) => {
    if (item.kind === 'text') {
      if (item.text.length > 0) out.write(item.text);
      return;
    }
    if (!renderer) {
      const shown = await display();
      const { rendererFor } = await import('./lazy-render.js');
      const render = await rendererFor(shown.format);
      renderer = (result) => render(result, { hex: shown.hex, k8s: shown.k8s });
    }
    out.write(renderer(item));
  };
  if (isStream(outcome)) {
    for await (const item of outcome) {
      await print(item);
      await out.drained?.();
    }
    return;
  }
  if (outcome.kind === 'pagedGet') {
    const { writeGet } = await import('./get-stream.js');
    await writeGet(out, outcome.stream, outcome.pages, outcome.afterFirst);
    return;
  }
  await print(outcome);
}
