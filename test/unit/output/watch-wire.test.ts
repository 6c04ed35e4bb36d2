// watch's simple and json output printed from the WatchResponse wire bytes (client/watch-wire.ts,
// output/watch-render.ts) must be what the decoded response gives (gojson.ts for json, etcdctl's
// printer for simple), byte for byte; and the fields the watch client reads must come out right,
// on hand-encoded responses: progress notifications, cancels, compaction, fragments.
import { describe, expect, it } from 'vitest';
import { INT64S, pickWith, randomHeader, randomKeyValue, rng } from '../../support/random-wire.js';
import { decodeMessage, encodeMessage } from '../../../src/client/proto.js';
import { isProgressNotify, watchResponseError, watchResponseOf, type WatchResponse } from '../../../src/client/watch.js';
import { KV, PREV_KV, hasKeyValue, keyOf, modRevisionOf, scanWatchResponse, valueOf } from '../../../src/client/watch-wire.js';
import type { Event__Output } from '../../../src/generated/mvccpb/Event.js';
import type { KeyValue__Output } from '../../../src/generated/mvccpb/KeyValue.js';
import type { WatchResponse__Output } from '../../../src/generated/etcdserverpb/WatchResponse.js';
import { hexEscape } from '../../../src/go/encode.js';
import { goJson } from '../../../src/output/gojson.js';
import { render } from '../../../src/output/render.js';

function randomResponse(seed: number): object {
  const r = rng(seed);
  const pick = pickWith(r);
  const kv = () => randomKeyValue(r);
  const events = Array.from({ length: Math.floor(r() * 30) }, () => ({
    type: r() < 0.7 ? 0 : r() < 0.9 ? 1 : 7,
    ...(r() < 0.95 ? { kv: kv() } : {}),
    ...(r() < 0.4 ? { prev_kv: kv() } : {}),
  }));
  return {
    ...randomHeader(r),
    watch_id: pick(INT64S),
    compact_revision: r() < 0.2 ? pick(INT64S) : '0',
    canceled: r() < 0.2,
    events,
  };
}

// The output as etcdctl prints the decoded response (what the formatters did before the wire path).
const typeName = (t: number) => (t === 0 ? 'PUT' : t === 1 ? 'DELETE' : String(t));
function expectedSimple(events: Event__Output[], hex: boolean): Buffer {
  const pair = (kv: KeyValue__Output | null) => {
    const key = kv?.key ?? Buffer.alloc(0);
    const value = kv?.value ?? Buffer.alloc(0);
    return hex ? [Buffer.from(`${hexEscape(key)}\n${hexEscape(value)}\n`)] : [key, Buffer.from('\n'), value, Buffer.from('\n')];
  };
  return Buffer.concat(events.flatMap((e) => [Buffer.from(`${typeName(e.type)}\n`), ...(e.prev_kv ? pair(e.prev_kv) : []), ...pair(e.kv)]));
}
function expectedJson(resp: WatchResponse__Output): string {
  const header = resp.header ? goJson(resp.header as never, 'etcdserverpb.ResponseHeader') : '{}';
  const events = resp.events.map((e) => goJson(e as never, 'mvccpb.Event')).join(',');
  return `{"Header":${header},"Events":[${events}],"CompactRevision":${resp.compact_revision},"Canceled":${resp.canceled},"Created":${resp.created}}\n`;
}

const out = (format: 'simple' | 'json', resp: WatchResponse, hex = false) => Buffer.from(render(format, { kind: 'watch', resp }, { hex }));
const fromWire = (bytes: Buffer) => watchResponseOf(scanWatchResponse(bytes));

describe('watch output from the wire bytes', () => {
  it.each(Array.from({ length: 60 }, (_, i) => i + 1))('equals the decoded response printed (seed %i)', (seed) => {
    const bytes = encodeMessage('etcdserverpb.WatchResponse', randomResponse(seed));
    const decoded = decodeMessage('etcdserverpb.WatchResponse', bytes) as WatchResponse__Output;
    const resp = fromWire(bytes);
    expect(resp.eventCount).toBe(decoded.events.length);
    expect(resp.compactRevision).toBe(decoded.compact_revision);
    expect(resp.canceled).toBe(decoded.canceled);
    expect(resp.header).toEqual(decoded.header ?? { cluster_id: '0', member_id: '0', revision: '0', raft_term: '0' });
    expect(resp.events).toEqual(decoded.events);
    expect(out('simple', resp).equals(expectedSimple(decoded.events, false))).toBe(true);
    expect(out('simple', resp, true).toString()).toBe(expectedSimple(decoded.events, true).toString());
    expect(out('json', resp).toString('latin1')).toBe(expectedJson(decoded));
    // The last event's kv.mod_revision is where a resumed watch starts.
    const wire = resp.wire!;
    decoded.events.forEach((e, i) => {
      expect(modRevisionOf(wire, i)).toBe(e.kv ? BigInt(e.kv.mod_revision) : undefined);
      expect(hasKeyValue(wire, i, PREV_KV)).toBe(e.prev_kv !== null);
      expect(keyOf(wire, i, KV).equals(e.kv?.key ?? Buffer.alloc(0))).toBe(true);
      expect(valueOf(wire, i, KV).equals(e.kv?.value ?? Buffer.alloc(0))).toBe(true);
    });
  });

  it('a cut response prints only its first events', () => {
    const bytes = encodeMessage('etcdserverpb.WatchResponse', randomResponse(3));
    const decoded = decodeMessage('etcdserverpb.WatchResponse', bytes) as WatchResponse__Output;
    expect(decoded.events.length).toBeGreaterThan(2);
    const cut = fromWire(bytes).slice(2);
    expect(cut.eventCount).toBe(2);
    expect(cut.events).toEqual(decoded.events.slice(0, 2));
    expect(out('simple', cut).equals(expectedSimple(decoded.events.slice(0, 2), false))).toBe(true);
    expect(out('json', cut).toString('latin1')).toBe(expectedJson({ ...decoded, events: decoded.events.slice(0, 2) }));
  });
});

