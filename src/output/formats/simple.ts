// etcdctl's `simple` format: raw bytes, one item per line.
import type { KeyValue__Output } from '../../generated/mvccpb/KeyValue.js';
import { hexEscape } from '../encode.js';
import type { Formatter, RenderOptions } from '../types.js';

/** A key line and a value line (`--hex` escapes both; `--print-value-only` drops the key). */
export function simpleKv(kv: KeyValue__Output, opts: RenderOptions, valueOnly = false): Buffer {
  const key = opts.hex ? Buffer.from(hexEscape(kv.key)) : kv.key;
  const value = opts.hex ? Buffer.from(hexEscape(kv.value)) : kv.value;
  const lines: Buffer[] = [];
  if (!valueOnly) lines.push(key, NEWLINE);
  lines.push(value, NEWLINE);
  return Buffer.concat(lines);
}

const NEWLINE = Buffer.from('\n');

export const simpleFormat: Formatter = {
  get: ({ resp, valueOnly }, opts) => Buffer.concat(resp.kvs.map((kv) => simpleKv(kv, opts, valueOnly))),
  put: ({ resp }, opts) => Buffer.concat([Buffer.from('OK\n'), ...(resp.prev_kv ? [simpleKv(resp.prev_kv, opts)] : [])]),
  del: ({ resp }, opts) => Buffer.concat([Buffer.from(`${resp.deleted}\n`), ...resp.prev_kvs.map((kv) => simpleKv(kv, opts))]),
};
