// Kubernetes objects from the protobuf that kube-apiserver stores, into the JSON form that
// `kubectl get -o json` shows: JSON field names, omitempty/omitzero as the Go types say, Time as
// RFC 3339 (MicroTime with microseconds), Duration as Go prints it, Quantity as its string,
// IntOrString as a number or a string, RawExtension/JSON/FieldsV1 as the JSON they hold, bytes as
// base64, keys sorted as kubectl prints them. The rules for what Go's encoding/json writes for an
// absent field (zero value, null, or nothing) follow from the descriptor's facts: pointer or not,
// omitempty, omitzero.
import { formatGoDuration } from '../go/duration.js';
import { WireReader } from '../proto/wire.js';
import { type Field, type Message, messageOfKind } from './schema.js';

/** A JSON value; 64-bit integers beyond 2^53 stay exact as bigint. */
export type Json = string | number | bigint | boolean | null | Json[] | { [key: string]: Json };

/** The value is not a well-formed object: which part, and what is wrong. */
export class K8sDecodeError extends Error {
  override name = 'K8sDecodeError';
}

/** The prefix of every protobuf value kube-apiserver writes (then a runtime.Unknown). */
export const K8S_MAGIC = Buffer.from('k8s\0', 'latin1');

/** Text of buf[start, end): Buffer's UTF-8 decoding (invalid bytes become U+FFFD, as Go's JSON writes them). */
const textOf = (buf: Uint8Array, start: number, end: number): string =>
  (buf instanceof Buffer ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length)).toString('utf8', start, end);

// ---------------------------------------------------------------------------------------------
// Wire reading: the project's one reader (src/proto/wire.ts), its errors naming the message type
// and the byte where the object stops making sense.

class Cursor extends WireReader {
  constructor(buf: Uint8Array, pos: number, end: number, what: string) {
    super(what);
    this.reset(buf, pos, end);
  }

  override fail(): never {
    throw new K8sDecodeError(`truncated or malformed protobuf in ${this.what} at byte ${this.pos}`);
  }

  /** A varint into lo/hi; returns lo (enough for tags, int32 and bool). */
  varint(): number {
    this.varint64();
    return this.lo;
  }
}

