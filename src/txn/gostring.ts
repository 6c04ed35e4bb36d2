// The pieces of Go's string handling that txn input depends on: strconv.Unquote for
// double-quoted literals (escapes may produce arbitrary bytes), strings.TrimSpace, and fmt's
// notion of a space while scanning.

/** unicode.IsSpace, as strings.TrimSpace uses it (note: U+FEFF is not a space in Go). */
export function isGoUnicodeSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** fmt's scanner spaces (fmt/scan.go `space` table): the same set as unicode.IsSpace. */
export const isScanSpace = isGoUnicodeSpace;

/** strings.TrimSpace */
export function goTrimSpace(text: string): string {
  const cps = [...text];
  let start = 0;
  let end = cps.length;
  while (start < end && isGoUnicodeSpace(cps[start]!.codePointAt(0)!)) start++;
  while (end > start && isGoUnicodeSpace(cps[end - 1]!.codePointAt(0)!)) end--;
  return cps.slice(start, end).join('');
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

/**
 * Bytes as a JS string that keeps every byte: valid UTF-8 decodes normally, each byte of an
 * invalid sequence becomes the lone surrogate U+DC00+byte (Python's "surrogateescape").
 * `bytesOfToken` reverses it. Plain text never contains lone surrogates, so the mapping is exact.
 */
export function tokenOfBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      out += bytes.subarray(i, i + len).toString('utf8');
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + bytes[i]!);
      i++;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number) => bytes[i + k] !== undefined && (bytes[i + k]! & 0xc0) === 0x80;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = bytes[i + 1]!;
    if (b0 === 0xe0 && b1 < 0xa0) return 0;
    if (b0 === 0xed && b1 > 0x9f) return 0;
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = bytes[i + 1]!;
    if (b0 === 0xf0 && b1 < 0x90) return 0;
    if (b0 === 0xf4 && b1 > 0x8f) return 0;
    return 4;
  }
  return 0;
}

/** The bytes a token stands for (inverse of tokenOfBytes). */
export function bytesOfToken(token: string): Buffer {
  if (!hasRawBytes(token)) return Buffer.from(token, 'utf8');
  const parts: Buffer[] = [];
  for (const ch of token) {
    const cp = ch.codePointAt(0)!;
    parts.push(cp >= 0xdc80 && cp <= 0xdcff ? Buffer.from([cp - 0xdc00]) : Buffer.from(ch, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** True when the token holds bytes that are not valid UTF-8 (see tokenOfBytes). */
export function hasRawBytes(token: string): boolean {
  return /[\udc80-\udcff]/u.test(token);
}
