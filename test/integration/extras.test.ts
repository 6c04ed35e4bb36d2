// etcdctl-ts's additions on a real cluster: -w yaml / json-decoded, ls, profiles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runCli } from '../support/run.js';
import { testClient } from '../support/fill.js';

let cluster: Cluster;
let ep: string;
let dir: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  const client = testClient(cluster.endpoints[0]!);
  for (const [k, v] of [
    ['/app/config/db', 'postgres://db'],
    ['/app/config/cache', 'redis'],
    ['/app/name', 'demo'],
    ['/registry/pods/a', 'x'.repeat(2000)],
  ]) {
    await client.kv.put({ key: Buffer.from(k!), value: Buffer.from(v!) });
  }
  await client.kv.put({ key: Buffer.from('/bin/blob'), value: Buffer.from([0xde, 0xad, 0xbe, 0xef]) });
  client.close();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-extras-'));
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('-w json-decoded and -w yaml', () => {
  it('get: text as text, binary marked, IDs as strings (safe for jq)', async () => {
    const r = await runCli('ours', [ep, 'get', '--prefix', '/', '-w', 'json-decoded']);
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!);
    expect(typeof doc.header.cluster_id).toBe('string');
    expect(doc.count).toBe('5');
    const byKey = Object.fromEntries(doc.kvs.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]));
    expect(byKey['/app/name']).toBe('demo');
    expect(byKey['/bin/blob']).toEqual({ base64: '3q2+7w==' });
  });

  it('yaml for get, put, member list; one document per response', async () => {
    const get = await runCli('ours', [ep, 'get', '/app/name', '-w', 'yaml']);
    expect(get.stdout.toString()).toMatch(/^---\nheader:\n  cluster_id: "\d+"\n/);
    expect(get.stdout.toString()).toContain('- key: /app/name\n');
    expect(get.stdout.toString()).toContain('  value: demo\n');
    const put = await runCli('ours', [ep, 'put', 'newkey', 'v', '--prev-kv', '-w', 'yaml']);
    expect(put.stdout.toString()).toContain('prev_kv: null');
    const members = await runCli('ours', [ep, 'member', 'list', '-w', 'yaml']);
    expect(members.stdout.toString()).toContain('  name: ');
    const bin = await runCli('ours', [ep, 'get', '/bin/blob', '-w', 'yaml']);
    expect(bin.stdout.toString()).toContain('value: !!binary 3q2+7w==');
  });

  it('is accepted only by the commands that support it, with etcdctl\'s error otherwise', async () => {
    // (watch accepts them since its events show Kubernetes objects: test/integration/k8s.test.ts.)
    const health = await runCli('ours', [ep, 'endpoint', 'health', '-w', 'yaml']);
    expect(health.code).toBe(4);
    expect(health.stderr.toString()).toBe('Error: unsupported output format\n');
    expectSame(await runBoth([ep, 'endpoint', 'hashkv', '-w', 'jsonl']));
  });
});

describe('ls', () => {
  it('shows the tree with counts and sizes, plain on a pipe', async () => {
    const r = await runCli('ours', [ep, 'ls', '/', '--depth', '0'], { env: { TERM: 'xterm-256color' } });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(
      [
        '/ (5 keys, 2.0 kB)',
        '├── app/ (3 keys, 22 B)',
        '│   ├── config/ (2 keys, 18 B)',
        '│   │   ├── cache (5 B)',
        '│   │   └── db (13 B)',
        '│   └── name (4 B)',
        '├── bin/ (1 key, 4 B)',
        '│   └── blob (4 B)',
        '└── registry/ (1 key, 2.0 kB)',
        '    └── pods/ (1 key, 2.0 kB)',
        '        └── a (2.0 kB)',
        '',
        '5 directories, 5 keys, 2.0 kB',
        '',
      ].join('\n'),
    );
  });

  it('depth 1 by default; -w yaml gives the tree as data; FORCE_COLOR colours', async () => {
    const r = await runCli('ours', [ep, 'ls', '/app']);
    expect(r.stdout.toString()).toBe(['/app/ (3 keys, 22 B)', '├── config/ (2 keys, 18 B, 2 entries not shown)', '└── name (4 B)', '', '1 directory, 3 keys, 22 B', ''].join('\n'));
    const y = await runCli('ours', [ep, 'ls', '/app', '-w', 'yaml']);
    expect(y.stdout.toString()).toContain('name: /app/\nkeys: 3\nbytes: 22\n');
    const c = await runCli('ours', [ep, 'ls', '/app'], { env: { FORCE_COLOR: '1' } });
    expect(c.stdout.toString()).toContain('\x1b[1m\x1b[34mconfig/');
  });

  it('has its own help, and is not in etcdctl\'s', async () => {
    const help = await runCli('ours', ['ls', '--help']);
    expect(help.stdout.toString()).toContain('etcdctl ls [options] [prefix] [flags]');
    expect(help.stdout.toString()).toContain('--depth=1');
    expect(help.stdout.toString()).toContain('--profile=""');
    const root = await runCli('ours', ['--help']);
    expect(root.stdout.toString()).not.toContain('\tls');
  });
});

