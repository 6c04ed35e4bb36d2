// The segment logic of client/watch-replay.ts against a stand-in for the WatchService that hands
// each watch the history from its start revision in etcd-sized batches (1,001 revisions), as a
// lagging watch gets it. Real etcd is exercised by test/integration/watch-replay.diff.test.ts.
import { describe, expect, it } from 'vitest';
import { REVISIONS_PER_SEGMENT, replayBySegments, segmentStarts, worthSplitting } from '../../../src/client/watch-replay.js';
import { watchResponseOf, type WatchOptions, type WatchResponse, type WatchService } from '../../../src/client/watch.js';
import { scanWatchResponse } from '../../../src/client/watch-wire.js';
import { encodeMessage } from '../../../src/client/proto.js';
import { codecOf } from '../../../src/generated/codecs.js';
import type { Event__Output } from '../../../src/generated/mvccpb/Event.js';

const header = { cluster_id: '1', member_id: '2', revision: '0', raft_term: '3' };

/** A response as the watch client gets it off the wire. */
const fromServer = (message: object): WatchResponse => watchResponseOf(scanWatchResponse(encodeMessage('etcdserverpb.WatchResponse', message)));

const WATCH_RESPONSE = codecOf('etcdserverpb.WatchResponse')!;
// Each event encoded once (by the codec itself: encodeMessage's Go-style pruning is slow), as a WatchResponse holding only it: concatenated messages are merged
// by protobuf, so a batch is its header's message followed by its events' (much faster).
const encodedEvents = new WeakMap<Event__Output, Buffer>();
const encodedEvent = (e: Event__Output): Buffer => {
  let bytes = encodedEvents.get(e);
  if (!bytes) encodedEvents.set(e, (bytes = Buffer.from(WATCH_RESPONSE.encode(WATCH_RESPONSE.fromObject({ events: [e] })).finish())));
  return bytes;
};
const batchResponse = (events: Event__Output[]): WatchResponse =>
  watchResponseOf(scanWatchResponse(Buffer.concat([encodeMessage('etcdserverpb.WatchResponse', { header: { ...header, revision: '99999' } }), ...events.map(encodedEvent)])));

function event(rev: number, key: string): Event__Output {
  const kv = { key: Buffer.from(key), value: Buffer.from(`v${rev}`), create_revision: String(rev), mod_revision: String(rev), version: '1', lease: '0' };
  return { type: 0, kv, prev_kv: null } as unknown as Event__Output;
}

/** A fake watch: its responses are precomputed, it records when it is cancelled. */
class FakeWatch {
  cancelled = false;
  constructor(
    readonly start: bigint,
    private readonly responses: Iterable<WatchResponse>,
  ) {}
  cancel() {
    this.cancelled = true;
  }
  async *[Symbol.asyncIterator]() {
    for (const r of this.responses) {
      if (this.cancelled) return;
      await Promise.resolve();
      yield r;
    }
  }
}

/**
 * Batches of up to 1,001 revisions from `start`, as etcd's sync loop sends a lagging watch; each
 * is encoded when the watch gets to it (segment watches are cancelled after one or two).
 */
function* batches(history: Event__Output[], start: bigint, final?: WatchResponse): Generator<WatchResponse> {
  // The history is in revision order: from the first event at or after start.
  const from = history.findIndex((e) => Number(e.kv!.mod_revision) >= Number(start));
  const evs = from < 0 ? [] : history.slice(from);
  let batch: Event__Output[] = [];
  let revs = 0;
  let lastRev = '';
  for (const e of evs) {
    if (e.kv!.mod_revision !== lastRev) {
      if (revs === 1001) {
        yield batchResponse(batch);
        batch = [];
        revs = 0;
      }
      revs++;
      lastRev = e.kv!.mod_revision;
    }
    batch.push(e);
  }
  if (batch.length > 0) yield batchResponse(batch);
  if (final) yield final;
}

