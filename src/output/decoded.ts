// A readable, exact view of a protocol message for etcdctl-ts's extra formats (-w json-decoded,
// -w yaml): every field present in declaration order, keys and values as text when they are
// valid UTF-8 (otherwise a marked base64 form), 64-bit integers as decimal strings (jq reads JSON
// numbers as doubles and would round IDs), enums by name, a oneof as its one set member. A
// KeyValue's value that kube-apiserver stored is shown as the Kubernetes object (src/k8s/).
import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import { Document } from 'yaml';
import { type StringifyContext, stringifyString } from 'yaml/util';
import { reflectType } from '../client/proto.js';
import { toJsonData } from '../k8s/json.js';
import { storedValue, undecodableLine } from '../k8s/value.js';

/** Bytes that are not valid UTF-8: `{"base64": "..."}` in JSON, `!!binary` in YAML. */
export class Binary {
  constructor(readonly bytes: Uint8Array) {}
  toJSON(): { base64: string } {
    return { base64: Buffer.from(this.bytes).toString('base64') };
  }
}

/**
 * A value decoded only when it is written: a Kubernetes object, so that a range of them is held in
 * memory one object at a time rather than all at once. JSON writers see it through toJSON.
 */
export class Deferred {
  constructor(private readonly make: () => Decoded) {}
  toJSON(): Decoded {
    return this.make();
  }
}

/** What a decoded message is made of. */
export type Decoded = string | number | bigint | boolean | null | Binary | Deferred | Decoded[] | { [key: string]: Decoded };

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Bytes as text when they are valid UTF-8, otherwise marked binary. */
export function decodeBytes(bytes: Uint8Array): string | Binary {
  return isUtf8(bytes) ? Buffer.from(bytes).toString('utf8') : new Binary(bytes);
}

/** How values are shown. */
export interface ReadableOptions {
  /** Kubernetes objects (and encrypted or JSON-stored ones) as objects; otherwise text or binary. */
  k8s: boolean;
}

/**
 * THE readable form of a stored value (a KeyValue's value): a Kubernetes object as that object,
 * an encrypted one as a note naming provider and key, a malformed one as one line saying what is
 * wrong at which key; any other value as text when it is UTF-8, otherwise marked binary.
 */
export function readableValue(key: Uint8Array, value: Uint8Array, opts: ReadableOptions): Decoded {
  // Every Kubernetes value starts with `k` (`k8s\0`, `k8s:enc:`) or is a JSON object.
  if (!opts.k8s || (value[0] !== 0x6b && value[0] !== 0x7b)) return decodeBytes(value);
  return new Deferred(() => {
    try {
      return storedValue(value) ?? decodeBytes(value);
    } catch (err) {
      return undecodableLine(key, err);
    }
  });
}

const KEY_VALUE = '.mvccpb.KeyValue';

function decodeScalar(field: protobuf.Field, value: unknown, opts: ReadableOptions): Decoded {
  field.resolve();
  const resolved = field.resolvedType;
  if (resolved && 'fields' in resolved) return decodeWith(value as Record<string, unknown> | null, resolved as protobuf.Type, opts);
  if (resolved && 'values' in resolved) {
    const names = (resolved as protobuf.Enum).valuesById;
    return names[value as number] ?? (value as number);
  }
  if (field.type === 'bytes') return decodeBytes((value as Uint8Array | null) ?? new Uint8Array());
  if (LONG_TYPES.has(field.type)) return String(value ?? '0');
  if (field.type === 'bool') return value === true;
  if (field.type === 'string') return (value as string | null) ?? '';
  return Number(value ?? 0);
}

function decodeWith(value: Record<string, unknown> | null | undefined, type: protobuf.Type, opts: ReadableOptions): Decoded {
  if (value === null || value === undefined) return null;
  const out: Record<string, Decoded> = {};
  const keyValue = type.fullName === KEY_VALUE;
  for (const field of type.fieldsArray) {
    const oneof = field.partOf;
    if (oneof && value[oneof.name] !== field.name) continue;
    const v = value[field.name];
    if (keyValue && field.name === 'value') {
      const bytes = (name: string) => (value[name] as Uint8Array | null | undefined) ?? new Uint8Array();
      out.value = readableValue(bytes('key'), bytes('value'), opts);
      continue;
    }
    out[field.name] = field.repeated ? ((v as unknown[] | undefined) ?? []).map((item) => decodeScalar(field, item, opts)) : decodeScalar(field, v, opts);
  }
  return out;
}

/** Decodes a message of type `typeName` (`etcdserverpb.RangeResponse`) into the readable view. */
export function decodeMessage(value: object | null | undefined, typeName: string, opts: ReadableOptions = { k8s: true }): Decoded {
  return decodeWith(value as Record<string, unknown> | null | undefined, reflectType(typeName), opts);
}

/** One JSON document on one line; Binary values become `{"base64": ...}`, big integers stay exact. */
export function toJsonLine(value: Decoded): string | Buffer {
  return toJsonData(value, '\n');
}

