// The offline snapshot subcommands: they read files only, never a server, and never apply
// ETCDCTL_* variables (etcdutl's way: the flags as given).
//
//   status   etcdutl snapshot status: hash, revision, keys, size
//   restore  etcdutl snapshot restore: a new data dir from a snapshot
//   get      etcdctl-ts: `get` against the file, as a member restored from it would answer
//   ls       etcdctl-ts: the `ls` tree of the file's keys
//
// get and ls read a snapshot or a stopped (or running: offline/keyspace.ts) member's backend.
import path from 'node:path';
import type { Invocation } from '../cli/invocation.js';
import { EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../output/format-names.js';
import { CtlError, ExitCode, GoPanicError } from '../common/errors.js';
import { hexPlain, humanizeBytes } from '../go/encode.js';
import { rendererFor } from '../output/lazy-render.js';
import { type Text, text } from '../output/outcome.js';
import { LsTreeBuilder, renderLsTree } from '../output/ls-tree.js';
import { renderTable } from '../output/table.js';
import { zapConsoleLine } from '../go/zap.js';
import { WireError } from '../proto/wire.js';
import { BoltCorruptError, BoltPanic } from '../offline/bbolt.js';
import { RevisionError, offlineRange, readBackend } from '../offline/keyspace.js';
import { restoreSnapshot } from '../offline/restore.js';
import { type SnapshotStatus, snapshotStatus } from '../offline/status.js';
import { buildRangeRequest } from '../kv/requests.js';
import { lsScope } from './ls.js';

// ---------------------------------------------------------------------------------------------
// status

const STATUS_FORMATS = new Set(['simple', 'json', 'fields', 'table', 'protobuf']);

function statusRow(s: SnapshotStatus): string[] {
  return [hexPlain(BigInt(s.hash)), s.revision.toString(), String(s.totalKey), humanizeBytes(s.totalSize)];
}

/** etcdutl's printers for snapshot.Status. */
export function renderSnapshotStatus(format: string, s: SnapshotStatus): string {
  switch (format) {
    case 'simple':
      return `${statusRow(s).join(', ')}\n`;
    case 'json':
      return `{"hash":${s.hash},"revision":${s.revision},"totalKey":${s.totalKey},"totalSize":${s.totalSize}}\n`;
    case 'fields':
      return `"Hash" : ${s.hash}\n"Revision" : ${s.revision}\n"Keys" : ${s.totalKey}\n"Size" : ${s.totalSize}\n`;
    case 'table':
      return renderTable(['hash', 'revision', 'total keys', 'total size'], [statusRow(s)]);
    default:
      throw new CtlError(ExitCode.BadFeature, `${format} not supported as output format`);
  }
}

async function runStatus(inv: Invocation): Promise<Text> {
  inv.io.stderr.write('Deprecated: Use `etcdutl snapshot status` instead.\n\n');
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'snapshot status requires exactly one argument');
  // The flag as given: this command never applies ETCDCTL_* variables.
  const format = inv.string('write-out');
  if (!STATUS_FORMATS.has(format)) throw new CtlError(ExitCode.BadFeature, 'unsupported output format');
  const status = await runOffline(() => snapshotStatus(inv.args[0]!));
  return text(renderSnapshotStatus(format, status));
}

/**
 * Maps storage errors to etcdutl's exits: `Error: <msg>` exit 1; where etcd's Go code dies instead
 * (a bbolt panic, a fault on a truncated or damaged file) the same exit status 2, with one clear
 * line and no stack trace.
 */
async function runOffline<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BoltPanic) throw new GoPanicError(err.message);
    // etcdctl 3.5.16 panics or faults on these ("unexpected fault address", "assertion failed").
    if (err instanceof BoltCorruptError) throw new CtlError(ExitCode.BadConnection, `damaged bbolt file: ${err.message}`);
    if (err instanceof RangeError || err instanceof WireError) throw new CtlError(ExitCode.BadConnection, `damaged bbolt file: ${err.message}`);
    if (err instanceof RevisionError) throw new CtlError(ExitCode.Error, err.message);
    if (err instanceof CtlError) throw err;
    throw new CtlError(ExitCode.Error, err instanceof Error ? err.message : String(err));
  }
}

// ---------------------------------------------------------------------------------------------
// restore

