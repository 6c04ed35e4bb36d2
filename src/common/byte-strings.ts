// Bytes carried in JavaScript strings without loss. Command-line arguments (read from
// /proc/self/cmdline, see node-io.ts), stdin lines and txn words may hold any bytes, as they do for
// etcdctl; the parser and the commands work on strings, so the bytes that are not UTF-8 travel as
// lone surrogates and become bytes again where a request is built or output is written.

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
