// get, put, del: the requests come from kv/requests.ts (pure, shared with txn); the run
// functions only connect, call and return what main prints.
import { type Invocation, commandLineDeadline, connectAndCall } from '../cli/invocation.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { PAGE_SIZE_FLAG, buildDeleteRequest, buildPutRequest, buildRangeRequest } from '../kv/requests.js';
import { type ReadRangeOptions, pageSizeFor, readRange, readRangeRaw } from '../kv/range-reader.js';
import type { Outcome } from '../output/outcome.js';
import type { Result } from '../output/types.js';
import { getRendering } from '../output/render.js';
import { confirmRangeDelete } from '../cli/confirm.js';

async function runGet(inv: Invocation): Promise<Outcome> {
  const request = buildRangeRequest(inv.args, inv);
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const format = session.config.display.format;
  // etcdctl's checks that come after the request took effect.
  const checkOutput = () => {
    if (inv.bool('count-only') && format !== 'fields') {
      throw new CtlError(ExitCode.BadArgs, '--count-only is only for `--write-out=fields`');
    }
    if (inv.bool('print-value-only') && format !== 'simple') {
      throw new CtlError(ExitCode.BadArgs, 'print-value-only is only for `--write-out=simple`');
    }
  };
  const valueOnly = inv.bool('print-value-only');
  const rendering = getRendering(format, { hex: session.config.display.hex }, valueOnly);
  if (rendering) {
    // Streamed: a large range is read and printed in pages (kv/range-reader.ts), with the
    // single response's output.
    const timeoutMs = session.config.timeouts.commandTimeoutMs;
    const opts: ReadRangeOptions = {
      pageKeys: pageSizeFor(request, Number(inv.int(PAGE_SIZE_FLAG.name)), session.config.client.endpoints.length),
      restInOne: !inv.changed(PAGE_SIZE_FLAG.name),
      // Raw pages print in milliseconds: the next one is read meanwhile.
      readAhead: rendering.raw ? 1 : 0,
      firstDeadline: deadline,
      nextDeadline: () => Date.now() + timeoutMs,
    };
    const kv = session.client.kv;
    return rendering.raw
      ? { kind: 'pagedGet', stream: rendering.stream, pages: readRangeRaw(kv, request, opts), afterFirst: checkOutput }
      : { kind: 'pagedGet', stream: rendering.stream, pages: readRange(kv, request, opts), afterFirst: checkOutput };
  }
  const resp = await session.client.kv.range(request, deadline);
  checkOutput();
  return { kind: 'get', resp, valueOnly };
}

async function runPut(inv: Invocation): Promise<Result> {
  // Validate what can be validated before blocking on stdin.
  if (inv.args.length === 0) buildPutRequest(inv.args, inv);
  const needsStdin = inv.args.length === 1 && !inv.bool('ignore-value');
  const request = buildPutRequest(inv.args, inv, needsStdin ? await inv.io.readStdin() : undefined);
  return connectAndCall(inv, async ({ kv }, deadline) => ({ kind: 'put', resp: await kv.put(request, deadline) }));
}

async function runDel(inv: Invocation): Promise<Result> {
  const { request, rangeWarning } = buildDeleteRequest(inv.args, inv);
  if (rangeWarning) inv.io.stderr.write('In etcd v3.6, the operation will be suspended for a few seconds to provide the user time to verify range.\n');
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  // On a terminal, a range delete asks first (cli/confirm.ts); never on pipes or with --yes.
  await confirmRangeDelete(inv, session, request);
  const resp = await session.client.kv.deleteRange(request, deadline);
  return { kind: 'del', resp };
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const KV_RUNS = { get: runGet, put: runPut, del: runDel };
