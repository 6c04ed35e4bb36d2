// The renderer of one output format, loaded on its own when a command connects: a `get` printed
// in the simple format never evaluates the json, fields, table or protobuf code. Output is
// render.ts's (same formatter objects, same "not supported" error); formats without a case here
// are rendered through render.ts itself.
import { CtlError, ExitCode } from '../common/errors.js';
import type { OutputFormat } from './format-names.js';
import type { Formatter, Renderer, RenderOptions, Result } from './types.js';

export type RenderFn = (result: Result, opts: RenderOptions) => string | Uint8Array;

function using(format: OutputFormat, formatter: Formatter): RenderFn {
  return (result, opts) => {
    const renderer = formatter[result.kind] as Renderer<Result['kind']> | undefined;
    if (!renderer) throw new CtlError(ExitCode.BadFeature, `${format} not supported as output format`);
    return renderer(result as never, opts);
  };
}

export async function rendererFor(format: OutputFormat): Promise<RenderFn> {
  switch (format) {
    case 'simple':
      return using(format, (await import('./formats/simple.js')).simpleFormat);
    case 'json':
      return using(format, (await import('./formats/json.js')).jsonFormat);
    case 'table':
      return using(format, (await import('./formats/table.js')).tableFormat);
    case 'fields':
      return using(format, (await import('./formats/fields.js')).fieldsFormat);
    case 'protobuf':
      return using(format, (await import('./formats/protobuf.js')).protobufFormat);
    default: {
      const { render } = await import('./render.js');
      return (result, opts) => render(format, result, opts);
    }
  }
}
