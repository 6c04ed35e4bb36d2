// parseCompare: one txn compare line, `<target>(<quoted key>) <op> <quoted value>`, with
// etcdctl's grammar and error texts. The key and value are scanned the way Go's
// fmt.Sscanf(rest, "%q) %s %q", …) scans them, because the "got …" part of etcdctl's error
// shows exactly how far that scan came.
import { parseGoInt64 } from '../flags/go-values.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { Compare } from '../generated/etcdserverpb/Compare.js';
import { goQuote, GoSyntaxError, goUnquoteDouble } from '../go/quote.js';
import { isScanSpace } from './gostring.js';

/** etcdserverpb.Compare.CompareTarget */
export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;
/** etcdserverpb.Compare.CompareResult */
export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;

/** A compare that holds while `key` was last modified at `modRevision` ("0": the key does not exist). */
export function modRevisionIs(key: Buffer, modRevision: string): Compare {
  return { key, target: CompareTarget.MOD as Compare['target'], result: CompareResult.EQUAL as Compare['result'], mod_revision: modRevision };
}

const RESULTS: Record<string, number> = { '=': CompareResult.EQUAL, '!=': CompareResult.NOT_EQUAL, '<': CompareResult.LESS, '>': CompareResult.GREATER };

const TARGETS: Record<string, number> = {
  ver: CompareTarget.VERSION,
  version: CompareTarget.VERSION,
  c: CompareTarget.CREATE,
  create: CompareTarget.CREATE,
  m: CompareTarget.MOD,
  mod: CompareTarget.MOD,
  val: CompareTarget.VALUE,
  value: CompareTarget.VALUE,
  lease: CompareTarget.LEASE,
};

/** Raised inside the scanner; the scan stops where it is (Go's scanError). */
class ScanStop extends Error {}

/** A rune reader over a string, with Go fmt's scanning primitives. */
class Scanner {
  private readonly runes: string[];
  private pos = 0;
  constructor(text: string) {
    this.runes = [...text];
  }
  private peek(): string | undefined {
    return this.runes[this.pos];
  }
  private read(): string | undefined {
    return this.runes[this.pos++];
  }
  private isSpace(r: string | undefined): boolean {
    return r !== undefined && isScanSpace(r.codePointAt(0)!);
  }
  skipSpace(): void {
    while (this.isSpace(this.peek())) this.pos++;
  }
  /** A literal character of the format. */
  literal(ch: string): void {
    const r = this.peek();
    if (r === undefined) throw new ScanStop('unexpected EOF');
    if (r !== ch) throw new ScanStop('input does not match format');
    this.pos++;
  }
  /** A lone space in the format: one or more spaces, or the end of input. */
  space(): void {
    const r = this.peek();
    if (r !== undefined && !this.isSpace(r)) throw new ScanStop('expected space in input to match format');
    this.skipSpace();
  }
  /** %s: the next run of non-space characters. */
  word(): string {
    this.skipSpace();
    if (this.peek() === undefined) throw new ScanStop('unexpected EOF');
    let out = '';
    while (this.peek() !== undefined && !this.isSpace(this.peek())) out += this.read();
    return out;
  }
  /** %q: a double-quoted (Go escapes) or back-quoted (raw) string. */
  quoted(): Buffer {
    this.skipSpace();
    const quote = this.read();
    if (quote === undefined) throw new ScanStop('unexpected EOF');
    if (quote === '`') {
      let raw = '';
      for (;;) {
        const r = this.read();
        if (r === undefined) throw new ScanStop('unexpected EOF');
        if (r === '`') return Buffer.from(raw, 'utf8');
        raw += r;
      }
    }
    if (quote !== '"') throw new ScanStop('expected quoted string');
    let literal = '"';
    for (;;) {
      const r = this.read();
      if (r === undefined) throw new ScanStop('unexpected EOF');
      literal += r;
      if (r === '\\') {
        const next = this.read();
        if (next === undefined) throw new ScanStop('unexpected EOF');
        literal += next;
      } else if (r === '"') break;
    }
    try {
      return goUnquoteDouble(literal);
    } catch (err) {
      if (err instanceof GoSyntaxError) throw new ScanStop(err.message);
      throw err;
    }
  }
}

interface Scanned {
  count: number;
  key: Buffer;
  op: string;
  value: Buffer;
}

/** fmt.Sscanf(text, "%q) %s %q", &key, &op, &value) */
function scanCompare(text: string): Scanned {
  const s = new Scanner(text);
  const out: Scanned = { count: 0, key: Buffer.alloc(0), op: '', value: Buffer.alloc(0) };
  try {
    out.key = s.quoted();
    out.count = 1;
    s.literal(')');
    s.space();
    out.op = s.word();
    out.count = 2;
    s.space();
    out.value = s.quoted();
    out.count = 3;
  } catch (err) {
    if (!(err instanceof ScanStop)) throw err;
  }
  return out;
}

/**
 * Parses one compare line into an etcdserverpb.Compare. Errors are etcdctl's (exit 3). Where
 * etcdctl panics (exit 2 with a Go stack trace) — an operator other than =, !=, <, >, and any
 * lease(...) compare — this throws a CtlError with exit 2 and a plain message instead.
 */
export function parseCompare(line: string): Compare {
  const paren = line.indexOf('(');
  if (paren === -1) throw new CtlError(ExitCode.InvalidInput, `malformed comparison: ${line}`);
  const target = line.slice(0, paren);
  const scanned = scanCompare(line.slice(paren + 1));
  if (scanned.count !== 3) {
    throw new CtlError(
      ExitCode.InvalidInput,
      `malformed comparison: ${line}; got ${target}(${goQuote(scanned.key)}) ${scanned.op} ${goQuote(scanned.value)}`,
    );
  }
  const targetCode = TARGETS[target];
  if (targetCode === undefined) throw new CtlError(ExitCode.InvalidInput, `malformed comparison: ${line} (unknown target ${target})`);

  let number: bigint | undefined;
  if (targetCode === CompareTarget.VERSION || targetCode === CompareTarget.CREATE || targetCode === CompareTarget.MOD) {
    try {
      number = parseGoInt64(scanned.value.toString('latin1'), 10);
    } catch {
      throw new CtlError(ExitCode.InvalidInput, `invalid txn compare request: ${line}`);
    }
  }
  const result = RESULTS[scanned.op];
  if (result === undefined) {
    throw new CtlError(
      ExitCode.BadConnection,
      `malformed comparison: ${line} (unknown operator ${JSON.stringify(scanned.op)}; use =, !=, < or >)`,
    );
  }
  const base = { result: result as Compare['result'], target: targetCode as Compare['target'], key: scanned.key };
  switch (targetCode) {
    case CompareTarget.VERSION:
      return { ...base, version: number!.toString() };
    case CompareTarget.CREATE:
      return { ...base, create_revision: number!.toString() };
    case CompareTarget.MOD:
      return { ...base, mod_revision: number!.toString() };
    case CompareTarget.VALUE:
      return { ...base, value: scanned.value };
    default:
      throw new CtlError(ExitCode.BadConnection, `unsupported comparison: ${line} (etcdctl cannot compare leases)`);
  }
}
