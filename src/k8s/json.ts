// JSON text of a decoded value, with 64-bit integers beyond 2^53 (bigint) written exactly:
// JSON.stringify throws on bigint, and Node 20 has no JSON.rawJSON. Objects with toJSON (the
// readable view's Binary and deferred values) are written as what toJSON returns. Large outputs
// (a range of Kubernetes objects) are gathered in byte chunks, since they can pass V8's longest
// string.
import type { Json } from './decode.js';

const FLUSH_PARTS = 1 << 16;

class Parts {
  parts: string[] = [];
  chunks: Buffer[] = [];
  push(part: string): void {
    if (this.parts.push(part) >= FLUSH_PARTS) {
      this.chunks.push(Buffer.from(this.parts.join('')));
      this.parts = [];
    }
  }
  result(): string | Buffer {
    const text = this.parts.join('');
    if (this.chunks.length === 0) return text;
    this.chunks.push(Buffer.from(text));
    return Buffer.concat(this.chunks);
  }
}

function write(value: unknown, out: Parts): void {
  if (typeof value === 'string') out.push(JSON.stringify(value));
  else if (typeof value === 'bigint') out.push(value.toString());
  else if (value === null || typeof value !== 'object') out.push(JSON.stringify(value) ?? 'null');
  else if ('toJSON' in value && typeof value.toJSON === 'function') write((value as { toJSON(): unknown }).toJSON(), out);
  else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
  } else {
    let first = true;
    out.push('{');
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      out.push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      write(item, out);
    }
    out.push('}');
  }
}

/** JSON text of the value, as bytes when it is large. */
export function toJsonData(value: unknown, end = ''): string | Buffer {
  const out = new Parts();
  write(value, out);
  if (end) out.push(end);
  return out.result();
}

/** JSON text of the value (small values: one object, one response). */
export function toJsonText(value: unknown): string {
  return toJsonData(value).toString();
}

export type { Json };
