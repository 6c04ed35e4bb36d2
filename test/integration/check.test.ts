// check perf / check datascale against a real 1-member cluster.
//
// Argument and "prefix has keys" errors are differential runs. The load runs themselves take a
// minute (perf) and depend on timing, so the real etcdctl's output was captured once, on a pipe,
// into test/fixtures/check/*.real.stdout; here etcdctl-ts runs once per scenario and its output
// must have the same shape: pb's progress frames (every one checked for pb's exact layout), then
// etcdctl's lines with only the numbers differing. Whether perf passes depends on the machine's
// load, so either verdict is accepted as long as the lines and the exit code agree.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { progressShape } from '../support/progress-shape.js';
import { childEnv, commandFor, runCli } from '../support/run.js';

let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'check' });
  ep = cluster.endpointsFlag;
  for (const key of ['/etcdctl-check-perf/a', '/etcdctl-check-datascale/a', 'custom/x']) {
    const r = await runCli('real', [ep, 'put', key, 'v']);
    if (r.code !== 0) throw new Error(`setup put failed: ${r.stderr.toString()}`);
  }
});

afterAll(async () => {
  await cluster?.stop();
});

const fixture = (name: string) => fs.readFileSync(`test/fixtures/check/${name}.real.stdout`, 'latin1');

/** Keys left under a prefix, through the real etcdctl. */
async function countUnder(prefix: string): Promise<number> {
  const r = await runCli('real', [ep, 'get', '--prefix', prefix, '--count-only', '-w', 'fields']);
  const m = /"Count" : (\d+)/.exec(r.stdout.toString());
  return m ? Number(m[1]) : 0;
}

