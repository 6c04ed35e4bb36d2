// protobufjs's full build (reflection: types built from the descriptor) and the descriptor,
// loaded on first use so that commands which only send and receive messages never evaluate them.
// The message codecs themselves are static (generated/codecs.ts) and need only protobufjs/minimal.
// scripts/build-bundle.mjs gives the bundle its own version of this module (plain requires that
// esbuild bundles as lazily initialised modules), since the bundle is CommonJS and has no
// import.meta.
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import { descriptor } from '../generated/descriptor.js';

let loaded: typeof protobuf | undefined;

export function loadProtobuf(): typeof protobuf {
  loaded ??= createRequire(import.meta.url)('protobufjs') as typeof protobuf;
  return loaded;
}

/** The etcd API as protobufjs JSON (generated/descriptor.ts). */
export function loadDescriptor(): protobuf.INamespace {
  return descriptor;
}
