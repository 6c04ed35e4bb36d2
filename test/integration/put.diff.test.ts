// Differential tests of put: each command line is run by the real etcdctl 3.5.16 and by
// etcdctl-ts against the same 1-member cluster after the same reset, and what each printed (stdout,
// stderr, exit code) plus what it stored (read back by the real etcdctl) must match byte for byte.
// Revisions are masked: the other side's write moved them on.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskLeaseIds, maskRevisions, runBothWithReset } from '../support/diff.js';
import { expectSameProtobuf, fillArgs, grantLease, realCtl, realCtlOk, runBothThen } from '../support/kv-diff.js';
import type { RunOptions } from '../support/run.js';

let cluster: Cluster;
let ep: string;
const vars: Record<string, string> = {};
const fill = (args: readonly string[]) => fillArgs(args, vars);
const real = (args: string[], opts: RunOptions = {}) => realCtl(ep, args, opts);
const realOk = (args: string[], opts: RunOptions = {}) => realCtlOk(ep, args, opts);

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'putdiff' });
  ep = cluster.endpointsFlag;
  vars.LEASE = await grantLease(ep);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('put', () => {
  const setup = async () => {
    await realOk(['del', 'g/p/', '--prefix']);
    // Attached to a lease, so that --ignore-lease visibly keeps it.
    await realOk(['put', 'g/p/k', 'old', `--lease=${vars.LEASE}`]);
  };
  // What the command left behind, read by the real etcdctl (json shows value, version and lease).
  const stored = () => real(['get', 'g/p/', '--prefix', '-w', 'json']);

  const cases: [args: string[], opts?: RunOptions][] = [
    [['put', 'g/p/k', 'v1']],
    [['put', 'g/p/k', 'v1', '-w', 'json']],
    [['put', 'g/p/k', 'v1', '-w', 'fields']],
    [['put', 'g/p/k', 'v1', '--prev-kv']],
    [['put', 'g/p/k', 'v1', '--prev-kv', '-w', 'json']],
    [['put', 'g/p/k', 'v1', '--prev-kv', '-w', 'fields']],
    [['put', 'g/p/k', 'v1', '--prev-kv', '--hex']],
    [['put', 'g/p/new', 'v1', '--prev-kv']],
    [['put', 'g/p/new', 'v1', '--prev-kv', '-w', 'json']],
    [['put', 'g/p/new', 'v1', '--prev-kv', '-w', 'fields']],
    [['put', 'g/p/é', 'ü "q" <>&\\', '--prev-kv', '-w', 'json']],
    // `--` forms and a value that looks like a flag.
    [['put', '--', 'g/p/k', '-value']],
    [['put', 'g/p/k', '--', '-v']],
    [['put', 'g/p/k', '-v']],
    [['put', 'g/p/k', 'a', 'b', 'c']],
    // Value from stdin, verbatim (trailing newline kept, binary bytes).
    [['put', 'g/p/k'], { stdin: 'line1\nline2\n' }],
    [['put', 'g/p/k', '--prev-kv'], { stdin: Buffer.from([0x00, 0xff, 0x0a, 0x0a, 0xfe]) }],
    [['put', 'g/p/k'], { stdin: '' }],
    [['put', 'g/p/k']],
    [['put', 'g/p/k', 'from-arg'], { stdin: 'from-stdin' }],
    [['put']],
    [['put'], { stdin: 'value' }],
    // Leases.
    [['put', 'g/p/k', 'v', '--lease=<LEASE>']],
    [['put', 'g/p/k', 'v', '--lease=<LEASE>', '--prev-kv', '-w', 'fields']],
    [['put', 'g/p/k', 'v', '--lease=zz']],
    [['put', 'g/p/k', 'v', '--lease=0x12']],
    [['put', 'g/p/k', 'v', '--lease=ffffffffffffffffff']],
    [['put', 'g/p/k', 'v', '--lease=1']],
    [['put', 'g/p/k', 'v', '--lease=-1']],
    [['put', 'g/p/k', 'v', '--lease=<LEASE>', '--ignore-lease']],
    // --ignore-value / --ignore-lease.
    [['put', 'g/p/k', '--ignore-value']],
    [['put', 'g/p/k', '--ignore-value', '--prev-kv', '-w', 'json']],
    [['put', 'g/p/k', 'v', '--ignore-value']],
    [['put', 'g/p/missing', '--ignore-value']],
    [['put', 'g/p/k', 'v2', '--ignore-lease']],
    [['put', 'g/p/missing', 'v', '--ignore-lease']],
    [['put', 'g/p/k', '--ignore-value', '--ignore-lease']],
    // Formats: table fails after the key is written; a bad -w fails before.
    [['put', 'g/p/k', 'v', '-w', 'table']],
    [['put', 'g/p/k', 'v', '-w', 'xml']],
    [['put', 'g/p/k', '-w', 'xml']],
    [['put', '', 'v']],
  ];

  it.each(cases)('etcdctl %j', async (args, opts) => {
    const both = await runBothThen([ep, ...fill(args)], opts ?? {}, setup, stored);
    expectSame(both, { masks: [maskRevisions, maskLeaseIds] });
  });

  it.each([
    [['put', 'g/p/k', 'v', '-w', 'protobuf']],
    [['put', 'g/p/k', 'v', '--prev-kv', '-w', 'protobuf']],
    [['put', 'g/p/k', 'v', '--lease=<LEASE>', '--prev-kv', '-w', 'protobuf']],
  ])('etcdctl %j (protobuf bytes, revisions zeroed)', async (args) => {
    const both = await runBothWithReset([ep, ...fill(args)], {}, setup);
    expectSameProtobuf(both, 'etcdserverpb.PutResponse');
  });
});