/** Runs etcdctl-ts with stdout on a pipe; `interruptWhen` sends SIGINT once stdout matches it. */
function runOurs(args: string[], timeoutMs: number, interruptWhen?: RegExp): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const [cmd, ...prefix] = commandFor('ours');
  const child = spawn(cmd!, [...prefix, ep, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('latin1');
    if (interruptWhen && !interrupted && interruptWhen.test(stdout)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`etcdctl-ts ${args.join(' ')} still running after ${timeoutMs} ms; stdout so far: ${JSON.stringify(stdout.slice(-300))}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** check perf's verdict lines (etcdctl's check.go), each passing or failing. */
const VERDICT_LINE = [
  /^FAIL: too many errors$/,
  /^FAIL: ERROR\(.*\) -> \d+$/,
  /^(?:PASS: Throughput is|FAIL: Throughput too low:) \d+ writes\/s$/,
  /^(?:PASS: Slowest request took|Slowest request took too long:) \d+\.\d{6}s$/,
  /^(?:PASS: Stddev is|Stddev too high:) (?:\d+\.\d{6}|NaN)s$/,
  /^(?:PASS|FAIL)$/,
];

/** Lines of progress-free output; a frame drawn between two lines leaves an empty one behind. */
function withoutFrameGaps(text: string): string[] {
  return text.split('\n').filter((line, i, all) => line !== '' || i === all.length - 1);
}

function checkVerdict(lines: string[], code: number | null): void {
  expect(lines.length).toBeGreaterThanOrEqual(4);
  for (const line of lines) expect(VERDICT_LINE.some((re) => re.test(line)), line).toBe(true);
  const last = lines[lines.length - 1];
  const failed = lines.some((l) => !l.startsWith('PASS'));
  expect(last).toBe(failed ? 'FAIL' : 'PASS');
  expect(code).toBe(failed ? 1 : 0);
}

// Independent one-shot runs: concurrently, to keep the file short.
describe.concurrent('check errors', () => {
  it.each([
    [['check', 'perf', '--load', 'x']],
    [['check', 'perf', '--load', 'XL']],
    [['check', 'perf', '--load', 'xlarge', 'extra-argument']],
    [['check', 'datascale', '--load', 'small2']],
    [['check', 'datascale', '--load', '']],
    [['check', 'perf', '--load']],
    [['check', 'perf', '--auto-compact=maybe']],
    [['check']],
    [['check', 'nosuch']],
    // The prefix must be empty: exit 3 (perf quotes the del command, datascale does not).
    [['check', 'perf']],
    [['check', 'datascale']],
    [['check', 'perf', '--prefix', 'custom/']],
    [['check', 'datascale', '--prefix', 'custom/', '--load', 'xl']],
    [['check', 'perf', '--prefix', '']],
    [['check', 'datascale', '--prefix', '']],
    [['-w', 'json', 'check', 'perf', '--prefix', 'custom/']],
  ])('%j', async (args) => {
    expectSame(await runBoth([ep, ...args]));
  });
});

describe.concurrent('check runs', () => {
  it('perf --load s: 60 s of load with pb frames, then compaction, defragmentation and the verdict; keys removed', async () => {
    const { stdout, stderr, code } = await runOurs(['check', 'perf', '--prefix', '/perf-run/', '--auto-compact', '--auto-defrag'], 110_000);
    expect(stderr).toBe('');
    const { frames, shape, plain } = progressShape(stdout);
    expect(frames.every((f) => f.total === 60)).toBe(true);
    expect(frames[0]!.current).toBe(0);
    // One more second a tick, never backwards (how many frames appear depends on the machine).
    expect(frames.every((f, i) => i === 0 || f.current === frames[i - 1]!.current || f.current === frames[i - 1]!.current + 1)).toBe(true);
    // Frames may come between the other lines (the bar keeps drawing until the process ends).
    const lines = withoutFrameGaps(shape.replace(/<BAR>/g, ''));
    expect(lines.pop()).toBe('');
    expect(lines.slice(0, 4)).toEqual(['Compacting with revision #', 'Compacted with revision #', `Defragmenting "#.#:#"`, `Defragmented "#.#:#"`]);
    expect(stdout).toContain(`Defragmenting "${cluster.endpoints[0]}"\n`);
    checkVerdict(withoutFrameGaps(plain).slice(4, -1), code);
    // Same layout as the real etcdctl's run (test/fixtures/check/perf-s.real.stdout).
    const real = progressShape(fixture('perf-s'));
    expect(real.shape.startsWith('<BAR>PASS: Throughput is # writes/s\n')).toBe(true);
    expect(real.frames.length).toBeGreaterThan(250);
    expect(await countUnder('/perf-run/')).toBe(0);
  }, 120_000);

  it('perf stops at SIGINT, still deletes its keys and reports on the shorter run', async () => {
    const { stdout, stderr, code } = await runOurs(['check', 'perf', '--prefix', '/perf-int/', '--auto-compact'], 40_000, /\r 2 \/ 60 /);
    expect(stderr).toBe('');
    const { frames, shape, plain } = progressShape(stdout);
    expect(frames.some((f) => f.current === 2)).toBe(true);
    expect(frames.some((f) => f.current === 60)).toBe(false);
    const lines = withoutFrameGaps(shape.replace(/<BAR>/g, ''));
    expect(lines.slice(0, 2)).toEqual(['Compacting with revision #', 'Compacted with revision #']);
    checkVerdict(withoutFrameGaps(plain).slice(2, -1), code);
    // The real etcdctl, interrupted the same way (captured once).
    const real = progressShape(fixture('perf-s-sigint-auto-compact')).shape.replace(/<BAR>/g, '');
    expect(real).toBe('Compacting with revision #\nCompacted with revision #\nPASS: Throughput is # writes/s\nPASS: Slowest request took #s\nPASS: Stddev is #s\nPASS\n');
    expect(await countUnder('/perf-int/')).toBe(0);
  }, 60_000);

  it('datascale --load s: 10,000 keys, the memory used, keys removed', async () => {
    const { stdout, stderr, code } = await runOurs(['check', 'datascale', '--prefix', '/ds-run/', '--auto-compact'], 100_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { frames, shape } = progressShape(stdout);
    expect(frames.every((f) => f.total === 10000)).toBe(true);
    expect(frames[frames.length - 1]).toEqual({ current: 10000, total: 10000, time: expect.stringMatching(/^(?:\d+m)?\d+s$/) });
    expect(stdout).toMatch(/\r 10000 \/ 10000  100\.00% (?:\d+m)?\d+s\nCompacting with revision \d+\nCompacted with revision \d+\nPASS: Approximate system memory used : -?\d+\.\d\d MB\.\n$/);
    // The real etcdctl's run (without --auto-compact) has the same shape.
    const real = progressShape(fixture('datascale-s')).shape;
    expect(shape.replace('Compacting with revision #\nCompacted with revision #\n', '').replace('-#', '#')).toBe(real);
    expect(real).toBe(
      'Start data scale check for work load [# key-value pairs, # bytes per key-value, # concurrent clients].\n<BAR>\nPASS: Approximate system memory used : # MB.\n',
    );
    expect(stdout.startsWith('Start data scale check for work load [10000 key-value pairs, 1024 bytes per key-value, 50 concurrent clients].\n')).toBe(true);
    expect(await countUnder('/ds-run/')).toBe(0);
  }, 110_000);
});
