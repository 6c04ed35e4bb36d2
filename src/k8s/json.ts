// JSON text of a decoded value, with 64-bit integers beyond 2^53 (bigint) written exactly:
// JSON.stringify throws on bigint, and Node 20 has no JSON.rawJSON. Objects with toJSON (the
// readable view's Binary) are written as what toJSON returns.
import type { Json } from './decode.js';

export function toJsonText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if ('toJSON' in value && typeof value.toJSON === 'function') return toJsonText((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${toJsonText(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export type { Json };
