// etcdctl's `protobuf` format: the response message's wire bytes, no delimiter, no newline.
import { encodeMessage, rawBytesOf } from '../../client/proto.js';
import type { Formatter } from '../types.js';

/** The response as it came off the wire, or re-encoded when it was built locally. */
export function wireBytes(value: object, typeName: string): Uint8Array {
  return rawBytesOf(value) ?? encodeMessage(typeName, value);
}

export const protobufFormat: Formatter = {
  get: ({ resp }) => wireBytes(resp, 'etcdserverpb.RangeResponse'),
  put: ({ resp }) => wireBytes(resp, 'etcdserverpb.PutResponse'),
  del: ({ resp }) => wireBytes(resp, 'etcdserverpb.DeleteRangeResponse'),
};
