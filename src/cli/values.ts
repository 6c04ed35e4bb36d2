// Flag value parsers with Go's (strconv, time, pflag) syntax and error texts, so that
// `invalid argument "abc" for "--dial-timeout" flag: time: invalid duration "abc"` reads the same.

/** strconv.ParseBool */
export function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`strconv.ParseBool: parsing ${goSimpleQuote(text)}: invalid syntax`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(text, base, 64); base 0 means "from the prefix" (0x, 0o, 0b, leading 0). */
export function parseGoInt64(text: string, base: 0 | 10 | 16 = 0): bigint {
  const fail = (why: string) => new Error(`strconv.ParseInt: parsing ${goSimpleQuote(text)}: ${why}`);
  let s = text;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let radix: number = base === 0 ? 10 : base;
  let underscoresAllowed = false;
  if (base === 0) {
    underscoresAllowed = true;
    const lower = s.toLowerCase();
    if (lower.startsWith('0x')) [radix, s] = [16, s.slice(2)];
    else if (lower.startsWith('0o')) [radix, s] = [8, s.slice(2)];
    else if (lower.startsWith('0b')) [radix, s] = [2, s.slice(2)];
    else if (s.length > 1 && s.startsWith('0')) [radix, s] = [8, s.slice(1)];
  }
  if (underscoresAllowed) {
    // Go allows underscores only between digits (and after a base prefix) when base is 0.
    if (s.startsWith('_') && radix === 10) throw fail('invalid syntax');
    if (s.endsWith('_') || s.includes('__')) throw fail('invalid syntax');
    s = s.replaceAll('_', '');
  }
  const digits = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (s === '' || !digits.test(s)) throw fail('invalid syntax');
  let value = 0n;
  const bigRadix = BigInt(radix);
  for (const ch of s) value = value * bigRadix + BigInt(parseInt(ch, radix));
  if (negative) value = -value;
  if (value < INT64_MIN || value > INT64_MAX) throw fail('value out of range');
  return value;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.ParseDuration; returns nanoseconds. */
export function parseGoDuration(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${goSimpleQuote(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const frac = number?.[2];
    if (whole === '' && (frac === undefined || frac === '')) throw invalid();
    s = s.slice(number![0].length);
    const unitMatch = /^[^0-9.]*/.exec(s);
    const unit = unitMatch?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${goSimpleQuote(text)}`);
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${goSimpleQuote(unit)} in duration ${goSimpleQuote(text)}`);
    s = s.slice(unit.length);
    let value = BigInt(whole === '' ? '0' : whole) * scale;
    if (frac) value += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    total += value;
    if (total > INT64_MAX) throw invalid();
  }
  return negative ? -total : total;
}

/** pflag's string slice: the value is one CSV record (quotes honoured). */
export function parseCsvRecord(text: string): string[] {
  if (text === '') return [];
  const fields: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
      if (i < text.length && text[i] !== ',') throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
      fields.push(field);
      i++;
    } else {
      const end = text.indexOf(',', i);
      const field = end === -1 ? text.slice(i) : text.slice(i, end);
      if (field.includes('"')) throw new Error(`parse error on line 1, column ${i + field.indexOf('"') + 1}: bare " in non-quoted-field`);
      fields.push(field);
      if (end === -1) break;
      i = end + 1;
      if (i === text.length) {
        fields.push('');
        break;
      }
    }
  }
  return fields;
}

/** Go's strconv.Quote for the plain ASCII texts that appear in parse errors. */
export function goSimpleQuote(text: string): string {
  return JSON.stringify(text);
}

/** time.Duration.String() for the values a user can type (used by --debug and help defaults). */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const negative = ns < 0n;
  let u = negative ? -ns : ns;
  const sign = negative ? '-' : '';
  const frac = (value: bigint, unit: bigint, digits: number) => {
    const whole = value / unit;
    const rest = value % unit;
    if (rest === 0n) return `${whole}`;
    return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
  };
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${frac(u, 1_000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${frac(u, 1_000_000n, 6)}ms`;
  let out = '';
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  out += `${frac(u, 1_000_000_000n, 9)}s`;
  return sign + out;
}
