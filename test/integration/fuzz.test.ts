// Fuzzing the command line and txn input against a real etcd member.
//
// 10,000 generated inputs (random commands, flags and values from the CLI's own command tree;
// binary, huge, broken-quoted and invalid-UTF-8 text; negative and overflowing numbers; odd
// ETCDCTL_* variables; txn input built from its grammar, then mutated) run through main() in this
// process with a buffer Io, and a few hundred as real `node bin/etcdctl-ts.js` processes. For every
// input: it ends within a time bound, with one of etcdctl's exit codes {0,1,2,3,4,5,6,128}, without
// a JavaScript stack trace or internal error text, without an unhandled rejection; and an input
// that is rejected (non-zero exit) leaves the cluster's data as it was (same revision), except
// where etcdctl itself fails only after the request took effect (an output format the command
// cannot print; a deadline that expired while the write was on its way).
//
// The inputs come from a seeded PRNG. The seed is the same on every run (so a failure repeats),
// printed at the start and named in every failure message; ETCDCTL_TS_FUZZ_SEED=<n> chooses
// another (a CI job may pass a fresh one to explore), ETCDCTL_TS_FUZZ_INPUTS and
// ETCDCTL_TS_FUZZ_PROCESSES change the counts.
//
// Never run in process (they stream until a signal, or change the cluster's membership, auth state
// or local files): watch, lock, elect, lease keep-alive without --once, make-mirror, check
// perf/datascale, snapshot save/restore, defrag --data-dir, member add/remove/update/promote,
// move-leader, auth enable/disable. The streaming ones run as real processes, ended by a signal.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { startCli } from '../support/background.js';
import { runCli } from '../support/run.js';
import { describeArgv, runInProcess } from '../support/inproc.js';
import { FuzzGenerator, type CommandNode, type FuzzInput } from '../support/fuzz-gen.js';
import { etcdctlProgram } from '../../dist/commands/program.js';
import { parseCommandLine } from '../../dist/cli/parse.js';

const DEFAULT_SEED = 20261206;
const SEED = Number(process.env['ETCDCTL_TS_FUZZ_SEED'] ?? DEFAULT_SEED);
if (!Number.isSafeInteger(SEED)) throw new Error(`ETCDCTL_TS_FUZZ_SEED must be an integer, got ${process.env['ETCDCTL_TS_FUZZ_SEED']}`);
console.info(`fuzz: seed ${SEED} (ETCDCTL_TS_FUZZ_SEED=<n> for another)`);
const IN_PROCESS_INPUTS = Number(process.env['ETCDCTL_TS_FUZZ_INPUTS'] ?? 10_000);
const PROCESS_INPUTS = Number(process.env['ETCDCTL_TS_FUZZ_PROCESSES'] ?? 200);
/** Per-input bound for in-process runs (a healthy single member answers in milliseconds). */
const INPUT_TIMEOUT_MS = 15_000;
const ETCDCTL_EXIT_CODES = new Set([0, 1, 2, 3, 4, 5, 6, 128]);

const NEVER_IN_PROCESS = new Set([
  'watch',
  'lock',
  'elect',
  'make-mirror',
  'check perf',
  'check datascale',
  'snapshot save',
  'snapshot restore',
  'member add',
  'member remove',
  'member update',
  'member promote',
  'move-leader',
  'auth enable',
  'auth disable',
]);
const STREAMING = ['watch', 'lock', 'elect', 'lease keep-alive', 'make-mirror'];

let cluster: Cluster;
let endpoints: string;
let emptyDir: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'fuzz' });
  endpoints = cluster.endpoints.join(',');
  emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-fuzz-'));
  for (const [k, v] of [
    ['fz/a', '1'],
    ['fz/b', '2'],
    ['fz/dir/x', 'x'],
    ['k', 'value'],
  ]) {
    const r = await runInProcess([`--endpoints=${endpoints}`, 'put', k!, v!]);
    expect(r.code).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  agent.destroy();
  await cluster?.stop();
  if (emptyDir) fs.rmSync(emptyDir, { recursive: true, force: true });
});

