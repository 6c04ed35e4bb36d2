// Locates the real etcd binaries used by the integration tests: the reference client (etcdctl and
// etcdutl 3.5.16, which the differential tests compare against) and the SERVER the test bed runs,
// chosen by $ETCDCTL_TS_TEST_SERVER (3.5.16 by default, or 3.5.30 or 3.4.23; scripts/diff-servers.sh
// runs the differential suite against each).
//
// Each release's bin dir comes from `bash scripts/install-etcd.sh VERSION` (idempotent; prints the bin
// dir on its last stdout line); $ETCD_BIN_DIR, if set, replaces the 3.5.16 dir. Answers are cached
// for the life of the process, so the script runs at most once per release per test worker. A
// missing etcd fails the run: it never skips tests.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The etcd release the project is compatible with: its etcdctl is the reference client. */
export const ETCD_VERSION = '3.5.16';

/** Every server release the test bed can run (scripts/install-etcd.sh knows where each comes from). */
export const SERVER_VERSIONS = ['3.5.16', '3.5.30', '3.4.23'] as const;
export type ServerVersion = (typeof SERVER_VERSIONS)[number];

/** Absolute path of the repository root (two levels above test/support). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The server release this test run uses ($ETCDCTL_TS_TEST_SERVER, default 3.5.16). */
export function testServerVersion(): ServerVersion {
  const v = process.env['ETCDCTL_TS_TEST_SERVER'];
  if (v === undefined || v === '') return ETCD_VERSION;
  const known = SERVER_VERSIONS.find((s) => s === v);
  if (known === undefined) {
    throw new Error(`ETCDCTL_TS_TEST_SERVER=${v}: not one of ${SERVER_VERSIONS.join(', ')}`);
  }
  return known;
}

/** True when the test server is an etcd 3.4 (flags and some answers differ from 3.5). */
export function testServerIs34(): boolean {
  return testServerVersion().startsWith('3.4.');
}

const cachedBinDirs = new Map<ServerVersion, string>();

/** Folder holding one release's binaries (etcd always; etcdctl/etcdutl where Debian packages them). */
export function etcdBinDirFor(version: ServerVersion): string {
  const cached = cachedBinDirs.get(version);
  if (cached !== undefined) return cached;
  let dir = version === ETCD_VERSION ? process.env['ETCD_BIN_DIR'] : undefined;
  if (dir === undefined || dir === '') {
    const script = path.join(REPO_ROOT, 'scripts', 'install-etcd.sh');
    let out: string;
    try {
      out = execFileSync('bash', [script, version], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 10 * 60_000,
      });
    } catch (err) {
      const e = err as { stderr?: string | Buffer; message?: string };
      throw new Error(
        `scripts/install-etcd.sh ${version} failed: ${e.message ?? String(err)}\n${String(e.stderr ?? '')}`,
      );
    }
    const lines = out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    dir = lines[lines.length - 1];
    if (dir === undefined) throw new Error(`scripts/install-etcd.sh ${version} printed no bin dir`);
  }
  const needed = version === ETCD_VERSION ? ['etcd', 'etcdctl'] : ['etcd'];
  for (const bin of needed) {
    const p = path.join(dir, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
    } catch {
      throw new Error(`etcd bin dir ${dir} has no executable ${bin} (set ETCD_BIN_DIR or run scripts/install-etcd.sh ${version})`);
    }
  }
  cachedBinDirs.set(version, dir);
  return dir;
}

/** Folder holding etcd, etcdctl and etcdutl 3.5.16 (the reference). */
export function etcdBinDir(): string {
  return etcdBinDirFor(ETCD_VERSION);
}

/** Path of the etcd server binary of the selected test server. */
export function etcdPath(): string {
  return path.join(etcdBinDirFor(testServerVersion()), 'etcd');
}

/** Path of the real etcdctl 3.5.16 (the reference the differential tests compare against). */
export function etcdctlRealPath(): string {
  return path.join(etcdBinDir(), 'etcdctl');
}

/**
 * Path of Debian sid's etcdctl 3.5.30, a second reference for behaviour fixed after 3.5.16. Built
 * against Debian's own Go libraries, it draws tables with box characters where upstream draws ASCII.
 */
export function etcdctl3530Path(): string {
  return path.join(etcdBinDirFor('3.5.30'), 'etcdctl');
}

/** Path of the real etcdutl 3.5.16. */
export function etcdutlPath(): string {
  return path.join(etcdBinDir(), 'etcdutl');
}

/** Path of our CLI's entry point (bin/etcdctl-ts.js); run it with `process.execPath`. */
export function oursEntryPath(): string {
  return path.join(REPO_ROOT, 'bin', 'etcdctl-ts.js');
}
