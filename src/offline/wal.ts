// etcd's write-ahead log (server/wal in etcd 3.5): creating a first segment and reading one back.
//
// A segment is a sequence of frames: an 8-byte little-endian length word, then a walpb.Record,
// zero-padded to a multiple of 8. When padding is present the length word's top byte is 0x80|pad.
// Each record's crc is the CRC-32C of all record data so far in the WAL (a rolling checksum that
// starts at the previous segment's value, 0 for the first). The first segment is named
// 0000000000000000-0000000000000000.wal, preallocated to 64 MB, and starts with a crc record, a
// metadata record and an empty snapshot record. A zero length word marks the end of the records.
import fs from 'node:fs';
import path from 'node:path';
import { crc32cUpdate } from './crc32c.js';
import {
  type ConfState,
  type Entry,
  type HardState,
  decodeWalRecord,
  encodeEntry,
  encodeHardState,
  encodeWalRecord,
  encodeWalSnapshot,
} from './raftpb.js';

export const WAL_RECORD_METADATA = 1;
export const WAL_RECORD_ENTRY = 2;
export const WAL_RECORD_STATE = 3;
export const WAL_RECORD_CRC = 4;
export const WAL_RECORD_SNAPSHOT = 5;

/** wal.SegmentSizeBytes: every segment file is preallocated to this size. */
export const WAL_SEGMENT_SIZE = 64 * 1000 * 1000;

/** walName(seq, index). */
export function walFileName(seq: bigint, index: bigint): string {
  return `${seq.toString(16).padStart(16, '0')}-${index.toString(16).padStart(16, '0')}.wal`;
}

/** One frame: length word (with padding marker) + record bytes + zero padding. */
export function encodeFrame(record: Buffer): Buffer {
  const pad = (8 - (record.length % 8)) % 8;
  const frame = Buffer.alloc(8 + record.length + pad);
  let lenField = BigInt(record.length);
  if (pad !== 0) lenField |= BigInt(0x80 | pad) << 56n;
  frame.writeBigUInt64LE(lenField, 0);
  record.copy(frame, 8);
  return frame;
}

/** A WAL being created: records are appended to the first segment and fsynced on save. */
export class WalWriter {
  private crc = 0;
  private offset = 0;

  private constructor(
    private readonly fd: number,
    readonly file: string,
  ) {}

  /**
   * wal.Create: writes the first segment in `<dir>.tmp` (crc, metadata and empty-snapshot records),
   * then renames it to `dir`. Fails if `dir` already holds .wal files.
   */
  static create(dir: string, metadata: Buffer): WalWriter {
    if (hasWalFiles(dir)) throw Object.assign(new Error('file already exists'), { code: 'EEXIST' });
    const tmp = `${path.normalize(dir).replace(/\/+$/, '')}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    const name = walFileName(0n, 0n);
    const fd = fs.openSync(path.join(tmp, name), fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
    try {
      fs.ftruncateSync(fd, WAL_SEGMENT_SIZE);
      const w = new WalWriter(fd, path.join(dir, name));
      w.append(WAL_RECORD_CRC, undefined, 0);
      w.append(WAL_RECORD_METADATA, metadata);
      w.saveSnapshot(0n, 0n);
      // The open descriptor survives the rename, as etcd keeps its locked file across it.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(tmp, dir);
      syncDir(path.dirname(dir));
      return w;
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Appends a record; its crc chains onto the previous one unless `crc` is given (crc records). */
  private append(type: number, data: Buffer | undefined, crc?: number): void {
    if (data !== undefined) this.crc = crc32cUpdate(this.crc, data);
    const frame = encodeFrame(encodeWalRecord(type, crc ?? this.crc, data));
    let done = 0;
    while (done < frame.length) done += fs.writeSync(this.fd, frame, done, frame.length - done, this.offset + done);
    this.offset += frame.length;
  }

  /** wal.Save: entry records, then the hard state, then fsync. */
  save(state: HardState, entries: Entry[]): void {
    for (const e of entries) this.append(WAL_RECORD_ENTRY, encodeEntry(e));
    if (state.term !== 0n || state.vote !== 0n || state.commit !== 0n) this.append(WAL_RECORD_STATE, encodeHardState(state));
    fs.fsyncSync(this.fd);
  }

  /** wal.SaveSnapshot: a snapshot record (index, term, conf state), then fsync. */
  saveSnapshot(index: bigint, term: bigint, confState?: ConfState): void {
    this.append(WAL_RECORD_SNAPSHOT, encodeWalSnapshot(index, term, confState));
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function hasWalFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => n.endsWith('.wal'));
  } catch {
    return false;
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface WalRecord {
  type: number;
  crc: number;
  data?: Buffer;
}

/**
 * Reads the records of one segment, verifying the crc chain (starting from `prevCrc`).
 * Stops at the first zero length word or the end of the file.
 */
export function readWalSegment(file: string, prevCrc = 0): WalRecord[] {
  const buf = fs.readFileSync(file);
  const records: WalRecord[] = [];
  let crc = prevCrc;
  let pos = 0;
  while (pos + 8 <= buf.length) {
    const lenField = buf.readBigUInt64LE(pos);
    if (lenField === 0n) break;
    const length = Number(lenField & 0x00ffffffffffffffn);
    const pad = lenField >> 63n ? Number((lenField >> 56n) & 0x7n) : 0;
    const start = pos + 8;
    if (start + length + pad > buf.length) throw new Error(`wal: record at ${pos} runs past the end of ${file}`);
    const rec = decodeWalRecord(buf.subarray(start, start + length));
    if (rec.type === WAL_RECORD_CRC) {
      if (crc !== 0 && rec.crc !== crc) throw new Error('wal: crc mismatch');
      crc = rec.crc;
    } else {
      if (rec.data) crc = crc32cUpdate(crc, rec.data);
      if (rec.crc !== crc) throw new Error(`wal: crc mismatch in record at ${pos}`);
    }
    records.push(rec);
    pos = start + length + pad;
  }
  return records;
}
