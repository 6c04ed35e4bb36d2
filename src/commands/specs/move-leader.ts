import type { CommandSpec } from '../../cli/command.js';

export const MOVE_LEADER_SPEC: CommandSpec = {
  name: 'move-leader',
  use: 'move-leader <transferee-member-id>',
  short: 'Transfers leadership to another etcd cluster member.',
  load: async () => (await import('../move-leader.js')).MOVE_LEADER_RUNS['move-leader'],
};
