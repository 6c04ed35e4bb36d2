// Colour for people, never for programs: only for stderr messages, prompts and etcdctl-ts's own
// human formats (never for etcdctl's formats, json, protobuf or fields). The level comes from the
// resolved environment settings (config/terminal.ts colourLevel), not from chalk's own detection.
import { Chalk, type ChalkInstance } from 'chalk';
import type { ColourLevel } from '../config/terminal.js';

/** A chalk instance that colours at `level` (0: plain text). */
export function paint(level: ColourLevel): ChalkInstance {
  return new Chalk({ level });
}
