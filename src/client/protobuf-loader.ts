// protobufjs's full build (reflection: types built from the descriptor), loaded on first use so
// that commands which only send and receive messages never evaluate it. The message codecs
// themselves are static (generated/codecs.ts) and need only protobufjs/minimal.
// scripts/build-bundle.mjs gives the bundle its own version of this module (a plain require that
// esbuild bundles), since the bundle is CommonJS and has no import.meta.
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

let loaded: typeof protobuf | undefined;

export function loadProtobuf(): typeof protobuf {
  loaded ??= createRequire(import.meta.url)('protobufjs') as typeof protobuf;
  return loaded;
}
