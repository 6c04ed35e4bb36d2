// Locates the real etcd 3.5.16 binaries (etcd, etcdctl, etcdutl) used by the integration tests.
//
// Order: $ETCD_BIN_DIR if set, else `bash scripts/install-etcd.sh` (idempotent; prints the bin dir on
// its last stdout line). The answer is cached for the life of the process, so the script runs at most
// once per test worker. A missing etcd fails the run: it never skips tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The etcd release the project is compatible with. */
export const ETCD_VERSION = '3.5.16';

/** Absolute path of the repository root (two levels above test/support). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let cachedBinDir: string | undefined;

/** Folder holding etcd, etcdctl and etcdutl 3.5.16. */
export function etcdBinDir(): string {
  if (cachedBinDir !== undefined) return cachedBinDir;
  let dir = process.env['ETCD_BIN_DIR'];
  if (dir === undefined || dir === '') {
    const script = path.join(REPO_ROOT, 'scripts', 'install-etcd.sh');
    let out: string;
    try {
      out = execFileSync('bash', [script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 10 * 60_000,
      });
    } catch (err) {
      const e = err as { stderr?: string | Buffer; message?: string };
      throw new Error(
        `scripts/install-etcd.sh failed: ${e.message ?? String(err)}\n${String(e.stderr ?? '')}`,
      );
    }
    const lines = out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    dir = lines[lines.length - 1];
    if (dir === undefined) throw new Error('scripts/install-etcd.sh printed no bin dir');
  }
  for (const bin of ['etcd', 'etcdctl']) {
    const p = path.join(dir, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
    } catch {
      throw new Error(`etcd bin dir ${dir} has no executable ${bin} (set ETCD_BIN_DIR or run scripts/install-etcd.sh)`);
    }
  }
  cachedBinDir = dir;
  return dir;
}

/** Path of the etcd server binary. */
export function etcdPath(): string {
  return path.join(etcdBinDir(), 'etcd');
}

/** Path of the real etcdctl 3.5.16 (the reference the differential tests compare against). */
export function etcdctlRealPath(): string {
  return path.join(etcdBinDir(), 'etcdctl');
}

/** Path of the real etcdutl 3.5.16. */
export function etcdutlPath(): string {
  return path.join(etcdBinDir(), 'etcdutl');
}

/** Path of our CLI's entry point (bin/etcdctl-ts.js); run it with `process.execPath`. */
export function oursEntryPath(): string {
  return path.join(REPO_ROOT, 'bin', 'etcdctl-ts.js');
}
