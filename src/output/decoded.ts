// A readable, exact view of a protocol message for etcdctl-ts's extra formats (-w json-decoded,
// -w yaml): every field present in declaration order, keys and values as text when they are
// valid UTF-8 (otherwise a marked base64 form), 64-bit integers as decimal strings (jq reads JSON
// numbers as doubles and would round IDs), enums by name, a oneof as its one set member. A
// KeyValue's value that kube-apiserver stored is shown as the Kubernetes object (src/k8s/).
import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import { type ScalarTag, type SchemaOptions, type ToStringOptions, stringify as stringifyYaml } from 'yaml';
import { reflectType } from '../client/proto.js';
import { toJsonText } from '../k8s/json.js';
import { storedValue, undecodableLine } from '../k8s/value.js';

/** Bytes that are not valid UTF-8: `{"base64": "..."}` in JSON, `!!binary` in YAML. */
export class Binary {
  constructor(readonly bytes: Uint8Array) {}
  toJSON(): { base64: string } {
    return { base64: Buffer.from(this.bytes).toString('base64') };
  }
}

/** What a decoded message is made of. */
export type Decoded = string | number | bigint | boolean | null | Binary | Decoded[] | { [key: string]: Decoded };

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
  if (opts.k8s) {
    try {
      const decoded = storedValue(value);
      if (decoded !== undefined) return decoded;
    } catch (err) {
      return undecodableLine(key, err);
    }
  }
  return decodeBytes(value);
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
  for (const field of type.fieldsArray) {
    const oneof = field.partOf;
    if (oneof && value[oneof.name] !== field.name) continue;
    const v = value[field.name];
    out[field.name] = field.repeated ? ((v as unknown[] | undefined) ?? []).map((item) => decodeScalar(field, item, opts)) : decodeScalar(field, v, opts);
  }
  if (type.fullName === KEY_VALUE) {
    const bytes = (name: string) => (value[name] as Uint8Array | null | undefined) ?? new Uint8Array();
    out.value = readableValue(bytes('key'), bytes('value'), opts);
  }
  return out;
}

/** Decodes a message of type `typeName` (`etcdserverpb.RangeResponse`) into the readable view. */
export function decodeMessage(value: object | null | undefined, typeName: string, opts: ReadableOptions = { k8s: true }): Decoded {
  return decodeWith(value as Record<string, unknown> | null | undefined, reflectType(typeName), opts);
}

/** One JSON document on one line; Binary values become `{"base64": ...}`, big integers stay exact. */
export function toJsonLine(value: Decoded): string {
  return `${toJsonText(value)}\n`;
}

// ---------------------------------------------------------------------------------------------
// YAML (block style) by the `yaml` package: YAML 1.2 core schema, sequences flush with their key,
// no line folding, Binary as `!!binary <base64>` on one line.

const BINARY_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  identify: (value) => value instanceof Binary,
  resolve: (text) => text,
  stringify: (item) => Buffer.from((item.value as Binary).bytes).toString('base64'),
};
const YAML_OPTIONS: SchemaOptions & ToStringOptions = { indentSeq: false, lineWidth: 0, customTags: [BINARY_TAG] };

/** One YAML document (`---` first, so several responses in a row stay separate documents). */
export function toYamlDocument(value: Decoded): string {
  return `---\n${stringifyYaml(value, YAML_OPTIONS)}`;
}
