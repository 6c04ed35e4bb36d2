// `txn -i` on a terminal: a guided prompt. Each compare and request is checked as it is typed
// (with the same parser that reads piped input) and a bad line is explained and kept for fixing;
// an empty line ends a section. Before committing, the transaction is shown as it will be sent
// and must be confirmed. The accepted lines then go through readTxn, so what is sent is exactly
// what the same text would give on a pipe.
import { hasRangeEnd, isNul } from '../kv/key-range.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { Compare } from '../generated/etcdserverpb/Compare.js';
import type { RequestOp } from '../generated/etcdserverpb/RequestOp.js';
import type { TxnRequest } from '../generated/etcdserverpb/TxnRequest.js';
import { hex16Zero } from '../go/encode.js';
import { CompareResult, CompareTarget } from './compare.js';
import { goTrimSpace } from './gostring.js';
import { linesOf, parseSectionLine, readTxn, type Section } from './read.js';
import { goQuote } from '../go/quote.js';

export interface TerminalContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const SECTIONS: { section: Section; title: string; item: string }[] = [
  { section: 'compares', title: 'Compares (all must hold for the success requests to run)', item: 'compare' },
  { section: 'success', title: 'Success requests (get, put, del)', item: 'success request' },
  { section: 'failure', title: 'Failure requests (get, put, del)', item: 'failure request' },
];

const COMPARE_HINT =
  'a compare reads <target>("<key>") <op> "<value>": target ver, create, mod or value; op =, !=, < or >; e.g. mod("k") > "0"';
const REQUEST_HINT = 'a request is a put, get or del line with their flags, e.g. put k v --prev-kv, get k --prefix, del k';

/** Why a line is rejected, in one or two plain sentences. */
export function explainLine(section: Section, line: string): string | undefined {
  let reason: string | undefined;
  try {
    parseSectionLine(section, line, { reason: (r) => (reason = r) });
    return undefined;
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    const detail = reason ? ` (${reason})` : '';
    const message = err.message === 'invalid syntax' ? 'invalid syntax in a double-quoted string (bad escape)' : err.message;
    return `${message}${detail} — ${section === 'compares' ? COMPARE_HINT : REQUEST_HINT}`;
  }
}

const TARGET_NAMES: Record<number, string> = {
  [CompareTarget.VERSION]: 'version',
  [CompareTarget.CREATE]: 'create',
  [CompareTarget.MOD]: 'mod',
  [CompareTarget.VALUE]: 'value',
  [CompareTarget.LEASE]: 'lease',
};
const RESULT_SIGNS: Record<number, string> = {
  [CompareResult.EQUAL]: '=',
  [CompareResult.NOT_EQUAL]: '!=',
  [CompareResult.LESS]: '<',
  [CompareResult.GREATER]: '>',
};

const bytes = (b: Buffer | Uint8Array | string | undefined) => goQuote(b === undefined ? '' : typeof b === 'string' ? b : Buffer.from(b));
const isNulBytes = (b: Buffer | Uint8Array | string | undefined) => typeof b !== 'string' && isNul(b);

function describeCompare(c: Compare): string {
  const value =
    c.target === CompareTarget.VALUE ? bytes(c.value) : String(c.version ?? c.create_revision ?? c.mod_revision ?? c.lease ?? '0');
  return `${TARGET_NAMES[c.target as number] ?? 'target'}(${bytes(c.key)}) ${RESULT_SIGNS[c.result as number] ?? '?'} ${value}`;
}

function describeRange(key: Buffer | Uint8Array | string | undefined, end: Buffer | Uint8Array | string | undefined): string {
  if (isNulBytes(key) && isNulBytes(end)) return 'all keys';
  if (isNulBytes(end)) return `keys from ${bytes(key)} on`;
  if (hasRangeEnd(end)) return `keys in [${bytes(key)}, ${bytes(end)})`;
  return `key ${bytes(key)}`;
}

