// `snapshot status`: what etcdutl's v3Manager.Status (etcd 3.5) reports for a backend file.
//
// The hash is a CRC-32C fed, for every top-level bucket in name order, with the bucket name and
// then each key and value of the bucket in key order (a sub-bucket contributes its key only); the
// revision is the main revision of the last key of the "key" bucket; total keys counts the entries
// of all top-level buckets; total size is bbolt's tx.Size() (high-water mark × page size).
import fs from 'node:fs';
import { BoltError, BoltReader } from './bbolt.js';
import { Crc32c } from './crc32c.js';

export interface SnapshotStatus {
  hash: number;
  revision: bigint;
  totalKey: number;
  totalSize: bigint;
}

/** Go's os.Stat error text for `path`, or undefined when it exists. */
export function statError(path: string): string | undefined {
  try {
    fs.statSync(path);
    return undefined;
  } catch (err) {
    return `stat ${path}: ${goErrnoText(err)}`;
  }
}

/** The text Go's syscall.Errno prints for a Node fs error. */
export function goErrnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EEXIST':
      return 'file exists';
    case 'ENOTEMPTY':
      return 'directory not empty';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EPERM':
      return 'operation not permitted';
    case 'EXDEV':
      return 'invalid cross-device link';
    case 'EBUSY':
      return 'device or resource busy';
    case 'EIO':
      return 'input/output error';
    default:
      return e.message ?? String(err);
  }
}

/** Opens a bbolt file the way etcdutl does, turning open(2) failures into Go's `open <p>: <why>`. */
export function openBolt(path: string, options?: { wholeFile?: boolean }): BoltReader {
  try {
    return BoltReader.open(path, options);
  } catch (err) {
    if (err instanceof BoltError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string') throw new BoltError(`open ${path}: ${goErrnoText(err)}`);
    throw err;
  }
}

/** Reads a snapshot or backend file's status; errors carry etcdutl's messages. */
export function snapshotStatus(path: string): SnapshotStatus {
  const statErr = statError(path);
  if (statErr !== undefined) throw new BoltError(statErr);
  const db = openBolt(path);
  try {
    const problems = db.check();
    if (problems.length > 0) {
      throw new BoltError(`snapshot file integrity check failed. ${problems.length} errors found.\n${problems.join('\n')}`);
    }
    const hash = new Crc32c();
    let revision = 0n;
    let totalKey = 0;
    for (const top of db.entries(db.rootBucket())) {
      if (!top.bucket) throw new BoltError(`cannot get hash of bucket ${top.key.toString('latin1')}`);
      hash.update(top.key);
      const isKeyBucket = top.key.toString('latin1') === 'key';
      for (const e of db.entries(top.bucket)) {
        hash.update(e.key);
        if (e.value) hash.update(e.value);
        if (isKeyBucket) revision = mainRevisionOf(e.key);
        totalKey++;
      }
    }
    return { hash: hash.digest(), revision, totalKey, totalSize: db.size };
  } finally {
    db.close();
  }
}

/** The main revision of an mvcc key (8 bytes big-endian, '_', 8 bytes sub revision). */
export function mainRevisionOf(key: Buffer): bigint {
  if (key.length < 8) {
    const padded = Buffer.alloc(8);
    key.copy(padded);
    return padded.readBigInt64BE(0);
  }
  return key.readBigInt64BE(0);
}
