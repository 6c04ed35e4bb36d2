// Flag value parsers with Go's (strconv, time, pflag) syntax and error texts, so that
// `invalid argument "abc" for "--dial-timeout" flag: time: invalid duration "abc"` reads the same.
import { goQuote } from '../go/quote.js';

/** strconv.ParseBool */
export function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(text, base, 64); base 0 means "from the prefix" (0x, 0o, 0b, leading 0). */
export function parseGoInt64(text: string, base: 0 | 10 | 16 = 0): bigint {
  const fail = (why: string) => new Error(`strconv.ParseInt: parsing ${goQuote(text)}: ${why}`);
  const negative = text.startsWith('-');
  const magnitude = parseGoUint(text.startsWith('+') || negative ? text.slice(1) : text, base, text, fail);
  if (negative ? magnitude > -INT64_MIN : magnitude > INT64_MAX) throw fail('value out of range');
  return negative ? -magnitude : magnitude;
}

/** strconv.ParseUint(text, base, 64). */
export function parseGoUint64(text: string, base: 0 | 10 | 16 = 0): bigint {
  return parseGoUint(text, base, text, (why) => new Error(`strconv.ParseUint: parsing ${goQuote(text)}: ${why}`));
}

/** strconv.ParseUint's loop: a bad digit is a syntax error, but exceeding uint64 stops at once with a range error. */
function parseGoUint(unsigned: string, base: 0 | 10 | 16, original: string, fail: (why: string) => Error): bigint {
  if (unsigned === '') throw fail('invalid syntax');
  let s = unsigned;
  let radix: number = base === 0 ? 10 : base;
  if (base === 0 && s.startsWith('0')) {
    const prefix = s.length >= 3 ? ({ b: 2, o: 8, x: 16 } as Record<string, number>)[s[1]!.toLowerCase()] : undefined;
    [radix, s] = prefix === undefined ? [8, s.slice(1)] : [prefix, s.slice(2)];
  }
  let value = 0n;
  let underscores = false;
  for (const ch of s) {
    if (ch === '_' && base === 0) {
      underscores = true;
      continue;
    }
    const digit = /^[0-9a-z]$/i.test(ch) ? parseInt(ch, 36) : radix;
    if (digit >= radix) throw fail('invalid syntax');
    value = value * BigInt(radix) + BigInt(digit);
    if (value > UINT64_MAX) throw fail('value out of range');
  }
  if (underscores && !underscoreOK(original)) throw fail('invalid syntax');
  return value;
}

/** strconv's underscoreOK: underscores only between digits, or after a base prefix. */
function underscoreOK(text: string): boolean {
  const s = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    [i, saw, hex] = [2, '0', s[1]!.toLowerCase() === 'x'];
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-f]/i.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}


/**
 * pflag's string slice: the value is the first record that Go's encoding/csv Reader reads from it
 * (quotes honoured, empty lines skipped, CRLF read as LF, columns counted in bytes).
 */
export function parseCsvRecord(text: string): string[] {
  if (text === '') return [];
  const [QUOTE, COMMA, LF, CR] = [0x22, 0x2c, 0x0a, 0x0d];
  const input = Buffer.from(text, 'utf8');
  let offset = 0;
  let lineNumber = 0;
  const readLine = (): Buffer | undefined => {
    lineNumber++;
    if (offset >= input.length) return undefined;
    const newline = input.indexOf(LF, offset);
    let line = input.subarray(offset, newline === -1 ? input.length : newline + 1);
    offset += line.length;
    if (newline === -1 && line.at(-1) === CR) line = line.subarray(0, -1);
    if (line.length >= 2 && line.at(-2) === CR && line.at(-1) === LF) line = Buffer.concat([line.subarray(0, -2), Buffer.from([LF])]);
    return line;
  };
  const newlineLength = (b: Buffer) => (b.at(-1) === LF ? 1 : 0);

  let line: Buffer | undefined;
  do line = readLine();
  while (line !== undefined && line.length === newlineLength(line));
  if (line === undefined) throw new Error('EOF');

  const recordLine = lineNumber;
  let position = { line: lineNumber, col: 1 };
  const parseError = (at: number, column: number, what: string) =>
    new Error(`${at === recordLine ? '' : `record on line ${recordLine}; `}parse error on line ${at}, column ${column}: ${what}`);
  const fields: string[] = [];
  for (;;) {
    if (line.length === 0 || line[0] !== QUOTE) {
      const comma = line.indexOf(COMMA);
      const field = comma >= 0 ? line.subarray(0, comma) : line.subarray(0, line.length - newlineLength(line));
      const quote = field.indexOf(QUOTE);
      if (quote >= 0) throw parseError(lineNumber, position.col + quote, 'bare " in non-quoted-field');
      fields.push(field.toString('utf8'));
      if (comma < 0) return fields;
      line = line.subarray(comma + 1);
      position.col += comma + 1;
      continue;
    }
    line = line.subarray(1);
    position.col += 1;
    const parts: Buffer[] = [];
    for (;;) {
      const quote = line.indexOf(QUOTE);
      if (quote >= 0) {
        parts.push(line.subarray(0, quote));
        line = line.subarray(quote + 1);
        position.col += quote + 1;
        if (line[0] === QUOTE) {
          parts.push(line.subarray(0, 1));
          line = line.subarray(1);
          position.col += 1;
          continue;
        }
        fields.push(Buffer.concat(parts).toString('utf8'));
        if (line[0] === COMMA) {
          line = line.subarray(1);
          position.col += 1;
          break;
        }
        if (newlineLength(line) === line.length) return fields;
        throw parseError(lineNumber, position.col - 1, 'extraneous or missing " in quoted-field');
      } else if (line.length > 0) {
        parts.push(line);
        position.col += line.length;
        line = readLine() ?? Buffer.alloc(0);
        if (line.length > 0) position = { line: position.line + 1, col: 1 };
      } else {
        throw parseError(position.line, position.col, 'extraneous or missing " in quoted-field');
      }
    }
  }
}

