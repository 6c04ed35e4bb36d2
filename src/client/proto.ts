// Loads the project's etcd v3 .proto files once and exposes method and message definitions.
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_ROOT = fileURLToPath(new URL('../../proto', import.meta.url));

/**
 * keepCase: field names as in the protocol (they are etcdctl's JSON keys); longs as strings so
 * 64-bit IDs and revisions stay exact; enums as numbers (etcdctl's JSON prints numbers);
 * defaults so absent scalars read as zero values.
 */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: Number,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

let loaded: protoLoader.PackageDefinition | undefined;

export function packageDefinition(): protoLoader.PackageDefinition {
  loaded ??= protoLoader.loadSync(
    ['etcdserverpb/rpc.proto', 'v3lockpb/v3lock.proto', 'v3electionpb/v3election.proto'],
    LOADER_OPTIONS,
  );
  return loaded;
}

export function methodDefinition(service: string, method: string): protoLoader.MethodDefinition<object, object> {
  const svc = packageDefinition()[service] as protoLoader.ServiceDefinition | undefined;
  const def = svc?.[method];
  if (!def) throw new Error(`unknown RPC ${service}/${method}`);
  return def as protoLoader.MethodDefinition<object, object>;
}

/** Serializes a message of the given type (e.g. a ResponseHeader for lease -w protobuf). */
export function encodeMessage(fullName: string, value: object): Buffer {
  const def = packageDefinition()[fullName] as protoLoader.MessageTypeDefinition<object, object> | undefined;
  if (!def) throw new Error(`unknown message type ${fullName}`);
  return def.serialize(value);
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
