// dump, load, diff, edit: etcdctl-ts's keyspace files and safe edits.
import type { CommandSpec } from '../../cli/command.js';
import { YES_FLAG } from '../../cli/confirm.js';

const DUMP_LONG = `
Writes the keys that start with a prefix (every key without one) and their values as a
keyspace file: JSON lines, a header line then one line per key in key order:

  {"format":"etcdctl-ts/keyspace","version":1,"prefix":"/app/","revision":"1234","count":2}
  {"key":"/app/a","value":"text"}
  {"key":"/app/bin","value_b64":"3q2+7w=="}

Keys and values that are not UTF-8 are written base64 in "key_b64"/"value_b64". The keys are
read in bounded pages, all at one revision (the current one, or --rev), named in the header.
With --with-leases a key with a lease also gets "lease" (its ID) and "ttl" (seconds left);
load grants new leases with those TTLs. The file goes to stdout, or with --output to a file
that only ever appears complete (written under a temporary name, then renamed).

'load' writes such a file back, 'diff' compares it with the cluster.

Examples:
  etcdctl-ts dump /app/ > app.jsonl
  etcdctl-ts dump /app/ --output app.jsonl --with-leases
`;

const LOAD_LONG = `
Writes a keyspace file made by 'dump' (stdin without a file, or with -) into the cluster: every
key of the file gets the file's value; keys that already hold it are left alone, so loading a
file twice changes nothing the second time. With --prune, keys under the file's prefix that the
file lacks are deleted; on a terminal this asks first, as del does for a range (never on pipes,
nor with --yes).

The whole file is checked before anything is written: a malformed file fails naming its line
and nothing changes. The changes are written in txns of at most --max-txn-ops keys (etcd's
--max-txn-ops, 128 by default; a server with a lower limit makes load halve its txns) and about
1 MiB of keys and values (below etcd's default --max-request-bytes). Each txn also checks that its
keys are as they were read, so a key changed by someone else meanwhile stops the load. Each
change is printed once written (+ created, ~ updated, - deleted), then a summary. If the load
stops midway it says exactly which changes were written; loading the file again finishes it.

The file is read whole into memory (it is checked before anything is written); the cluster's
keys are read in pages at one revision and compared as they come.

Keys recorded with a lease (dump --with-leases) get a new lease per recorded lease, granted with
the recorded TTL; a key that holds the file's value and some lease counts as unchanged.

Examples:
  etcdctl-ts load app.jsonl --dry-run
  etcdctl-ts load app.jsonl --prune
  etcdctl-ts dump /app/ | etcdctl-ts --endpoints=10.0.0.2:2379 load
`;

const DIFF_LONG = `
Compares a keyspace file made by 'dump' (stdin without a file, or with -) with the keys under
its prefix in the cluster, and prints a unified diff from the cluster to the file, one line per
key as the file writes it: '-' lines are what the cluster holds and the file lacks or holds
differently, '+' lines what the file holds, so the diff shows what 'load --prune' would do.
Keys and values are compared; leases are not. Colours only on a terminal (never with NO_COLOR).

Exit status as diff(1): 0 when they are the same, 1 when they differ, 2 on trouble (a file that
cannot be read or is malformed, a cluster that cannot be read).

Examples:
  etcdctl-ts diff app.jsonl
  etcdctl-ts dump /app/ | etcdctl-ts --endpoints=10.0.0.2:2379 diff
`;

const EDIT_LONG = `
Opens the value of a key in $VISUAL (or $EDITOR; vi on a terminal when neither is set) and writes
what you save back to the key, keeping its lease. A JSON value written compactly is shown
pretty-printed and written back compact again, unless you changed its layout (then it is
written as you left it). Nothing is written when the file is saved unchanged, when the editor
fails, or when the edited JSON no longer parses.

The write is a txn that checks the key was not changed since it was read: if it was, edit says
so and, on a terminal, offers to edit the new value (your edit stays in a file it names).
Values that are not text (not UTF-8, NUL bytes, Kubernetes protobuf) are refused.

Examples:
  etcdctl-ts edit /app/config
  EDITOR='code --wait' etcdctl-ts edit /app/settings.json
`;

export const DUMP_SPEC: CommandSpec = {
  name: 'dump',
  use: 'dump [options] [prefix]',
  short: 'Writes the keys under a prefix to a keyspace file (JSON lines) (etcdctl-ts)',
  long: DUMP_LONG,
  extra: true,
  flags: [
    { name: 'output', short: 'o', kind: 'string', defaultText: '', help: 'write to this file (complete or not at all) instead of stdout' },
    { name: 'rev', kind: 'int64', defaultText: '0', help: 'dump the keys as of this revision (0: the current one)' },
    { name: 'with-leases', kind: 'bool', defaultText: 'false', help: 'record each key\'s lease and its remaining TTL' },
  ],
  load: async () => (await import('../dump.js')).DUMP_RUNS.dump,
};

export const LOAD_SPEC: CommandSpec = {
  name: 'load',
  use: 'load [options] [file]',
  short: 'Writes a keyspace file (from dump) into the cluster, changing only what differs (etcdctl-ts)',
  long: LOAD_LONG,
  extra: true,
  flags: [
    { name: 'dry-run', kind: 'bool', defaultText: 'false', help: 'show the changes without writing them' },
    { name: 'prune', kind: 'bool', defaultText: 'false', help: 'also delete keys under the file\'s prefix that the file lacks' },
    { name: 'max-txn-ops', kind: 'int', defaultText: '128', help: 'most keys written per txn (the server\'s --max-txn-ops)' },
    { ...YES_FLAG, help: 'prune without asking, even on a terminal' },
  ],
  load: async () => (await import('../load.js')).LOAD_RUNS.load,
};

export const DIFF_SPEC: CommandSpec = {
  name: 'diff',
  use: 'diff [options] [file]',
  short: 'Shows a unified diff from the cluster to a keyspace file (from dump) (etcdctl-ts)',
  long: DIFF_LONG,
  extra: true,
  load: async () => (await import('../diff.js')).DIFF_RUNS.diff,
};

export const EDIT_SPEC: CommandSpec = {
  name: 'edit',
  use: 'edit <key>',
  short: "Edits a key's value in $VISUAL/$EDITOR and writes it back safely (etcdctl-ts)",
  long: EDIT_LONG,
  extra: true,
  load: async () => (await import('../edit.js')).EDIT_RUNS.edit,
};
