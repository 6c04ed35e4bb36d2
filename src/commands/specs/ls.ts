import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

const LONG = `
Lists the keys below a prefix as a tree of '/'-separated paths, like ls and tree(1):
directories end with '/' and show how many keys they hold and the size of their
values; keys show the size of their value. Without a prefix, the whole keyspace is
listed. A prefix that does not end with '/' is taken as a directory: "ls /app"
lists the keys starting with "/app/".

The keys are read in bounded pages at one revision, so large keyspaces are fine.
Colours are used only on a terminal (never with NO_COLOR; FORCE_COLOR forces them).

Examples:
  etcdctl-ts ls                 # top level of the keyspace
  etcdctl-ts ls /registry --depth 2
  etcdctl-ts ls /app --depth 0  # the whole tree below /app/
  etcdctl-ts ls /app -w yaml    # the same tree as data (also -w json-decoded)
`;

export const LS_SPEC: CommandSpec = {
  name: 'ls',
  use: 'ls [options] [prefix]',
  short: 'Lists keys as a tree of /-separated paths with counts and sizes (etcdctl-ts)',
  long: LONG,
  extra: true,
  flags: [
    { name: 'depth', kind: 'int', defaultText: '1', help: 'levels of the tree to show below the prefix (0: all)' },
    { name: 'rev', kind: 'int64', defaultText: '0', help: 'list the keys as of this revision' },
    { name: 'consistency', kind: 'string', defaultText: 'l', help: 'Linearizable(l) or Serializable(s)' },
  ],
  extraFormats: EXTRA_OUTPUT_FORMATS,
  load: async () => (await import('../ls.js')).LS_RUNS.ls,
};
