// Differential harness: run the real etcdctl 3.5.16 and our CLI with the same arguments against the
// same cluster, then require byte-identical stdout, stderr and exit status.
//
//   const both = await runBoth([cluster.endpointsFlag, 'get', 'foo']);
//   expectSame(both);                                   // stdout, stderr, exit code
//   expectSame(both, { masks: [maskLeaseIds] });        // after masking nondeterministic data
//
// Masks rewrite both sides before comparing. Use them only for data that truly differs between two
// runs (lease ids, timings, revisions after a mutation, hashes) — never to paper over a real
// difference. maskZapLogLines is always applied (see below) unless keepZapLogLines is set.
//
// A mask sees each stream as text: UTF-8 when the bytes are valid UTF-8, otherwise latin1 (one char
// per byte, so \xNN in a pattern matches byte NN). Replacements should be ASCII.
import { AssertionError } from 'node:assert';
import { isUtf8 } from 'node:buffer';
import type { Arg } from './byte-argv.js';
import { formatArgv, runCli, type CliResult, type RunOptions } from './run.js';

export type Stream = 'stdout' | 'stderr';

export interface MaskRule {
  pattern: RegExp;
  replacement: string | ((match: string, ...rest: any[]) => string);
}

export interface Mask {
  name: string;
  rules: MaskRule[];
  /** Streams the mask applies to (default both). */
  streams?: Stream[];
}

export interface Both {
  args: Arg[];
  opts: RunOptions;
  real: CliResult;
  ours: CliResult;
}

export interface ExpectSameOptions {
  masks?: Mask[];
  /** Compare stdout and the exit status only; ignore stderr. */
  stdoutOnly?: boolean;
  /** Do not drop zap JSON log lines from stderr (default: they are dropped from both sides). */
  keepZapLogLines?: boolean;
}

