// Key ranges as etcd understands them: [key, range_end), where an empty range_end means the key
// alone and range_end "\x00" means "to the end of the keyspace". clientv3's WithPrefix and
// WithFromKey rules live here once; everything that builds or describes a range uses them.
import { bytesOfToken } from '../common/byte-strings.js';

/** The one-byte "\x00": as a key, the first key; as a range end, no end. */
export const NUL: Buffer = Buffer.from([0]);

/** A byte string that is exactly "\x00". */
export function isNul(b: Uint8Array | undefined | null): boolean {
  return b != null && b.length === 1 && b[0] === 0;
}

/** Whether a range end is present (not absent, not empty). */
export function hasRangeEnd(end: Uint8Array | string | undefined | null): boolean {
  return end != null && end.length > 0;
}

/** clientv3.GetPrefixRangeEnd: increment the last byte below 0xff, dropping trailing 0xff bytes. */
export function prefixRangeEnd(key: Uint8Array): Buffer {
  for (let i = key.length - 1; i >= 0; i--) {
    if (key[i]! < 0xff) {
      const end = Buffer.from(key.subarray(0, i + 1));
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return NUL;
}

/** Whether `end` is what prefixRangeEnd(key) gives (role permissions print "(prefix key)" then). */
export function isPrefixEnd(key: Buffer, end: Buffer): boolean {
  let i = key.length - 1;
  while (i >= 0 && key[i] === 0xff) i--;
  if (i < 0) return isNul(end);
  return end.length === i + 1 && key.compare(end, 0, i, 0, i) === 0 && end[i] === key[i]! + 1;
}

export interface KeyRange {
  key: Buffer;
  range_end?: Buffer;
}

/** clientv3.WithPrefix: the keys starting with `prefix`; an empty prefix means every key. */
export function prefixRange(prefix: Uint8Array | string): { key: Buffer; range_end: Buffer } {
  const key = typeof prefix === 'string' ? bytesOfToken(prefix) : Buffer.from(prefix);
  return key.length === 0 ? { key: NUL, range_end: NUL } : { key, range_end: prefixRangeEnd(key) };
}

/** clientv3.WithFromKey: the keys from `key` on; an empty key means every key. */
export function fromKeyRange(key: Uint8Array | string): { key: Buffer; range_end: Buffer } {
  const k = typeof key === 'string' ? bytesOfToken(key) : Buffer.from(key);
  return { key: k.length === 0 ? NUL : k, range_end: NUL };
}

/** Key and range end for the --prefix / --from-key / explicit range_end forms. */
export function keyRange(key: Buffer, options: { prefix?: boolean; fromKey?: boolean; rangeEnd?: Buffer }): KeyRange {
  if (options.prefix) return prefixRange(key);
  if (options.fromKey) return fromKeyRange(key);
  return options.rangeEnd ? { key, range_end: options.rangeEnd } : { key };
}
