// Helpers for the snapshot integration tests (snapshot-save.test.ts, snapshot-restore.test.ts):
// fast key writes through etcd's JSON gateway, free ports, etcdutl runs and comparisons of
// restored data directories.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { type Mask, mask } from './diff.js';
import { etcdPath, etcdutlPath } from './etcd-bin.js';
import { type CliResult, childEnv, runCli } from './run.js';
import { sleep } from './wait.js';

/** etcdutl's console log lines (snapshot restore) start with an RFC 3339 time. */
export const maskConsoleTimes: Mask = mask(
  'console log times',
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)\t/gm,
  '<TIME>\t',
  ['stderr'],
);

/** One call to etcd's JSON gateway (`/v3/kv/put`, `/v3/lease/grant`, …): the response body. */
export function httpPost(port: number, urlPath: string, body: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: urlPath, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode} for ${urlPath}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`HTTP ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/** Puts a key through the member's JSON gateway (much faster than one etcdctl process per key). */
export async function putKey(clientPort: number, key: string, value: string | Buffer): Promise<void> {
  await httpPost(clientPort, '/v3/kv/put', { key: b64(key), value: b64(value) });
}

/** Puts many keys, up to 100 per transaction (etcd allows 128 operations in one txn). */
export async function putKeys(clientPort: number, entries: [string, string | Buffer][]): Promise<void> {
  for (let i = 0; i < entries.length; i += 100) {
    const success = entries.slice(i, i + 100).map(([k, v]) => ({ request_put: { key: b64(k), value: b64(v) } }));
    await httpPost(clientPort, '/v3/kv/txn', { success });
  }
}

export async function deleteKey(clientPort: number, key: string): Promise<void> {
  await httpPost(clientPort, '/v3/kv/deleterange', { key: b64(key) });
}

/** `n` loopback ports that were free a moment ago. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Runs the real etcdutl 3.5.16. */
export function etcdutl(args: string[]): Promise<CliResult> {
  return runCli('ours', args, { ours: [etcdutlPath()] });
}

/** `etcdutl snapshot status -w json` of a file. */
export async function statusJson(file: string): Promise<Record<string, unknown>> {
  const r = await etcdutl(['snapshot', 'status', file, '-w', 'json']);
  expect(r.code, r.stderr.toString()).toBe(0);
  return JSON.parse(r.stdout.toString()) as Record<string, unknown>;
}

/** A runBothWithReset setup: moves each path aside to `<path>.real` (the real tool's output). */
export function moveAside(...paths: string[]): () => Promise<void> {
  return async () => {
    for (const p of paths) {
      if (fs.existsSync(p)) {
        fs.rmSync(`${p}.real`, { recursive: true, force: true });
        fs.renameSync(p, `${p}.real`);
      }
    }
  };
}

export function readHead(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The same files, same sizes and same leading 64 KiB (WALs are 64 MB of mostly zeros) in a data
 * dir restored by the real etcdctl and one restored by ours. bbolt files are skipped: they are
 * compared through `etcdutl snapshot status`, since ours are written compacted.
 */
export function expectSameDataDir(real: string, ours: string): void {
  const list = (d: string) =>
    fs
      .readdirSync(d, { recursive: true })
      .map(String)
      .filter((f) => fs.statSync(path.join(d, f)).isFile())
      .sort();
  expect(list(ours)).toEqual(list(real));
  for (const f of list(real)) {
    if (path.basename(f) === 'db') continue;
    expect(fs.statSync(path.join(ours, f)).size, f).toBe(fs.statSync(path.join(real, f)).size);
    expect(readHead(path.join(ours, f), 1 << 16).equals(readHead(path.join(real, f), 1 << 16)), f).toBe(true);
  }
}

/** A small history both snapshot test files start from: overwrites, binary and UTF-8 keys, a delete. */
export async function seedHistory(port: number): Promise<void> {
  for (let i = 0; i < 20; i++) await putKey(port, `key/${String(i).padStart(2, '0')}`, `value ${i}`);
  await putKey(port, 'key/05', 'second version');
  await putKey(port, 'bin\x00ary', Buffer.from([0, 1, 2, 255, 254]));
  await putKey(port, 'unicode/é✓', 'ünïcödé');
  await deleteKey(port, 'key/19');
}

export interface RestoredMember {
  /** "--endpoints=127.0.0.1:P" */
  endpointsFlag: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Restores `snap` with the real etcdutl into `dir` and starts a real etcd on it (fresh loopback
 * ports), waiting until it answers. The caller stops it.
 */
export async function startRestoredMember(snap: string, dir: string): Promise<RestoredMember> {
  const [clientPort, peerPort] = await freePorts(2);
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const dataDir = path.join(dir, 'restored.etcd');
  const cluster = ['--name=restored', `--initial-cluster=restored=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`, '--initial-cluster-token=restored'];
  const restore = await etcdutl(['snapshot', 'restore', snap, `--data-dir=${dataDir}`, ...cluster]);
  expect(restore.code, restore.stderr.toString()).toBe(0);
  const logFile = path.join(dir, 'restored.log');
  const log = fs.openSync(logFile, 'w');
  const etcd: ChildProcess = spawn(
    etcdPath(),
    [...cluster, `--data-dir=${dataDir}`, `--listen-client-urls=${clientUrl}`, `--advertise-client-urls=${clientUrl}`, `--listen-peer-urls=${peerUrl}`, '--log-level=error'],
    { stdio: ['ignore', log, log], env: childEnv() },
  );
  const stop = async () => {
    if (etcd.exitCode === null && etcd.signalCode === null) {
      const exited = new Promise((r) => etcd.once('exit', r));
      etcd.kill('SIGTERM');
      const timer = setTimeout(() => etcd.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.closeSync(log);
  };
  const endpointsFlag = `--endpoints=127.0.0.1:${clientPort}`;
  let healthy = false;
  for (let i = 0; i < 150 && !healthy && etcd.exitCode === null; i++) {
    healthy = (await runCli('real', [endpointsFlag, 'endpoint', 'health'], { timeoutMs: 10_000 })).code === 0;
    if (!healthy) await sleep(200);
  }
  if (!healthy) {
    await stop();
    throw new Error(`restored etcd did not start: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
  }
  return { endpointsFlag, dataDir, stop };
}
