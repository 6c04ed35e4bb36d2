// check perf: puts at a fixed rate for a fixed time, judged by etcdctl's criteria.
import type { Invocation } from '../../cli/invocation.js';
import { ProgressBar } from '../../cli/progress.js';
import { CtlError, ExitCode, SilentExit, asCtlError } from '../../common/errors.js';
import type { PutRequest } from '../../generated/etcdserverpb/PutRequest.js';
import { goQuote } from '../../go/quote.js';
import { prefixRange } from '../../kv/key-range.js';
import { type Outcome, type Printable, text } from '../../output/outcome.js';
import { pushStream } from '../../output/push-stream.js';
import { attemptCleanup, Cancel, defragAll, KeyMaker, PERF_KEY_SIZE, PERF_MODELS, PERF_VALUE_SIZE, produceAtRate, putWorker, Queue, type Say, startRun } from './load.js';
import { Recorder, computeStats, perfVerdict } from './stats.js';

// ---------------------------------------------------------------------------------------------
// check perf

/** The bar's frames and the lines, in the order they come, as main's output (frames come from a timer). */
export async function runPerf(inv: Invocation): Promise<Outcome> {
  return pushStream<Printable>((push) => perf(inv, (line) => push(text(line))));
}

async function perf(inv: Invocation, say: Say): Promise<void> {
  const { cfg, prefix, autoCompact, autoDefrag, io, session, clients, first } = await startRun(inv, PERF_MODELS);
  const deadline = performance.now() + cfg.duration * 1000;
  const cancel = new Cancel();
  // SIGINT stops the load and deletes the keys; further SIGINTs are ignored until that is done.
  let interrupted: Promise<void> | undefined;
  const stopListening = io.onSignal?.('SIGINT', () => {
    if (interrupted) return;
    cancel.cancel();
    interrupted = attemptCleanup(first, prefix, false, say)
      .catch(() => undefined)
      .finally(() => stopListening?.());
  });

  let bar: ProgressBar | undefined;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const existing = await cancel
      .race(first.kv.range({ ...prefixRange(prefix), limit: '1' }, Date.now() + Math.max(0, deadline - performance.now())))
      .catch((err: unknown) => {
        throw asCtlError(err);
      });
    if (existing.kvs.length > 0) {
      throw new CtlError(ExitCode.InvalidInput, `prefix ${goQuote(prefix)} has keys. Delete with 'etcdctl del --prefix ${prefix}' first`);
    }

    const keys = new KeyMaker(prefix, PERF_KEY_SIZE);
    const value = Buffer.alloc(PERF_VALUE_SIZE);
    const progress = new ProgressBar(cfg.duration, say, io.terminalWidth?.() ?? 0).start();
    bar = progress;
    const started = performance.now();
    const rec = new Recorder();
    const queue = new Queue<PutRequest>(cfg.clients);
    const workers = clients.map((c) => putWorker(c, queue, rec, () => undefined));

    // The bar counts seconds on its own, whatever the load does.
    let seconds = 0;
    const tick = () => {
      progress.add(1);
      if (++seconds >= cfg.duration) progress.finish();
      else ticker = setTimeout(tick, 1000).unref();
    };
    ticker = setTimeout(tick, 1000).unref();

    await produceAtRate(queue, cfg.limit, deadline, cancel, () => ({ key: keys.next(), value }));
    queue.close();
    await Promise.all(workers);
    const stats = computeStats(rec, (performance.now() - started) / 1000);

    await attemptCleanup(first, prefix, autoCompact, say);
    if (autoDefrag) await defragAll(session, say);

    const verdict = perfVerdict(stats, cfg.limit);
    say(verdict.text);
    if (!verdict.ok) throw new SilentExit(ExitCode.Error);
  } finally {
    clearTimeout(ticker);
    bar?.stop();
    if (!interrupted) stopListening?.();
    // The interrupt's clean-up ends before the output does (its failure is one of the lines).
    await interrupted;
    for (const c of clients.slice(1)) c.close();
  }
}

