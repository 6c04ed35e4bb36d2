// A readable, exact view of a protocol message for etcdctl-ts's extra formats (-w json-decoded,
// -w yaml): every field present in declaration order, keys and values as text when they are
// valid UTF-8 (otherwise a marked base64 form), 64-bit integers as decimal strings (jq reads JSON
// numbers as doubles and would round IDs), enums by name, a oneof as its one set member.
import { isUtf8 } from 'node:buffer';
import type protobuf from 'protobufjs';
import { reflectType } from '../client/proto.js';

/** Bytes that are not valid UTF-8: `{"base64": "..."}` in JSON, `!!binary` in YAML. */
export class Binary {
  constructor(readonly bytes: Uint8Array) {}
  toJSON(): { base64: string } {
    return { base64: Buffer.from(this.bytes).toString('base64') };
  }
}

/** What a decoded message is made of. */
export type Decoded = string | number | boolean | null | Binary | Decoded[] | { [key: string]: Decoded };

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Bytes as text when they are valid UTF-8, otherwise marked binary. */
export function decodeBytes(bytes: Uint8Array): string | Binary {
  return isUtf8(bytes) ? Buffer.from(bytes).toString('utf8') : new Binary(bytes);
}

function decodeScalar(field: protobuf.Field, value: unknown): Decoded {
  field.resolve();
  const resolved = field.resolvedType;
  if (resolved && 'fields' in resolved) return decodeWith(value as Record<string, unknown> | null, resolved as protobuf.Type);
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

function decodeWith(value: Record<string, unknown> | null | undefined, type: protobuf.Type): Decoded {
  if (value === null || value === undefined) return null;
  const out: Record<string, Decoded> = {};
  for (const field of type.fieldsArray) {
    const oneof = field.partOf;
    if (oneof && value[oneof.name] !== field.name) continue;
    const v = value[field.name];
    out[field.name] = field.repeated ? ((v as unknown[] | undefined) ?? []).map((item) => decodeScalar(field, item)) : decodeScalar(field, v);
  }
  return out;
}

/** Decodes a message of type `typeName` (`etcdserverpb.RangeResponse`) into the readable view. */
export function decodeMessage(value: object | null | undefined, typeName: string): Decoded {
  return decodeWith(value as Record<string, unknown> | null | undefined, reflectType(typeName));
}

/** One JSON document on one line; Binary values become `{"base64": ...}`. */
export function toJsonLine(value: Decoded): string {
  return `${JSON.stringify(value)}\n`;
}

// ---------------------------------------------------------------------------------------------
// YAML (block style), written for this data model only.

const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_ ./@-]*$/;
const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

function yamlString(s: string): string {
  if (s !== '' && PLAIN_SAFE.test(s) && !s.endsWith(' ') && !YAML_WORDS.test(s)) return s;
  // A YAML double-quoted scalar accepts JSON's escapes.
  return JSON.stringify(s);
}

function yamlScalar(value: Exclude<Decoded, Decoded[] | { [key: string]: Decoded }>): string {
  if (value === null) return 'null';
  if (value instanceof Binary) return `!!binary ${Buffer.from(value.bytes).toString('base64')}`;
  if (typeof value === 'string') return yamlString(value);
  return String(value);
}

function isCollection(value: Decoded): value is Decoded[] | { [key: string]: Decoded } {
  return value !== null && typeof value === 'object' && !(value instanceof Binary);
}

function yamlLines(value: Decoded, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && (Array.isArray(item) ? item.length > 0 : Object.keys(item).length > 0)) {
        const inner: string[] = [];
        yamlLines(item, `${indent}  `, inner);
        // The first line of the item goes after the dash.
        out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        out.push(`${indent}- ${isCollection(item) ? (Array.isArray(item) ? '[]' : '{}') : yamlScalar(item)}`);
      }
    }
    return;
  }
  if (!isCollection(value)) {
    out.push(`${indent}${yamlScalar(value)}`);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const name = yamlString(key);
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(`${indent}${name}: []`);
      else {
        out.push(`${indent}${name}:`);
        yamlLines(item, indent, out);
      }
    } else if (isCollection(item)) {
      if (Object.keys(item).length === 0) out.push(`${indent}${name}: {}`);
      else {
        out.push(`${indent}${name}:`);
        yamlLines(item, `${indent}  `, out);
      }
    } else {
      out.push(`${indent}${name}: ${yamlScalar(item)}`);
    }
  }
}

/** One YAML document (`---` first, so several responses in a row stay separate documents). */
export function toYamlDocument(value: Decoded): string {
  const lines: string[] = [];
  yamlLines(value, '', lines);
  return `---\n${lines.join('\n')}\n`;
}
