// readTxn: the whole txn grammar over a source of lines. Three sections — compares, success
// requests, failure requests — each ended by a line that is blank once trimmed. Every line,
// the three terminators included, must end in a newline; running out of input first is
// etcdctl's `Error: EOF` (exit 3). Each line is parsed as soon as it is read, so the first bad
// line is the one reported, as in etcdctl.
import { CtlError, ExitCode } from '../common/errors.js';
import type { Compare } from '../generated/etcdserverpb/Compare.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import type { TxnRequest } from '../generated/etcdserverpb/TxnRequest.js';
import { parseCompare } from './compare.js';
import { goTrimSpace } from './gostring.js';
import { parseRequestLine, type OpHooks } from './ops.js';

export type Section = 'compares' | 'success' | 'failure';

/** etcdctl's `txn -i` prompts, one per section. */
export const SECTION_PROMPTS: Record<Section, string> = {
  compares: 'compares:',
  success: 'success requests (get, put, del):',
  failure: 'failure requests (get, put, del):',
};

export interface ReadHooks {
  /** Called before a section is read (etcdctl -i prints the prompt here). */
  beforeSection?(section: Section): void;
  /** Text etcdctl writes to stderr while reading: cobra usage on flag errors, the del range note. */
  stderr?(text: string): void;
}

/** What one non-blank line of a section parses to. */
export type ParsedLine = { kind: 'compare'; compare: Compare } | { kind: 'op'; op: RequestOp; warning?: string };

/**
 * Parses one trimmed, non-blank line of the given section (throws etcdctl's CtlError). The
 * terminal prompt validates lines with this same function.
 */
export function parseSectionLine(section: Section, line: string, hooks: OpHooks = {}): ParsedLine {
  if (section === 'compares') return { kind: 'compare', compare: parseCompare(line) };
  const parsed = parseRequestLine(line, hooks);
  return parsed.warning !== undefined ? { kind: 'op', op: parsed.op, warning: parsed.warning } : { kind: 'op', op: parsed.op };
}

const eof = () => new CtlError(ExitCode.InvalidInput, 'EOF');

/**
 * Reads a transaction. `lines` yields input lines with their trailing "\n" (a last line
 * without one counts as end of input, as Go's ReadString reports it).
 */
export async function readTxn(lines: AsyncIterable<string>, hooks: ReadHooks = {}): Promise<TxnRequest> {
  const it = lines[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const next = await it.next();
    if (next.done || !next.value.endsWith('\n')) throw eof();
    return goTrimSpace(next.value);
  };

  const readSection = async (section: Section): Promise<ParsedLine[]> => {
    hooks.beforeSection?.(section);
    const out: ParsedLine[] = [];
    for (;;) {
      const line = await nextLine();
      if (line === '') return out;
      const parsed = parseSectionLine(section, line, hooks.stderr ? { usage: hooks.stderr } : {});
      if (parsed.kind === 'op' && parsed.warning !== undefined) hooks.stderr?.(parsed.warning);
      out.push(parsed);
    }
  };

  const compares = await readSection('compares');
  const success = await readSection('success');
  const failure = await readSection('failure');
  const ops = (parsed: ParsedLine[]) => parsed.flatMap((p) => (p.kind === 'op' ? [p.op] : []));
  return {
    compare: compares.flatMap((p) => (p.kind === 'compare' ? [p.compare] : [])),
    success: ops(success),
    failure: ops(failure),
  };
}

/** Splits text into lines that keep their newlines: a source for readTxn. */
export async function* linesOf(text: string): AsyncGenerator<string> {
  let rest = text;
  for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n')) {
    yield rest.slice(0, nl + 1);
    rest = rest.slice(nl + 1);
  }
  if (rest !== '') yield rest;
}
