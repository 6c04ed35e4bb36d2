// check perf / check datascale: etcdctl's built-in load tests. Both write random keys under a
// prefix from many clients, draw pb's progress bar on stdout, judge the run with etcdctl's
// criteria and delete their keys afterwards. The commands are here; the work is in check/
// (load.ts: models, keys, queue, clients, clean-up; stats.ts; metrics.ts; perf.ts; datascale.ts).
import { CtlCommand } from '../cli/command.js';
import { type FlagSpec } from '../flags/flag.js';
import { runDatascale } from './check/datascale.js';
import { runPerf } from './check/perf.js';

// ---------------------------------------------------------------------------------------------

const maintenanceFlags: FlagSpec[] = [
  { name: 'auto-compact', kind: 'bool', defaultText: 'false', help: 'Compact storage with last revision after test is finished.' },
  { name: 'auto-defrag', kind: 'bool', defaultText: 'false', help: 'Defragment storage after test is finished.' },
];

export function checkCommand(): CtlCommand {
  const perf = CtlCommand.fromSpec({
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
    run: runPerf,
  });
  const datascale = CtlCommand.fromSpec({
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
    run: runDatascale,
  });
  return CtlCommand.fromSpec({ name: 'check', use: 'check <subcommand>', short: 'commands for checking properties of the etcd cluster' }).add(
    perf,
    datascale,
  );
}
