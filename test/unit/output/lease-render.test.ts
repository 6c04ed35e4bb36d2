// lease renderers: clientv3's wrapper structs as etcdctl prints them (outputs observed from
// etcdctl 3.5.16 against etcd 3.5.16).
import { describe, expect, it } from 'vitest';
import { CtlError } from '../../../src/common/errors.js';
import { leaseFields, leaseJson, leaseProtobuf, leaseSimple } from '../../../src/output/lease-render.js';

const header = { cluster_id: '16128400632968936350', member_id: '17010963214147749224', revision: '20', raft_term: '2' };
const opts = { hex: false };
const text = (out: string | Uint8Array) => Buffer.from(out).toString();

describe('lease renderers', () => {
  it('grant', () => {
    const resp = { header, ID: '389739495137348137', TTL: '100', error: '' };
    expect(text(leaseSimple.leaseGrant!({ kind: 'leaseGrant', resp }, opts))).toBe('lease 0568a201829a0a29 granted with TTL(100s)\n');
    expect(text(leaseJson.leaseGrant!({ kind: 'leaseGrant', resp }, opts))).toBe(
      '{"cluster_id":16128400632968936350,"member_id":17010963214147749224,"revision":20,"raft_term":2,"ID":389739495137348137,"TTL":100,"Error":""}\n',
    );
    expect(text(leaseFields.leaseGrant!({ kind: 'leaseGrant', resp }, opts))).toMatch(/"RaftTerm" : 2\n"ID" : 389739495137348137\n"TTL" : 100\n$/);
    // Only the embedded header is marshalled.
    expect(Buffer.from(leaseProtobuf.leaseGrant!({ kind: 'leaseGrant', resp }, opts)).toString('hex')).toBe(
      '089ef7b1dac7dde5e9df0110e88a8e94a59dc589ec0118142002',
    );
  });

  it('timetolive: expired, keys, and null keys in json', () => {
    const expired = { header, ID: '4660', TTL: '-1', grantedTTL: '0', keys: [] };
    expect(text(leaseSimple.leaseTimeToLive!({ kind: 'leaseTimeToLive', resp: expired, keys: true }, opts))).toBe('lease 0000000000001234 already expired\n');
    expect(text(leaseJson.leaseTimeToLive!({ kind: 'leaseTimeToLive', resp: expired, keys: false }, opts))).toBe(
      '{"cluster_id":16128400632968936350,"member_id":17010963214147749224,"revision":20,"raft_term":2,"id":4660,"ttl":-1,"granted-ttl":0,"keys":null}\n',
    );
    const live = { header, ID: '389739495137348133', TTL: '299', grantedTTL: '300', keys: [Buffer.from('lk1'), Buffer.from('l k2')] };
    expect(text(leaseSimple.leaseTimeToLive!({ kind: 'leaseTimeToLive', resp: live, keys: true }, opts))).toBe(
      'lease 0568a201829a0a25 granted with TTL(300s), remaining(299s), attached keys([lk1 l k2])\n',
    );
    expect(text(leaseJson.leaseTimeToLive!({ kind: 'leaseTimeToLive', resp: live, keys: true }, opts))).toMatch(/"keys":\["bGsx","bCBrMg=="\]\}\n$/);
  });

  it('list', () => {
    const resp = { header, leases: [{ ID: '389739495137348123' }, { ID: '389739495137348125' }] };
    expect(text(leaseSimple.leaseList!({ kind: 'leaseList', resp }, opts))).toBe('found 2 leases\n0568a201829a0a1b\n0568a201829a0a1d\n');
    expect(text(leaseJson.leaseList!({ kind: 'leaseList', resp: { header, leases: [] } }, opts))).toMatch(/"raft_term":2,"leases":\[\]\}\n$/);
  });

  it('revoke -w protobuf is etcdctl\'s marshal error (exit 4)', () => {
    let error: unknown;
    try {
      leaseProtobuf.leaseRevoke!({ kind: 'leaseRevoke', resp: { header }, id: 1n }, opts);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CtlError);
    expect((error as CtlError).exitCode).toBe(4);
    expect((error as CtlError).message).toBe(
      'marshal unsupported for type clientv3.LeaseRevokeResponse ({cluster_id:16128400632968936350 member_id:17010963214147749224 revision:20 raft_term:2  {} [] 0})',
    );
  });
});
