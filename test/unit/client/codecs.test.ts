// The static codecs (src/generated/codecs.ts) are protobufjs's own generated functions written out
// at build time: the file must be current, and encoding/decoding must equal protobufjs's
// reflection-built codecs byte for byte and key for key.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { descriptor } from '../../../src/generated/descriptor.js';
import { METHODS, codecOf } from '../../../src/generated/codecs.js';
import { decodeMessage, encodeMessage, methodDefinition } from '../../../src/client/proto.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TO_OBJECT = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

/** Key order matters too (decoded objects are walked in order by some renderers). */
function sameShape(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameShape(x, b[i]));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object') return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return isDeepStrictEqual(ka, kb) && ka.every((k) => sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

const root = protobuf.Root.fromJSON(descriptor);

const samples: Array<[string, object]> = [
  ['etcdserverpb.RangeRequest', { key: Buffer.from('a'), range_end: Buffer.from('b'), limit: '10', revision: '0', sort_order: 2, sort_target: 4, serializable: true, keys_only: false, count_only: false, min_mod_revision: '0', max_mod_revision: '9223372036854775807', min_create_revision: '1', max_create_revision: '0' }],
  ['etcdserverpb.RangeResponse', { header: { cluster_id: '18446744073709551615', member_id: '1', revision: '42', raft_term: '3' }, kvs: [{ key: Buffer.from('k'), create_revision: '2', mod_revision: '3', version: '1', value: Buffer.from([0, 255]), lease: '-5' }], more: true, count: '7' }],
  ['etcdserverpb.PutRequest', { key: Buffer.from('k'), value: Buffer.alloc(0), lease: '7587869187226584115', prev_kv: true, ignore_value: false, ignore_lease: true }],
  ['etcdserverpb.TxnRequest', { compare: [{ result: 1, target: 3, key: Buffer.from('k'), mod_revision: '5', target_union: 'mod_revision' }], success: [{ request_put: { key: Buffer.from('x'), value: Buffer.from('y') }, request: 'request_put' }, { request_range: { key: Buffer.from('x') }, request: 'request_range' }], failure: [{ request_txn: { compare: [], success: [{ request_delete_range: { key: Buffer.from('z') } }] } }] }],
  ['etcdserverpb.TxnResponse', { header: { revision: '1' }, succeeded: true, responses: [{ response_range: { kvs: [] } }, { response_put: { prev_kv: { key: Buffer.from('p') } } }] }],
  ['etcdserverpb.WatchResponse', { header: { revision: '9' }, watch_id: '0', created: true, canceled: false, compact_revision: '0', cancel_reason: '', fragment: false, events: [{ type: 1, kv: { key: Buffer.from('k') }, prev_kv: null }] }],
  ['etcdserverpb.MemberListResponse', { header: {}, members: [{ ID: '12345678901234567890', name: 'n', peerURLs: ['http://a'], clientURLs: [], isLearner: true }] }],
  ['etcdserverpb.AuthRoleGrantPermissionRequest', { name: 'r', perm: { permType: 2, key: Buffer.from('a'), range_end: Buffer.from('b') } }],
  ['etcdserverpb.LeaseGrantResponse', { header: { revision: '3' }, ID: '-1', TTL: '60', error: '' }],
];

describe('static codecs', () => {
  it('are current for the installed protobufjs', async () => {
    const gen = (await import(path.join(ROOT, 'scripts/gen-codecs.mjs'))) as { codecsSource(d: unknown): string; readDescriptor(): unknown };
    expect(gen.codecsSource(gen.readDescriptor()) === readFileSync(path.join(ROOT, 'src/generated/codecs.ts'), 'utf8')).toBe(true);
  });

  it('know every RPC method', () => {
    for (const service of root.nestedArray.flatMap((ns) => ('nestedArray' in ns ? (ns as protobuf.Namespace).nestedArray : []))) {
      if (!(service instanceof protobuf.Service)) continue;
      for (const method of service.methodsArray) {
        const id = `${service.fullName.slice(1)}/${method.name}`;
        expect(METHODS[id]?.path).toBe(`/${id}`);
        expect(methodDefinition(service.fullName.slice(1), method.name).path).toBe(`/${id}`);
      }
    }
  });

  it.each(samples)('encode and decode %s as protobufjs does', (typeName, value) => {
    const reflected = root.lookupType(typeName);
    const codec = codecOf(typeName)!;
    const ours = Buffer.from(codec.encode(codec.fromObject(value)).finish());
    const theirs = Buffer.from(reflected.encode(reflected.fromObject(value)).finish());
    expect(ours.equals(theirs)).toBe(true);
    const decodedOurs = codec.toObject(codec.decode(ours), TO_OBJECT);
    const decodedTheirs = reflected.toObject(reflected.decode(theirs), TO_OBJECT);
    expect(sameShape(decodedOurs, decodedTheirs)).toBe(true);
    expect(sameShape(decodeMessage(typeName, ours), decodedTheirs)).toBe(true);
    // encodeMessage drops proto3 defaults first, as Go writes them.
    expect(encodeMessage(typeName, decodedTheirs).length).toBeLessThanOrEqual(theirs.length);
  });
});
