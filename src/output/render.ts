// Picks the formatter for the chosen output format; a kind it lacks is etcdctl's
// "<format> not supported as output format" (exit 4), raised after the RPC took effect.
import { CtlError, ExitCode } from '../common/errors.js';
import type { OutputFormat } from './format-names.js';
import { fieldsFormat, fieldsGet } from './formats/fields.js';
import { jsonFormat, jsonGetRaw } from './formats/json.js';
import { protobufFormat } from './formats/protobuf.js';
import { simpleFormat, simpleGet, simpleGetRaw } from './formats/simple.js';
import { tableFormat } from './formats/table.js';
import { jsonDecodedFormat, yamlFormat } from './formats/decoded-formats.js';
import type { Formatter, GetStream, Renderer, RenderOptions, Result } from './types.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import type { RangeWire } from '../proto/range-scan.js';

const FORMATTERS: Record<OutputFormat, Formatter> = {
  simple: simpleFormat,
  json: jsonFormat,
  fields: fieldsFormat,
  table: tableFormat,
  protobuf: protobufFormat,
  // etcdctl-ts's extras, accepted by -w only for the commands that support them.
  yaml: yamlFormat,
  'json-decoded': jsonDecodedFormat,
};

export function render(format: OutputFormat, result: Result, opts: RenderOptions): string | Uint8Array {
  const renderer = FORMATTERS[format][result.kind] as Renderer<Result['kind']> | undefined;
  if (!renderer) throw new CtlError(ExitCode.BadFeature, `${format} not supported as output format`);
  return renderer(result as never, opts);
}

/** How a format renders a get as it streams: from wire bytes (raw) or from decoded pages. */
export type GetRendering = { raw: true; stream: GetStream<RangeWire> } | { raw: false; stream: GetStream<RangeResponse__Output> };

/**
 * The streamed get of a format, or undefined for the formats that print one response whole
 * (protobuf, table, the readable extras). simple without --hex and json are written straight
 * from the wire bytes (json ignores --hex, as etcdctl's does for get).
 */
export function getRendering(format: OutputFormat, opts: RenderOptions, valueOnly: boolean): GetRendering | undefined {
  switch (format) {
    case 'simple':
      return opts.hex ? { raw: false, stream: simpleGet(opts, valueOnly) } : { raw: true, stream: simpleGetRaw(valueOnly) };
    case 'json':
      return { raw: true, stream: jsonGetRaw };
    case 'fields':
      return { raw: false, stream: fieldsGet };
    default:
      return undefined;
  }
}
