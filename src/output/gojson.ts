// Go's encoding/json applied to etcd's generated protobuf structs, driven by reflection:
// fields in declaration order, omitempty on every proto field, bytes as base64, 64-bit
// integers as exact bare numbers, enums as numbers, oneofs wrapped in their Go field name.
import type protobuf from 'protobufjs';
import { reflectType } from '../client/proto.js';
import { base64Std, goJsonString } from '../go/encode.js';

/** Go field name of a oneof (`target_union` → `TargetUnion`). */
function goFieldName(protoName: string): string {
  return protoName
    .split('_')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : ''))
    .join('');
}

function isEmpty(field: protobuf.Field, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (field.repeated) return (value as unknown[]).length === 0;
  if (field.resolvedType && 'fields' in field.resolvedType) return false; // a present message
  switch (field.type) {
    case 'bytes':
      return (value as Uint8Array).length === 0;
    case 'bool':
      return value === false;
    case 'string':
      return value === '';
    default:
      return String(value) === '0';
  }
}

function encodeSingle(field: protobuf.Field, value: unknown): string {
  const resolved = field.resolvedType;
  if (resolved && 'fields' in resolved) return goJsonMessage(value as Record<string, unknown>, resolved as protobuf.Type);
  switch (field.type) {
    case 'bytes':
      return `"${base64Std(value as Uint8Array)}"`;
    case 'string':
      return goJsonString(value as string);
    case 'bool':
      return value ? 'true' : 'false';
    default:
      return String(value);
  }
}

function encodeField(field: protobuf.Field, value: unknown): string {
  if (field.repeated) return `[${(value as unknown[]).map((v) => encodeSingle(field, v)).join(',')}]`;
  return encodeSingle(field, value);
}

function goJsonMessage(value: Record<string, unknown> | null | undefined, type: protobuf.Type): string {
  if (value === null || value === undefined) return 'null';
  const parts: string[] = [];
  const oneofsDone = new Set<string>();
  for (const field of type.fieldsArray) {
    const oneof = field.partOf;
    if (oneof) {
      if (oneofsDone.has(oneof.name)) continue;
      oneofsDone.add(oneof.name);
      // Go places the oneof interface field where its first member is; it has no omitempty.
      const chosen = value[oneof.name] as string | undefined;
      const member = oneof.fieldsArray.find((f) => f.name === chosen);
      const inner = member ? `{${JSON.stringify(member.name)}:${encodeField(member, value[member.name])}}` : 'null';
      parts.push(`${JSON.stringify(goFieldName(oneof.name))}:${inner}`);
      continue;
    }
    const fieldValue = value[field.name];
    if (isEmpty(field, fieldValue)) continue;
    parts.push(`${JSON.stringify(field.name)}:${encodeField(field, fieldValue)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Encodes a decoded message of type `typeName` (`etcdserverpb.RangeResponse`) as etcdctl's JSON. */
export function goJson(value: Record<string, unknown> | null | undefined, typeName: string): string {
  return goJsonMessage(value, reflectType(typeName));
}
