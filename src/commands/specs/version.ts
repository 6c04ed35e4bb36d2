import type { CommandSpec } from '../../cli/command.js';

export const VERSION_SPEC: CommandSpec = {
  name: 'version',
  use: 'version',
  short: 'Prints the version of etcdctl',
  flags: [{ name: 'build', kind: 'bool', defaultText: 'false', help: 'also print how etcdctl-ts was built and what it runs on', extra: true }],
  load: async () => (await import('../version.js')).VERSION_RUNS.version,
};
