// Go formatting primitives that etcdctl's output depends on, reproduced byte for
// byte: encoding/json strings, go-humanize Bytes and the fmt hex verbs (%q is
// src/go/quote.ts, durations src/go/duration.ts). Pure functions, no I/O.
import { decodeRune, toBytes, type ByteInput } from './utf8.js';

// ignoreBOM keeps a leading U+FEFF: Go passes it through like any other rune.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** etcdctl `--hex`: every byte as `\xNN`, lower-case, no separators. */
export function hexEscape(input: ByteInput): string {
  let escaped = '';
  for (const byte of toBytes(input)) escaped += '\\x' + hexByte(byte);
  return escaped;
}

const JSON_SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x22, '\\"'],
  [0x5c, '\\\\'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
]);

// encoding/json escapes these for safe embedding in HTML (SetEscapeHTML defaults to on).
const JSON_HTML_BYTES: ReadonlySet<number> = new Set([0x3c, 0x3e, 0x26]);

/**
 * Go encoding/json string encoding (Go >= 1.22, HTML escaping on). Invalid
 * UTF-8 becomes one `\ufffd` per byte Go's decoder rejects.
 */
export function goJsonString(input: ByteInput): string {
  const bytes = toBytes(input);
  let encoded = '"';
  // Runs of bytes that need no escaping are copied in one slice.
  let runStart = 0;
  let offset = 0;
  const flushRun = (): void => {
    if (offset > runStart) encoded += utf8Decoder.decode(bytes.subarray(runStart, offset));
  };

  while (offset < bytes.length) {
    const byte = bytes[offset] ?? 0;
    let escape: string | undefined;
    let size = 1;
    if (byte < 0x80) {
      escape = JSON_SHORT_ESCAPES.get(byte);
      if (escape === undefined && (byte < 0x20 || JSON_HTML_BYTES.has(byte))) {
        escape = '\\u00' + hexByte(byte);
      }
    } else {
      const decoded = decodeRune(bytes, offset);
      size = decoded.size;
      if (decoded.rune < 0) escape = '\\ufffd';
      else if (decoded.rune === 0x2028 || decoded.rune === 0x2029) escape = '\\u' + decoded.rune.toString(16);
    }
    if (escape === undefined) {
      offset += size;
      continue;
    }
    flushRun();
    encoded += escape;
    offset += size;
    runStart = offset;
  }
  flushRun();
  return encoded + '"';
}

/** Standard base64 alphabet with `=` padding, as encoding/json writes []byte. */
export function base64Std(input: ByteInput): string {
  return Buffer.from(toBytes(input)).toString('base64');
}

function toBigInt(value: bigint | number, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

const SI_BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/**
 * go-humanize `Bytes` (SI units). It rounds to tenths first, then prints
 * with `%.1f` below 10 and `%.0f` otherwise; Go's `%.0f` rounds exact halves
 * to even (24.5 -> "24"), which JavaScript's toFixed does not.
 */
export function humanizeBytes(size: number | bigint): string {
  const count = typeof size === 'bigint' ? size : toBigInt(size, 'size');
  if (count < 0n) throw new RangeError(`size must not be negative, got ${count}`);
  if (count < 10n) return `${count} B`;

  // The same float64 steps as humanize, including its Log-ratio exponent.
  const asFloat = Number(count);
  const exponent = Math.floor(Math.log(asFloat) / Math.log(1000));
  const unit = SI_BYTE_UNITS[exponent] ?? '?';
  const tenths = Math.floor((asFloat / Math.pow(1000, exponent)) * 10 + 0.5);

  const whole = Math.floor(tenths / 10);
  const tenthDigit = tenths % 10;
  if (tenths < 100) return `${whole}.${tenthDigit} ${unit}`;
  const roundsUp = tenthDigit > 5 || (tenthDigit === 5 && whole % 2 === 1);
  return `${roundsUp ? whole + 1 : whole} ${unit}`;
}

/** Parses an ID given as a bigint or a decimal string (optionally negative, for int64 values). */
function parseId(id: bigint | string): bigint {
  if (typeof id === 'bigint') return id;
  if (!/^-?\d+$/.test(id)) throw new RangeError(`not a decimal integer: ${JSON.stringify(id)}`);
  return BigInt(id);
}

/** Go `%x`: lower-case hex; negative values print as `-` and the magnitude. */
export function hexPlain(id: bigint | string): string {
  const value = parseId(id);
  return value < 0n ? '-' + (-value).toString(16) : value.toString(16);
}

/** Go `%16x`: `%x` left-padded with spaces to 16 characters. */
export function hex16Space(id: bigint | string): string {
  return hexPlain(id).padStart(16, ' ');
}

/** Go `%016x`: zero-padded to 16 characters; the sign counts towards the width and precedes the zeros. */
export function hex16Zero(id: bigint | string): string {
  const value = parseId(id);
  if (value < 0n) return '-' + (-value).toString(16).padStart(15, '0');
  return value.toString(16).padStart(16, '0');
}

/**
 * Go `strconv.FormatFloat(x, 'f', prec, 64)` (and fmt's `%.<prec>f`): correctly rounded, exact
 * halves to even (JavaScript's toFixed rounds them up), `NaN`, `+Inf`, `-Inf`, and `-0`.
 */
export function goFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  if (abs >= 1e21) return sign + BigInt(abs).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  const long = abs.toFixed(100);
  const point = long.indexOf('.');
  const rest = long.slice(point + 1 + prec);
  if (!/^50*$/.test(rest)) return sign + abs.toFixed(prec);
  // An exact tie: keep the truncated digits when the last one is even, else round up.
  const digits = long.slice(0, point) + long.slice(point + 1, point + 1 + prec);
  let n = BigInt(digits);
  if (n % 2n === 1n) n += 1n;
  const text = n.toString().padStart(prec + 1, '0');
  return sign + (prec > 0 ? `${text.slice(0, text.length - prec)}.${text.slice(text.length - prec)}` : text);
}
