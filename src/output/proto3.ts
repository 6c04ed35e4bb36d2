// Wire bytes for messages built here rather than received (election observations), so that
// `-w protobuf` renderers, which print a response's wire bytes, print what etcdctl would.
import { encodeMessage, keepRawBytes } from '../client/proto.js';

/** Registers Go-style wire bytes for a locally built message. Returns the same object. */
export function withWireBytes<T extends object>(value: T, typeName: string): T {
  keepRawBytes(() => value)(encodeMessage(typeName, value));
  return value;
}
