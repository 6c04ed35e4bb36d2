// Wire bytes for messages built here rather than received (watch responses as etcdctl rebuilds
// them, election observations), encoded as gogo-protobuf does: proto3 zero values are left out,
// present sub-messages are written even when empty, fields in number order.
import type protobuf from 'protobufjs';
import { encodeMessage, keepRawBytes, reflectType } from '../client/proto.js';

function isZero(field: protobuf.Field, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (field.repeated) return (value as unknown[]).length === 0;
  if (field.resolvedType && 'fields' in field.resolvedType) return false;
  if (value instanceof Uint8Array) return value.length === 0;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return field.type === 'string' ? value === '' : value === '0' || value === '-0';
  return String(value) === '0';
}

/** A copy of `value` keeping only what gogo-protobuf would write. */
function withoutZeroes(value: Record<string, unknown>, type: protobuf.Type): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const v = value[field.name];
    const chosenOneof = field.partOf !== null && field.partOf !== undefined && value[field.partOf.name] === field.name;
    if (!chosenOneof && isZero(field, v)) continue;
    if (v === null || v === undefined) continue;
    const message = field.resolvedType && 'fields' in field.resolvedType ? (field.resolvedType as protobuf.Type) : undefined;
    if (message) {
      out[field.name] = field.repeated
        ? (v as Record<string, unknown>[]).map((item) => withoutZeroes(item, message))
        : withoutZeroes(v as Record<string, unknown>, message);
    } else {
      out[field.name] = v;
    }
  }
  return out;
}

/** Encodes a decoded-shape message of type `typeName` as gogo-protobuf would. */
export function encodeGogo(typeName: string, value: object): Buffer {
  return encodeMessage(typeName, withoutZeroes(value as Record<string, unknown>, reflectType(typeName)));
}

/**
 * Registers gogo-style wire bytes for a message built locally, so that `-w protobuf` renderers
 * (which print a response's wire bytes) print what etcdctl would. Returns the same object.
 */
export function withWireBytes<T extends object>(value: T, typeName: string): T {
  keepRawBytes(() => value)(encodeGogo(typeName, value));
  return value;
}
