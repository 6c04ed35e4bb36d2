// Values as kube-apiserver stores them, for tests: fixture objects, hand-made envelopes, an
// encrypted value, a JSON custom resource, a truncated object.
import fs from 'node:fs';
import path from 'node:path';

export const K8S_FIXTURES = path.join(__dirname, '..', 'fixtures', 'k8s');

export const fixture = (name: string): Buffer => fs.readFileSync(path.join(K8S_FIXTURES, `${name}.pb`));

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A length-delimited protobuf field. */
export const field = (n: number, bytes: Uint8Array | string): Buffer => {
  const b = Buffer.from(bytes);
  return Buffer.concat([Buffer.from([(n << 3) | 2, ...varint(b.length)]), b]);
};

/** `k8s\0` + runtime.Unknown around `raw`. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);
}

export const encryptedValue = (): Buffer => Buffer.concat([Buffer.from('k8s:enc:aescbc:v1:key1:'), Buffer.from([0x00, 0xff, 0x10, 0x80, 0x3a, 0x0a])]);

export const widgetJson = '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","namespace":"default"},"spec":{"size":3}}';

/** The Pod fixture cut short inside its object. */
export const truncatedPod = (): Buffer => fixture('core.v1.Pod').subarray(0, 200);
