// The etcd v3 API: message codecs and gRPC method definitions from static code generated at build
// time (scripts/gen-codecs.mjs: protobufjs's own generated functions, written out once), so a
// command neither parses .proto files nor compiles codecs at start-up. Reflection (protobufjs
// types built from the generated descriptor) is built only when something walks message types.
import type protobuf from 'protobufjs';
import minimal from 'protobufjs/minimal.js';
import { bytesOfToken, hasRawBytes, tokenOfBytes } from '../common/byte-strings.js';
import { METHODS, codecOf, type Codec } from '../generated/codecs.js';
import { loadDescriptor, loadProtobuf } from './protobuf-loader.js';

/**
 * How decoded messages look: field names as in the protocol (they are etcdctl's JSON keys),
 * 64-bit integers as decimal strings so IDs and revisions stay exact, enums as numbers, bytes as
 * Buffers, absent fields as their zero values, and a virtual property naming each set oneof.
 */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  root ??= loadProtobuf().Root.fromJSON(loadDescriptor());
  return root;
}

/** The reflected message type by full name (`etcdserverpb.RangeResponse`). */
export function reflectType(fullName: string): protobuf.Type {
  return protoRoot().lookupType(fullName);
}

export interface MethodDefinition {
  path: string;
  /** Full name of the request message type (`etcdserverpb.RangeRequest`). */
  requestType: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: object) => Buffer;
  responseDeserialize: (bytes: Buffer) => object;
}

const methods = new Map<string, MethodDefinition>();

function codec(fullName: string): Codec {
  const c = codecOf(fullName);
  if (!c) throw new Error(`no such type: ${fullName}`);
  return c;
}

/**
 * Names (roles, users, passwords) are proto `string` fields, which etcd's Go code sends and stores
 * as any bytes. A string carrying bytes that are not UTF-8 (byte-strings.ts) is written as those
 * bytes, and read back the same way: `string` and `bytes` share one wire form.
 */
class ByteStringWriter extends minimal.BufferWriter {
  override string(value: string): protobuf.Writer {
    return hasRawBytes(value) ? this.bytes(bytesOfToken(value)) : super.string(value);
  }
}

class ByteStringReader extends minimal.BufferReader {
  override string(): string {
    return tokenOfBytes(this.bytes() as Buffer);
  }
}

function serializer(type: Codec): (value: object) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>), new ByteStringWriter()).finish());
}

function deserializer(type: Codec): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(new ByteStringReader(bytes)), TO_OBJECT);
}

/** The grpc-js definition of `service` (`etcdserverpb.KV`) method `method` (`Range`). */
export function methodDefinition(service: string, method: string): MethodDefinition {
  const id = `${service}/${method}`;
  let def = methods.get(id);
  if (!def) {
    const m = METHODS[id];
    if (!m) throw new Error(`unknown RPC ${id}`);
    def = {
      path: m.path,
      requestType: m.requestType,
      requestStream: m.requestStream,
      responseStream: m.responseStream,
      requestSerialize: serializer(codec(m.requestType)),
      responseDeserialize: deserializer(codec(m.responseType)),
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
    const message = field.resolvedType instanceof loadProtobuf().Type ? field.resolvedType : undefined;
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
  return serializer(codec(fullName))(withoutProto3Defaults(reflectType(fullName), value as Record<string, unknown>));
}

/** Decodes a message of the given type into the same shape RPC responses have. */
export function decodeMessage(fullName: string, bytes: Buffer): object {
  return deserializer(codec(fullName))(bytes);
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
