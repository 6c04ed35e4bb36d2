// snapshot save (online). The offline subcommands (status, restore, get, ls) read files only and
// live in snapshot-offline.ts.
//
// save streams the backend of the one configured endpoint into <file>.part, checks the SHA-256
// trailer etcd appends, fsyncs and renames it: the target path only ever holds a complete
// snapshot. SIGINT/SIGTERM during the download remove the .part file before the process dies by
// the signal.
import fs from 'node:fs';
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Invocation } from '../cli/invocation.js';
import { type Text, text } from '../output/outcome.js';
import { byteProgress } from '../cli/progress.js';
import { CtlError, ExitCode, RpcError, SignalExit, SilentExit } from '../common/errors.js';
import type { SnapshotResponse__Output } from '../generated/etcdserverpb/SnapshotResponse.js';
import type { Io } from '../io/types.js';
import { humanizeBytes } from '../go/encode.js';
import { type ZapFields, zapJsonLine } from '../go/zap.js';
import { SnapshotDigest, humanizeTime, progressLine } from '../offline/snapshot-stream.js';
import { goErrnoText } from '../offline/status.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// save

async function runSave(inv: Invocation): Promise<Text> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'snapshot save expects one argument');
  const target = inv.args[0]!;
  const config = await inv.resolve();
  const endpoints = config.client.endpoints;
  if (endpoints.length !== 1) {
    throw new CtlError(ExitCode.Interrupted, `snapshot must be requested to one selected node, not multiple [${endpoints.join(' ')}]`);
  }
  let session;
  try {
    session = await inv.connect();
  } catch (err) {
    // clientv3.New failed inside snapshot.Save, whose errors all exit 5.
    if (err instanceof CtlError && err.exitCode === ExitCode.BadConnection) throw new CtlError(ExitCode.Interrupted, err.message);
    throw err;
  }
  const deadline = config.timeouts.commandTimeoutExplicit ? Date.now() + config.timeouts.commandTimeoutMs : undefined;
  const delay = inv.environment.snapshotWriteDelayMs;
  try {
    await saveSnapshot({
      io: inv.io,
      target,
      endpoint: endpoints[0]!,
      // Chunks read straight from their wire bytes (client/snapshot-chunk.ts): same fields, no copy.
      open: async () => {
        const { decodeSnapshotChunk } = await import('../client/snapshot-chunk.js');
        return session.client.connection.serverStream('etcdserverpb.Maintenance', 'Snapshot', {}, deadline, decodeSnapshotChunk);
      },
      writeDelayMs: Number.isFinite(delay) && delay > 0 ? delay : 0,
    });
  } catch (err) {
    if (err instanceof CtlError || err instanceof SilentExit || err instanceof SignalExit) throw err;
    throw new CtlError(ExitCode.Interrupted, err instanceof Error ? err.message : String(err));
  }
  return text(`Snapshot saved at ${target}\n`);
}

interface SaveOptions {
  io: Io;
  target: string;
  endpoint: string;
  open: () => Promise<ClientReadableStream<object>>;
  writeDelayMs: number;
}

function logJson(io: Io, caller: string, msg: string, fields?: ZapFields, logger?: string, level: 'info' | 'warn' = 'info'): void {
  io.stderr.write(zapJsonLine({ level, caller, msg, ...(fields ? { fields } : {}), ...(logger ? { logger } : {}) }));
}

