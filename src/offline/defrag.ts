// Offline defragmentation of a stopped member's backend (`defrag --data-dir`, etcdutl's
// DefragData): the bbolt file is copied into a fresh, compacted file next to it, which then
// replaces it, as etcd's backend.defrag does.
import fs from 'node:fs';
import path from 'node:path';
import { BoltReader, copiedBucket, writeBolt } from './bbolt.js';

/** datadir.ToBackendFileName */
export function backendFileName(dataDir: string): string {
  return path.join(dataDir, 'member', 'snap', 'db');
}

/**
 * Whether another process holds a flock on `file` (bbolt takes an exclusive one while etcd runs).
 * Node cannot call flock(2), so this reads the kernel's lock table; false where there is none.
 */
export function isFlocked(file: string): boolean {
  let table: string;
  let st: fs.Stats;
  try {
    table = fs.readFileSync('/proc/locks', 'utf8');
    st = fs.statSync(file);
  } catch {
    return false;
  }
  // Linux's dev_t encoding; /proc/locks prints MAJOR:MINOR in hex and the inode in decimal.
  const major = ((st.dev >> 8) & 0xfff) | (Math.floor(st.dev / 2 ** 32) & ~0xfff);
  const minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${st.ino}`;
  return table.split('\n').some((line) => {
    const f = line.trim().split(/\s+/);
    return f[1] === 'FLOCK' && f[4] !== String(process.pid) && f[5] === id;
  });
}

/** Rewrites `dbPath` compacted: every bucket and key copied in order into `db.tmp.*`, renamed over it. */
export function defragBackend(dbPath: string): void {
  const reader = BoltReader.open(dbPath);
  const dir = path.dirname(dbPath);
  const tmp = path.join(dir, `db.tmp.${process.pid}${Date.now()}`);
  try {
    writeBolt(tmp, copiedBucket(reader, reader.rootBucket()), { pageSize: reader.pageSize, txid: reader.meta.txid + 1n });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    reader.close();
  }
  fs.renameSync(tmp, dbPath);
}
