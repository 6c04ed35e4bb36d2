// The etcd v3 API as protobufjs types, built from a descriptor generated at build time
// (scripts/gen-descriptor.mjs), and the gRPC method definitions grpc-js needs. Building these
// directly is ~5x cheaper at start-up than parsing .proto files or proto-loader's fromJSON.
import protobuf from 'protobufjs';
import { descriptor } from '../generated/descriptor.js';

/**
 * How decoded messages look: field names as in the protocol (they are etcdctl's JSON keys),
 * 64-bit integers as decimal strings so IDs and revisions stay exact, enums as numbers, bytes as
 * Buffers, absent fields as their zero values, and a virtual property naming each set oneof.
 */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptor);
  return root;
}

/** The reflected message type by full name (`etcdserverpb.RangeResponse`). */
export function reflectType(fullName: string): protobuf.Type {
  return protoRoot().lookupType(fullName);
}

export interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: object) => Buffer;
  responseDeserialize: (bytes: Buffer) => object;
}

const methods = new Map<string, MethodDefinition>();

function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), TO_OBJECT);
}

/** The grpc-js definition of `service` (`etcdserverpb.KV`) method `method` (`Range`). */
export function methodDefinition(service: string, method: string): MethodDefinition {
  const id = `${service}/${method}`;
  let def = methods.get(id);
  if (!def) {
    const svc = protoRoot().lookupService(service);
    const m = svc.methods[method];
    if (!m) throw new Error(`unknown RPC ${id}`);
    m.resolve();
    def = {
      path: `/${service}/${method}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      requestSerialize: serializer(m.resolvedRequestType!),
      responseDeserialize: deserializer(m.resolvedResponseType!),
    };
    methods.set(id, def);
  }
  return def;
}

/**
 * Drops what Go's proto3 marshalling never writes: zero scalars, empty bytes/strings/lists and
 * absent messages outside oneofs (decoded objects carry them as defaults, and protobufjs would
 * encode them). A set oneof member is kept even when it holds a zero value.
 */
function withoutProto3Defaults(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === null || v === undefined) continue;
    field.resolve();
    const message = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    const convert = (item: unknown) => (message ? withoutProto3Defaults(message, item as Record<string, unknown>) : item);
    if (field.repeated) {
      if ((v as unknown[]).length > 0) out[field.name] = (v as unknown[]).map(convert);
      continue;
    }
    const zero =
      !message &&
      (field.type === 'bytes'
        ? (v as Uint8Array).length === 0
        : field.type === 'string'
          ? v === ''
          : field.type === 'bool'
            ? v === false
            : String(v) === '0');
    if (zero && !field.partOf) continue;
    out[field.name] = convert(v);
  }
  return out;
}

/** Serializes a message of the given type as Go would (e.g. a ResponseHeader for lease -w protobuf). */
export function encodeMessage(fullName: string, value: object): Buffer {
  const type = reflectType(fullName);
  return serializer(type)(withoutProto3Defaults(type, value as Record<string, unknown>));
}

/** Decodes a message of the given type into the same shape RPC responses have. */
export function decodeMessage(fullName: string, bytes: Buffer): object {
  return deserializer(reflectType(fullName))(bytes);
}

const rawBytes = new WeakMap<object, Buffer>();

/** Wraps a deserializer so each decoded response remembers the bytes it came from. */
export function keepRawBytes(deserialize: (buf: Buffer) => object): (buf: Buffer) => object {
  return (buf) => {
    const value = deserialize(buf);
    rawBytes.set(value, buf);
    return value;
  };
}

/** The wire bytes of a response (what etcdctl's -w protobuf writes), if it came off the wire. */
export function rawBytesOf(value: object): Buffer | undefined {
  return rawBytes.get(value);
}
