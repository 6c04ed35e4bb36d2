// One throwaway etcd 3.5.16 member for the benchmarks: installed if missing
// (scripts/install-etcd.sh), on free 127.0.0.1 ports with a temporary data dir, healthy before
// this returns, stopped (SIGTERM, by PID) and its folder removed when the script exits.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folder holding etcd and etcdctl 3.5.16. */
export const binDir = execFileSync('bash', [path.join(ROOT, 'scripts/install-etcd.sh')]).toString().trim().split('\n').pop();

export function freePorts(n) {
  return execFileSync(process.execPath, [path.join(ROOT, 'scripts/free-port.mjs'), String(n)]).toString().trim().split('\n').map(Number);
}

/**
 * Starts the member. `extraArgs` are more etcd flags; the quota defaults to 4 GiB.
 * Returns { endpoint, work (the temp folder), env (ETCDCTL_ENDPOINTS and a code cache in work), etcd }.
 */
export async function startMember(name, extraArgs = []) {
  const work = mkdtempSync(path.join(tmpdir(), `etcdctl-ts-${name}-`));
  const [clientPort, peerPort] = freePorts(2);
  const endpoint = `127.0.0.1:${clientPort}`;
  const etcd = spawn(
    path.join(binDir, 'etcd'),
    [
      '--name', name, '--data-dir', path.join(work, 'data'),
      '--listen-client-urls', `http://${endpoint}`, '--advertise-client-urls', `http://${endpoint}`,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `${name}=http://127.0.0.1:${peerPort}`, '--log-level', 'error',
      ...(extraArgs.includes('--quota-backend-bytes') ? [] : ['--quota-backend-bytes', String(4 * 1024 ** 3)]),
      ...extraArgs,
    ],
    { stdio: 'ignore' },
  );
  // Not holding the event loop: when the script is done, the exit handler stops it.
  etcd.unref();
  process.on('exit', () => {
    if (etcd.exitCode === null && etcd.signalCode === null) etcd.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

  // The code cache of etcdctl-ts lives here, as it would in a user's home.
  const env = { ...process.env, ETCDCTL_ENDPOINTS: endpoint, XDG_CACHE_HOME: path.join(work, 'cache') };
  // Wait for the member (bounded: about 20 s).
  for (let i = 0; ; i++) {
    if (spawnSync(path.join(binDir, 'etcdctl'), ['endpoint', 'health'], { env }).status === 0) break;
    if (i > 200) throw new Error('bench: etcd did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, work, env, etcd };
}