describe('help extras', () => {
  it('lists etcdctl-ts\'s additions from the command tree', async () => {
    const r = await runCli('ours', ['help', 'extras']);
    expect(r.code).toBe(0);
    const text = r.stdout.toString();
    for (const part of ['\tls', '--profile=""', 'get:\n      --page-size=10000', 'del:\n      --yes[=false]', '-w yaml, -w json-decoded', 'ETCDCTL_TS_PROFILE']) {
      expect(text).toContain(part);
    }
  });
});

describe('profiles', () => {
  const write = (profiles: object) => {
    const file = path.join(dir, 'etcdctl-ts', 'config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ profiles }));
    return { XDG_CONFIG_HOME: dir };
  };

  it('--profile and ETCDCTL_TS_PROFILE pick the endpoints; flags and ETCDCTL_* still win', async () => {
    const env = write({ test: { endpoints: cluster.endpoints }, dead: { endpoints: ['127.0.0.1:1'], 'dial-timeout': '300ms' } });
    expect((await runCli('ours', ['get', '/app/name', '--profile', 'test'], { env })).stdout.toString()).toBe('/app/name\ndemo\n');
    const viaEnv = await runCli('ours', ['get', '/app/name'], { env: { ...env, ETCDCTL_TS_PROFILE: 'test' } });
    expect(viaEnv.stdout.toString()).toBe('/app/name\ndemo\n');
    expect(viaEnv.stderr.toString()).toBe('');
    expect((await runCli('ours', ['get', '/app/name', '--profile', 'dead', ep], { env })).stdout.toString()).toBe('/app/name\ndemo\n');
    const envWins = await runCli('ours', ['get', '/app/name', '--profile', 'dead'], { env: { ...env, ETCDCTL_ENDPOINTS: cluster.endpoints.join(',') } });
    expect(envWins.stdout.toString()).toBe('/app/name\ndemo\n');
    const dead = await runCli('ours', ['get', '/app/name', '--profile', 'dead'], { env });
    expect(dead.code).toBe(1);
    expect(dead.stderr.toString()).toContain('context deadline exceeded');
  });

  it('without a profile nothing changes, even with a config file', async () => {
    const env = write({ test: { endpoints: ['127.0.0.1:1'] } });
    // --debug lists the flags as ETCDCTL_* lines: no profile among them, values as etcdctl's.
    const both = await runBoth([ep, 'get', '/app/name', '--debug'], { env });
    expectSame(both, { stdoutOnly: true });
    const flagLines = (b: Buffer) => b.toString().split('\n').filter((l) => l.startsWith('ETCDCTL_'));
    expect(flagLines(both.ours.stderr)).toEqual(flagLines(both.real.stderr));
    expect(flagLines(both.ours.stderr).length).toBeGreaterThan(10);
    const missing = await runCli('ours', ['get', 'k', '--profile', 'nope'], { env });
    expect(missing.code).toBe(128);
    expect(missing.stderr.toString()).toBe(`Error: profile "nope" not found in ${path.join(dir, 'etcdctl-ts', 'config.json')}\n`);
  });
});
