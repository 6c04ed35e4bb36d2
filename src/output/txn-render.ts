// txn output: SUCCESS/FAILURE (or the Succeeded field) followed by each executed request's
// response, rendered as the standalone get/put/del would render it.
import type { TxnResponse__Output } from '../generated/etcdserverpb/TxnResponse.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import type { Formatter, RenderOptions } from './types.js';
import { bytesOfToken } from '../common/byte-strings.js';

export type TxnResult = { kind: 'txn'; resp: TxnResponse__Output };

const bytesOf = (out: string | Uint8Array): Buffer => (typeof out === 'string' ? bytesOfToken(out) : Buffer.from(out));

/** Each response of the executed branch through the format's own get/put/del renderers. */
function branchResponses(resp: TxnResponse__Output, format: Formatter, opts: RenderOptions, before: string): Buffer[] {
  const parts: Buffer[] = [];
  for (const r of resp.responses) {
    parts.push(Buffer.from(before));
    if (r.response === 'response_put' && r.response_put) parts.push(bytesOf(format.put!({ kind: 'put', resp: r.response_put }, opts)));
    else if (r.response === 'response_range' && r.response_range) parts.push(bytesOf(format.get!({ kind: 'get', resp: r.response_range }, opts)));
    else if (r.response === 'response_delete_range' && r.response_delete_range) {
      parts.push(bytesOf(format.del!({ kind: 'del', resp: r.response_delete_range }, opts)));
    }
  }
  return parts;
}

/** simple: `SUCCESS`/`FAILURE`, then an empty line before each response. */
export function simpleTxn(resp: TxnResponse__Output, opts: RenderOptions, simple: Formatter): Buffer {
  return Buffer.concat([Buffer.from(resp.succeeded ? 'SUCCESS\n' : 'FAILURE\n'), ...branchResponses(resp, simple, opts, '\n')]);
}

/** fields: the header, `"Succeeded" : <bool>`, then each response's own fields block. */
export function fieldsTxn(
  resp: TxnResponse__Output,
  opts: RenderOptions,
  fields: Formatter,
  header: (h: ResponseHeader__Output | null) => string,
): Buffer {
  return Buffer.concat([Buffer.from(`${header(resp.header)}"Succeeded" : ${resp.succeeded}\n`), ...branchResponses(resp, fields, opts, '')]);
}
