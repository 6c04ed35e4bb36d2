// Go's utf8.DecodeRune: how Go walks a byte string that need not be valid UTF-8. %q and
// encoding/json both step through invalid input one byte at a time, which TextDecoder's
// replacement grouping does not reproduce, so the walk is written out here.
import { bytesOfToken, hasRawBytes } from '../common/byte-strings.js';

/** Bytes, or text that stands for its UTF-8 encoding. */
export type ByteInput = Uint8Array | string;

const utf8Encoder = new TextEncoder();

/** Text as bytes; text holding bytes that are not UTF-8 (byte-strings.ts) gives those bytes. */
export function toBytes(input: ByteInput): Uint8Array {
  if (typeof input !== 'string') return input;
  return hasRawBytes(input) ? bytesOfToken(input) : utf8Encoder.encode(input);
}

/** A rune decoded the way Go's utf8.DecodeRune does; `rune` is -1 for invalid input. */
export interface DecodedRune {
  rune: number;
  size: number;
}

const INVALID_RUNE: DecodedRune = { rune: -1, size: 1 };

function isContinuation(byte: number | undefined): byte is number {
  return byte !== undefined && byte >= 0x80 && byte <= 0xbf;
}

/**
 * Decodes one rune at `offset` following Go's utf8.DecodeRune exactly: any malformed sequence
 * (stray continuation byte, overlong form, surrogate, value above U+10FFFF, truncated sequence)
 * consumes exactly one byte.
 */
export function decodeRune(bytes: Uint8Array, offset: number): DecodedRune {
  const first = bytes[offset];
  if (first === undefined) return INVALID_RUNE;
  if (first < 0x80) return { rune: first, size: 1 };
  if (first < 0xc2 || first > 0xf4) return INVALID_RUNE;

  const second = bytes[offset + 1];
  if (first < 0xe0) {
    if (!isContinuation(second)) return INVALID_RUNE;
    return { rune: ((first & 0x1f) << 6) | (second & 0x3f), size: 2 };
  }

  // The allowed range of the second byte is what rules out overlong forms,
  // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
  let secondLow = 0x80;
  let secondHigh = 0xbf;
  if (first === 0xe0) secondLow = 0xa0;
  else if (first === 0xed) secondHigh = 0x9f;
  else if (first === 0xf0) secondLow = 0x90;
  else if (first === 0xf4) secondHigh = 0x8f;
  if (second === undefined || second < secondLow || second > secondHigh) return INVALID_RUNE;

  const third = bytes[offset + 2];
  if (!isContinuation(third)) return INVALID_RUNE;
  if (first < 0xf0) {
    return { rune: ((first & 0x0f) << 12) | ((second & 0x3f) << 6) | (third & 0x3f), size: 3 };
  }

  const fourth = bytes[offset + 3];
  if (!isContinuation(fourth)) return INVALID_RUNE;
  return {
    rune: ((first & 0x07) << 18) | ((second & 0x3f) << 12) | ((third & 0x3f) << 6) | (fourth & 0x3f),
    size: 4,
  };
}
