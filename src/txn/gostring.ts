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
