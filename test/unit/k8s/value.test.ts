// What the readable formats show for values kube-apiserver stored, and when they are not objects.
import { describe, expect, it } from 'vitest';
import { K8sDecodeError, decodeK8sObject } from '../../../src/k8s/decode.js';
import { storedValue, undecodableLine } from '../../../src/k8s/value.js';
import { readableValue, toYamlDocument } from '../../../src/output/decoded.js';
import { yamlFormat, jsonDecodedFormat } from '../../../src/output/formats/decoded-formats.js';
import { Binary } from '../../../src/output/decoded.js';
import { encryptedValue, envelope, field, fixture, truncatedPod, widgetJson } from '../../support/k8s-values.js';

const key = Buffer.from('/registry/pods/default/web');

describe('storedValue', () => {
  it('decodes a protobuf object with its apiVersion and kind', () => {
    const pod = storedValue(fixture('core.v1.Pod')) as Record<string, any>;
    expect(pod.apiVersion).toBe('v1');
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.name).toBe('nameValue');
    expect(Object.keys(pod)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  });

  it('names the provider and key of an encrypted value', () => {
    expect(storedValue(encryptedValue())).toEqual({ encrypted: { provider: 'aescbc', version: 'v1', key: 'key1', bytes: 6 } });
  });

  it('shows a JSON object with apiVersion and kind as that object, keys sorted', () => {
    const w = storedValue(Buffer.from(widgetJson)) as Record<string, any>;
    expect(Object.keys(w)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(w.spec.size).toBe(3);
    expect(storedValue(Buffer.from('{"a":1}'))).toBeUndefined();
    expect(storedValue(Buffer.from('{"apiVersion":"v1","kind":"X","n":12345678901234567890}'))).toEqual({ apiVersion: 'v1', kind: 'X', n: 12345678901234567890n });
  });

  it('leaves other values alone', () => {
    for (const v of ['', 'k8s', 'kubernetes', 'hello', '[1,2]', '{not json']) expect(storedValue(Buffer.from(v))).toBeUndefined();
  });

  it('shows an unknown type by apiVersion, kind and size', () => {
    expect(storedValue(envelope('example.com/v1', 'Gadget', Buffer.alloc(42)))).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      undecoded: { reason: 'type not in the schema', rawBytes: 42 },
    });
  });

  it('throws one clear error for a truncated or corrupt object', () => {
    expect(() => storedValue(truncatedPod())).toThrow(K8sDecodeError);
    expect(() => storedValue(truncatedPod())).toThrow(/truncated or malformed protobuf in [\w. ]+ at byte \d+/);
    // A field of the wrong wire type inside a known object.
    const bad = envelope('v1', 'Pod', Buffer.concat([field(1, Buffer.from([0x08]))]));
    expect(() => storedValue(bad)).toThrow(K8sDecodeError);
    expect(undecodableLine(key, new K8sDecodeError('x'))).toBe('cannot decode Kubernetes object at key /registry/pods/default/web: x');
  });

  it('writes Go zero values and omits omitempty ones for absent fields', () => {
    // An empty Pod: metadata, spec and status are structs (shown), creationTimestamp is omitzero.
    const pod = decodeK8sObject(envelope('v1', 'Pod', Buffer.alloc(0))) as Record<string, any>;
    expect(pod).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: null }, status: {} });
  });
});

describe('readable formats', () => {
  const kv = (k: string, value: Buffer) => ({ key: Buffer.from(k), value, create_revision: '5', mod_revision: '6', version: '1', lease: '0' });
  const header = { cluster_id: '1', member_id: '2', revision: '6', raft_term: '2' };
  const resp = {
    header,
    kvs: [kv('/registry/pods/default/web', fixture('core.v1.Pod')), kv('/registry/pods/default/bad', truncatedPod()), kv('/registry/secrets/s', encryptedValue())],
    more: false,
    count: '3',
  };

  it('yaml: the object under value, one line for a corrupt one', () => {
    const text = yamlFormat.get!({ kind: 'get', resp: resp as never }, { hex: false }) as string;
    expect(text).toContain('- key: /registry/pods/default/web\n  create_revision: "5"\n');
    expect(text).toContain('  value:\n    apiVersion: v1\n    kind: Pod\n    metadata:\n');
    expect(text).toMatch(/\n {2}value: "cannot decode Kubernetes object at key \/registry\/pods\/default\/bad: truncated or malformed protobuf in [\w. ]+ at byte \d+"\n/);
    expect(text).toContain('  value:\n    encrypted:\n      provider: aescbc\n      version: v1\n      key: key1\n');
  });

  it('json-decoded: the object; off with k8s: false', () => {
    const doc = JSON.parse(jsonDecodedFormat.get!({ kind: 'get', resp: resp as never }, { hex: false }) as string);
    expect(doc.kvs[0].value.metadata.namespace).toBe('namespaceValue');
    const off = JSON.parse(jsonDecodedFormat.get!({ kind: 'get', resp: resp as never }, { hex: false, k8s: false }) as string);
    expect(off.kvs[0].value).toEqual({ base64: fixture('core.v1.Pod').toString('base64') });
  });

  it('readableValue keeps other values as text or binary', () => {
    expect(readableValue(key, Buffer.from('plain'), { k8s: true })).toBe('plain');
    expect(readableValue(key, Buffer.from([0xff]), { k8s: true })).toBeInstanceOf(Binary);
    expect(toYamlDocument({ n: 12345678901234567890n })).toBe('---\nn: 12345678901234567890\n');
  });
});
