// Replaying a long stretch of history through several watches at once.
//
// etcd 3.5 sends a watch that starts in the past at most ~1,000 revisions per sync cycle, and its
// sync loop waits 100 ms between cycles while a watch stays behind; every cycle also reads the
// rest of the history from disk again. Replaying 100,000 revisions through one watch therefore
// takes ~100 cycles (≈18 s here), for etcdctl as for us. The server serves up to 512 lagging
// watches per cycle, so the replay is cut into segments of REVISIONS_PER_SEGMENT revisions, each
// read by its own watch (same key range and options, its own start revision); a segment's watch
// is cancelled as soon as it has received an event past its segment (untilRevision), and the last
// segment's watch goes on as the live watch. The events come out in the same order as from one
// watch; only how they are grouped into responses differs, which is why callers use this only
// where grouping is not visible (simple output, no exec command, no progress notifications).
//
// At most WINDOW segment watches are open at a time, which bounds what is held in memory while
// earlier segments are printed: their responses, as wire bytes.
import { modRevisionOf } from './watch-wire.js';
import { watchResponseError, type WatchOptions, type WatchResponse, type WatchService, type Watcher } from './watch.js';

/** etcd's watchBatchMaxRevs (1,000; a batch holds up to 1,001): a segment fits one batch. */
export const REVISIONS_PER_SEGMENT = 1000n;
/**
 * Segment watches open at once (etcd serves up to 512 lagging watches per sync cycle). Measured
 * on 100,000 events: 16 open took 2.8 s and 144 MiB, 32 open 2.6 s and 165 MiB, 64 open 2.1 s
 * and 208 MiB (etcdctl: ~19 s).
 */
const WINDOW = 32;

/** Whether replaying from `startRevision` to `headRevision` is long enough to be worth splitting. */
export function worthSplitting(startRevision: bigint, headRevision: bigint): boolean {
  return startRevision > 0n && headRevision - startRevision + 1n > 2n * REVISIONS_PER_SEGMENT;
}

/** The start revision of each segment from `startRevision` up to `headRevision`. */
export function segmentStarts(startRevision: bigint, headRevision: bigint, perSegment = REVISIONS_PER_SEGMENT): bigint[] {
  const starts: bigint[] = [];
  for (let s = startRevision; s <= headRevision; s += perSegment) starts.push(s);
  if (starts.length === 0) starts.push(startRevision);
  return starts;
}

/**
 * Index of the first event at or after revision `end`, or -1. Events come in revision order, so
 * the last one tells whether there is one, and a binary search finds it (events without a kv,
 * which etcd never sends, count as before `end`).
 */
function firstEventFrom(resp: WatchResponse, end: bigint): number {
  const { wire, eventCount } = resp;
  const reaches = (e: number) => (modRevisionOf(wire!, e) ?? -1n) >= end;
  if (!wire || eventCount === 0 || !reaches(eventCount - 1)) return -1;
  let lo = 0;
  let hi = eventCount - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reaches(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The responses of one watch of `options` from `options.startRevision`, read through one watch
 * per segment up to `headRevision` (the store's revision when the replay starts). Ends when the
 * live watch ends; a segment watch that ends with an error ends everything with that response.
 */
export async function* replayBySegments(service: WatchService, options: WatchOptions, headRevision: bigint): AsyncGenerator<WatchResponse> {
  const starts = segmentStarts(options.startRevision, headRevision);
  const open: Watcher[] = [];
  let current: Watcher | undefined;
  let opened = 0;
  const openMore = () => {
    while (open.length < WINDOW && opened < starts.length) {
      const startRevision = starts[opened]!;
      const untilRevision = starts[++opened];
      open.push(service.watch({ ...options, startRevision, ...(untilRevision !== undefined ? { untilRevision } : {}) }));
    }
  };
  try {
    openMore();
    for (let segment = 0; segment < starts.length; segment++) {
      const watcher = (current = open.shift()!);
      const end = starts[segment + 1];
      if (end === undefined) {
        // The last segment's watch is the live one.
        yield* watcher;
        return;
      }
      let finished = false;
      for await (const resp of watcher) {
        if (watchResponseError(resp) !== undefined) {
          yield resp;
          return;
        }
        const cut = firstEventFrom(resp, end);
        if (cut === -1) {
          if (resp.eventCount > 0) yield resp;
          continue;
        }
        if (cut > 0) yield resp.slice(cut);
        finished = true;
        break;
      }
      watcher.cancel();
      // Ended without passing its segment and without an error: the service was closed.
      if (!finished) return;
      openMore();
    }
  } finally {
    current?.cancel();
    for (const w of open) w.cancel();
  }
}
