// protobufjs reflection over the same .proto files, for the output layer's Go-JSON encoder:
// it needs oneof membership and field types, which proto-loader's descriptors do not keep.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(new URL('../../proto', import.meta.url));
let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target.replace(/^.*?proto\//, ''));
  r.loadSync(['etcdserverpb/rpc.proto', 'v3lockpb/v3lock.proto', 'v3electionpb/v3election.proto'], { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

/** The reflected message type by full name (`etcdserverpb.RangeResponse`). */
export function reflectType(fullName: string): protobuf.Type {
  return loadRoot().lookupType(fullName);
}
