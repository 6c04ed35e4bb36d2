import type { CommandSpec } from '../../cli/command.js';

export const COMPACTION_SPEC: CommandSpec = {
  name: 'compaction',
  use: 'compaction [options] <revision>',
  short: 'Compacts the event history in etcd',
  flags: [{ name: 'physical', kind: 'bool', defaultText: 'false', help: "'true' to wait for compaction to physically remove all old revisions" }],
  load: async () => (await import('../compaction.js')).COMPACTION_RUNS.compaction,
};
