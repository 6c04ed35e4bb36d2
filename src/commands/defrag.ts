// defrag: defragments each member's backend, one endpoint after the other.
import type { Invocation, Session } from '../cli/invocation.js';
import fs from 'node:fs';
import path from 'node:path';
import { ExitCode, GoPanicError, RpcError, SilentExit } from '../common/errors.js';
import type { EtcdClient } from '../client/services.js';
import { endpointsFromCluster, warnings } from './endpoint.js';
import { ttyProgress } from '../cli/progress.js';
import { goQuote } from '../go/quote.js';
import { type Outcome, type Printable, text } from '../output/outcome.js';
import { type ZapFields, zapConsoleLine } from '../go/zap.js';

async function runDefrag(inv: Invocation): Promise<Outcome | void> {
  const dataDir = inv.string('data-dir');
  if (dataDir !== '') return defragDataDir(inv, dataDir);
  const session = await inv.connect();
  const endpoints = await endpointsFromCluster(inv, async () => session.client);
  return defragEach(inv, session, endpoints);
}

/** One line per endpoint as each one is done (failures on stderr), then exit 1 if any failed. */
async function* defragEach(inv: Invocation, session: Session, endpoints: string[]): AsyncGenerator<Printable> {
  const { dialEndpoint } = await import('../client/endpoint-dial.js');
  let failures = 0;
  // --cluster on a terminal: a progress bar on stderr (cli/progress.ts), nothing otherwise.
  const progress = inv.bool('cluster') ? ttyProgress(inv.io, endpoints.length) : ttyProgress(inv.io, 0);
  try {
    for (const endpoint of endpoints) {
      const deadline = session.client.connection.commandDeadline();
      let client: EtcdClient | undefined;
      try {
        client = await dialEndpoint(session.client.connection, endpoint, warnings(inv));
        await client.maintenance.defragment(deadline);
        progress.clear();
        yield text(`Finished defragmenting etcd member[${endpoint}]\n`);
      } catch (err) {
        if (!(err instanceof RpcError)) throw err;
        failures++;
        progress.clear();
        inv.io.stderr.write(`Failed to defragment etcd member[${endpoint}] (${err.message})\n`);
      } finally {
        client?.close();
        progress.add();
      }
    }
  } finally {
    // Also when the output stops early: the bar's timer must not outlive the command.
    progress.done();
  }
  if (failures > 0) throw new SilentExit(ExitCode.Error);
}

/**
 * `--data-dir`: defragments a stopped member's backend file, as etcdctl 3.5 does through etcdutl.
 * No client is made, so ETCDCTL_* variables and -w are not looked at.
 */
async function defragDataDir(inv: Invocation, dataDir: string): Promise<void> {
  inv.io.stderr.write('Use `etcdutl defrag` instead. The --data-dir is going to be decomissioned in v3.6.\n\n');
  const { backendFileName, defragBackend, isFlocked } = await import('../offline/defrag.js');
  const db = backendFileName(dataDir);
  // bbolt waits for etcd's lock on the file; after a second etcdutl says why it is waiting.
  const waitStart = Date.now();
  let told = false;
  while (isFlocked(db)) {
    if (!told && Date.now() - waitStart >= 1000) {
      inv.io.stderr.write(`waiting for etcd to close and release its lock on ${goQuote(db)}. To defrag a running etcd instance, omit --data-dir.\n`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    // bbolt creates a missing (or empty) file in an existing directory: an empty database.
    if (fs.existsSync(path.dirname(db)) && (!fs.existsSync(db) || fs.statSync(db).size === 0)) {
      const { writeBolt } = await import('../offline/bbolt.js');
      fs.rmSync(db, { force: true });
      writeBolt(db, { entries: () => [] });
    }
    defragBackend(db);
  } catch (err) {
    // etcd's backend panics when it cannot open the file (exit 2, like any Go panic).
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${db}: no such file or directory` : (err as Error).message;
    const fields: ZapFields = [['path', db], ['error', reason]];
    const logged = zapConsoleLine({ level: 'panic', caller: 'backend/backend.go:201', msg: 'failed to open database', fields });
    throw new GoPanicError('failed to open database', logged);
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const DEFRAG_RUNS = { defrag: runDefrag };
