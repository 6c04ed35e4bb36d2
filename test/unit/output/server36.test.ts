// What an etcd 3.6 server sends that a 3.5 client does not know: StatusResponse's storageVersion
// (11), dbSizeQuota (12) and downgradeInfo (13). etcdctl 3.5's gogoproto types keep unknown fields in
// XXX_unrecognized, which encoding/json skips (`json:"-"`) and Marshal writes back after the known
// fields; its printers only name known fields. So a 3.6 server's answer prints exactly as a 3.5
// server's would, and so must ours: the same response with and without the 3.6 fields renders alike
// in every format.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, keepRawBytes } from '../../../src/client/proto.js';
import type { OutputFormat } from '../../../src/output/format-names.js';
import type { StatusResponse__Output } from '../../../src/generated/etcdserverpb/StatusResponse.js';
import { render } from '../../../src/output/render.js';
import type { Result } from '../../../src/output/types.js';

/** A protobuf field: tag (number << 3 | wire type) then the payload. */
function field(num: number, wire: 0 | 2, payload: Buffer | bigint): Buffer {
  const varint = (v: bigint) => {
    const out: number[] = [];
    let x = BigInt.asUintN(64, v);
    do {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      out.push(x > 0n ? b | 0x80 : b);
    } while (x > 0n);
    return Buffer.from(out);
  };
  const tag = varint(BigInt((num << 3) | wire));
  if (typeof payload === 'bigint') return Buffer.concat([tag, varint(payload)]);
  return Buffer.concat([tag, varint(BigInt(payload.length)), payload]);
}

const status35 = encodeMessage('etcdserverpb.StatusResponse', {
  header: { cluster_id: '14841639068965178418', member_id: '10276657743932975437', revision: '42', raft_term: '3' },
  version: '3.6.11',
  dbSize: '24576',
  leader: '10276657743932975437',
  raftIndex: '57',
  raftTerm: '3',
  raftAppliedIndex: '57',
  errors: ['memberID:1 alarm:NOSPACE'],
  dbSizeInUse: '16384',
});

// storageVersion "3.6", dbSizeQuota 2 GiB, downgradeInfo { enabled: true, targetVersion: "3.5.0" }.
const extra36 = Buffer.concat([
  field(11, 2, Buffer.from('3.6')),
  field(12, 0, 2n * 1024n * 1024n * 1024n),
  field(13, 2, Buffer.concat([field(1, 0, 1n), field(2, 2, Buffer.from('3.5.0'))])),
]);
const status36 = Buffer.concat([status35, extra36]);

// The way responses come off the wire: decoded, raw bytes kept for -w protobuf.
const fromWire = keepRawBytes((b) => decodeMessage('etcdserverpb.StatusResponse', b));
const statusResult = (bytes: Buffer): Result => ({
  kind: 'endpointStatus',
  list: [{ endpoint: '127.0.0.1:2379', resp: fromWire(bytes) as StatusResponse__Output }],
});

const renderOrError = (format: OutputFormat, result: Result): string => {
  try {
    return Buffer.from(render(format, result, { hex: false })).toString('hex');
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
};

describe('an etcd 3.6 StatusResponse', () => {
  it('decodes with the 3.6 fields ignored', () => {
    expect(fromWire(status36)).toEqual(fromWire(status35));
  });

  it.each<OutputFormat>(['simple', 'table', 'json', 'fields', 'protobuf'])('endpoint status -w %s prints what a 3.5 server gets', (format) => {
    const got = renderOrError(format, statusResult(status36));
    expect(got).toBe(renderOrError(format, statusResult(status35)));
    if (format !== 'protobuf') expect(got).not.toMatch(/^error/);
  });

  it('json names only the 3.5 fields', () => {
    const text = Buffer.from(render('json', statusResult(status36), { hex: false })).toString();
    expect(text).toContain('"version":"3.6.11"');
    expect(text).not.toMatch(/storageVersion|dbSizeQuota|downgradeInfo|targetVersion/);
  });
});

describe('unknown fields in a response -w protobuf writes', () => {
  // gogoproto re-marshals known fields in field order, then XXX_unrecognized: for a Go server,
  // whose new fields carry higher numbers, that is the wire bytes unchanged.
  it('keeps them, as etcdctl 3.5 does', () => {
    const put = Buffer.concat([
      encodeMessage('etcdserverpb.PutResponse', { header: { cluster_id: '1', member_id: '2', revision: '3', raft_term: '4' } }),
      field(15, 2, Buffer.from('from a newer server')),
    ]);
    const resp = keepRawBytes((b) => decodeMessage('etcdserverpb.PutResponse', b))(put);
    expect(Buffer.from(render('protobuf', { kind: 'put', resp } as Result, { hex: false })).equals(put)).toBe(true);
    expect(Buffer.from(render('json', { kind: 'put', resp } as Result, { hex: false })).toString()).toBe(
      '{"header":{"cluster_id":1,"member_id":2,"revision":3,"raft_term":4}}\n',
    );
  });
});
