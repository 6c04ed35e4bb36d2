// check perf / check datascale: etcdctl's built-in load tests. Both write random keys under a
// prefix from many clients, draw pb's progress bar on stdout, judge the run with etcdctl's
// criteria and delete their keys afterwards. The specs are in specs/check.ts; the work is in check/
// (load.ts: models, keys, queue, clients, clean-up; stats.ts; metrics.ts; perf.ts; datascale.ts).
import { runDatascale } from './check/datascale.js';
import { runPerf } from './check/perf.js';

/** The run functions, by command name (commands/specs/ says what each command is). */
export const CHECK_RUNS = { perf: runPerf, datascale: runDatascale };
