// One watch's bookkeeping over responses read from their wire bytes: the revision it resumes from
// (after the last event delivered, or after a progress notification's revision), its end at an
// error, and untilRevision (a replay segment ends itself). The stream side is tested against real
// etcd members (test/integration/watch-lock-elect.cluster.test.ts).
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src/client/proto.js';
import { Watcher, watchResponseOf, type WatchOptions, type WatchResponse, type WatchService } from '../../../src/client/watch.js';
import { scanWatchResponse } from '../../../src/client/watch-wire.js';

const header = { cluster_id: '1', member_id: '2', revision: '50', raft_term: '3' };
const fromServer = (message: object): WatchResponse => watchResponseOf(scanWatchResponse(encodeMessage('etcdserverpb.WatchResponse', message)));
const put = (key: string, rev: number) => ({ type: 0, kv: { key: Buffer.from(key), value: Buffer.from('v'), create_revision: String(rev), mod_revision: String(rev), version: '1', lease: '0' } });

function watcher(options: Partial<WatchOptions> = {}) {
  const cancelled: Watcher[] = [];
  const owner = { cancelWatcher: (w: Watcher) => cancelled.push(w) } as unknown as WatchService;
  const w = new Watcher({ key: Buffer.from('k'), startRevision: 5n, ...options }, owner);
  return { w, cancelled };
}

async function drain(w: Watcher): Promise<WatchResponse[]> {
  const out: WatchResponse[] = [];
  for await (const r of w) out.push(r);
  return out;
}

describe('Watcher', () => {
  it('resumes after the last event delivered, or after a progress notification', () => {
    const { w } = watcher();
    expect(w.deliver(fromServer({ header, watch_id: '0', events: [put('k', 7), put('k', 9)] }))).toBe(true);
    expect(w.nextRevision).toBe(10n);
    expect(w.deliver(fromServer({ header, watch_id: '-1' }))).toBe(true);
    expect(w.nextRevision).toBe(51n);
  });

  it('ends at a response that carries an error (compaction)', async () => {
    const { w, cancelled } = watcher();
    expect(w.deliver(fromServer({ header, watch_id: '0', canceled: true, compact_revision: '30' }))).toBe(false);
    expect(w.deliver(fromServer({ header, watch_id: '0', events: [put('k', 31)] }))).toBe(false);
    const got = await drain(w);
    expect(got.map((r) => r.compactRevision)).toEqual(['30']);
    expect(cancelled).toEqual([]);
  });

  it('with untilRevision, cancels itself once a response reaches it, keeping that response', async () => {
    const { w, cancelled } = watcher({ untilRevision: 1005n });
    expect(w.deliver(fromServer({ header, watch_id: '0', events: [put('k', 900), put('k', 1004)] }))).toBe(true);
    expect(cancelled).toEqual([]);
    expect(w.deliver(fromServer({ header, watch_id: '0', events: [put('k', 1004), put('k', 1006)] }))).toBe(true);
    expect(cancelled).toEqual([w]);
    // Nothing more is queued once it ended.
    expect(w.deliver(fromServer({ header, watch_id: '0', events: [put('k', 1007)] }))).toBe(false);
    const got = await drain(w);
    expect(got.map((r) => r.eventCount)).toEqual([2, 2]);
  });
});
