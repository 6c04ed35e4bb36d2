// Go's string quoting, byte for byte: strconv.Quote (fmt's %q, which etcdctl's fields output, role
// get, watch exec's ETCD_WATCH_* values and error messages use) and strconv.Unquote of
// double-quoted literals (txn input). Pure functions over bytes, no I/O.
//
// What Go calls printable is Unicode 15.0's (Go 1.21 to 1.24), carried as data in unicode-print.ts:
// a JavaScript runtime's \p{…} classes follow its own, newer Unicode, which differs between
// Node 20, 24, 26 and Bun, and would print raw what etcdctl escapes.
import { GO_PRINTABLE_RANGES } from './unicode-print.js';
import { decodeRune, toBytes, type ByteInput } from './utf8.js';

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** strconv.IsPrint: a binary search over the [first, last] pairs of Unicode 15.0's printable runes. */
export function isGoPrint(rune: number): boolean {
  if (rune >= 0x20 && rune < 0x7f) return true;
  let lo = 0;
  let hi = GO_PRINTABLE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (rune < GO_PRINTABLE_RANGES[2 * mid]!) hi = mid - 1;
    else if (rune > GO_PRINTABLE_RANGES[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const QUOTE_SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

function quoteRune(rune: number): string {
  const shortEscape = QUOTE_SHORT_ESCAPES.get(rune);
  if (shortEscape !== undefined) return shortEscape;
  if (isGoPrint(rune)) return String.fromCodePoint(rune);
  if (rune < 0x20 || rune === 0x7f) return '\\x' + hexByte(rune);
  if (rune < 0x10000) return '\\u' + rune.toString(16).padStart(4, '0');
  return '\\U' + rune.toString(16).padStart(8, '0');
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Go's `%q` / strconv.Quote applied to a byte string. Runs of runes printed as they are (the bulk
 * of most keys and values) are copied with one decode each, not rune by rune: a 25 KB value
 * would otherwise cost 25,000 string appends.
 */
export function goQuote(input: ByteInput): string {
  const bytes = toBytes(input);
  let quoted = '"';
  let runStart = 0;
  let offset = 0;
  while (offset < bytes.length) {
    const byte = bytes[offset]!;
    if (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c) {
      offset++;
      continue;
    }
    const { rune, size } = decodeRune(bytes, offset);
    if (rune >= 0x80 && isGoPrint(rune)) {
      offset += size;
      continue;
    }
    if (offset > runStart) quoted += utf8Decoder.decode(bytes.subarray(runStart, offset));
    quoted += rune < 0 ? '\\x' + hexByte(byte) : quoteRune(rune);
    offset += size;
    runStart = offset;
  }
  if (offset > runStart) quoted += utf8Decoder.decode(bytes.subarray(runStart, offset));
  return quoted + '"';
}

/** Go's `%q` of a []string: `["cmd" "arg"]`. */
export function goQuoteList(items: readonly ByteInput[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

export class GoSyntaxError extends Error {
  constructor() {
    super('invalid syntax');
    this.name = 'GoSyntaxError';
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };

function hexValue(ch: string | undefined): number {
  if (ch === undefined || !/^[0-9a-fA-F]$/.test(ch)) return -1;
  return parseInt(ch, 16);
}

function pushUtf8(out: number[], cp: number): void {
  for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out.push(b);
}

/**
 * strconv.Unquote of a double-quoted Go string literal (quotes included), returning bytes:
 * `\xNN` and octal escapes give single bytes that need not form valid UTF-8. Lone surrogates in
 * the input (bytes that were not UTF-8 where the text came from) are read as U+FFFD, as Go's
 * scanner reads invalid bytes.
 */
export function goUnquoteDouble(literal: string): Buffer {
  const chars = [...literal];
  if (chars.length < 2 || chars[0] !== '"' || chars[chars.length - 1] !== '"') throw new GoSyntaxError();
  const out: number[] = [];
  let i = 1;
  const end = chars.length - 1;
  while (i < end) {
    const ch = chars[i]!;
    if (ch === '"' || ch === '\n') throw new GoSyntaxError();
    if (ch !== '\\') {
      const cp = ch.codePointAt(0)!;
      pushUtf8(out, cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
      i++;
      continue;
    }
    const esc = chars[i + 1];
    if (esc === undefined || i + 1 >= end) throw new GoSyntaxError();
    i += 2;
    if (esc in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[esc]!);
    } else if (esc === '"') {
      out.push(0x22);
    } else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const n = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      if (i + n > end) throw new GoSyntaxError();
      let v = 0;
      for (let j = 0; j < n; j++) {
        const h = hexValue(chars[i + j]);
        if (h < 0) throw new GoSyntaxError();
        v = v * 16 + h;
      }
      i += n;
      if (esc === 'x') out.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new GoSyntaxError();
        pushUtf8(out, v);
      }
    } else if (esc >= '0' && esc <= '7') {
      if (i + 2 > end) throw new GoSyntaxError();
      let v = esc.charCodeAt(0) - 48;
      for (let j = 0; j < 2; j++) {
        const d = chars[i + j]!;
        if (d < '0' || d > '7') throw new GoSyntaxError();
        v = v * 8 + (d.charCodeAt(0) - 48);
      }
      i += 2;
      if (v > 255) throw new GoSyntaxError();
      out.push(v);
    } else {
      // includes \' which is only valid in rune literals
      throw new GoSyntaxError();
    }
  }
  return Buffer.from(out);
}
