import type { CommandSpec } from '../../cli/command.js';

export const ELECT_SPEC: CommandSpec = {
  name: 'elect',
  use: 'elect <election-name> [proposal]',
  short: 'Observes and participates in leader election',
  flags: [{ name: 'listen', short: 'l', kind: 'bool', defaultText: 'false', help: 'observation mode' }],
  load: async () => (await import('../elect.js')).ELECT_RUNS.elect,
};
