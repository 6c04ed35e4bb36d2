// The single-file executable (scripts/build-exe.mjs), run as users run it: one file, no node on
// PATH. Runs only in the ci-exe stage (scripts/ci-exe.sh sets ETCDCTL_TS_EXE, which adds this
// project to vitest.config.ts); the same stage runs the differential files against it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { REPO_ROOT } from '../support/etcd-bin.js';
import { childEnv, runCli } from '../support/run.js';

const EXE = process.env['ETCDCTL_TS_EXE'] ?? '';
const exe = (args: string[], opts: { cwd?: string } = {}) => runCli('ours', args, { ours: [EXE], ...opts });

let cluster: Cluster;
let ep: string;
let dir: string;

beforeAll(async () => {
  if (EXE === '' || !fs.existsSync(EXE)) throw new Error(`ETCDCTL_TS_EXE names no executable: ${EXE}`);
  cluster = await startCluster({ size: 1, name: 'exe' });
  ep = cluster.endpointsFlag;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-exe-'));
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the single-file executable', () => {
  it('runs where no node is on PATH', async () => {
    const dirs = (childEnv()['PATH'] ?? '').split(':').filter(Boolean);
    expect(dirs.filter((d) => fs.existsSync(path.join(d, 'node')))).toEqual([]);
    expect((await exe([ep, 'put', 'exe/k', 'v'])).stdout.toString()).toBe('OK\n');
    const got = await exe([ep, 'get', 'exe/k', '-w', 'json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout.toString()).kvs[0].value).toBe(Buffer.from('v').toString('base64'));
  });

  it('prints etcdctl\'s version lines, and how it was built with --build', async () => {
    expect((await exe(['version'])).stdout.toString()).toBe('etcdctl version: 3.5.16\nAPI version: 3.5\n');
    const lines = (await exe(['version', '--build'])).stdout.toString().split('\n');
    expect(lines.slice(0, 2)).toEqual(['etcdctl version: 3.5.16', 'API version: 3.5']);
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(lines[2]).toMatch(new RegExp(`^etcdctl-ts version: ${version.replace(/\./g, '\\.')} \\(single-file executable, bun \\d+\\.\\d+\\.\\d+, linux-x64`));
  });

  it('reads no .env or bunfig.toml from the working directory', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'ETCDCTL_ENDPOINTS=127.0.0.1:1\nETCDCTL_WRITE_OUT=json\n');
    fs.writeFileSync(path.join(dir, 'bunfig.toml'), 'preload = ["./nope.ts"]\n');
    const r = await exe([ep, 'get', 'exe/k'], { cwd: dir });
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString()).toBe('exe/k\nv\n');
  });

  it('ships in a tarball with completions, README and LICENSE', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const name = `etcdctl-ts-${version}-linux-x64`;
    const listing = execFileSync('tar', ['-tzvf', path.join(REPO_ROOT, 'dist', 'release', `${name}.tar.gz`)]).toString();
    const files = listing.trim().split('\n').map((l) => l.split(/\s+/).pop());
    for (const f of ['etcdctl-ts', 'README.md', 'LICENSE', 'completions/etcdctl-ts.bash', 'completions/_etcdctl-ts', 'completions/etcdctl-ts.fish']) {
      expect(files).toContain(`${name}/${f}`);
    }
    expect(listing).toMatch(new RegExp(`^-rwxr-xr-x .* ${name}/etcdctl-ts$`, 'm'));
  });
});
