// watch output in each format, and gogo-style encoding of locally built messages.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src/client/proto.js';
import { render } from '../../../src/output/render.js';
import { closedBy, type WatchResponse, isProgressNotify, watchResponseError, watchResponseOf } from '../../../src/client/watch.js';
import { scanWatchResponse } from '../../../src/client/watch-wire.js';
import { RpcError } from '../../../src/common/errors.js';

const header = { cluster_id: '10', member_id: '11', revision: '7', raft_term: '2' };
const kv = (key: string, value: string, mod: string) => ({
  key: Buffer.from(key),
  value: Buffer.from(value),
  create_revision: '5',
  mod_revision: mod,
  version: '2',
  lease: '0',
});
const zeroKv = { key: Buffer.from('k'), value: Buffer.alloc(0), create_revision: '0', mod_revision: '7', version: '0', lease: '0' };

/** A response as the watch client gets it: the message encoded as etcd would, then read back. */
const fromServer = (message: object): WatchResponse => watchResponseOf(scanWatchResponse(encodeMessage('etcdserverpb.WatchResponse', message)));
/** `base` with other fields, through the wire again. */
const withFields = (base: WatchResponse, fields: object): WatchResponse =>
  fromServer({
    header: base.header,
    events: base.events,
    compact_revision: base.compactRevision,
    canceled: base.canceled,
    created: base.created,
    cancel_reason: base.cancelReason,
    ...fields,
  });

const events = fromServer({
  header,
  events: [
    { type: 0, kv: kv('k', 'new\nline', '6'), prev_kv: kv('k', 'old', '5') },
    { type: 1, kv: zeroKv, prev_kv: null },
  ],
});
const closed = closedBy(new RpcError('etcdserver: no leader', 'Unavailable'));

const text = (format: 'simple' | 'json' | 'fields', resp: WatchResponse, hex = false) =>
  Buffer.from(render(format, { kind: 'watch', resp }, { hex })).toString();

describe('watch output', () => {
  it('simple: the type, the previous pair if any, then the pair', () => {
    expect(text('simple', events)).toBe('PUT\nk\nold\nk\nnew\nline\nDELETE\nk\n\n');
    expect(text('simple', events, true)).toBe('PUT\n\\x6b\n\\x6f\\x6c\\x64\n\\x6b\n\\x6e\\x65\\x77\\x0a\\x6c\\x69\\x6e\\x65\nDELETE\n\\x6b\n\n');
    expect(text('simple', closed)).toBe('');
  });

  it('json: the Go struct, Events null only when the stream closed under the watch', () => {
    expect(text('json', events)).toBe(
      '{"Header":{"cluster_id":10,"member_id":11,"revision":7,"raft_term":2},"Events":[' +
        '{"kv":{"key":"aw==","create_revision":5,"mod_revision":6,"version":2,"value":"bmV3CmxpbmU="},"prev_kv":{"key":"aw==","create_revision":5,"mod_revision":5,"version":2,"value":"b2xk"}},' +
        '{"type":1,"kv":{"key":"aw==","mod_revision":7}}],"CompactRevision":0,"Canceled":false,"Created":false}\n',
    );
    expect(text('json', closed)).toBe('{"Header":{},"Events":null,"CompactRevision":0,"Canceled":true,"Created":false}\n');
  });

  it('fields: header, then per event its type and pairs', () => {
    expect(text('fields', withFields(events, { events: [events.events![1]!] }))).toBe(
      '"ClusterID" : 10\n"MemberID" : 11\n"Revision" : 7\n"RaftTerm" : 2\n"Type" : DELETE\n' +
        '"Key" : "k"\n"CreateRevision" : 0\n"ModRevision" : 7\n"Version" : 0\n"Value" : ""\n"Lease" : 0\n',
    );
  });

  it('protobuf: a WatchResponse without zero fields; an empty header is still written', () => {
    expect(Buffer.from(render('protobuf', { kind: 'watch', resp: closed }, { hex: false })).toString('hex')).toBe('0a002001');
    const one = withFields(events, { events: [events.events![1]!] });
    // header {1:10 2:11 3:7 4:2}, events[{type 1, kv {key k, mod 7}}]
    expect(Buffer.from(render('protobuf', { kind: 'watch', resp: one }, { hex: false })).toString('hex')).toBe(
      '0a08080a100b18072002' + '5a09' + '0801' + '1205' + '0a016b1807',
    );
  });

  it('response errors and progress notifications as clientv3 sees them', () => {
    expect(watchResponseError(events)).toBeUndefined();
    expect(watchResponseError(closed)).toBe('etcdserver: no leader');
    expect(watchResponseError(withFields(events, { events: [], canceled: true, compact_revision: '3' }))).toBe(
      'etcdserver: mvcc: required revision has been compacted',
    );
    expect(watchResponseError(withFields(events, { canceled: true, cancel_reason: 'boom' }))).toBe('rpc error: code = FailedPrecondition desc = boom');
    expect(isProgressNotify(withFields(events, { events: [] }))).toBe(true);
    expect(isProgressNotify(withFields(events, { events: [], header: { ...header, revision: '0' } }))).toBe(false);
  });
});

describe('encodeMessage (Go wire form)', () => {
  it('leaves out zero scalars and keeps present messages', () => {
    const resp = { header: { cluster_id: '1', member_id: '0', revision: '5', raft_term: '0' }, kvs: [{ ...zeroKv, mod_revision: '0' }], more: false, count: '0' };
    expect(encodeMessage('etcdserverpb.RangeResponse', resp).toString('hex')).toBe('0a0408011805' + '1203' + '0a016b');
  });
});
