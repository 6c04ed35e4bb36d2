// Picks the formatter for the chosen output format; a kind it lacks is etcdctl's
// "<format> not supported as output format" (exit 4), raised after the RPC took effect.
import { CtlError, ExitCode } from '../errors.js';
import type { OutputFormat } from '../config/resolve.js';
import { fieldsFormat } from './formats/fields.js';
import { jsonFormat } from './formats/json.js';
import { protobufFormat } from './formats/protobuf.js';
import { simpleFormat } from './formats/simple.js';
import { tableFormat } from './formats/table.js';
import { jsonDecodedFormat, yamlFormat } from './formats/decoded-formats.js';
import type { Formatter, Renderer, RenderOptions, Result } from './types.js';

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
