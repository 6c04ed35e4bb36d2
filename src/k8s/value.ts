// What a value stored by kube-apiserver is, for the readable formats: a protobuf object (`k8s\0`),
// an object stored as JSON (custom resources, clusters that store JSON), or an encrypted value
// (`k8s:enc:<provider>:<version>:<key name>:…`). Anything else is not Kubernetes's and is left to
// the caller. The schema is loaded only when a protobuf object is met.
import { type Json, K8S_MAGIC, K8sDecodeError, decodeK8sObject } from './decode.js';
import { parse as parseYaml } from 'yaml';

export { K8sDecodeError, type Json };

const ENCRYPTED_PREFIX = Buffer.from('k8s:enc:', 'latin1');
const OPEN_BRACE = 0x7b;

function startsWith(value: Uint8Array, prefix: Uint8Array): boolean {
  if (value.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (value[i] !== prefix[i]) return false;
  return true;
}

/** `k8s:enc:aescbc:v1:key1:<ciphertext>` → what can be said without the key. */
function encrypted(value: Uint8Array): Json {
  // The header is text up to the fourth colon after `k8s:enc:`; the ciphertext is binary.
  const head = Buffer.from(value.subarray(0, Math.min(value.length, 512))).toString('latin1');
  const m = /^k8s:enc:([^:]*):([^:]*):([^:]*):/.exec(head);
  if (!m) return { encrypted: { bytes: value.length } };
  return { encrypted: { provider: m[1]!, version: m[2]!, key: m[3]!, bytes: value.length - m[0].length } };
}

/** Keys in byte order at every level, as kubectl prints objects. */
function sortDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]!);
  return out;
}

/** A JSON object with apiVersion and kind, or undefined. */
function jsonObject(value: Uint8Array): Json | undefined {
  let i = 0;
  while (i < value.length && (value[i] === 0x20 || value[i] === 0x0a || value[i] === 0x0d || value[i] === 0x09)) i++;
  if (value[i] !== OPEN_BRACE) return undefined;
  const text = Buffer.from(value.buffer, value.byteOffset, value.length).toString('utf8');
  let parsed: unknown;
  try {
    // Integers beyond 2^53 (rare) are kept exact through the yaml parser's bigints.
    parsed = /\d{16}/.test(text) ? parseYaml(text, { schema: 'json', intAsBigInt: true }) : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { apiVersion, kind } = parsed as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return sortDeep(parsed as Json);
}

/**
 * The readable form of a stored value when it is Kubernetes's (an object, or a note that it is
 * encrypted); undefined for any other value. Throws K8sDecodeError when a `k8s\0` value is not a
 * well-formed object.
 */
export function k8sValue(value: Uint8Array): Json | undefined {
  if (value.length < 4 || value[0] !== 0x6b) return undefined; // every Kubernetes prefix starts with `k`
  if (startsWith(value, K8S_MAGIC)) return decodeK8sObject(value);
  if (startsWith(value, ENCRYPTED_PREFIX)) return encrypted(value);
  return undefined;
}

/** Like k8sValue, and JSON objects with apiVersion and kind too (custom resources, JSON storage). */
export function storedValue(value: Uint8Array): Json | undefined {
  return k8sValue(value) ?? jsonObject(value);
}

/** The one line shown for a value that looks like a Kubernetes object and is not well formed. */
export function undecodableLine(key: Uint8Array | string, err: unknown): string {
  const what = err instanceof K8sDecodeError ? err.message : String((err as Error)?.message ?? err);
  return `cannot decode Kubernetes object at key ${Buffer.from(key).toString('utf8')}: ${what}`;
}
