// Colour for people, never for programs: only when the stream is a terminal, NO_COLOR and
// FORCE_COLOR honoured (https://no-color.org, FORCE_COLOR as chalk/supports-color read it),
// and only for stderr messages, prompts and etcdctl-ts's own human formats (never for etcdctl's
// formats, json, protobuf or fields). The level is decided here from the injected streams and
// environment, not by chalk's own detection (which reads process.argv and process.env).
import { Chalk, type ChalkInstance } from 'chalk';
import type { Env } from '../config/resolve.js';

export type ColourLevel = 0 | 1 | 2 | 3;

/** chalk's level for a stream: 0 means plain text. */
export function colourLevel(stream: { readonly isTTY: boolean }, env: Env): ColourLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 1;
}

/** A chalk instance that colours only when `stream` should be coloured. */
export function paint(stream: { readonly isTTY: boolean }, env: Env): ChalkInstance {
  return new Chalk({ level: colourLevel(stream, env) });
}
