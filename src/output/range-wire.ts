// `get` output straight from a RangeResponse's wire bytes: proto/range-scan.ts finds the
// key-values, and this writes etcdctl's simple text or json key-values into one buffer, without
// building an object per key.
// The text is the same, byte for byte, as the simple and json formatters produce from the decoded
// response (formats/simple.ts simpleKv, gojson.ts goJson); test/unit/output/range-wire.test.ts
// compares them on random responses.
import { WireReader } from '../proto/wire.js';
import type { RangeWire } from '../proto/range-scan.js';

// One reader for the writers below (they never nest).
const r = new WireReader('RangeResponse');

// ---------------------------------------------------------------------------------------------
// simple: `key\nvalue\n` per key-value (or `value\n` with --print-value-only).

/** The simple format's text for the key-values (formats/simple.ts simpleKv without --hex). */
export function simpleText(wire: RangeWire, valueOnly: boolean): Buffer {
  const { offsets, kvCount } = wire;
  let size = 0;
  for (let i = 0; i < kvCount; i++) {
    const o = i * 6;
    size += offsets[o + 5]! - offsets[o + 4]! + 1;
    if (!valueOnly) size += offsets[o + 3]! - offsets[o + 2]! + 1;
  }
  const out = Buffer.allocUnsafe(size);
  simpleInto(out, wire, valueOnly);
  return out;
}

/** Writes the simple text into out (which may be the wire's own buffer); returns its length. */
function simpleInto(out: Buffer, wire: RangeWire, valueOnly: boolean): number {
  const { buf, offsets, kvCount } = wire;
  let at = 0;
  for (let i = 0; i < kvCount; i++) {
    const o = i * 6;
    if (!valueOnly) {
      at = copySpan(out, at, buf, offsets[o + 2]!, offsets[o + 3]!);
      out[at++] = 0x0a;
    }
    at = copySpan(out, at, buf, offsets[o + 4]!, offsets[o + 5]!);
    out[at++] = 0x0a;
  }
  return at;
}

/**
 * simpleText written over the response's own bytes, which it destroys: the wire must not be used
 * afterwards. Each key-value's text is never longer than its wire bytes and never starts after
 * them, so moving the keys and values down in place is safe when every key comes before its
 * value (as etcd writes them); otherwise this falls back to simpleText. For 100,000 key-values it
 * takes a third of simpleText's time: no output buffer to fault in, and one memmove
 * (copyWithin) per long key or value instead of a copy between buffers.
 */
export function simpleTextInPlace(wire: RangeWire, valueOnly: boolean): Buffer {
  const { buf, offsets, kvCount } = wire;
  for (let i = 0; i < kvCount; i++) {
    const o = i * 6;
    if (offsets[o + 3]! > offsets[o + 4]! && offsets[o + 5]! > offsets[o + 4]!) return simpleText(wire, valueOnly);
  }
  return buf.subarray(0, simpleInto(buf, wire, valueOnly));
}

/**
 * Copies buf[start, end) to out at `at` (out may be buf itself, with at <= start), returning the
 * position after it. Short spans (most keys and many values) are copied byte by byte: a call into
 * native code costs more than such a copy.
 */
export function copySpan(out: Buffer, at: number, buf: Buffer, start: number, end: number): number {
  if (end - start < 64) {
    for (let i = start; i < end; i++) out[at++] = buf[i]!;
    return at;
  }
  if (out === buf) buf.copyWithin(at, start, end);
  else out.set(buf.subarray(start, end), at);
  return at + end - start;
}

// ---------------------------------------------------------------------------------------------
// json: Go's encoding/json of the messages (gojson.ts): fields in order, zero values left out,
// bytes as standard base64, 64-bit integers as exact numbers.

const BASE64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
/** From this length on, Node's own encoder (through a string) is faster than the loop below. */
const NATIVE_BASE64_FROM = 192;

function base64Into(out: Buffer, at: number, src: Buffer, start: number, end: number): number {
  if (end - start >= NATIVE_BASE64_FROM) return at + out.write(src.toString('base64', start, end), at, 'latin1');
  let i = start;
  for (; i + 2 < end; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    out[at++] = BASE64[v >>> 18]!;
    out[at++] = BASE64[(v >>> 12) & 63]!;
    out[at++] = BASE64[(v >>> 6) & 63]!;
    out[at++] = BASE64[v & 63]!;
  }
  if (end - i === 1) {
    const v = src[i]! << 16;
    out[at++] = BASE64[v >>> 18]!;
    out[at++] = BASE64[(v >>> 12) & 63]!;
    out[at++] = 0x3d;
    out[at++] = 0x3d;
  } else if (end - i === 2) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8);
    out[at++] = BASE64[v >>> 18]!;
    out[at++] = BASE64[(v >>> 12) & 63]!;
    out[at++] = BASE64[(v >>> 6) & 63]!;
    out[at++] = 0x3d;
  }
  return at;
}

