// Pieces of `snapshot save` that need no server: checking the SHA-256 trailer etcd appends to the
// snapshot stream, go-humanize's relative time (logged as "took"), and the progress line.
import { createHash, type Hash } from 'node:crypto';
import { humanizeBytes } from '../go/encode.js';

export const SHA256_SIZE = 32;

/**
 * Follows a snapshot stream chunk by chunk. etcd appends sha256(database) to the database bytes,
 * so the last 32 bytes of the stream are the digest of everything before them.
 */
export class SnapshotDigest {
  private readonly hash: Hash = createHash('sha256');
  /** The last (up to) 32 bytes seen, not yet hashed: they may be the trailer. */
  private tail = Buffer.alloc(0);
  size = 0;

  update(chunk: Buffer): void {
    this.size += chunk.length;
    if (chunk.length >= SHA256_SIZE) {
      // The usual case, without copying the chunk: the previous tail and all but the chunk's last
      // 32 bytes are hashed, and those 32 bytes become the tail.
      if (this.tail.length > 0) this.hash.update(this.tail);
      this.hash.update(chunk.subarray(0, chunk.length - SHA256_SIZE));
      this.tail = Buffer.from(chunk.subarray(chunk.length - SHA256_SIZE));
      return;
    }
    const joined = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    if (joined.length <= SHA256_SIZE) {
      this.tail = Buffer.from(joined);
      return;
    }
    this.hash.update(joined.subarray(0, joined.length - SHA256_SIZE));
    this.tail = Buffer.from(joined.subarray(joined.length - SHA256_SIZE));
  }

  /** etcd's hasChecksum: sizes ≡ 32 (mod 512) carry a digest (databases are whole 512-byte sectors). */
  hasTrailer(): boolean {
    return this.size % 512 === SHA256_SIZE;
  }

  /** True when the trailer equals the digest of the bytes before it. Call once, at the end. */
  matches(): boolean {
    return this.tail.length === SHA256_SIZE && this.hash.digest().equals(this.tail);
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;

/** go-humanize's default magnitudes: [upper bound, format, divisor] ("%d" = count). */
const MAGNITUDES: [number, string, number][] = [
  [SECOND, 'now', SECOND],
  [2 * SECOND, '1 second %s', 1],
  [MINUTE, '%d seconds %s', SECOND],
  [2 * MINUTE, '1 minute %s', 1],
  [HOUR, '%d minutes %s', MINUTE],
  [2 * HOUR, '1 hour %s', 1],
  [DAY, '%d hours %s', HOUR],
  [2 * DAY, '1 day %s', 1],
  [WEEK, '%d days %s', DAY],
  [2 * WEEK, '1 week %s', 1],
  [MONTH, '%d weeks %s', WEEK],
  [2 * MONTH, '1 month %s', 1],
  [YEAR, '%d months %s', MONTH],
  [18 * MONTH, '1 year %s', 1],
  [2 * YEAR, '2 years %s', 1],
  [Infinity, '%d years %s', YEAR],
];

/** humanize.Time(then) as seen at `now`: "now", "3 seconds ago", "1 minute ago", … */
export function humanizeTime(then: number, now: number = Date.now()): string {
  const diff = Math.abs(now - then);
  const label = now >= then ? 'ago' : 'from now';
  for (const [bound, format, divisor] of MAGNITUDES) {
    if (diff < bound) {
      return format.replace('%d', String(Math.floor(diff / divisor))).replace('%s', label);
    }
  }
  return 'a long while ago';
}

/** One progress line: bytes received (of the expected total, when known) and the rate. */
export function progressLine(received: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((received * 1000) / elapsedMs) : 0;
  const of = total !== undefined && total > 0 ? ` / ${humanizeBytes(total)} (${Math.min(100, Math.floor((received * 100) / total))}%)` : '';
  return `${humanizeBytes(received)}${of}, ${humanizeBytes(rate)}/s`;
}
