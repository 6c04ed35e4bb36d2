import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

// cobra lists subcommands alphabetically in help; the order here is etcdctl's registration order.
export const AUTH_SPEC: CommandSpec = {
  name: 'auth',
  use: 'auth <enable or disable>',
  short: 'Enable or disable authentication',
  subcommands: [
    { name: 'enable', use: 'enable', short: 'Enables authentication', load: async () => (await import('../auth.js')).AUTH_RUNS.enable },
    { name: 'disable', use: 'disable', short: 'Disables authentication', load: async () => (await import('../auth.js')).AUTH_RUNS.disable },
    {
      name: 'status',
      use: 'status',
      short: 'Returns authentication status',
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../auth.js')).AUTH_RUNS.status,
    },
  ],
};