/** client/v3/snapshot.Save, step by step (same messages, same log lines). */
async function saveSnapshot(opts: SaveOptions): Promise<void> {
  const { io, target } = opts;
  const part = `${target}.part`;
  let fd: number;
  try {
    fd = fs.openSync(part, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o600);
  } catch (err) {
    throw new Error(`could not open ${part} (open ${part}: ${goErrnoText(err)})`);
  }
  let fdOpen = true;
  const closeFd = () => {
    if (fdOpen) fs.closeSync(fd);
    fdOpen = false;
  };
  let stream: ClientReadableStream<object> | undefined;
  // Interrupted: leave nothing behind and end at once, dying by the signal like etcdctl (no
  // handler in Go); the download, cancelled, stops without a word (see `signalled` below).
  let signalled: SignalExit | undefined;
  let interrupt: (err: SignalExit) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    signalled = new SignalExit(signal);
    stream?.cancel();
    closeFd();
    fs.rmSync(part, { force: true });
    releaseSignals();
    interrupt(signalled);
  };
  const releases = (['SIGINT', 'SIGTERM'] as const).map((s) => io.onSignal?.(s, onSignal(s)));
  const releaseSignals = () => {
    for (const release of releases) release?.();
  };
  // On a terminal, the bytes so far on stderr (cli/progress.ts).
  const progress = byteProgress(io, progressLine);
  const download = async () => {
    logJson(io, 'snapshot/v3_snapshot.go:65', 'created temporary db file', [['path', part]]);
    const started = Date.now();
    try {
      stream = await opts.open();
    } catch (err) {
      throw signalled ?? (err instanceof RpcError ? new Error(err.message) : err);
    }
    if (signalled) {
      stream.cancel();
      throw signalled;
    }
    logJson(io, 'v3/maintenance.go:212', 'opened snapshot stream; downloading', undefined, 'client');
    logJson(io, 'snapshot/v3_snapshot.go:73', 'fetching snapshot', [['endpoint', opts.endpoint]]);
    const digest = new SnapshotDigest();
    let position = 0;
    try {
      for await (const message of stream) {
        if (signalled) throw signalled; // the file is closed and gone: write nothing more
        const resp = message as SnapshotResponse__Output;
        const blob = resp.blob;
        if (blob.length > 0) {
          let done = 0;
          while (done < blob.length) done += fs.writeSync(fd, blob, done, blob.length - done, position + done);
          position += blob.length;
          digest.update(blob);
        }
        progress?.update(digest.size, digest.size === blob.length ? blob.length + Number(resp.remaining_bytes) : undefined);
        if (opts.writeDelayMs > 0) await sleep(opts.writeDelayMs);
      }
    } catch (raw) {
      if (signalled) throw signalled;
      const { fromGrpcError } = await import('../client/grpc-errors.js');
      const err = raw instanceof RpcError ? raw : fromGrpcError(raw as Parameters<typeof fromGrpcError>[0]);
      logJson(io, 'v3/maintenance.go:222', 'failed to receive from snapshot stream; closing', [['error', err.message]], 'client', 'warn');
      throw new Error(err.message);
    }
    progress?.clear();
    logJson(io, 'v3/maintenance.go:220', 'completed snapshot read; closing', undefined, 'client');
    if (!digest.hasTrailer()) throw new Error(`sha256 checksum not found [bytes: ${digest.size}]`);
    // etcdctl only checks the size; the trailer is verified too, so a damaged stream never lands.
    if (!digest.matches()) throw new Error(`sha256 checksum mismatch [bytes: ${digest.size}]`);
    fs.fsyncSync(fd);
    closeFd();
    logJson(io, 'snapshot/v3_snapshot.go:88', 'fetched snapshot', [
      ['endpoint', opts.endpoint],
      ['size', humanizeBytes(digest.size)],
      ['took', humanizeTime(started)],
    ]);
    try {
      // Go's os.Rename refuses to replace a directory with EEXIST before calling rename(2).
      if (fs.lstatSync(target, { throwIfNoEntry: false })?.isDirectory()) {
        throw Object.assign(new Error('target is a directory'), { code: 'EEXIST' });
      }
      fs.renameSync(part, target);
    } catch (err) {
      throw new Error(`could not rename ${part} to ${target} (rename ${part} ${target}: ${goErrnoText(err)})`);
    }
    logJson(io, 'snapshot/v3_snapshot.go:97', 'saved', [['path', target]]);
  };
  const work = download();
  // Settled either way: once a signal ended the save, the download's own end is not reported.
  work.catch(() => {});
  try {
    await Promise.race([work, interrupted]);
  } finally {
    progress?.clear();
    releaseSignals();
    closeFd();
    fs.rmSync(part, { force: true });
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const SNAPSHOT_RUNS = { save: runSave };
