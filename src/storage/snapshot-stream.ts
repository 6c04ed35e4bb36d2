// Pieces of `snapshot save` that need no server: checking the SHA-256 trailer etcd appends to the
// snapshot stream, go-humanize's relative time (logged as "took"), and the progress line.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { humanizeBytes } from '../output/encode.js';

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

/**
 * Writes a file front to back off the main thread: chunks are gathered into batches (what arrives
 * in one turn of the event loop, at most about BATCH_BYTES) and each batch is written at its offset by one writev on libuv's thread pool, so the
 * event loop goes on receiving (and hashing) the stream meanwhile, as etcdctl's writer goroutine
 * does. add() waits only while more than MAX_IN_FLIGHT bytes are not yet written, which bounds
 * memory. The first write error is thrown by the next add() or by finish().
 */
export class BackgroundFileWriter {
  static readonly BATCH_BYTES = 1024 * 1024;
  static readonly MAX_IN_FLIGHT = 16 * 1024 * 1024;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private position = 0;
  private inFlight = 0;
  private failure: unknown;
  private waiting: (() => void) | undefined;
  private readonly writes = new Set<Promise<void>>();
  private flushSoon = false;

  constructor(private readonly fd: number) {}

  async add(chunk: Buffer): Promise<void> {
    this.check();
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes >= BackgroundFileWriter.BATCH_BYTES) this.flush();
    else if (!this.flushSoon) {
      // What arrived in this turn of the event loop is written once it has been taken in: a
      // slow stream is still written as it comes, a fast one in full batches.
      this.flushSoon = true;
      setImmediate(() => {
        this.flushSoon = false;
        this.flush();
      });
    }
    while (this.inFlight > BackgroundFileWriter.MAX_IN_FLIGHT && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    this.check();
  }

  /** Writes what is left and waits for every write. */
  async finish(): Promise<void> {
    this.flush();
    await Promise.all(this.writes);
    this.check();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private flush(): void {
    if (this.batchBytes === 0) return;
    const buffers = this.batch;
    const bytes = this.batchBytes;
    const at = this.position;
    this.batch = [];
    this.batchBytes = 0;
    this.position += bytes;
    this.inFlight += bytes;
    const write = this.writeAll(buffers, at)
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.inFlight -= bytes;
        this.writes.delete(write);
        const wake = this.waiting;
        this.waiting = undefined;
        wake?.();
      });
    this.writes.add(write);
  }

  /** writev until every byte is written (a short write continues where it stopped). */
  private async writeAll(buffers: Buffer[], at: number): Promise<void> {
    let rest = buffers;
    let position = at;
    while (rest.length > 0) {
      let written = await new Promise<number>((resolve, reject) => fs.writev(this.fd, rest, position, (err, n) => (err ? reject(err) : resolve(n))));
      position += written;
      const left: Buffer[] = [];
      for (const b of rest) {
        if (written >= b.length) written -= b.length;
        else {
          left.push(written > 0 ? b.subarray(written) : b);
          written = 0;
        }
      }
      rest = left;
    }
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