function describeOp(op: RequestOp): string {
  if (op.request_put) {
    const p = op.request_put;
    const extras = [
      p.lease !== undefined && String(p.lease) !== '0' ? `lease ${hex16Zero(String(p.lease))}` : '',
      p.prev_kv ? 'return previous value' : '',
      p.ignore_lease ? 'keep current lease' : '',
    ].filter(Boolean);
    const what = p.ignore_value ? `put key ${bytes(p.key)} keeping its current value` : `put key ${bytes(p.key)} = ${bytes(p.value)}`;
    return extras.length ? `${what} (${extras.join(', ')})` : what;
  }
  if (op.request_range) {
    const r = op.request_range;
    const extras = [
      String(r.limit ?? '0') !== '0' ? `limit ${r.limit}` : '',
      String(r.revision ?? '0') !== '0' ? `at revision ${r.revision}` : '',
      r.keys_only ? 'keys only' : '',
      r.count_only ? 'count only' : '',
      r.serializable ? 'serializable' : '',
    ].filter(Boolean);
    const what = `get ${describeRange(r.key, r.range_end)}`;
    return extras.length ? `${what} (${extras.join(', ')})` : what;
  }
  if (op.request_delete_range) {
    const d = op.request_delete_range;
    return `delete ${describeRange(d.key, d.range_end)}${d.prev_kv ? ' (return deleted values)' : ''}`;
  }
  return 'unknown request';
}

/** The transaction as it will be sent, for the confirmation step. */
export function describeTxn(req: TxnRequest): string {
  const list = (items: string[]) => (items.length ? items.map((i) => `    ${i}\n`).join('') : '    (none)\n');
  return (
    'Transaction to commit:\n' +
    '  if all of these hold:\n' +
    list((req.compare ?? []).map(describeCompare)) +
    '  then:\n' +
    list((req.success ?? []).map(describeOp)) +
    '  else:\n' +
    list((req.failure ?? []).map(describeOp))
  );
}

function cancelled(err: unknown): never {
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError')) {
    throw new CtlError(ExitCode.Error, 'txn cancelled, nothing was committed');
  }
  throw err;
}

/**
 * Asks for the three sections on the terminal, then shows the transaction and asks for
 * confirmation. Returns the request to commit; declining or Ctrl-C ends with an error and
 * commits nothing.
 */
export async function promptTxn(
  stdout: (text: string) => void,
  stderr: (text: string) => void,
  context: TerminalContext = {},
): Promise<TxnRequest> {
  // Loaded only here: the prompt library installs signal handlers while it runs.
  const { input, confirm } = await import('@inquirer/prompts');
  // Our own lines go through the injected stream; the prompts are the library's (on the terminal).
  const out = { write: stdout };
  out.write('Enter the transaction line by line; an empty line ends each section.\n');
  const accepted: string[] = [];
  try {
    for (const { section, title, item } of SECTIONS) {
      out.write(`\n${title}:\n`);
      for (let n = 1; ; n++) {
        const answer = await input(
          {
            message: `${item} ${n}`,
            validate: (value) => {
              const line = goTrimSpace(value);
              return line === '' ? true : (explainLine(section, line) ?? true);
            },
            theme: { validationFailureMode: 'keep' },
          },
          context,
        );
        const line = goTrimSpace(answer);
        accepted.push(line);
        if (line === '') break;
      }
    }
  } catch (err) {
    cancelled(err);
  }
  // The same reader as for piped input turns the accepted lines into the request.
  const request = await readTxn(linesOf(accepted.map((l) => `${l}\n`).join('')), { stderr });
  out.write(`\n${describeTxn(request)}\n`);
  let commit = false;
  try {
    commit = await confirm({ message: 'Commit this transaction?', default: true }, context);
  } catch (err) {
    cancelled(err);
  }
  if (!commit) throw new CtlError(ExitCode.Error, 'txn not committed');
  return request;
}
