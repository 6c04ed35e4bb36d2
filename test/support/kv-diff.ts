// Extra differential helpers for the foundation commands (get/put/del/compaction/version):
// a closed loopback port, masks for kept zap lines, a check that runs after each side, and a
// comparison of -w protobuf output from mutating commands whose revisions legitimately differ.
import net, { type AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/client/proto.js';
import { expectSame, mask, runBoth, runBothWithReset, type Both, type ExpectSameOptions, type Mask } from './diff.js';
import type { Arg } from './byte-argv.js';
import { formatArgv, runCli, type CliResult, type RunOptions } from './run.js';

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The timestamp of a zap JSON line (`"ts":"2026-…Z"`): the wall clock, different on every run. */
export const maskZapTimestamp: Mask = mask('maskZapTimestamp', /"ts":"[^"]*"/g, '"ts":"<TS>"', ['stderr']);

/**
 * Go's zap adds a `"stacktrace"` field to fatal lines, naming Go source files and line numbers of
 * etcdctl's own build. etcdctl-ts writes the same line without it (README, intentional
 * differences): the field is dropped from both sides, the rest of the line is compared.
 */
export const dropZapStacktrace: Mask = mask('dropZapStacktrace', /,"stacktrace":"(?:[^"\\]|\\.)*"/g, '', ['stderr']);

/** The member that answered (3-member cluster: the balancer picks one). */
export const maskMemberId: Mask = {
  name: 'maskMemberId',
  rules: [
    { pattern: /"member_id":\d+/g, replacement: '"member_id":<MEMBER>' },
    { pattern: /"MemberID" : \d+/g, replacement: '"MemberID" : <MEMBER>' },
  ],
};

/**
 * Runs `args` on each side after `setup`, then `after` (e.g. the real etcdctl reading back what
 * the command stored); after's stdout, stderr and exit code are appended to the side's output so
 * the comparison covers the effect as well as the output.
 */
export async function runBothThen(
  args: Arg[],
  opts: RunOptions,
  setup: () => Promise<void>,
  after: () => Promise<CliResult>,
): Promise<Both> {
  const side = async (which: 'real' | 'ours'): Promise<CliResult> => {
    await setup();
    const r = await runCli(which, args, opts);
    const check = await after();
    const sep = Buffer.from(`\n--- after (exit ${check.code}) ---\n`);
    return {
      ...r,
      stdout: Buffer.concat([r.stdout, sep, check.stdout]),
      stderr: Buffer.concat([r.stderr, sep, check.stderr]),
    };
  };
  const real = await side('real');
  const ours = await side('ours');
  return { args, opts, real, ours };
}

const REVISION_KEYS = new Set(['revision', 'create_revision', 'mod_revision', 'compact_revision']);

function zeroRevisions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(zeroRevisions);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = REVISION_KEYS.has(k) ? '0' : zeroRevisions(v);
  return out;
}

/**
 * For `-w protobuf` of a mutating command run once per side: exit code and stderr must be
 * identical, and stdout must be the same message once revisions (which the other side's write
 * moved on) are zeroed. The real bytes must decode and re-encode to themselves, so the
 * comparison is still on wire bytes.
 */
export function expectSameProtobuf(both: Both, typeName: string, opts: ExpectSameOptions = {}): void {
  expectSame(both, { ...opts, masks: [...(opts.masks ?? []), mask('ignore stdout', /^[\s\S]*$/, '', ['stdout'])] });
  const normalised = (buf: Buffer) => encodeMessage(typeName, zeroRevisions(decodeMessage(typeName, buf)) as object);
  expect(encodeMessage(typeName, decodeMessage(typeName, both.real.stdout))).toEqual(both.real.stdout);
  expect(normalised(both.ours.stdout).toString('hex')).toBe(normalised(both.real.stdout).toString('hex'));
}

export { expectSame, runBoth, runBothWithReset };

/** Runs the real etcdctl against `ep` (a `--endpoints=…` flag). */
export function realCtl(ep: string, args: Arg[], opts: RunOptions = {}): Promise<CliResult> {
  return runCli('real', [ep, ...args], opts);
}

/** Like realCtl, but a failure is a broken test setup. */
export async function realCtlOk(ep: string, args: Arg[], opts: RunOptions = {}): Promise<CliResult> {
  const r = await realCtl(ep, args, opts);
  if (r.code !== 0) throw new Error(`setup failed: etcdctl ${formatArgv(args)}: ${r.stderr.toString()}`);
  return r;
}

/** Grants a lease with the real etcdctl and returns its id in hex. */
export async function grantLease(ep: string, ttl = 600): Promise<string> {
  const grant = await realCtlOk(ep, ['lease', 'grant', String(ttl)]);
  const id = /lease ([0-9a-f]{16}) granted/.exec(grant.stdout.toString())?.[1];
  if (id === undefined) throw new Error(`unexpected lease grant output: ${grant.stdout.toString()}`);
  return id;
}

/** Replaces `<NAME>` placeholders in case tables with values known only at run time. */
export function fillArgs(args: readonly string[], vars: Record<string, string>): string[] {
  return args.map((a) => a.replace(/<(\w+)>/g, (m, name: string) => vars[name] ?? m));
}
