// The typed client as a library, imported by its package name from a project that depends on
// etcdctl-ts (node_modules/etcdctl-ts → this repository: package.json "exports" → dist/), run
// against a real etcd in a separate Node process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { REPO_ROOT } from '../support/etcd-bin.js';

let cluster: Cluster;
let project: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-lib-'));
  fs.mkdirSync(path.join(project, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(project, 'node_modules', 'etcdctl-ts'));
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
});
afterAll(async () => {
  await cluster?.stop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

const PROGRAM = `
import { Etcd } from 'etcdctl-ts';
const out = [];
const events = [];
const etcd = new Etcd({ endpoints: JSON.parse(process.env.ENDPOINTS) });
try {
  await etcd.put('/lib/a', 'hello');
  const put = await etcd.put('/lib/a', 'hello again', { prevKv: true });
  out.push(['prev', put.prevKv.value.toString()]);
  out.push(['getString', await etcd.getString('/lib/a')]);
  out.push(['missing', await etcd.getString('/lib/none')]);

  // From the revision after the last put: it sees every later change however long it takes to start.
  const watch = etcd.watch('/lib/', { prefix: true, startRevision: put.revision + 1n });
  const seen = (async () => {
    for await (const ev of watch) {
      events.push([ev.type, ev.kv.key.toString(), ev.kv.value.toString()]);
      if (ev.type === 'delete' && ev.kv.key.toString() === '/lib/b') watch.cancel();
    }
  })();
  await etcd.put('/lib/b', 'world');

  const txn = await etcd.txn({
    compare: [{ key: '/lib/a', target: 'value', result: '=', value: 'hello again' }],
    success: [{ type: 'put', key: '/lib/c', value: 'from txn' }, { type: 'get', key: '/lib/', prefix: true, keysOnly: true }],
    failure: [{ type: 'delete', key: '/lib/a' }],
  });
  out.push(['txn', txn.succeeded, txn.responses[1].result.kvs.map((kv) => kv.key.toString())]);

  const lease = await etcd.lease.grant(60);
  await etcd.put('/lib/leased', 'x', { lease: lease.id });
  const info = await etcd.lease.timeToLive(lease.id, { keys: true });
  out.push(['lease', info.grantedTtl === 60n, info.keys.map(String), (await etcd.lease.list()).includes(lease.id)]);
  await etcd.lease.revoke(lease.id);
  out.push(['after revoke', await etcd.getString('/lib/leased')]);

  const lock = await etcd.lock('/locks/job');
  out.push(['lock', lock.key.toString().startsWith('/locks/job/')]);
  await lock.release();
  const lead = await etcd.campaign('/elections/main', 'me');
  out.push(['leader', (await etcd.getString(lead.key)) === 'me']);
  await lead.resign();

  await etcd.delete('/lib/b');
  await seen;
  const del = await etcd.delete('/lib/', { prefix: true, prevKv: true });
  out.push(['deleted', del.deleted, del.prevKvs.length]);
  const get = await etcd.get('/lib/', { prefix: true, countOnly: true });
  out.push(['count', get.count]);
} finally {
  etcd.close();
}
console.log(JSON.stringify({ out, events }, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
`;

it("import { Etcd } from 'etcdctl-ts' works against a real etcd, and the process ends by itself", () => {
  fs.writeFileSync(path.join(project, 'main.mjs'), PROGRAM);
  const r = spawnSync(process.execPath, ['main.mjs'], {
    cwd: project,
    env: { PATH: process.env.PATH, ENDPOINTS: JSON.stringify(cluster.endpoints) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { out, events } = JSON.parse(r.stdout);
  expect(events).toEqual([
    ['put', '/lib/b', 'world'],
    ['put', '/lib/c', 'from txn'],
    ['put', '/lib/leased', 'x'],
    ['delete', '/lib/leased', ''],
    ['delete', '/lib/b', ''],
  ]);
  expect(out).toEqual([
    ['prev', 'hello'],
    ['getString', 'hello again'],
    ['missing', null],
    ['txn', true, ['/lib/a', '/lib/b', '/lib/c']],
    ['lease', true, ['/lib/leased'], true],
    ['after revoke', null],
    ['lock', true],
    ['leader', true],
    ['deleted', '2', 2],
    ['count', '0'],
  ]);
});

it('ships types for the entry point', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  expect(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'index.d.ts'), 'utf8')).toContain('Etcd');
});