const base64Length = (n: number) => Math.ceil(n / 3) * 4;

function asciiInto(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/** The reader's lo/hi as decimal digits into out. */
function decimalInto(out: Buffer, at: number, signed: boolean): number {
  const hi = r.hi;
  if (hi < 0x200000) {
    let v = hi * 0x100000000 + r.lo;
    if (v < 10) {
      out[at] = 0x30 + v;
      return at + 1;
    }
    let digits = 0;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) digits++;
    for (let p = at + digits - 1; p >= at; p--) {
      out[p] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    return at + digits;
  }
  return asciiInto(out, at, r.decimal(signed));
}

const KV_NAMES = ['', '"key":"', '"create_revision":', '"mod_revision":', '"version":', '"value":"', '"lease":'].map((name) => Buffer.from(name, 'latin1'));
const HEADER_KEYS = ['', '"cluster_id":', '"member_id":', '"revision":', '"raft_term":'];

// A KeyValue's integer fields as found on the wire (index = field number), reused for every key.
const numLo = new Uint32Array(7);
const numHi = new Uint32Array(7);

/** Key-values in a buffer, six offsets each as in RangeWire.offsets (watch events use the layout too). */
export interface KeyValueSpans {
  readonly buf: Buffer;
  readonly offsets: Int32Array;
}

/** The most bytes kvJsonInto writes for key-value `i`: names and punctuation, four 20-digit numbers, the base64 texts. */
export function kvJsonBound(wire: KeyValueSpans, i: number): number {
  const o = i * 6;
  const { offsets } = wire;
  return 176 + base64Length(offsets[o + 3]! - offsets[o + 2]!) + base64Length(offsets[o + 5]! - offsets[o + 4]!);
}

/** Key-value `i`'s JSON object into out; returns the new end. */
export function kvJsonInto(out: Buffer, at: number, wire: KeyValueSpans, i: number): number {
  const { buf, offsets } = wire;
  const o = i * 6;
  const keyStart = offsets[o + 2]!;
  const keyEnd = offsets[o + 3]!;
  const valueStart = offsets[o + 4]!;
  const valueEnd = offsets[o + 5]!;
  const stop = offsets[o + 1]!;
  // The integer fields are found first: Go writes fields in field order whatever the wire order.
  numLo.fill(0);
  numHi.fill(0);
  r.reset(buf, offsets[o]!, stop);
  while (r.pos < stop) {
    const t = r.varint32();
    const f = t >>> 3;
    const w = t & 7;
    if ((f === 2 || f === 3 || f === 4 || f === 6) && w === 0) {
      r.varint64();
      numLo[f] = r.lo;
      numHi[f] = r.hi;
    } else {
      r.skip(w);
    }
  }
  out[at++] = 0x7b;
  let first = true;
  for (let f = 1; f <= 6; f++) {
    const bytes = f === 1 || f === 5;
    const s = f === 1 ? keyStart : valueStart;
    const e = f === 1 ? keyEnd : valueEnd;
    // Go's omitempty: empty bytes and zero integers are left out.
    if (bytes ? e === s : numLo[f] === 0 && numHi[f] === 0) continue;
    if (!first) out[at++] = 0x2c;
    first = false;
    const name = KV_NAMES[f]!;
    out.set(name, at);
    at += name.length;
    if (bytes) {
      at = base64Into(out, at, buf, s, e);
      out[at++] = 0x22;
    } else {
      r.lo = numLo[f]!;
      r.hi = numHi[f]!;
      at = decimalInto(out, at, true);
    }
  }
  out[at++] = 0x7d;
  return at;
}

/** The header's JSON object (`{"cluster_id":…}`). */
export function headerJson(header: Buffer): string {
  const values: Array<string | undefined> = [undefined, undefined, undefined, undefined, undefined];
  r.reset(header);
  while (r.more()) {
    const t = r.varint32();
    const f = t >>> 3;
    const w = t & 7;
    if (f >= 1 && f <= 4 && w === 0) {
      r.varint64();
      values[f] = r.zero() ? undefined : r.decimal(f === 3);
    } else {
      r.skip(w);
    }
  }
  const parts: string[] = [];
  for (let f = 1; f <= 4; f++) if (values[f] !== undefined) parts.push(HEADER_KEYS[f]! + values[f]!);
  return `{${parts.join(',')}}`;
}

/** The key-values as JSON objects joined by commas (what goes between `"kvs":[` and `]`). */
export function kvsJson(wire: RangeWire): Buffer {
  const { kvCount } = wire;
  let size = 0;
  for (let i = 0; i < kvCount; i++) size += kvJsonBound(wire, i);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < kvCount; i++) {
    if (i > 0) out[at++] = 0x2c;
    at = kvJsonInto(out, at, wire, i);
  }
  return out.subarray(0, at);
}