/** lo/hi as a JSON number, or a bigint beyond 2^53. */
function int64Of(lo: number, hi: number, signed: boolean): number | bigint {
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  const big = (BigInt(hi) << 32n) | BigInt(lo);
  const value = signed ? BigInt.asIntN(64, big) : big;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** One scalar of `type` at the cursor (wire type already checked by the caller). */
function readScalar(c: Cursor, type: string): Json {
  switch (type) {
    case 'string': {
      const stop = c.span();
      const s = textOf(c.buf, c.pos, stop);
      c.pos = stop;
      return s;
    }
    case 'bytes': {
      const stop = c.span();
      const s = Buffer.from(c.buf.buffer, c.buf.byteOffset + c.pos, stop - c.pos).toString('base64');
      c.pos = stop;
      return s;
    }
    case 'bool':
      c.varint();
      return c.lo !== 0 || c.hi !== 0;
    case 'int32':
      return c.varint() | 0;
    case 'uint32':
      return c.varint();
    case 'int64':
      c.varint();
      return int64Of(c.lo, c.hi, true);
    case 'uint64':
      c.varint();
      return int64Of(c.lo, c.hi, false);
    case 'sint32': {
      const n = c.varint();
      return (n >>> 1) ^ -(n & 1);
    }
    case 'sint64': {
      c.varint();
      const big = (BigInt(c.hi) << 32n) | BigInt(c.lo);
      const v = (big >> 1n) ^ -(big & 1n);
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    case 'double':
    case 'fixed64':
    case 'sfixed64': {
      if (c.pos + 8 > c.end) c.fail();
      const view = new DataView(c.buf.buffer, c.buf.byteOffset + c.pos, 8);
      c.pos += 8;
      if (type === 'double') return view.getFloat64(0, true);
      return int64Of(view.getUint32(0, true), view.getUint32(4, true), type === 'sfixed64');
    }
    case 'float':
    case 'fixed32':
    case 'sfixed32': {
      if (c.pos + 4 > c.end) c.fail();
      const view = new DataView(c.buf.buffer, c.buf.byteOffset + c.pos, 4);
      c.pos += 4;
      // float32 printed as Go does (the shortest text that reads back as the same float32).
      if (type === 'float') return shortestFloat32(view.getFloat32(0, true));
      return type === 'fixed32' ? view.getUint32(0, true) : view.getInt32(0, true);
    }
    default:
      return c.fail();
  }
}

function shortestFloat32(f: number): number {
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

const WIRE_TYPE: Record<string, number> = { double: 1, fixed64: 1, sfixed64: 1, float: 5, fixed32: 5, sfixed32: 5, string: 2, bytes: 2 };
const wireTypeOf = (type: string | Message): number => (typeof type === 'string' ? (WIRE_TYPE[type] ?? 0) : 2);

const ZERO: Record<string, Json> = { string: '', bool: false };
const zeroOf = (type: string): Json => (type in ZERO ? ZERO[type]! : 0);

// ---------------------------------------------------------------------------------------------
// Messages.

/** A span of a message field's bytes. */
type Span = [number, number];

/** What was read of one field: scalars converted, messages as spans (read once their type's rule is known). */
type Occurrences = Json[] | Span[];

/** Fields of one message read from buf[start, end): occurrences in order, by field index. */
function readFields(message: Message, buf: Uint8Array, start: number, end: number): (Occurrences | undefined)[] {
  const c = new Cursor(buf, start, end, message.name);
  const found: (Occurrences | undefined)[] = new Array(message.fields.length);
  const kinds = planOf(message).kinds;
  while (c.pos < end) {
    const tag = c.varint();
    if (c.hi !== 0) c.fail();
    const wireType = tag & 7;
    const field = message.byNumber.get(tag >>> 3);
    if (!field) {
      c.skip(wireType);
      continue;
    }
    const list = (found[field.index] ??= []);
    const kind = kinds[field.index]!;
    if (kind === SPAN) {
      // A map entry or a message: its span.
      if (wireType !== 2) c.fail();
      const stop = c.span();
      (list as Span[]).push([c.pos, stop]);
      c.pos = stop;
    } else if (wireType === 2 && wireTypeOf(kind) !== 2) {
      // Packed repeated scalars.
      const stop = c.span();
      const inner = new Cursor(buf, c.pos, stop, c.what);
      while (inner.pos < stop) (list as Json[]).push(readScalar(inner, kind));
      c.pos = stop;
    } else {
      if (wireType !== wireTypeOf(kind)) c.fail();
      (list as Json[]).push(readScalar(c, kind));
    }
  }
  return found;
}

const SPAN = '';

/** What is worked out once per message type: how each field is read, the JSON key order, its own JSON form. */
interface Plan {
  /** Per field: its scalar type, or SPAN for messages and map entries. */
  kinds: string[];
  /** The fields shown in JSON, by JSON name (the order kubectl prints). */
  order: Field[];
  /** Whether an inlined field's keys must be merged in (then the keys are sorted at the end). */
  inline: boolean;
  special: SpecialJson | undefined;
}

const plans = new WeakMap<Message, Plan>();

function planOf(message: Message): Plan {
  let plan = plans.get(message);
  if (!plan) {
    const short = message.name.slice(message.name.lastIndexOf('.') + 1);
    const special = SPECIAL.get(short);
    plan = {
      kinds: message.fields.map((f) => (typeof f.type === 'string' ? f.type : SPAN)),
      order: message.fields.filter((f) => !f.hidden).sort((a, b) => (a.json < b.json ? -1 : a.json > b.json ? 1 : 0)),
      inline: message.fields.some((f) => f.inline && !f.hidden),
      special: special && special.pkg.test(message.name) ? special.json : undefined,
    };
    plans.set(message, plan);
  }
  return plan;
}

/** A message's JSON form (a special type's own form, or an object of its fields). */
export function messageJson(message: Message, buf: Uint8Array, start: number, end: number): Json {
  const plan = planOf(message);
  if (plan.special) return plan.special(message, buf, start, end);
  const found = readFields(message, buf, start, end);
  if (message.arrayWrapper) {
    const items = message.fields[0] ? fieldValue(message.fields[0], found[0], buf) : null;
    return Array.isArray(items) && items.length > 0 ? items : null;
  }
  const out: Record<string, Json> = {};
  for (const field of plan.order) {
    const occurrences = found[field.index];
    const value = fieldValue(field, occurrences, buf);
    if (field.inline && typeof field.type === 'object' && 'fields' in field.type) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
      continue;
    }
    if (field.omitempty && isEmpty(field, value, occurrences !== undefined)) continue;
    if (field.omitzero && (value === null || occurrences === undefined)) continue;
    out[field.json] = value;
  }
  return plan.inline ? sortedObject(out) : out;
}

/** Go's omitempty: false, 0, "", nil pointer, empty slice/map; a struct is never empty. */
function isEmpty(field: Field, value: Json, present: boolean): boolean {
  if (field.pointer) return !present;
  if (field.repeated || (typeof field.type === 'object' && !('fields' in field.type))) return value === null || (value as Json[]).length === 0;
  if (typeof field.type === 'object') return field.type.arrayWrapper && value === null;
  if (field.type === 'bytes') return !present || value === '';
  return value === zeroOf(field.type);
}

function fieldValue(field: Field, occurrences: Occurrences | undefined, buf: Uint8Array): Json {
  const type = field.type;
  if (typeof type === 'object' && !('fields' in type)) {
    // A map: entries of key (1) and value (2).
    if (!occurrences || occurrences.length === 0) return null;
    const map: Record<string, Json> = {};
    for (const [start, end] of occurrences as Span[]) {
      const [key, value] = mapEntry(type.key, type.value, buf, start, end);
      map[key] = value;
    }
    return sortedObject(map);
  }
  if (field.repeated) {
    if (!occurrences || occurrences.length === 0) return null;
    if (typeof type === 'string') return occurrences as Json[];
    return (occurrences as Span[]).map(([start, end]) => messageJson(type, buf, start, end));
  }
  if (typeof type === 'string') {
    if (!occurrences) return field.pointer ? null : zeroOf(type);
    return (occurrences as Json[])[occurrences.length - 1]!;
  }
  if (!occurrences) return field.pointer ? null : messageJson(type, buf, 0, 0);
  const [start, end] = (occurrences as Span[])[occurrences.length - 1]!;
  return messageJson(type, buf, start, end);
}

function mapEntry(keyType: string, valueType: string | Message, buf: Uint8Array, start: number, end: number): [string, Json] {
  const c = new Cursor(buf, start, end, 'map entry');
  let key: Json = zeroOf(keyType);
  let value: Json | undefined;
  while (c.pos < end) {
    const tag = c.varint();
    const wireType = tag & 7;
    if (tag >>> 3 === 1 && wireType === wireTypeOf(keyType)) key = readScalar(c, keyType);
    else if (tag >>> 3 === 2 && wireType === wireTypeOf(valueType)) {
      if (typeof valueType === 'string') value = readScalar(c, valueType);
      else {
        const stop = c.span();
        value = messageJson(valueType, buf, c.pos, stop);
        c.pos = stop;
      }
    } else c.skip(wireType);
  }
  if (value === undefined) value = typeof valueType === 'string' ? zeroOf(valueType) : messageJson(valueType, buf, 0, 0);
  return [String(key), value];
}

/** Keys in byte order, as kubectl prints objects. */
function sortedObject(obj: Record<string, Json>): Record<string, Json> {
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  if (sorted) return obj;
  const out: Record<string, Json> = {};
  for (const key of keys.sort()) out[key] = obj[key]!;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Types with their own JSON form (their Go types implement MarshalJSON).

type SpecialJson = (message: Message, buf: Uint8Array, start: number, end: number) => Json;

/** The fields of a special type by number (their JSON names do not matter). */
function fieldsByNumber(message: Message, buf: Uint8Array, start: number, end: number): Map<number, Json | Span> {
  const out = new Map<number, Json | Span>();
  readFields(message, buf, start, end).forEach((list, index) => {
    const field = message.fields[index]!;
    if (list) out.set(field.number, field.repeated ? (list as Json) : list[list.length - 1]!);
  });
  return out;
}

/** The bytes of field 1 (the raw JSON of RawExtension, apiextensions JSON, FieldsV1), or undefined. */
function rawField(buf: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const c = new Cursor(buf, start, end, 'raw JSON');
  let raw: Uint8Array | undefined;
  while (c.pos < end) {
    const tag = c.varint();
    if (tag === ((1 << 3) | 2)) {
      const stop = c.span();
      raw = buf.subarray(c.pos, stop);
      c.pos = stop;
    } else c.skip(tag & 7);
  }
  return raw;
}

const APIMACHINERY = /^k8s\.io\.apimachinery\./;
const APIEXTENSIONS = /^k8s\.io\.apiextensions_apiserver\./;

/** metav1.Time: RFC 3339 in seconds (UTC); an empty message is the zero time, null. */
const timeJson =
  (micro: boolean): SpecialJson =>
  (message, buf, start, end) => {
    if (start === end) return null;
    const f = fieldsByNumber(message, buf, start, end);
    const seconds = Number(f.get(1) ?? 0);
    const nanos = Number(f.get(2) ?? 0);
    const iso = new Date(seconds * 1000).toISOString(); // 2008-01-01T01:01:01.000Z
    if (Number.isNaN(seconds) || iso.length !== 24) throw new K8sDecodeError(`time out of range: ${seconds} seconds`);
    return micro ? `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso.slice(0, 19)}Z`;
  };

/** Raw bytes that hold JSON (RawExtension, apiextensions JSON, FieldsV1); an object in k8s protobuf is decoded. */
function embedded(raw: Uint8Array | undefined): Json {
  if (raw === undefined || raw.length === 0) return null;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  if (bytes.subarray(0, 4).equals(K8S_MAGIC)) return decodeK8sObject(bytes);
  try {
    return JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    return bytes.toString('base64');
  }
}

const isNonEmptyList = (value: Json): boolean => Array.isArray(value) && value.length > 0;

/** A type whose JSON is one of two fields: `first` when `takeFirst` says so, else `second`. */
function eitherField(first: number, second: number, takeFirst: (value: Json, present: boolean) => boolean): SpecialJson {
  return (m, b, s, e) => {
    const found = readFields(m, b, s, e);
    const a = m.byNumber.get(first)!;
    const value = fieldValue(a, found[a.index], b);
    if (takeFirst(value, found[a.index] !== undefined)) return value;
    const other = m.byNumber.get(second)!;
    return fieldValue(other, found[other.index], b);
  };
}

const SPECIAL = new Map<string, { pkg: RegExp; json: SpecialJson }>([
  ['Time', { pkg: APIMACHINERY, json: timeJson(false) }],
  ['MicroTime', { pkg: APIMACHINERY, json: timeJson(true) }],
  ['Duration', { pkg: APIMACHINERY, json: (m, b, s, e) => formatGoDuration(BigInt(fieldsByNumber(m, b, s, e).get(1) as number | bigint | undefined ?? 0)) }],
  ['FieldsV1', { pkg: APIMACHINERY, json: (_m, b, s, e) => embedded(rawField(b, s, e)) }],
  ['RawExtension', { pkg: APIMACHINERY, json: (_m, b, s, e) => embedded(rawField(b, s, e)) }],
  ['Quantity', { pkg: APIMACHINERY, json: (m, b, s, e) => (fieldsByNumber(m, b, s, e).get(1) as string | undefined) || '0' }],
  ['QuantityValue', { pkg: APIMACHINERY, json: (m, b, s, e) => (fieldsByNumber(m, b, s, e).get(1) as string | undefined) || '0' }],
  [
    'IntOrString',
    {
      pkg: APIMACHINERY,
      json: (m, b, s, e) => {
        const f = fieldsByNumber(m, b, s, e);
        const type = Number(f.get(1) ?? 0);
        if (type === 0) return (f.get(2) as number | undefined) ?? 0;
        if (type === 1) return (f.get(3) as string | undefined) ?? '';
        throw new K8sDecodeError(`IntOrString of type ${type}`);
      },
    },
  ],
  ['JSON', { pkg: APIEXTENSIONS, json: (_m, b, s, e) => embedded(rawField(b, s, e)) }],
  // Go's MarshalJSON writes the schema if there is one, else the bool.
  ['JSONSchemaPropsOrBool', { pkg: APIEXTENSIONS, json: eitherField(2, 1, (_value, present) => present) }],
  // The list when it is not empty, else the schema (or null).
  ['JSONSchemaPropsOrStringArray', { pkg: APIEXTENSIONS, json: eitherField(2, 1, isNonEmptyList) }],
  ['JSONSchemaPropsOrArray', { pkg: APIEXTENSIONS, json: eitherField(2, 1, isNonEmptyList) }],
]);

// ---------------------------------------------------------------------------------------------
// The stored value: `k8s\0` + runtime.Unknown { typeMeta { apiVersion, kind }, raw, contentEncoding, contentType }.

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Reads the runtime.Unknown after the magic. */
export function readEnvelope(value: Uint8Array): Envelope {
  const out: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const c = new Cursor(value, K8S_MAGIC.length, value.length, 'runtime.Unknown envelope');
  const text = (stop: number) => textOf(value, c.pos, stop);
  while (c.pos < c.end) {
    const tag = c.varint();
    if ((tag & 7) !== 2) {
      c.skip(tag & 7);
      continue;
    }
    const stop = c.span();
    switch (tag >>> 3) {
      case 1: {
        const inner = new Cursor(value, c.pos, stop, 'runtime.TypeMeta');
        while (inner.pos < stop) {
          const t = inner.varint();
          if ((t & 7) !== 2) inner.fail();
          const s = inner.span();
          if (t >>> 3 === 1) out.apiVersion = textOf(value, inner.pos, s);
          if (t >>> 3 === 2) out.kind = textOf(value, inner.pos, s);
          inner.pos = s;
        }
        break;
      }
      case 2:
        out.raw = value.subarray(c.pos, stop);
        break;
      case 3:
        out.contentEncoding = text(stop);
        break;
      case 4:
        out.contentType = text(stop);
        break;
    }
    c.pos = stop;
  }
  return out;
}

/** What is shown for an object whose type is not in the schema (or is encoded in a way not read here). */
export function undecodedObject(envelope: Envelope, reason: string): Json {
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, undecoded: { reason, rawBytes: envelope.raw.length } };
}

/**
 * A `k8s\0` value as its object. `type` names the type when the envelope does not (objects that
 * have no TypeMeta of their own). Throws K8sDecodeError for a malformed object.
 */
export function decodeK8sObject(value: Uint8Array, type?: { apiVersion: string; kind: string }): Json {
  const envelope = readEnvelope(value);
  const apiVersion = envelope.apiVersion || type?.apiVersion || '';
  const kind = envelope.kind || type?.kind || '';
  if (envelope.contentEncoding !== '') return undecodedObject(envelope, `content encoding ${envelope.contentEncoding}`);
  const message = messageOfKind(apiVersion, kind);
  if (!message) return undecodedObject(envelope, 'type not in the schema');
  const object = messageJson(message, envelope.raw, 0, envelope.raw.length);
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return object;
  // The object's own TypeMeta is not in its protobuf; the envelope carries it.
  if (envelope.kind === '' && envelope.apiVersion === '') return object;
  return sortedObject({ ...object, apiVersion: envelope.apiVersion, kind: envelope.kind });
}