/** The member's current revision, through etcd's JSON gateway (a serializable read of one key). */
function revision(): Promise<string> {
  const port = cluster.members[0]!.clientPort;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v3/kv/range', agent, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const rev = /"revision":"(\d+)"/.exec(body)?.[1];
        if (rev) resolve(rev);
        else reject(new Error(`no revision in ${body}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error('revision query timed out')));
    req.on('error', reject);
    req.end(JSON.stringify({ key: 'AA==', serializable: true }));
  });
}

type Plan = { run: true; input: FuzzInput; command: string } | { run: false; command: string };

/**
 * Decides, with the CLI's own parser, what an input would run: commands that must not run in
 * process are left out, and an input whose --endpoints flag was swallowed as another flag's value
 * gets the flag in front, so nothing ever talks to anything but the test cluster.
 */
function plan(input: FuzzInput, inProcess: boolean): Plan {
  if (input.argv[0] === '__complete') return { run: true, input, command: '__complete' };
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(etcdctlProgram(), input.argv);
  } catch {
    return { run: true, input, command: '(parse error)' };
  }
  const command = parsed.command.pathFromRoot().join(' ');
  if (parsed.wantsHelp) return { run: true, input, command: `${command} --help` };
  const flag = (name: string) => parsed.flags.get(name);
  if (flag('discovery-srv')?.changed || flag('insecure-transport')?.value === false) return { run: false, command };
  if (flag('data-dir')?.changed || flag('output')?.changed) return { run: false, command };
  if (inProcess && (NEVER_IN_PROCESS.has(command) || (command === 'lease keep-alive' && flag('once')?.value !== true))) return { run: false, command };
  if (!inProcess && ['check perf', 'check datascale', 'snapshot save', 'snapshot restore', 'member add', 'member remove', 'member update', 'member promote', 'move-leader', 'auth enable', 'auth disable'].includes(command)) {
    return { run: false, command };
  }
  const ep = flag('endpoints');
  if (!ep?.changed && input.env['ETCDCTL_ENDPOINTS'] === undefined) {
    return { run: true, input: { ...input, argv: [`--endpoints=${endpoints}`, ...input.argv] }, command };
  }
  if (ep?.changed && (ep.value as string[]).join(',') !== endpoints) return { run: false, command };
  return { run: true, input, command };
}

const STACK_FRAME = /^\s+at (?:async )?(?:\S+ \()?(?:file:|node:|\/)[^\n]*:\d+:\d+\)?$/m;
const INTERNAL_ERROR =
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError|AggregateError)\b|Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid (?:string|array) length|\bERR_[A-Z_]{3,}\b|\[object \w+\]|\bundefined\b|node:internal|Unhandled/;

/** Why an input's outcome is wrong (empty when it is fine). */
function problemsOf(input: FuzzInput, code: number | null, stdout: Buffer, stderr: Buffer): string[] {
  const problems: string[] = [];
  if (code === null || !ETCDCTL_EXIT_CODES.has(code)) problems.push(`exit code ${code} is not one of etcdctl's`);
  const out = stdout.toString('latin1');
  const err = stderr.toString('utf8');
  if (STACK_FRAME.test(out) || STACK_FRAME.test(err)) problems.push('a stack trace');
  // Messages quote the input: only text the input did not contain counts.
  const given = `${input.argv.join(' ')} ${input.stdin.toString('utf8')} ${Object.values(input.env).join(' ')}`;
  const internal = INTERNAL_ERROR.exec(err);
  if (internal && !given.includes(internal[0])) problems.push(`internal error text ${JSON.stringify(internal[0])}`);
  return problems;
}

/** A failure of etcdctl's that comes after the request took effect, or that may have raced it. */
function failsAfterApplying(stderr: string): boolean {
  // load says what it wrote before a txn the server refused (a value past --max-request-bytes).
  return /not supported as output format|context deadline exceeded|load stopped: .* written in \d+ txn/.test(stderr);
}

function report(seed: number, index: number, input: FuzzInput, what: string[], stdout: Buffer, stderr: Buffer): string {
  const env = Object.keys(input.env).length > 0 ? ` env=${JSON.stringify(input.env)}` : '';
  const cut = (b: Buffer) => JSON.stringify(b.toString('utf8').slice(0, 1500));
  return `seed ${seed}, input #${index} (${input.shape}): ${what.join('; ')}\n  argv ${describeArgv(input.argv, input.stdin)}${env}\n  stdout ${cut(stdout)}\n  stderr ${cut(stderr)}`;
}

describe('fuzzed command lines and txn input', () => {
  it(`${IN_PROCESS_INPUTS} inputs in process (seed ${SEED}): bounded, etcdctl's exit codes, no crash, rejected input changes nothing`, async () => {
    const gen = new FuzzGenerator(SEED, etcdctlProgram() as unknown as CommandNode, { endpoints, maxArgBytes: 2_300_000, maxStdinBytes: 2_300_000 });
    const unhandled: string[] = [];
    let current = '';
    const onUnhandled = (reason: unknown) => unhandled.push(`${current}: ${reason instanceof Error ? reason.stack : String(reason)}`);
    process.on('unhandledRejection', onUnhandled);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    const commands = new Map<string, number>();
    let skipped = 0;
    let rejectedWithChange = 0;
    try {
      let rev = await revision();
      for (let index = 0; index < IN_PROCESS_INPUTS && failures.length < 10; ) {
        const p = plan(gen.next(), true);
        if (!p.run) {
          skipped++;
          if (skipped > IN_PROCESS_INPUTS * 5) throw new Error(`seed ${SEED}: the generator keeps producing inputs that cannot run in process`);
          continue;
        }
        const { input } = p;
        current = `seed ${SEED}, input #${index}: ${describeArgv(input.argv, input.stdin)}`;
        const r = await runInProcess(input.argv, { stdin: input.stdin, env: input.env, timeoutMs: INPUT_TIMEOUT_MS });
        if (r.hung) {
          failures.push(report(SEED, index, input, [`still running after ${INPUT_TIMEOUT_MS} ms`], r.stdout, r.stderr));
          break; // it is still running in this process: stop here
        }
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        commands.set(p.command, (commands.get(p.command) ?? 0) + 1);
        const problems = problemsOf(input, r.code, r.stdout, r.stderr);
        const after = await revision();
        if (r.code !== 0 && after !== rev) {
          if (failsAfterApplying(r.stderr.toString())) rejectedWithChange++;
          else problems.push(`rejected (exit ${r.code}) but the revision moved from ${rev} to ${after}`);
        }
        rev = after;
        if (problems.length > 0) failures.push(report(SEED, index, input, problems, r.stdout, r.stderr));
        index++;
      }
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    const stats = `codes ${JSON.stringify(Object.fromEntries(codes))}, ${skipped} skipped, ${rejectedWithChange} failed after applying`;
    expect(failures, stats).toEqual([]);
    expect(unhandled, `seed ${SEED}: unhandled rejections`).toEqual([]);
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(IN_PROCESS_INPUTS);
    // The inputs reached every stage: parse errors, bad arguments, server errors and successes.
    for (const code of [0, 1, 128]) expect(codes.get(code) ?? 0, `${stats}: exit ${code}`).toBeGreaterThan(0);
    expect(commands.size, 'distinct commands run').toBeGreaterThan(30);
  }, 600_000);

  it(`${PROCESS_INPUTS} inputs as real processes (seed ${SEED + 1}): bounded, etcdctl's exit codes, no crash`, async () => {
    // Words as a process gets them: at most 128 KiB each, no NUL.
    const gen = new FuzzGenerator(SEED + 1, etcdctlProgram() as unknown as CommandNode, { endpoints, maxArgBytes: 100_000, maxStdinBytes: 2_300_000 });
    const inputs: FuzzInput[] = [];
    while (inputs.length < PROCESS_INPUTS) {
      const p = plan(gen.next(), true);
      if (p.run) inputs.push({ ...p.input, argv: p.input.argv.map((w) => w.replace(/\0/g, '')) });
    }
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < inputs.length && failures.length < 10; i = next++) {
        const input = inputs[i]!;
        // An empty PATH: whatever a fuzzed command line might try to execute does not exist.
        const r = await runCli('ours', input.argv, { stdin: input.stdin, env: { ...input.env, PATH: emptyDir }, timeoutMs: 30_000 }).catch((e: Error) => e);
        if (r instanceof Error) {
          failures.push(`seed ${SEED + 1}, process #${i}: ${r.message.slice(0, 2000)}`);
          continue;
        }
        const problems = problemsOf(input, r.code, r.stdout, r.stderr);
        if (problems.length > 0) failures.push(report(SEED + 1, i, input, problems, r.stdout, r.stderr));
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
  }, 300_000);

  it(`bytes no argv of Node's can carry (invalid UTF-8 words through sh) (seed ${SEED + 2})`, async () => {
    const gen = new FuzzGenerator(SEED + 2, etcdctlProgram() as unknown as CommandNode, { endpoints, maxArgBytes: 10_000, maxStdinBytes: 10_000 });
    const failures: string[] = [];
    for (let i = 0; i < 20; i++) {
      const input = gen.next(gen.command(gen.rng.pick(['get', 'put', 'del', 'lease grant', 'user get', 'role get', 'compaction'])));
      // Replace one word (after the command words) by raw bytes, some of them invalid UTF-8.
      const words = input.argv.map((w) => Buffer.from(w.replace(/\0/g, '')));
      const at = Math.min(words.length, 1 + gen.rng.int(words.length));
      const raw = Buffer.concat([Buffer.from('fz/'), gen.rng.bytes(1 + gen.rng.int(12)).map((b) => (b === 0 ? 0xff : b))]);
      words.splice(at, 0, raw);
      // Words given as bytes reach the child through /bin/sh (test/support/byte-argv.ts).
      const r = await runCli('ours', words, { stdin: input.stdin, env: { ...input.env, PATH: emptyDir }, timeoutMs: 30_000 });
      const problems = problemsOf(input, r.code, r.stdout, r.stderr);
      if (problems.length > 0) failures.push(report(SEED + 2, i, { ...input, argv: words.map((w) => w.toString('latin1')) }, problems, r.stdout, r.stderr));
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it(`streaming commands with fuzzed flags end on a signal (seed ${SEED + 3})`, async () => {
    const gen = new FuzzGenerator(SEED + 3, etcdctlProgram() as unknown as CommandNode, { endpoints, maxArgBytes: 10_000, maxStdinBytes: 10_000 });
    const inputs: { input: FuzzInput; command: string }[] = [];
    for (let i = 0; inputs.length < 20 && i < 200; i++) {
      const p = plan(gen.next(gen.command(STREAMING[i % STREAMING.length]!)), false);
      if (!p.run) continue;
      let input = p.input;
      // make-mirror's destination is always a closed port: never the test cluster itself.
      if (p.command === 'make-mirror') input = { ...input, argv: [...input.argv.filter((w) => w.startsWith('-') || w === 'make-mirror'), '127.0.0.1:9'] };
      inputs.push({ input: { ...input, argv: input.argv.map((w) => w.replace(/\0/g, '')) }, command: p.command });
    }
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < inputs.length; i = next++) {
        const { input } = inputs[i]!;
        const signal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
        const child = startCli('ours', input.argv, { env: { ...input.env, PATH: emptyDir }, lifetimeMs: 30_000 });
        // A fixed wait on purpose: the signal may land at any stage (even before the handlers are
        // installed); whatever it finds, the command must end cleanly.
        await new Promise((r) => setTimeout(r, 1000));
        const r = await child.stop(signal, 10_000).catch((e: Error) => e);
        if (r instanceof Error) {
          failures.push(`seed ${SEED + 3}, #${i} did not end on ${signal}: ${r.message.slice(0, 2000)}`);
          continue;
        }
        const problems = problemsOf(input, r.code ?? 0, r.stdout, r.stderr);
        if (r.code === null && r.signal !== signal) problems.push(`died of ${r.signal}`);
        if (problems.length > 0) failures.push(report(SEED + 3, i, input, problems, r.stdout, r.stderr));
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures).toEqual([]);
  }, 300_000);
});
