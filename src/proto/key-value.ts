// Where an mvccpb.KeyValue's key and value are in wire bytes (fields 1 key and 5 value; the
// integer fields are read only by what prints them): six offsets per key-value, the layout that
// get's and watch's wire-level readers share (proto/range-scan.ts, client/watch-wire.ts).
import type { WireReader } from './wire.js';

/**
 * The key-value from r.pos to stop, as six offsets at offsets[o]: message start and end, key
 * start and end, value start and end (an absent key or value is an empty span at the start).
 * Leaves r at stop, within the bounds it had.
 */
export function keyValueSpans(r: WireReader, offsets: Int32Array, o: number, stop: number): void {
  const start = r.pos;
  const outer = r.end;
  let keyStart = start;
  let keyEnd = start;
  let valueStart = start;
  let valueEnd = start;
  r.end = stop;
  while (r.pos < stop) {
    const t = r.varint32();
    const f = t >>> 3;
    const w = t & 7;
    if ((f === 1 || f === 5) && w === 2) {
      const e = r.span();
      if (f === 1) {
        keyStart = r.start;
        keyEnd = e;
      } else {
        valueStart = r.start;
        valueEnd = e;
      }
      r.pos = e;
    } else {
      r.skip(w);
    }
  }
  r.end = outer;
  offsets[o] = start;
  offsets[o + 1] = stop;
  offsets[o + 2] = keyStart;
  offsets[o + 3] = keyEnd;
  offsets[o + 4] = valueStart;
  offsets[o + 5] = valueEnd;
}
