// etcdctl's `json` format: Go's encoding/json of the response, one line per response.
import { goJson } from '../gojson.js';
import type { Formatter } from '../types.js';

const line = (value: object, typeName: string) => `${goJson(value as Record<string, unknown>, typeName)}\n`;

export const jsonFormat: Formatter = {
  get: ({ resp }) => line(resp, 'etcdserverpb.RangeResponse'),
  put: ({ resp }) => line(resp, 'etcdserverpb.PutResponse'),
  del: ({ resp }) => line(resp, 'etcdserverpb.DeleteRangeResponse'),
};
