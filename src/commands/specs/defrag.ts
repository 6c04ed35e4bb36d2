import type { CommandSpec } from '../../cli/command.js';

export const DEFRAG_SPEC: CommandSpec = {
  name: 'defrag',
  use: 'defrag',
  short: 'Defragments the storage of the etcd members with given endpoints',
  flags: [
    { name: 'cluster', kind: 'bool', defaultText: 'false', help: 'use all endpoints from the cluster member list', persistent: true },
    { name: 'data-dir', kind: 'string', defaultText: '', help: 'Optional. If present, defragments a data directory not in use by etcd.' },
  ],
  load: async () => (await import('../defrag.js')).DEFRAG_RUNS.defrag,
};
