// check perf / check datascale (commands/check/).
import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';

const maintenanceFlags: FlagSpec[] = [
  { name: 'auto-compact', kind: 'bool', defaultText: 'false', help: 'Compact storage with last revision after test is finished.' },
  { name: 'auto-defrag', kind: 'bool', defaultText: 'false', help: 'Defragment storage after test is finished.' },
];

export const CHECK_SPEC: CommandSpec = {
  name: 'check',
  use: 'check <subcommand>',
  short: 'commands for checking properties of the etcd cluster',
  subcommands: [
    {
      name: 'perf',
      use: 'perf [options]',
      short: 'Check the performance of the etcd cluster',
      flags: [
        {
          name: 'load',
          kind: 'string',
          defaultText: 's',
          help: "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)",
        },
        { name: 'prefix', kind: 'string', defaultText: '/etcdctl-check-perf/', help: "The prefix for writing the performance check's keys." },
        ...maintenanceFlags,
      ],
      load: async () => (await import('../check.js')).CHECK_RUNS.perf,
    },
    {
      name: 'datascale',
      use: 'datascale [options]',
      short: 'Check the memory usage of holding data for different workloads on a given server endpoint.',
      long: 'If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.',
      flags: [
        {
          name: 'load',
          kind: 'string',
          defaultText: 's',
          help: "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)",
        },
        {
          name: 'prefix',
          kind: 'string',
          defaultText: '/etcdctl-check-datascale/',
          help: "The prefix for writing the datascale check's keys.",
        },
        ...maintenanceFlags,
      ],
      load: async () => (await import('../check.js')).CHECK_RUNS.datascale,
    },
  ],
};