// ---------------------------------------------------------------------------------------------
// YAML (block style). Every scalar is written by the `yaml` package's own string and number rules
// (stringifyString: plain when it reads back as the same string, quoted or a block scalar
// otherwise; YAML 1.2 core schema); the blocks around them (`key: `, `- `, two-space indents,
// sequences flush with their key) are laid out here. Not the package's stringify(): it builds a
// node tree and costs ~20 ms for one 40 KB Kubernetes object, 40× the time of decoding it.

let yamlContext: StringifyContext | undefined;

/** The package's stringify context with our options (line folding off, the core schema's tags). */
function context(): StringifyContext {
  if (!yamlContext) {
    const doc = new Document(null, { version: '1.2' });
    const options = {
      blockQuote: true,
      defaultKeyType: null,
      defaultStringType: 'PLAIN',
      doubleQuotedAsJSON: false,
      doubleQuotedMinMultiLineLength: 40,
      lineWidth: 0,
      minContentWidth: 0,
      singleQuote: null,
    } as unknown as StringifyContext['options'];
    // actualString: check that a plain scalar would not read back as a number, bool or null.
    yamlContext = { actualString: true, anchors: new Set(), doc, indent: '', indentStep: '  ', options } as unknown as StringifyContext;
  }
  return yamlContext;
}

/** Single-line scalars by text (keys repeat in every object; most values repeat too). */
const keyCache = new Map<string, string>();
const valueCache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

function yamlText(s: string, indent: string, implicitKey: boolean): string {
  const cache = implicitKey ? keyCache : valueCache;
  const hit = cache.get(s);
  if (hit !== undefined) return hit;
  const ctx = context();
  ctx.indent = indent;
  ctx.implicitKey = implicitKey;
  const text = stringifyString({ value: s }, ctx);
  if (!text.includes('\n') && cache.size < CACHE_LIMIT) cache.set(s, text);
  return text;
}

function yamlScalar(value: Exclude<Decoded, Decoded[] | { [key: string]: Decoded }>, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return yamlText(value, indent, false);
  if (value instanceof Deferred) return yamlScalar(value.toJSON() as Exclude<Decoded, Decoded[] | { [key: string]: Decoded }>, indent);
  if (value instanceof Binary) return `!!binary ${Buffer.from(value.bytes).toString('base64')}`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return String(value);
}

function isCollection(value: Decoded): value is Decoded[] | { [key: string]: Decoded } {
  return value !== null && typeof value === 'object' && !(value instanceof Binary) && !(value instanceof Deferred);
}

const resolved = (value: Decoded): Decoded => (value instanceof Deferred ? value.toJSON() : value);

/** Lines of YAML, turned into bytes every so many lines: a range's YAML can pass V8's longest string. */
class Lines {
  lines: string[] = [];
  chunks: Buffer[] = [];
  push(line: string): void {
    if (this.lines.push(line) >= 20_000) this.flush();
  }
  flush(): void {
    this.chunks.push(Buffer.from(`${this.lines.join('\n')}\n`));
    this.lines = [];
  }
  /** Everything written, ended by a newline: text when it stayed small, else bytes. */
  result(): string | Buffer {
    const text = this.lines.length > 0 ? `${this.lines.join('\n')}\n` : '';
    if (this.chunks.length === 0) return text;
    if (text !== '') this.chunks.push(Buffer.from(text));
    return Buffer.concat(this.chunks);
  }
}

function isEmptyCollection(value: Decoded[] | { [key: string]: Decoded }): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

/**
 * Writes a non-empty collection at `indent`; its first line starts with `first` instead (the
 * `- ` of the sequence item it is in).
 */
function yamlBlock(value: Decoded[] | { [key: string]: Decoded }, indent: string, first: string, out: Lines): void {
  let lead = first;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const item = resolved(entry);
      if (isCollection(item) && !isEmptyCollection(item)) yamlBlock(item, `${indent}  `, `${lead}- `, out);
      else out.push(`${lead}- ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : yamlScalar(item, `${indent}  `)}`);
      lead = indent;
    }
    return;
  }
  for (const key in value) {
    const item = resolved(value[key]!);
    const name = yamlText(key, indent, true);
    if (isCollection(item) && !isEmptyCollection(item)) {
      out.push(`${lead}${name}:`);
      // Sequences sit at their key's indent, mappings one step in.
      if (Array.isArray(item)) yamlBlock(item, indent, indent, out);
      else yamlBlock(item, `${indent}  `, `${indent}  `, out);
    } else {
      out.push(`${lead}${name}: ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : yamlScalar(item, `${indent}  `)}`);
    }
    lead = indent;
  }
}

function writeYaml(value: Decoded, out: Lines): void {
  const v = resolved(value);
  if (!isCollection(v)) out.push(yamlScalar(v, ''));
  else if (isEmptyCollection(v)) out.push(Array.isArray(v) ? '[]' : '{}');
  else yamlBlock(v, '', '', out);
}

/** YAML of one value, without a document marker. */
export function toYaml(value: Decoded): string {
  const out = new Lines();
  writeYaml(value, out);
  return out.result().toString();
}

/** One YAML document (`---` first, so several responses in a row stay separate documents); bytes when large. */
export function toYamlDocument(value: Decoded): string | Buffer {
  const out = new Lines();
  out.push('---');
  writeYaml(value, out);
  return out.result();
}
