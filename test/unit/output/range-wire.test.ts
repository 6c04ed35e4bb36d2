// The wire-level get output (output/range-wire.ts) must equal the formatters' output for the
// decoded response, byte for byte, whatever the keys, values and numbers.
import { describe, expect, it } from 'vitest';
import { INT64S, pickWith, randomHeader, randomKeyValue, rng } from '../../support/random-wire.js';
import { decodeMessage, encodeMessage } from '../../../src/client/proto.js';
import { codecOf } from '../../../src/generated/codecs.js';
import { jsonFormat } from '../../../src/output/formats/json.js';
import { simpleFormat } from '../../../src/output/formats/simple.js';
import { goJson } from '../../../src/output/gojson.js';
import { kvsJson, simpleText, simpleTextInPlace } from '../../../src/output/range-wire.js';
import { headerRevision, keyOf, scanRange, type RangeWire } from '../../../src/proto/range-scan.js';
import { jsonGetRaw } from '../../../src/output/formats/json.js';
import { wholeGet } from '../../../src/output/get-stream.js';

/** The raw json get of one response, whole (what rangeJsonLine was). */
const rangeJsonLine = (wire: RangeWire) => Buffer.from(wholeGet(jsonGetRaw, wire));
import type { RangeResponse__Output } from '../../../src/generated/etcdserverpb/RangeResponse.js';

function randomResponse(seed: number): object {
  const r = rng(seed);
  const pick = pickWith(r);
  const kvs = Array.from({ length: Math.floor(r() * 40) }, () => randomKeyValue(r));
  return {
    ...randomHeader(r),
    kvs,
    more: r() < 0.5,
    count: pick(INT64S),
  };
}

const seeds = Array.from({ length: 60 }, (_, i) => i + 1);

describe('range-wire', () => {
  it.each(seeds)('matches the formatters (seed %i)', (seed) => {
    const wireBytes = encodeMessage('etcdserverpb.RangeResponse', randomResponse(seed));
    const resp = decodeMessage('etcdserverpb.RangeResponse', wireBytes) as RangeResponse__Output;
    const wire = scanRange(wireBytes);
    expect(wire.kvCount).toBe(resp.kvs.length);
    expect(wire.more).toBe(resp.more);
    expect(wire.count).toBe(resp.count);
    expect(headerRevision(wire)).toBe(resp.header?.revision ?? '0');
    for (const valueOnly of [false, true]) {
      const expected = Buffer.from(simpleFormat.get!({ kind: 'get', resp, valueOnly }, { hex: false }) as Uint8Array);
      expect(simpleText(wire, valueOnly).equals(expected)).toBe(true);
      // In place, over a copy of the response (it destroys what it reads).
      expect(simpleTextInPlace(scanRange(Buffer.from(wireBytes)), valueOnly).equals(expected)).toBe(true);
    }
    const json = jsonFormat.get!({ kind: 'get', resp }, { hex: false }) as string;
    expect(rangeJsonLine(wire).toString('latin1')).toBe(Buffer.from(json).toString('latin1'));
    // The streamed writer's envelope against Go's encoding/json of the whole message.
    expect(json).toBe(`${goJson(resp as never, 'etcdserverpb.RangeResponse')}\n`);
    expect(kvsJson(wire).toString('latin1')).toBe(resp.kvs.map((kv) => goJson(kv as never, 'mvccpb.KeyValue')).join(','));
    if (resp.kvs.length > 0) expect(keyOf(wire, resp.kvs.length - 1).equals(resp.kvs[resp.kvs.length - 1]!.key)).toBe(true);
  });

  it('handles fields in any order and unknown fields', () => {
    // KeyValue with lease before key, an unknown varint field 9 and an unknown bytes field 10.
    const kv = Buffer.from([0x30, 0x05, 0x0a, 0x01, 0x6b, 0x48, 0x01, 0x52, 0x01, 0x00, 0x2a, 0x01, 0x76, 0x10, 0x02]);
    const resp = Buffer.concat([Buffer.from([0x12, kv.length]), kv, Buffer.from([0x20, 0x01])]);
    const wire = scanRange(resp);
    const decoded = codecOf('etcdserverpb.RangeResponse')!.toObject(codecOf('etcdserverpb.RangeResponse')!.decode(resp), {
      longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true,
    });
    expect(rangeJsonLine(wire).toString()).toBe(jsonFormat.get!({ kind: 'get', resp: decoded as never }, { hex: false }));
    expect(simpleText(wire, false).toString()).toBe('k\nv\n');
  });

  it('rejects truncated data', () => {
    const full = encodeMessage('etcdserverpb.RangeResponse', randomResponse(7));
    expect(() => scanRange(full.subarray(0, full.length - 3))).toThrow();
  });
});

describe('snapshot chunks from wire bytes', () => {
  it('decode as the codec does', async () => {
    const { decodeSnapshotChunk } = await import('../../../src/client/snapshot-chunk.js');
    for (const msg of [
      { header: { cluster_id: '18446744073709551615', member_id: '7', revision: '9', raft_term: '2' }, remaining_bytes: '123456789012', blob: Buffer.from([1, 2, 3, 0, 255]) },
      { remaining_bytes: '0', blob: Buffer.alloc(32 * 1024, 9) },
      { remaining_bytes: '18446744073709551615' },
      {},
    ]) {
      const wire = encodeMessage('etcdserverpb.SnapshotResponse', msg);
      const expected = decodeMessage('etcdserverpb.SnapshotResponse', wire);
      expect(decodeSnapshotChunk(wire)).toEqual(expected);
    }
  });
});

describe('simple text in place', () => {
  it('falls back to a copy when a value comes before its key on the wire', () => {
    const kv = Buffer.concat([Buffer.from([0x2a, 3]), Buffer.from('val'), Buffer.from([0x0a, 3]), Buffer.from('key')]);
    const bytes = Buffer.concat([Buffer.from([0x12, kv.length]), kv, Buffer.from([0x12, kv.length]), kv]);
    expect(simpleTextInPlace(scanRange(bytes), false).toString()).toBe('key\nval\nkey\nval\n');
  });

  it('moves long keys and values down over the response', () => {
    const key = Buffer.alloc(40, 'k');
    const value = Buffer.alloc(300, 'v');
    const kv = Buffer.concat([Buffer.from([0x0a, key.length]), key, Buffer.from([0x10, 5, 0x2a, 0xac, 0x02]), value]);
    expect(kv.length).toBe(347);
    const tag = Buffer.from([0x12, 0xdb, 0x02]); // field 2, length 347
    const bytes = Buffer.concat([tag, kv, tag, kv, Buffer.from([0x20, 2])]);
    const text = simpleTextInPlace(scanRange(bytes), false);
    expect(text.equals(Buffer.concat([key, Buffer.from('\n'), value, Buffer.from('\n'), key, Buffer.from('\n'), value, Buffer.from('\n')]))).toBe(true);
    expect(text.buffer).toBe(bytes.buffer);
  });
});
