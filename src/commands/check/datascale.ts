// check datascale: puts a fixed number of keys and reports the memory the member grew by.
import type { Invocation } from '../../cli/invocation.js';
import { ProgressBar } from '../../cli/progress.js';
import { CtlError, ExitCode, SilentExit, asCtlError } from '../../common/errors.js';
import type { PutRequest } from '../../generated/etcdserverpb/PutRequest.js';
import { goFixed } from '../../go/encode.js';
import { prefixRange } from '../../kv/key-range.js';
import { type Outcome, type Printable, text } from '../../output/outcome.js';
import { pushStream } from '../../output/push-stream.js';
import { compact, DATASCALE_KEY_SIZE, DATASCALE_MODELS, DATASCALE_VALUE_SIZE, defragAll, KeyMaker, putWorker, Queue, type Say, startRun } from './load.js';
import { Recorder, errorLines } from './stats.js';
import { residentMemoryBytes } from './metrics.js';
import { goQuote } from '../../go/quote.js';

/** The lines and the bar's frames, in the order they come, as main's output (frames come from a timer). */
export async function runDatascale(inv: Invocation): Promise<Outcome> {
  return pushStream<Printable>((push) => datascale(inv, (line) => push(text(line))));
}

async function datascale(inv: Invocation, say: Say): Promise<void> {
  const { cfg, prefix, autoCompact, autoDefrag, io, session, clients, first } = await startRun(inv, DATASCALE_MODELS);
  const endpoint = session.config.client.endpoints[0]!;
  let bar: ProgressBar | undefined;
  try {
    const existing = await first.kv.range({ ...prefixRange(prefix), limit: '1' }).catch((err: unknown) => {
      throw asCtlError(err);
    });
    if (existing.kvs.length > 0) {
      throw new CtlError(ExitCode.InvalidInput, `prefix ${goQuote(prefix)} has keys. Delete with etcdctl del --prefix ${prefix} first`);
    }

    const before = await residentMemoryBytes(endpoint, session.config.client.tls, say);
    if (before === 0) {
      say('FAIL: Could not read process_resident_memory_bytes before the put operations.\n');
      throw new SilentExit(ExitCode.Error);
    }

    say(
      `Start data scale check for work load [${cfg.limit} key-value pairs, ${cfg.kvSize} bytes per key-value, ${cfg.clients} concurrent clients].\n`,
    );
    const progress = new ProgressBar(cfg.limit, say, io.terminalWidth?.() ?? 0).start();
    bar = progress;
    const rec = new Recorder();
    const queue = new Queue<PutRequest>(cfg.clients);
    const workers = clients.map((c) => putWorker(c, queue, rec, () => progress.add(1)));
    const keys = new KeyMaker(prefix, DATASCALE_KEY_SIZE);
    const value = Buffer.alloc(DATASCALE_VALUE_SIZE);
    for (let i = 0; i < cfg.limit; i++) await queue.send({ key: keys.next(), value });
    queue.close();
    await Promise.all(workers);
    progress.finish();

    const after = await residentMemoryBytes(endpoint, session.config.client.tls, say);
    if (after === 0) {
      say('FAIL: Could not read process_resident_memory_bytes after the put operations.\n');
      throw new SilentExit(ExitCode.Error);
    }

    const deleted = await first.kv.deleteRange(prefixRange(prefix)).catch((err: unknown) => {
      throw asCtlError(err);
    });
    if (autoCompact) await compact(first, deleted.header?.revision ?? '0', say);
    if (autoDefrag) await defragAll(session, say);

    if (rec.errors.size !== 0) {
      say(errorLines(rec.errors));
      throw new SilentExit(ExitCode.Error);
    }
    const megabytes = (after - before) / (1024 * 1024);
    say(`PASS: Approximate system memory used : ${goFixed(megabytes, 2)} MB.\n`);
  } finally {
    bar?.stop();
    for (const c of clients.slice(1)) c.close();
  }
}