/** Builds a mask from one pattern (made global if it is not). */
export function mask(
  name: string,
  pattern: RegExp,
  replacement: MaskRule['replacement'],
  streams?: Stream[],
): Mask {
  return { name, rules: [{ pattern, replacement }], ...(streams ? { streams } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Ready-made masks.

/**
 * etcdctl's client library logs every failed RPC attempt as a zap JSON line on stderr
 * (`{"level":"warn",…,"msg":"retrying of unary invoker failed",…}`), timestamped. Our tool does not
 * print them, so they are removed from both sides. Applied by default.
 */
export const maskZapLogLines: Mask = {
  name: 'maskZapLogLines',
  streams: ['stderr'],
  rules: [{ pattern: /^\{"level":[^\n]*(?:\n|$)/gm, replacement: '' }],
};

/**
 * Lease ids: `lease 694d7c4c4c6e1b04 granted…`/`revoked`/`keepalived`/`already expired`, the lines of
 * `lease list`, json `"ID":N` and `"lease":N`, fields `"ID" : N`, `"Lease" : N`, `"PrevLease" : N`.
 * Note that json `"ID"` also matches member ids in `member list -w json`: use it in lease tests.
 */
export const maskLeaseIds: Mask = {
  name: 'maskLeaseIds',
  rules: [
    { pattern: /\blease [0-9a-f]{16}\b/g, replacement: 'lease <LEASE>' },
    { pattern: /^[0-9a-f]{16}$/gm, replacement: '<LEASE>' },
    { pattern: /"(ID|lease)":\d+/g, replacement: '"$1":<LEASE>' },
    { pattern: /"(ID|Lease|PrevLease)" : \d+/g, replacement: '"$1" : <LEASE>' },
  ],
};

// A Go time.Duration as printed by String(): 0s, 850ns, 850.2µs, 1.32702ms, 5.01s, 1m0.5s, 2h0m0s.
// "Âµ" is U+00B5 seen through latin1 (non-UTF-8 streams).
const DUR = String.raw`(?:\d+h)?(?:\d+m)?\d+(?:\.\d+)?(?:ns|µs|Âµs|us|ms|s)`;

/**
 * Durations: `took = 1.234ms` (endpoint health), json `"took":"…"`, fields `"Took" : …`, and table
 * cells holding only a duration. Table column widths depend on the duration's length: combine with
 * maskTableLayout for `-w table`.
 */
export const maskTimings: Mask = {
  name: 'maskTimings',
  rules: [
    { pattern: new RegExp(`took = ${DUR}`, 'g'), replacement: 'took = <DURATION>' },
    { pattern: new RegExp(`"took":"${DUR}"`, 'g'), replacement: '"took":"<DURATION>"' },
    { pattern: new RegExp(`"Took" : ${DUR}`, 'g'), replacement: '"Took" : <DURATION>' },
    { pattern: new RegExp(`(\\| +)${DUR}( \\|)`, 'g'), replacement: '$1<DURATION>$2' },
  ],
};

/**
 * Hashes: `endpoint hashkv` (simple `ep, N`, json `"hash":N`, fields `"Hash" : N`, table cell) and
 * `snapshot status` (simple leading `%x`, json `"hash":N`). For tables combine with maskTableLayout.
 */
export const maskHashes: Mask = {
  name: 'maskHashes',
  rules: [
    { pattern: /"(hash|hash_revision)":\d+/g, replacement: '"$1":<HASH>' },
    { pattern: /"(Hash|HashRevision)" : \d+/g, replacement: '"$1" : <HASH>' },
    { pattern: /^([^\s,]+:\d+), \d+$/gm, replacement: '$1, <HASH>' },
    { pattern: /^(\| [^|\n]+:\d+ \| +)\d+( \|)$/gm, replacement: '$1<HASH>$2' },
    { pattern: /^[0-9a-f]+(?=, \d+, \d+, )/gm, replacement: '<HASH>' },
  ],
};

/**
 * Revisions in json and fields output (header revision, create/mod/compact revisions, Prev*).
 * Only for tests where each tool's run mutates the cluster, so revisions legitimately differ.
 */
export const maskRevisions: Mask = {
  name: 'maskRevisions',
  rules: [
    { pattern: /"(revision|mod_revision|create_revision|compact_revision)":\d+/g, replacement: '"$1":<REV>' },
    {
      pattern: /"((?:Prev)?(?:Revision|ModRevision|CreateRevision)|CompactRevision)" : \d+/g,
      replacement: '"$1" : <REV>',
    },
  ],
};

/**
 * Lossy: normalises ASCII tables (borders `+---+` → `+-+`, cell padding → one space) so cells whose
 * content was masked do not make column widths differ. Alignment is then no longer compared.
 */
export const maskTableLayout: Mask = {
  name: 'maskTableLayout',
  rules: [
    { pattern: /^\+[-+]+\+$/gm, replacement: (m: string) => m.replace(/-+/g, '-') },
    { pattern: /^\|.*\|$/gm, replacement: (m: string) => m.replace(/ +\|/g, ' |').replace(/\| +/g, '| ') },
  ],
};

// ---------------------------------------------------------------------------------------------

/** Applies the masks meant for `stream`, in order. */
export function applyMasks(buf: Buffer, masks: readonly Mask[], stream: Stream): Buffer {
  const relevant = masks.filter((m) => m.streams === undefined || m.streams.includes(stream));
  if (relevant.length === 0) return buf;
  const encoding: BufferEncoding = isUtf8(buf) ? 'utf8' : 'latin1';
  let text = buf.toString(encoding);
  for (const m of relevant) {
    for (const rule of m.rules) {
      const re = rule.pattern.global ? rule.pattern : new RegExp(rule.pattern.source, rule.pattern.flags + 'g');
      re.lastIndex = 0;
      text = text.replace(re, rule.replacement as (match: string, ...rest: any[]) => string);
    }
  }
  return Buffer.from(text, encoding);
}

/** Runs the real etcdctl, then ours, with the same args and options. */
export async function runBoth(args: Arg[], opts: RunOptions = {}): Promise<Both> {
  const real = await runCli('real', args, opts);
  const ours = await runCli('ours', args, opts);
  return { args, opts, real, ours };
}

/**
 * Like runBoth, but awaits `setup` before each side, so a state-changing command (del, put, lease
 * revoke…) finds the same state both times.
 */
export async function runBothWithReset(
  args: Arg[],
  opts: RunOptions,
  setup: () => Promise<void>,
): Promise<Both> {
  await setup();
  const real = await runCli('real', args, opts);
  await setup();
  const ours = await runCli('ours', args, opts);
  return { args, opts, real, ours };
}

/** Throws an AssertionError with a readable report unless both sides match (after masks). */
export function expectSame(both: Both, opts: ExpectSameOptions = {}): void {
  const report = differenceReport(both, opts);
  if (report !== null) throw new AssertionError({ message: report });
}

/** The mismatch report expectSame would throw, or null when both sides match. */
export function differenceReport(both: Both, opts: ExpectSameOptions = {}): string | null {
  const masks = [...(opts.keepZapLogLines ? [] : [maskZapLogLines]), ...(opts.masks ?? [])];
  const streams: Stream[] = opts.stdoutOnly ? ['stdout'] : ['stdout', 'stderr'];
  const masked = {
    real: { stdout: applyMasks(both.real.stdout, masks, 'stdout'), stderr: applyMasks(both.real.stderr, masks, 'stderr') },
    ours: { stdout: applyMasks(both.ours.stdout, masks, 'stdout'), stderr: applyMasks(both.ours.stderr, masks, 'stderr') },
  };
  const differing = streams.filter((s) => !masked.real[s].equals(masked.ours[s]));
  const exitReal = exitText(both.real);
  const exitOurs = exitText(both.ours);
  const exitDiffers = exitReal !== exitOurs;
  if (differing.length === 0 && !exitDiffers) return null;

  const lines: string[] = [];
  lines.push(`etcdctl-ts differs from the real etcdctl 3.5 (${[...differing, ...(exitDiffers ? ['exit status'] : [])].join(', ')})`);
  lines.push(`command: etcdctl ${formatArgv(both.args)}`);
  if (both.opts.stdin !== undefined) lines.push(`stdin:   ${quote(Buffer.from(both.opts.stdin), 300)}`);
  const envKeys = Object.keys(both.opts.env ?? {});
  if (envKeys.length > 0) lines.push(`env:     ${envKeys.map((k) => `${k}=${both.opts.env?.[k] ?? '(unset)'}`).join(' ')}`);
  lines.push(`exit:    real ${exitReal}, ours ${exitOurs}${exitDiffers ? '   <-- differs' : ''}`);
  for (const s of ['stdout', 'stderr'] as const) {
    const state = !streams.includes(s) ? 'not compared' : differing.includes(s) ? 'DIFFERS' : 'same';
    lines.push(`${s}:  ${state} (real ${masked.real[s].length} bytes, ours ${masked.ours[s].length} bytes)`);
  }
  lines.push(`masks:   ${masks.map((m) => m.name).join(', ') || '(none)'}`);
  lines.push('legend:  - real, + ours; \\t tab, \\r CR, \\xNN other non-printable bytes; ⟨no EOL⟩ = last line has no final newline');
  lines.push('');

  const first = differing[0];
  if (first !== undefined) {
    lines.push(...describeDiff(masked.real[first], masked.ours[first], first));
  } else {
    // Only the exit status differs: show stderr of both sides as context.
    for (const side of ['real', 'ours'] as const) {
      lines.push(`${side} stderr:`);
      const body = renderLines(splitLines(masked[side].stderr));
      lines.push(...(body.length > 0 ? body.slice(0, 20).map((l) => `    ${l}`) : ['    (empty)']));
    }
  }
  return lines.join('\n');
}

function exitText(r: CliResult): string {
  return r.signal !== null ? `signal ${r.signal}` : `code ${r.code}`;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

interface Line {
  /** Raw bytes of the line without its '\n'. */
  bytes: Buffer;
  /** False only for a last line with no '\n' after it. */
  newline: boolean;
}

function splitLines(buf: Buffer): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      out.push({ bytes: buf.subarray(start, i), newline: true });
      start = i + 1;
    }
  }
  if (start < buf.length) out.push({ bytes: buf.subarray(start), newline: false });
  return out;
}

function sameLine(a: Line, b: Line): boolean {
  return a.newline === b.newline && a.bytes.equals(b.bytes);
}

/** Escapes non-printables; keeps printable UTF-8 as is. */
export function escapeBytes(bytes: Buffer): string {
  const text = isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  let out = '';
  if (text !== undefined) {
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if ((cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || cp === 0xfffd)
        out += `\\u{${cp.toString(16)}}`;
      else out += ch;
    }
    return out;
  }
  for (const b of bytes) {
    if (b === 0x09) out += '\\t';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function quote(buf: Buffer, max: number): string {
  const s = escapeBytes(buf).replace(/\n/g, '\\n');
  return s.length > max ? `"${s.slice(0, max)}"… (${buf.length} bytes)` : `"${s}"`;
}

function renderLine(l: Line): string {
  return escapeBytes(l.bytes) + (l.newline ? '' : '⟨no EOL⟩');
}

function renderLines(lines: Line[]): string[] {
  return lines.map(renderLine);
}

const CONTEXT = 3;
const MAX_HUNK_LINES = 40;

function describeDiff(real: Buffer, ours: Buffer, stream: Stream): string[] {
  const out: string[] = [];
  // First differing byte, with its line and column in the real output.
  let off = 0;
  const n = Math.min(real.length, ours.length);
  while (off < n && real[off] === ours[off]) off++;
  let line = 1;
  let col = 1;
  for (let i = 0; i < off; i++) {
    if (real[i] === 0x0a) {
      line++;
      col = 1;
    } else col++;
  }
  const byteAt = (b: Buffer): string => {
    const v = b[off];
    return v === undefined ? 'end of output' : `0x${v.toString(16).padStart(2, '0')} ${quote(Buffer.from([v]), 10)}`;
  };
  out.push(`first difference in ${stream} at byte ${off} (line ${line}, column ${col}): real has ${byteAt(real)}, ours has ${byteAt(ours)}`);

  const a = splitLines(real);
  const b = splitLines(ours);
  let pre = 0;
  while (pre < a.length && pre < b.length && sameLine(a[pre] as Line, b[pre] as Line)) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    sameLine(a[a.length - 1 - suf] as Line, b[b.length - 1 - suf] as Line)
  )
    suf++;

  out.push(`--- real ${stream} (${a.length} lines, ${real.length} bytes)`);
  out.push(`+++ ours ${stream} (${b.length} lines, ${ours.length} bytes)`);
  const width = String(Math.max(a.length, b.length)).length;
  const num = (i: number): string => String(i + 1).padStart(width);
  const ctxStart = Math.max(0, pre - CONTEXT);
  if (ctxStart > 0) out.push(`  ${' '.repeat(width)} | … ${ctxStart} equal line(s)`);
  for (let i = ctxStart; i < pre; i++) out.push(`  ${num(i)} |${renderLine(a[i] as Line)}`);
  const emit = (sign: string, src: Line[], from: number, to: number): void => {
    const shown = Math.min(to - from, MAX_HUNK_LINES);
    for (let i = from; i < from + shown; i++) out.push(`${sign} ${num(i)} |${renderLine(src[i] as Line)}`);
    if (to - from > shown) out.push(`${sign} ${' '.repeat(width)} | … ${to - from - shown} more line(s)`);
  };
  emit('-', a, pre, a.length - suf);
  emit('+', b, pre, b.length - suf);
  const ctxEnd = Math.min(a.length, a.length - suf + CONTEXT);
  for (let i = a.length - suf; i < ctxEnd; i++) out.push(`  ${num(i)} |${renderLine(a[i] as Line)}`);
  if (ctxEnd < a.length) out.push(`  ${' '.repeat(width)} | … ${a.length - ctxEnd} equal line(s)`);
  return out;
}
