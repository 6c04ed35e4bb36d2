// `etcdctl-ts batch`: each line's output must be what the real etcdctl prints for that command
// line run on its own (stdout and stderr, in order), with stdin empty; the exit status follows
// --continue-on-error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { applyMasks, maskLeaseIds, maskRevisions, maskZapLogLines, type Mask } from '../support/diff.js';
import { runCli } from '../support/run.js';

let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
});
afterAll(async () => {
  await cluster?.stop();
});

async function seed(): Promise<void> {
  await runCli('real', [ep, 'del', '--prefix', 'b/']);
  await runCli('real', [ep, 'put', 'b/1', 'one']);
  await runCli('real', [ep, 'put', 'b/2', 'two words']);
  await runCli('real', [ep, 'put', 'b/é✓', 'x']);
}

/** A batch line and the argv a shell would make of it. */
type Line = [text: string, argv: string[]];

const LINES: Line[] = [
  ['get b/1', ['get', 'b/1']],
  ['get --prefix b/ -w json', ['get', '--prefix', 'b/', '-w', 'json']],
  ['# comments and empty lines are skipped', []],
  ['', []],
  ["put b/3 'three  spaces'", ['put', 'b/3', 'three  spaces']],
  ['get "b/3" --print-value-only', ['get', 'b/3', '--print-value-only']],
  ['get b/ --prefix --keys-only --hex', ['get', 'b/', '--prefix', '--keys-only', '--hex']],
  ['get b/2 -w fields', ['get', 'b/2', '-w', 'fields']],
  ['get', ['get']],
  ['put b/4', ['put', 'b/4']],
  ['frobnicate', ['frobnicate']],
  ['get --bogus b/1', ['get', '--bogus', 'b/1']],
  ['del b/3 --prev-kv', ['del', 'b/3', '--prev-kv']],
  ['txn', ['txn']],
  ['member list -w table', ['member', 'list', '-w', 'table']],
  ['lease grant 60', ['lease', 'grant', '60']],
  ['get b/é✓', ['get', 'b/é✓']],
  ['version', ['version']],
  ['get --help', ['get', '--help']],
  ['del b/ --prefix', ['del', 'b/', '--prefix']],
];

const MASKS: Mask[] = [maskZapLogLines, maskRevisions, maskLeaseIds];
const masked = (buf: Buffer, stream: 'stdout' | 'stderr') => applyMasks(buf, MASKS, stream).toString('latin1');

/** What running each line as its own etcdctl process prints, and the batch's expected status. */
async function expected(lines: Line[], continueOnError: boolean): Promise<{ stdout: Buffer; stderr: Buffer; code: number }> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let code = 0;
  for (const [, argv] of lines) {
    if (argv.length === 0) continue;
    const r = await runCli('real', [ep, ...argv]);
    stdout.push(r.stdout);
    stderr.push(r.stderr);
    if (r.code !== 0) {
      code = r.code ?? 1;
      if (!continueOnError) break;
    }
  }
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code };
}

describe('batch', () => {
  it('prints each line as etcdctl prints it alone (--continue-on-error)', async () => {
    await seed();
    const want = await expected(LINES, true);
    await seed();
    const got = await runCli('ours', [ep, 'batch', '--continue-on-error'], { stdin: LINES.map(([text]) => `${text}\n`).join('') });
    expect(masked(got.stdout, 'stdout')).toBe(masked(want.stdout, 'stdout'));
    expect(masked(got.stderr, 'stderr')).toBe(masked(want.stderr, 'stderr'));
    expect(got.code).toBe(want.code);
  });

  it('stops at the first failure by default, with its status', async () => {
    await seed();
    const lines: Line[] = [
      ['get b/1', ['get', 'b/1']],
      ['lease revoke 1234abcd', ['lease', 'revoke', '1234abcd']],
      ['get b/2', ['get', 'b/2']],
    ];
    const want = await expected(lines, false);
    const got = await runCli('ours', ['batch', ep], { stdin: lines.map(([text]) => text).join('\n') });
    expect(got.stdout.toString()).toBe(want.stdout.toString());
    expect(masked(got.stderr, 'stderr')).toBe(masked(want.stderr, 'stderr'));
    expect(want.code).not.toBe(0);
    expect(got.code).toBe(want.code);
  });

  it('applies its global flags to every line, which may override them', async () => {
    await seed();
    const got = await runCli('ours', [ep, '-w', 'json', 'batch'], { stdin: 'get b/1 --print-value-only -w simple\nput b/9 nine\n' });
    expect(got.code).toBe(0);
    expect(got.stdout.toString()).toMatch(/^one\n\{"header":\{"cluster_id":\d+,"member_id":\d+,"revision":\d+,"raft_term":\d+\}\}\n$/);
  });

  it('reports a line it cannot split and takes no arguments', async () => {
    const bad = await runCli('ours', [ep, 'batch'], { stdin: 'get "b/1\nget b/1\n' });
    expect(bad.stderr.toString()).toBe('Error: batch: line 1: unterminated quoted string\n');
    expect(bad.stdout.toString()).toBe('');
    expect(bad.code).toBe(1);
    const args = await runCli('ours', [ep, 'batch', 'extra']);
    expect(args.stderr.toString()).toBe('Error: batch reads its commands from stdin and takes no arguments\n');
    expect(args.code).toBe(128);
  });
});
