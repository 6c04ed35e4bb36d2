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
import { CtlCommand } from '../cli/command.js';
import { type FlagSpec } from '../flags/flag.js';
import type { Invocation } from '../cli/invocation.js';
import { EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../output/format-names.js';
import { CtlError, ExitCode, GoPanicError } from '../common/errors.js';
import { hexPlain, humanizeBytes } from '../go/encode.js';
import { rendererFor } from '../output/lazy-render.js';
import { LsTreeBuilder, renderLsTree } from '../output/ls-tree.js';
import { renderTable } from '../output/table.js';
import { zapConsoleLine } from '../go/zap.js';
import { WireError } from '../proto/wire.js';
import { BoltCorruptError, BoltPanic } from '../offline/bbolt.js';
import { RevisionError, offlineRange, readBackend } from '../offline/keyspace.js';
import { restoreSnapshot } from '../offline/restore.js';
import { type SnapshotStatus, snapshotStatus } from '../offline/status.js';
import { GET_FLAGS, GET_FLAGS_FROM_3_6, buildRangeRequest } from '../kv/requests.js';
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

export function statusCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'status',
    use: 'status <filename>',
    short: '[deprecated] Gets backend snapshot status of a given file',
    long:
      'When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n' +
      'The items in the lists are hash, revision, total keys, total size.\n\n' +
      "Moved to 'etcdctl snapshot status ...'\n",
    run: async (inv) => {
      inv.io.stderr.write('Deprecated: Use `etcdutl snapshot status` instead.\n\n');
      if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'snapshot status requires exactly one argument');
      // The flag as given: this command never applies ETCDCTL_* variables.
      const format = inv.string('write-out');
      if (!STATUS_FORMATS.has(format)) throw new CtlError(ExitCode.BadFeature, 'unsupported output format');
      const status = await runOffline(() => snapshotStatus(inv.args[0]!));
      inv.io.stdout.write(renderSnapshotStatus(format, status));
    },
  });
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

export function restoreCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'restore',
    use: 'restore <filename> [options]',
    short: 'Restores an etcd member snapshot to an etcd directory',
    long: 'Moved to `etcdctl snapshot restore ...`\n',
    flags: [
      { name: 'data-dir', kind: 'string', defaultText: '', help: 'Path to the data directory' },
      { name: 'wal-dir', kind: 'string', defaultText: '', help: 'Path to the WAL directory (use --data-dir if none given)' },
      {
        name: 'initial-cluster',
        kind: 'string',
        defaultText: 'default=http://localhost:2380',
        help: 'Initial cluster configuration for restore bootstrap',
      },
      {
        name: 'initial-cluster-token',
        kind: 'string',
        defaultText: 'etcd-cluster',
        help: 'Initial cluster token for the etcd cluster during restore bootstrap',
      },
      {
        name: 'initial-advertise-peer-urls',
        kind: 'string',
        defaultText: 'http://localhost:2380',
        help: "List of this member's peer URLs to advertise to the rest of the cluster",
      },
      { name: 'name', kind: 'string', defaultText: 'default', help: 'Human-readable name for this member' },
      {
        name: 'skip-hash-check',
        kind: 'bool',
        defaultText: 'false',
        help: 'Ignore snapshot integrity hash value (required if copied from data directory)',
      },
      { name: 'bump-revision', kind: 'uint64', defaultText: '0', help: 'How much to increase the latest revision after restore' },
      {
        name: 'mark-compacted',
        kind: 'bool',
        defaultText: 'false',
        help: 'Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)',
      },
      {
        name: 'initial-memory-map-size',
        kind: 'uint64',
        defaultText: '0',
        help: 'Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0',
      },
    ],
    run: async (inv) => {
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
    },
  });
}


// ---------------------------------------------------------------------------------------------
// get and ls (etcdctl-ts)

const GET_LONG = `
Reads keys from a snapshot file (snapshot save) or a member's backend (member/snap/db, or the
data directory holding it) without any etcd: the output is byte for byte what etcdctl get prints
against a member restored from that file, history included (--rev), in every format.

The header's cluster_id, member_id and raft_term are 0: no member serves the file (a restored
member gets new ones). A file a running etcd is writing is read without stopping it.

Examples:
  etcdctl-ts snapshot get backup.db /registry/pods/default/web -w yaml
  etcdctl-ts snapshot get backup.db /config --prefix --rev 1200
  etcdctl-ts snapshot get /var/lib/etcd /registry --prefix --keys-only
`;

const LS_LONG = `
The ls tree (counts and sizes of the keys below a prefix) of a snapshot file or a member's
backend, read without any etcd. --rev lists the keys as of an older revision.
`;

/** Validates -w (the flag as given) and returns the renderer of that format. */
async function offlineRenderer(inv: Invocation) {
  const format = inv.string('write-out');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format) && !(EXTRA_OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new CtlError(ExitCode.BadFeature, 'unsupported output format');
  }
  return { format: format as OutputFormat, render: await rendererFor(format as OutputFormat) };
}

async function runSnapshotGet(inv: Invocation): Promise<void> {
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
  inv.io.stdout.write(render({ kind: 'get', resp, valueOnly: inv.bool('print-value-only') }, { hex: inv.bool('hex') }));
}

async function runSnapshotLs(inv: Invocation): Promise<void> {
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
    inv.io.stdout.write(render(result, { hex: inv.bool('hex') }));
    return;
  }
  const { paint } = await import('../cli/colour.js');
  inv.io.stdout.write(renderLsTree(result, paint(inv.environment.colour.stdout)));
}

const LS_FLAGS: FlagSpec[] = [
  { name: 'depth', kind: 'int', defaultText: '1', help: 'levels of the tree to show below the prefix (0: all)' },
  { name: 'rev', kind: 'int64', defaultText: '0', help: 'list the keys as of this revision' },
];

export function snapshotGetCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'get',
    use: 'get [options] <filename> <key> [range_end]',
    short: 'Gets keys from a snapshot or backend file, read offline (etcdctl-ts)',
    long: GET_LONG,
    extra: true,
    // get's flags (the 3.6 revision filters hidden, as on get); --consistency is accepted
    // (scripts pass it) but means nothing offline.
    flags: [...GET_FLAGS.map((f) => (f.name === 'consistency' ? { ...f, hidden: true } : f)), ...GET_FLAGS_FROM_3_6],
    run: runSnapshotGet,
  });
}

export function snapshotLsCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'ls',
    use: 'ls [options] <filename> [prefix]',
    short: 'Lists the keys of a snapshot or backend file as a tree (etcdctl-ts)',
    long: LS_LONG,
    extra: true,
    flags: LS_FLAGS,
    run: runSnapshotLs,
  });
}
