#!/usr/bin/env node
// Memory benchmark for large ranges: `get --prefix` over PAGING_KEYS small keys (default
// 1,000,000) with the real etcdctl 3.5.16 (one request, the whole range in memory) and with
// etcdctl-ts (paged at one revision, streamed). Checks that both outputs are identical (by
// SHA-256, in simple and json), then prints each tool's peak RSS and wall time. Not a test: run
// it by hand (`node bench/paging.mjs`). Starts one etcd member on 127.0.0.1 and stops it.
//
// Environment: PAGING_KEYS (number of keys), PAGING_FORMATS (comma list, default simple,json).
import { execFileSync, spawn } from 'node:child_process';
import { binDir, startMember } from './etcd-member.mjs';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEYS = Number(process.env.PAGING_KEYS ?? 1_000_000);
const FORMATS = (process.env.PAGING_FORMATS ?? 'simple,json').split(',');
const log = (line) => process.stderr.write(`${line}\n`);

const REAL = path.join(binDir, 'etcdctl');
const OURS = path.join(ROOT, 'bin/etcdctl-ts.js');
if (!existsSync(path.join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
delete process.env.NODE_EXTRA_CA_CERTS;

const { endpoint, work } = await startMember('paging', ['--quota-backend-bytes', String(8 * 1024 ** 3), '--max-txn-ops', '1000']);

/** Runs a command with stdout hashed as it streams; resolves with hash, bytes, peak RSS (KiB) and seconds. */
function measure(argv) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // maxrss.py reports the child's peak RSS (getrusage of children) into a file.
    const rssFile = path.join(work, `rss-${Date.now()}`);
    const child = spawn('python3', [path.join(ROOT, 'bench/maxrss.py'), rssFile, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    const hash = createHash('sha256');
    let bytes = 0;
    child.stdout.on('data', (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited with ${code}`));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rssKiB = Number(execFileSync('cat', [rssFile]).toString());
      resolve({ hash: hash.digest('hex'), bytes, rssKiB, seconds });
    });
  });
}

// etcd is stopped by startMember's exit handler, also when this throws.
{
  const { Connection } = await import(path.join(ROOT, 'dist/client/connection.js'));
  const { EtcdClient } = await import(path.join(ROOT, 'dist/client/services.js'));
  const tls = { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' };
  const client = new EtcdClient(
    new Connection({ endpoints: [endpoint], dialTimeoutMs: 5000, commandTimeoutMs: 30000, commandTimeoutExplicit: false, keepaliveTimeMs: 2000, keepaliveTimeoutMs: 6000, tls, debug: false }),
  );
  for (let i = 0; i < 100; i++) {
    try {
      await client.kv.range({ key: Buffer.from('x') }, Date.now() + 1000);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`paging: writing ${KEYS} keys`);
  const BATCH = 1000;
  for (let i = 0; i < KEYS; i += BATCH) {
    const ops = [];
    for (let j = i; j < Math.min(KEYS, i + BATCH); j++) ops.push({ request_put: { key: Buffer.from(`/paging/${String(j).padStart(8, '0')}`), value: Buffer.from(`v${j}`) } });
    await client.kv.txn({ success: ops });
  }
  client.close();

  log(`paging: get --prefix /paging/ over ${KEYS} keys`);
  const rows = [];
  for (const format of FORMATS) {
    const args = [`--endpoints=${endpoint}`, '--command-timeout=120s', 'get', '--prefix', '/paging/', '-w', format];
    const real = await measure([REAL, ...args]);
    const ours = await measure([process.execPath, OURS, ...args]);
    if (real.hash !== ours.hash || real.bytes !== ours.bytes) throw new Error(`outputs differ for -w ${format}: ${real.bytes} vs ${ours.bytes} bytes`);
    rows.push({ format, bytes: real.bytes, real, ours });
  }
  console.log(`keys: ${KEYS}`);
  console.log('format   output     etcdctl peak RSS   etcdctl time   etcdctl-ts peak RSS   etcdctl-ts time   identical');
  for (const { format, bytes, real, ours } of rows) {
    const mb = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
    console.log(
      `${format.padEnd(8)} ${`${(bytes / 1024 / 1024).toFixed(1)} MiB`.padEnd(10)} ${mb(real.rssKiB).padStart(16)}   ${`${real.seconds.toFixed(2)} s`.padStart(12)}   ${mb(ours.rssKiB).padStart(19)}   ${`${ours.seconds.toFixed(2)} s`.padStart(15)}   yes`,
    );
  }
}