function fakeService(history: Event__Output[], failAt?: bigint) {
  const watches: FakeWatch[] = [];
  let open = 0;
  let maxOpen = 0;
  const service = {
    watch(options: WatchOptions) {
      const final: WatchResponse | undefined =
        failAt !== undefined && options.startRevision === failAt
          ? fromServer({ header, events: [], compact_revision: '7', canceled: true })
          : undefined;
      const w = new FakeWatch(options.startRevision, failAt !== undefined && options.startRevision === failAt ? [final!] : batches(history, options.startRevision));
      const cancel = w.cancel.bind(w);
      w.cancel = () => {
        if (!w.cancelled) open--;
        cancel();
      };
      open++;
      maxOpen = Math.max(maxOpen, open);
      watches.push(w);
      return w;
    },
  };
  return { service: service as unknown as WatchService, watches, maxOpen: () => maxOpen };
}

async function collect(it: AsyncIterable<WatchResponse>): Promise<WatchResponse[]> {
  const out: WatchResponse[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const options = (start: bigint): WatchOptions => ({ key: Buffer.from('w/'), rangeEnd: Buffer.from('w0'), startRevision: start });
const revsOf = (rs: WatchResponse[]) => rs.flatMap((r) => (r.events ?? []).map((e) => `${e.kv!.mod_revision}:${e.kv!.key.toString()}`));

describe('watch replay by segments', () => {
  it('plans segments of 1,000 revisions from the start revision', () => {
    expect(segmentStarts(5n, 4004n)).toEqual([5n, 1005n, 2005n, 3005n]);
    expect(segmentStarts(5n, 4005n)).toEqual([5n, 1005n, 2005n, 3005n, 4005n]);
    expect(segmentStarts(10n, 3n)).toEqual([10n]);
    expect(worthSplitting(0n, 100_000n)).toBe(false);
    expect(worthSplitting(1n, 2000n)).toBe(false);
    expect(worthSplitting(1n, 2001n)).toBe(true);
    expect(REVISIONS_PER_SEGMENT).toBe(1000n);
  });

  it('delivers every event once, in revision order, across segments with gaps and multi-event revisions', async () => {
    const history: Event__Output[] = [];
    for (let rev = 2; rev <= 9000; rev++) {
      if (rev > 3000 && rev < 4500) continue; // revisions that touched other keys only: a whole empty segment
      history.push(event(rev, `w/${rev % 37}`));
      if (rev % 250 === 0 || rev % 1000 === 1 || rev % 1000 === 0) history.push(event(rev, `w/extra${rev}`)); // a txn: several events, one revision
    }
    const { service, watches, maxOpen } = fakeService(history);
    const out = await collect(replayBySegments(service, options(2n), 9000n));
    expect(revsOf(out)).toEqual(history.map((e) => `${e.kv!.mod_revision}:${e.kv!.key.toString()}`));
    expect(watches.map((w) => w.start)).toEqual(segmentStarts(2n, 9000n));
    // Every segment watch but the live one was cancelled; no response is empty.
    expect(watches.slice(0, -1).every((w) => w.cancelled)).toBe(true);
    expect(out.every((r) => r.eventCount > 0)).toBe(true);
    expect(maxOpen()).toBeLessThanOrEqual(32);
  });

  // Nothing here depends on timing (the fake hands out its batches in microtasks, the window is
  // counted on watch() and cancel()), but encoding 70,000 events takes ~1.5 s of CPU on an idle
  // 2-core machine: several times that beside a busy one, past vitest's 5 s default.
  it('keeps at most 32 segment watches open', async () => {
    const history = Array.from({ length: 70_000 }, (_, i) => event(i + 1, 'w/k'));
    const { service, watches, maxOpen } = fakeService(history);
    const out = await collect(replayBySegments(service, options(1n), 70_000n));
    expect(out.reduce((n, r) => n + r.eventCount, 0)).toBe(70_000);
    expect(watches.length).toBe(70);
    expect(maxOpen()).toBe(32);
  }, 60_000);

  it('ends with a segment watch that ends in an error, and cancels the others', async () => {
    const history = Array.from({ length: 5000 }, (_, i) => event(i + 1, 'w/k'));
    const { service, watches } = fakeService(history, 2001n);
    const out = await collect(replayBySegments(service, options(1n), 5000n));
    expect(revsOf(out).length).toBe(2000);
    expect(out[out.length - 1]!.compactRevision).toBe('7');
    expect(watches.every((w) => w.cancelled)).toBe(true);
  });
});
