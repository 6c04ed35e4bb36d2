// snapshot: save is online (commands/snapshot.ts); status, restore, get and ls read files only
// (commands/snapshot-offline.ts).
import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';
import { GET_FLAGS, GET_FLAGS_FROM_3_6 } from '../../kv/requests.js';

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

const LS_FLAGS: FlagSpec[] = [
  { name: 'depth', kind: 'int', defaultText: '1', help: 'levels of the tree to show below the prefix (0: all)' },
  { name: 'rev', kind: 'int64', defaultText: '0', help: 'list the keys as of this revision' },
];

const RESTORE_FLAGS: FlagSpec[] = [
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
];

export const SNAPSHOT_SPEC: CommandSpec = {
  name: 'snapshot',
  use: 'snapshot <subcommand>',
  short: 'Manages etcd node snapshots',
  subcommands: [
    {
      name: 'save',
      use: 'save <filename>',
      short: 'Stores an etcd node backend snapshot to a given file',
      load: async () => (await import('../snapshot.js')).SNAPSHOT_RUNS.save,
    },
    {
      name: 'restore',
      use: 'restore <filename> [options]',
      short: 'Restores an etcd member snapshot to an etcd directory',
      long: 'Moved to `etcdctl snapshot restore ...`\n',
      flags: RESTORE_FLAGS,
      load: async () => (await import('../snapshot-offline.js')).SNAPSHOT_OFFLINE_RUNS.restore,
    },
    {
      name: 'status',
      use: 'status <filename>',
      short: '[deprecated] Gets backend snapshot status of a given file',
      long:
        'When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n' +
        'The items in the lists are hash, revision, total keys, total size.\n\n' +
        "Moved to 'etcdctl snapshot status ...'\n",
      load: async () => (await import('../snapshot-offline.js')).SNAPSHOT_OFFLINE_RUNS.status,
    },
    // etcdctl-ts's own: read a snapshot or a stopped member's backend like a restored member.
    {
      name: 'get',
      use: 'get [options] <filename> <key> [range_end]',
      short: 'Gets keys from a snapshot or backend file, read offline (etcdctl-ts)',
      long: GET_LONG,
      extra: true,
      // get's flags (the 3.6 revision filters hidden, as on get); --consistency is accepted
      // (scripts pass it) but means nothing offline.
      flags: [...GET_FLAGS.map((f) => (f.name === 'consistency' ? { ...f, hidden: true } : f)), ...GET_FLAGS_FROM_3_6],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../snapshot-offline.js')).SNAPSHOT_OFFLINE_RUNS.get,
    },
    {
      name: 'ls',
      use: 'ls [options] <filename> [prefix]',
      short: 'Lists the keys of a snapshot or backend file as a tree (etcdctl-ts)',
      long: LS_LONG,
      extra: true,
      flags: LS_FLAGS,
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../snapshot-offline.js')).SNAPSHOT_OFFLINE_RUNS.ls,
    },
  ],
};
