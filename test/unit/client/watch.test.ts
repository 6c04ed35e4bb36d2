// One watch's bookkeeping over responses read from their wire bytes: the revision it resumes from
// (after the last event delivered, or after a progress notification's revision), its end at an
// error, and untilRevision (a replay segment ends itself); and the service's handling of the
// stream's bytes (fragments, progress notifications, compaction, unknown watches) with a stand-in
// stream. Failover is tested against real etcd members (watch-lock-elect.cluster.test.ts).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/client/connection.js';
import { encodeMessage } from '../../../src/client/proto.js';
import { WatchService, Watcher, watchResponseOf, type WatchOptions, type WatchResponse } from '../../../src/client/watch.js';
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

/** A stand-in for the gRPC stream: records what is written, and the test pushes responses' bytes. */
class FakeStream extends EventEmitter {
  readonly written: object[] = [];
  write(req: object) {
    this.written.push(req);
  }
  end() {}
  cancel() {}
}

function fakeService() {
  const stream = new FakeStream();
  const conn = { config: {}, bidiStream: async () => stream } as unknown as Connection;
  return { service: new WatchService(conn), stream };
}

const bytesOf = (message: object) => encodeMessage('etcdserverpb.WatchResponse', message);
const waitFor = async (what: () => boolean) => {
  for (let i = 0; i < 100 && !what(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(what()).toBe(true);
};

describe('WatchService over a stream of wire bytes', () => {
  it('joins fragments, passes progress notifications on, and ends at a compaction', async () => {
    const { service, stream } = fakeService();
    const w = service.watch({ key: Buffer.from('k'), startRevision: 5n });
    await waitFor(() => stream.written.length === 1);
    expect(stream.written[0]).toMatchObject({ create_request: { start_revision: '5' } });
    stream.emit('data', bytesOf({ header, watch_id: '3', created: true }));
    await w.ready;
    stream.emit('data', bytesOf({ header, watch_id: '3', fragment: true, events: [put('k', 6)] }));
    stream.emit('data', bytesOf({ header, watch_id: '3', fragment: true, events: [put('k', 7)] }));
    stream.emit('data', bytesOf({ header, watch_id: '3', events: [put('k', 8)] }));
    stream.emit('data', bytesOf({ header, watch_id: '-1' }));
    stream.emit('data', bytesOf({ header, watch_id: '3', canceled: true, compact_revision: '20' }));
    const got = await drain(w);
    expect(got.map((r) => r.eventCount)).toEqual([3, 0, 0]);
    expect(got[0]!.events!.map((e) => e.kv!.mod_revision)).toEqual(['6', '7', '8']);
    expect(got[1]!.header.revision).toBe('50');
    expect(got[2]!.compactRevision).toBe('20');
    service.close();
  });

  it('a response for a watch it does not know is answered with a cancel request', async () => {
    const { service, stream } = fakeService();
    const w = service.watch({ key: Buffer.from('k'), startRevision: 5n });
    await waitFor(() => stream.written.length === 1);
    stream.emit('data', bytesOf({ header, watch_id: '0', created: true }));
    await w.ready;
    stream.emit('data', bytesOf({ header, watch_id: '9', events: [put('k', 6)] }));
    expect(stream.written[1]).toEqual({ cancel_request: { watch_id: '9' } });
    service.close();
  });
});
