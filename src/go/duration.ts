// Go's time.Duration (int64 nanoseconds): time.ParseDuration for flag values, Duration.String for
// what etcdctl prints (--debug, help defaults, endpoint health, progress bars), and timers for
// durations that long. Node's timers hold at most 2^31-1 ms (24.8 days): a longer delay fires
// after 1 ms with a TimeoutOverflowWarning, where Go waits up to 292 years.
import { bytesOfToken } from '../common/byte-strings.js';

const INT64_MAX = (1n << 63n) - 1n;
const NANOS_PER_MICRO = 1000n;
const NANOS_PER_MILLI = 1000_000n;
const NANOS_PER_SECOND = 1000_000_000n;

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
  const invalid = () => new Error(`time: invalid duration ${goTimeQuote(text)}`);
  const LIMIT = 1n << 63n;
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
    if (!/^[0-9.]/.test(s)) throw invalid();
    // leadingInt: more than 1<<63 is an overflow.
    const whole = /^[0-9]*/.exec(s)![0];
    let v = 0n;
    for (const ch of whole) if ((v = v * 10n + BigInt(ch)) > LIMIT) throw invalid();
    s = s.slice(whole.length);
    // leadingFraction: digits beyond what fits are dropped; Go scales the fraction in float64.
    let fraction = 0n;
    let scale = 1;
    let fractionDigits = '';
    if (s.startsWith('.')) {
      fractionDigits = /^[0-9]*/.exec(s.slice(1))![0];
      s = s.slice(1 + fractionDigits.length);
      let overflow = false;
      for (const ch of fractionDigits) {
        if (overflow || fraction > (LIMIT - 1n) / 10n || fraction * 10n + BigInt(ch) > LIMIT) {
          overflow = true;
          continue;
        }
        fraction = fraction * 10n + BigInt(ch);
        scale *= 10;
      }
    }
    if (whole === '' && fractionDigits === '') throw invalid();
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') throw new Error(`time: missing unit in duration ${goTimeQuote(text)}`);
    const unitNs = Object.hasOwn(DURATION_UNITS, unit) ? DURATION_UNITS[unit] : undefined;
    if (unitNs === undefined) throw new Error(`time: unknown unit ${goTimeQuote(unit)} in duration ${goTimeQuote(text)}`);
    s = s.slice(unit.length);
    if (v > LIMIT / unitNs) throw invalid();
    v *= unitNs;
    if (fraction > 0n) {
      v += BigInt(Math.trunc(Number(fraction) * (Number(unitNs) / scale)));
      if (v > LIMIT) throw invalid();
    }
    total += v;
    if (total > LIMIT) throw invalid();
  }
  if (negative) return -total;
  if (total > INT64_MAX) throw invalid();
  return total;
}

/** The time package's own quote: every byte outside printable ASCII becomes `\xNN`. */
function goTimeQuote(text: string): string {
  let out = '"';
  for (const byte of bytesOfToken(text)) {
    if (byte < 0x20 || byte >= 0x80) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += (byte === 0x22 || byte === 0x5c ? '\\' : '') + String.fromCharCode(byte);
  }
  return out + '"';
}

/** `whole.fraction` with the fraction zero-padded to `digits` and trailing zeros removed (Go's fmtFrac). */
function formatFraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const whole = value / scale;
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** time.Duration.String() for a nanosecond count. */
export function formatGoDuration(nanoseconds: bigint | number): string {
  if (typeof nanoseconds === 'number' && !Number.isSafeInteger(nanoseconds)) throw new RangeError(`duration must be a safe integer, got ${nanoseconds}`);
  const total = BigInt(nanoseconds);
  if (total === 0n) return '0s';
  const sign = total < 0n ? '-' : '';
  const magnitude = total < 0n ? -total : total;

  if (magnitude < NANOS_PER_MICRO) return `${sign}${magnitude}ns`;
  if (magnitude < NANOS_PER_MILLI) return `${sign}${formatFraction(magnitude, 3)}µs`;
  if (magnitude < NANOS_PER_SECOND) return `${sign}${formatFraction(magnitude, 6)}ms`;

  const seconds = formatFraction(magnitude % (60n * NANOS_PER_SECOND), 9);
  const totalMinutes = magnitude / (60n * NANOS_PER_SECOND);
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = `${totalMinutes % 60n}m${seconds}s`;
  return hours === 0n ? `${sign}${minutes}` : `${sign}${hours}h${minutes}`;
}

/** The longest delay a Node timer holds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay for setTimeout: a longer one is cut to MAX_TIMER_MS (24.8 days), which no command
 * outlives in practice, rather than firing at once.
 */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** An absolute deadline (ms since the epoch) that a timer set now can reach (see timerDelay). */
export function timerDeadline(deadline: number): number {
  return Math.min(deadline, Date.now() + MAX_TIMER_MS);
}