async function runRestore(inv: Invocation): Promise<void> {
  inv.io.stderr.write('Deprecated: Use `etcdutl snapshot restore` instead.\n\n');
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'snapshot restore requires exactly one argument');
  const revisionBump = inv.int('bump-revision');
  const markCompacted = inv.bool('mark-compacted');
  if ((revisionBump === 0n && markCompacted) || (revisionBump > 0n && !markCompacted)) {
    throw new CtlError(ExitCode.BadArgs, '--mark-compacted required if --revision-bump > 0');
  }
  const name = inv.string('name');
  const dataDir = inv.string('data-dir') || `${name}.etcd`;
  // etcdutl's datadir.ToWalDir (filepath.Join, which path.join matches).
  const walDir = inv.string('wal-dir') || path.join(dataDir, 'member', 'wal');
  await runOffline(
    () =>
      restoreSnapshot(
        {
          snapshotPath: inv.args[0]!,
          name,
          outputDataDir: dataDir,
          outputWalDir: walDir,
          peerURLs: inv.string('initial-advertise-peer-urls').split(','),
          initialCluster: inv.string('initial-cluster'),
          initialClusterToken: inv.string('initial-cluster-token'),
          skipHashCheck: inv.bool('skip-hash-check'),
          initialMmapSize: inv.int('initial-memory-map-size'),
          revisionBump,
          markCompacted,
        },
        (caller, msg, fields) => inv.io.stderr.write(zapConsoleLine({ level: 'info', caller, msg, ...(fields ? { fields } : {}) })),
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// get and ls (etcdctl-ts)

/** Validates -w (the flag as given) and returns the renderer of that format. */
async function offlineRenderer(inv: Invocation) {
  const format = inv.string('write-out');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format) && !(EXTRA_OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new CtlError(ExitCode.BadFeature, 'unsupported output format');
  }
  return { format: format as OutputFormat, render: await rendererFor(format as OutputFormat) };
}

async function runSnapshotGet(inv: Invocation): Promise<Text> {
  if (inv.args.length === 0) throw new CtlError(ExitCode.BadArgs, 'snapshot get command needs a file, a key and an optional range_end');
  const request = buildRangeRequest(inv.args.slice(1), inv);
  const { format, render } = await offlineRenderer(inv);
  const resp = await runOffline(
    () =>
      readBackend(inv.args[0]!, (db) =>
        offlineRange(db, {
          key: request.key as Buffer,
          range_end: request.range_end as Buffer | undefined,
          revision: BigInt(request.revision as string),
          limit: BigInt(request.limit as string),
          count_only: request.count_only === true,
          keys_only: request.keys_only === true,
          sort_order: Number(request.sort_order),
          sort_target: Number(request.sort_target),
          min_mod_revision: BigInt(String(request.min_mod_revision ?? '0')),
          max_mod_revision: BigInt(String(request.max_mod_revision ?? '0')),
          min_create_revision: BigInt(String(request.min_create_revision ?? '0')),
          max_create_revision: BigInt(String(request.max_create_revision ?? '0')),
        }),
      ),
  );
  // etcdctl's checks that come after the request took effect.
  if (inv.bool('count-only') && format !== 'fields') throw new CtlError(ExitCode.BadArgs, '--count-only is only for `--write-out=fields`');
  if (inv.bool('print-value-only') && format !== 'simple') {
    throw new CtlError(ExitCode.BadArgs, 'print-value-only is only for `--write-out=simple`');
  }
  return text(render({ kind: 'get', resp, valueOnly: inv.bool('print-value-only') }, { hex: inv.bool('hex') }));
}

async function runSnapshotLs(inv: Invocation): Promise<Text> {
  if (inv.args.length === 0 || inv.args.length > 2) {
    throw new CtlError(ExitCode.BadArgs, 'snapshot ls command needs a file and an optional prefix');
  }
  const depth = Number(inv.int('depth'));
  if (depth < 0) throw new CtlError(ExitCode.BadArgs, '--depth must be 0 (no limit) or more');
  const scope = lsScope(inv.args[1]);
  const { format, render } = await offlineRenderer(inv);
  const resp = await runOffline(
    () =>
      readBackend(inv.args[0]!, (db) =>
        offlineRange(db, {
          key: scope.start,
          range_end: scope.end,
          revision: inv.int('rev'),
          limit: 0n,
          count_only: false,
          keys_only: false,
          sort_order: 0,
          sort_target: 0,
        }),
      ),
  );
  const builder = new LsTreeBuilder(scope.rootName, depth);
  for (const kv of resp.kvs) builder.add(scope.rest(kv.key), kv.value.length);
  const result = builder.result();
  if (format !== 'simple') {
    return text(render(result, { hex: inv.bool('hex') }));
  }
  const { paint } = await import('../cli/colour.js');
  return text(renderLsTree(result, paint(inv.environment.colour.stdout)));
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const SNAPSHOT_OFFLINE_RUNS = { status: runStatus, restore: runRestore, get: runSnapshotGet, ls: runSnapshotLs };