// Responses written out byte by byte: header {cluster_id 1, member_id 2, revision 9, raft_term 3}.
const HEADER = '0a08' + '0801' + '1002' + '1809' + '2003';
const hex = (s: string) => Buffer.from(s, 'hex');

describe('watch responses the client reads', () => {
  it('a progress notification: no events, watch id -1, the header revision', () => {
    const resp = fromWire(hex(HEADER + '10ffffffffffffffffff01'));
    expect(resp.wire!.watchId).toBe('-1');
    expect(isProgressNotify(resp)).toBe(true);
    expect(watchResponseError(resp)).toBeUndefined();
    expect(out('simple', resp).length).toBe(0);
    expect(out('json', resp).toString()).toBe(
      '{"Header":{"cluster_id":1,"member_id":2,"revision":9,"raft_term":3},"Events":[],"CompactRevision":0,"Canceled":false,"Created":false}\n',
    );
  });

  it('created: the watch id, and not a progress notification', () => {
    const resp = fromWire(hex(HEADER + '1005' + '1801'));
    expect(resp.wire!.watchId).toBe('5');
    expect(resp.created).toBe(true);
    expect(isProgressNotify(resp)).toBe(false);
  });

  it('cancelled for compaction: the compact revision, and the error etcdctl prints', () => {
    // watch_id 5, canceled, compact_revision 300 (varint ac 02), cancel_reason "x".
    const resp = fromWire(hex(HEADER + '1005' + '2001' + '28ac02' + '320178'));
    expect(resp.canceled).toBe(true);
    expect(resp.compactRevision).toBe('300');
    expect(resp.cancelReason).toBe('x');
    expect(watchResponseError(resp)).toBe('etcdserver: mvcc: required revision has been compacted');
    expect(out('json', resp).toString()).toBe(
      '{"Header":{"cluster_id":1,"member_id":2,"revision":9,"raft_term":3},"Events":[],"CompactRevision":300,"Canceled":true,"Created":false}\n',
    );
  });

  it('cancelled with a reason and no compaction', () => {
    const resp = fromWire(hex('1005' + '2001' + '3204' + Buffer.from('boom').toString('hex')));
    expect(resp.header.revision).toBe('0');
    expect(watchResponseError(resp)).toBe('rpc error: code = FailedPrecondition desc = boom');
  });

  it('fragments: the flag is read, and concatenated fragments are one response with all the events', () => {
    // Event: type DELETE, kv {key "a", mod_revision 7}; then a PUT of "b" = "v" at 8.
    const first = HEADER + '1005' + '3801' + '5a09' + '0801' + '1205' + '0a0161' + '1807';
    const last = HEADER + '1005' + '5a0a' + '1208' + '0a0162' + '1808' + '2a0176';
    expect(fromWire(hex(first)).wire!.fragment).toBe(true);
    const joined = fromWire(Buffer.concat([hex(first), hex(last)]));
    expect(joined.eventCount).toBe(2);
    expect(modRevisionOf(joined.wire!, 1)).toBe(8n);
    expect(out('simple', joined).toString()).toBe('DELETE\na\n\nPUT\nb\nv\n');
    expect(out('json', joined).toString()).toBe(
      '{"Header":{"cluster_id":1,"member_id":2,"revision":9,"raft_term":3},"Events":[{"type":1,"kv":{"key":"YQ==","mod_revision":7}},' +
        '{"kv":{"key":"Yg==","mod_revision":8,"value":"dg=="}}],"CompactRevision":0,"Canceled":false,"Created":false}\n',
    );
  });

  it('an event without a kv prints an empty key and value, and gives no revision to resume from', () => {
    const resp = fromWire(hex(HEADER + '1005' + '5a02' + '0801'));
    expect(out('simple', resp).toString()).toBe('DELETE\n\n\n');
    expect(out('json', resp).toString()).toContain('"Events":[{"type":1}]');
    expect(modRevisionOf(resp.wire!, 0)).toBeUndefined();
  });

  it('malformed bytes are an error, not a wrong response', () => {
    expect(() => scanWatchResponse(hex(HEADER + '5a09' + '0801'))).toThrow(/truncated or malformed/);
  });
});
