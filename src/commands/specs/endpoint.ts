import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const ENDPOINT_SPEC: CommandSpec = {
  name: 'endpoint',
  use: 'endpoint <subcommand>',
  short: 'Endpoint related commands',
  flags: [{ name: 'cluster', kind: 'bool', defaultText: 'false', help: 'use all endpoints from the cluster member list', persistent: true }],
  subcommands: [
    {
      name: 'health',
      use: 'health',
      short: 'Checks the healthiness of endpoints specified in `--endpoints` flag',
      load: async () => (await import('../endpoint.js')).ENDPOINT_RUNS.health,
    },
    {
      name: 'status',
      use: 'status',
      short: 'Prints out the status of endpoints specified in `--endpoints` flag',
      long: `When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.
`,
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../endpoint.js')).ENDPOINT_RUNS.status,
    },
    {
      name: 'hashkv',
      use: 'hashkv',
      short: 'Prints the KV history hash for each endpoint in --endpoints',
      flags: [{ name: 'rev', kind: 'int64', defaultText: '0', help: 'maximum revision to hash (default: all revisions)', persistent: true }],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../endpoint.js')).ENDPOINT_RUNS.hashkv,
    },
  ],
};
