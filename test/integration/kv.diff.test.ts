// Differential tests of get (put, del and compaction: put.diff.test.ts, del.diff.test.ts): each command line is run by the real
// etcdctl 3.5.16 and by etcdctl-ts against the same 1-member cluster, and stdout, stderr and the
// exit code must match byte for byte (masks only for revisions moved on by the other side's write,
// and for zap retry warnings, which etcdctl-ts does not print).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskLeaseIds, runBoth, type Mask } from '../support/diff.js';
import { fillArgs, grantLease, realCtl, realCtlOk } from '../support/kv-diff.js';
import type { RunOptions } from '../support/run.js';

let cluster: Cluster;
let ep: string;
/** Placeholders in case tables, filled in once the data exists. */
const vars: Record<string, string> = {};
const fill = (args: readonly string[]) => fillArgs(args, vars);
const realOk = (args: string[], opts: RunOptions = {}) => realCtlOk(ep, args, opts);

/** Writes keys whose bytes cannot travel through argv (0xff) with the real etcdctl's txn. */
async function txnPut(pairs: [string, string][]): Promise<void> {
  const lines = pairs.map(([k, v]) => `put "${k}" "${v}"\n`).join('');
  const r = await realCtl(ep, ['txn'], { stdin: `\n${lines}\n\n` });
  if (r.code !== 0 || !r.stdout.toString().startsWith('SUCCESS')) throw new Error(`txn setup failed: ${r.stderr.toString()}`);
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'kvdiff' });
  ep = cluster.endpointsFlag;

  // Sort data where every target orders differently: key a,b,c; version a(2),c(3),b(4);
  // create b,a,c; modify c,a,b; value c(alpha),b(mike),a(zulu).
  await realOk(['put', 'g/s/b', 'mike']);
  await realOk(['put', 'g/s/a', 'first']);
  await realOk(['put', 'g/s/c', 'x']);
  await realOk(['put', 'g/s/c', 'y']);
  await realOk(['put', 'g/s/c', 'alpha']);
  await realOk(['put', 'g/s/a', 'zulu']);
  for (let i = 0; i < 3; i++) await realOk(['put', 'g/s/b', 'mike']);
  // Revision history for --rev.
  const r1 = await realOk(['put', 'g/r/k', 'old', '-w', 'json']);
  vars.R1 = String(/"revision":(\d+)/.exec(r1.stdout.toString())?.[1]);
  await realOk(['put', 'g/r/k', 'new']);
  // Awkward bytes: unicode, quotes, backslashes, control bytes, HTML-sensitive characters, empty.
  await realOk(['put', 'g/u/é✓', 'ü "q" \\ <>& \u2028']);
  await realOk(['put', 'g/u/ctl', 'a\tb\x01c\x7f\r\nd']);
  await realOk(['put', 'g/u/empty', '']);
  await realOk(['put', 'g/u/nl\nkey', 'multi\nline\n']);
  await realOk(['put', 'g/b/bin'], { stdin: Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x0a, 0x41, 0xc3]) });
  // Keys ending in 0xff (prefix range ends skip trailing 0xff bytes).
  await txnPut([
    ['g/x\\xff', 'one'],
    ['g/x\\xff\\xff', 'two'],
    ['g/x/\\xff', 'three'],
    ['g/y', 'after'],
  ]);
  // A key attached to a real lease.
  vars.LEASE = await grantLease(ep);
  await realOk(['put', 'g/l/k', 'leased', `--lease=${vars.LEASE}`]);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

type Case = [args: string[], masks?: Mask[]];

describe('get', () => {
  const cases: Case[] = [
    // One key in every format.
    [['get', 'g/s/a']],
    [['get', 'g/s/a', '-w', 'json']],
    [['get', 'g/s/a', '-w', 'fields']],
    [['get', 'g/s/a', '-w', 'protobuf']],
    [['get', 'g/s/a', '-w', 'simple']],
    [['get', 'g/s/a', '-w', 'table']],
    [['get', 'g/s/a', '--hex']],
    [['get', 'g/s/a', '--hex', '-w', 'json']],
    [['get', 'g/s/a', '--hex', '-w', 'fields']],
    // No match.
    [['get', 'g/none']],
    [['get', 'g/none', '-w', 'json']],
    [['get', 'g/none', '-w', 'fields']],
    [['get', 'g/none', '-w', 'protobuf']],
    [['get', 'g/none', '-w', 'table']],
    // Ranges.
    [['get', 'g/s/', '--prefix']],
    [['get', 'g/s/', '--prefix', '-w', 'json']],
    [['get', 'g/s/', '--prefix', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '-w', 'protobuf']],
    [['get', '', '--prefix']],
    [['get', '', '--prefix', '-w', 'json']],
    [['get', '', '--from-key', '--keys-only']],
    [['get', 'g/s/b', '--from-key']],
    [['get', 'g/s/b', '--from-key', '-w', 'fields']],
    [['get', 'g/s/a', 'g/s/c']],
    [['get', 'g/s/a', 'g/s/c', '-w', 'json']],
    [['get', 'g/s/c', 'g/s/a']],
    [['get', 'g/s/a', 'g/s/c', 'ignored-third']],
    // --limit and More.
    [['get', 'g/s/', '--prefix', '--limit=2']],
    [['get', 'g/s/', '--prefix', '--limit', '2', '-w', 'json']],
    [['get', 'g/s/', '--prefix', '--limit=2', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '--limit=3', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '--limit=-1']],
    [['get', 'g/s/', '--prefix', '--limit=0x2']],
    [['get', 'g/s/', '--prefix', '--limit=abc']],
    // Sorting: every target in both orders, lower case, order or target alone.
    ...(['KEY', 'VERSION', 'CREATE', 'MODIFY', 'VALUE'] as const).flatMap((target): Case[] =>
      (['ASCEND', 'DESCEND'] as const).map((order): Case => [['get', 'g/s/', '--prefix', `--sort-by=${target}`, `--order=${order}`]]),
    ),
    [['get', 'g/s/', '--prefix', '--sort-by=value']],
    [['get', 'g/s/', '--prefix', '--sort-by=version', '--order=descend']],
    [['get', 'g/s/', '--prefix', '--order=DESCEND']],
    [['get', 'g/s/', '--prefix', '--order=Descend', '-w', 'json']],
    [['get', 'g/s/', '--prefix', '--sort-by=MODIFY', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '--sort-by=bogus']],
    [['get', 'g/s/', '--prefix', '--order=UP']],
    [['get', 'g/s/', '--prefix', '--order=UP', '--sort-by=bogus']],
    // --keys-only / --count-only.
    [['get', 'g/s/', '--prefix', '--keys-only']],
    [['get', 'g/s/', '--prefix', '--keys-only', '-w', 'json']],
    [['get', 'g/s/', '--prefix', '--keys-only', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '--keys-only', '--hex']],
    [['get', 'g/s/', '--prefix', '--count-only', '-w', 'fields']],
    [['get', 'g/s/', '--prefix', '--count-only']],
    [['get', 'g/s/', '--prefix', '--count-only', '-w', 'json']],
    [['get', 'g/s/', '--prefix', '--count-only', '-w', 'protobuf']],
    [['get', 'g/s/', '--prefix', '--count-only', '-w', 'table']],
    [['get', 'g/s/', '--prefix', '--keys-only', '--count-only']],
    // --print-value-only.
    [['get', 'g/s/', '--prefix', '--print-value-only']],
    [['get', 'g/s/a', '--print-value-only', '--hex']],
    [['get', 'g/s/', '--prefix', '--print-value-only', '--keys-only']],
    [['get', 'g/s/a', '--print-value-only', '-w', 'json']],
    [['get', 'g/s/a', '--print-value-only', '-w', 'fields']],
    [['get', 'g/s/a', '--print-value-only', '-w', 'protobuf']],
    // --rev.
    [['get', 'g/r/k', '--rev=<R1>']],
    [['get', 'g/r/k', '--rev=<R1>', '-w', 'json']],
    [['get', 'g/r/k', '--rev=0']],
    [['get', 'g/r/k', '--rev=-5']],
    [['get', 'g/r/k', '--rev=99999999']],
    [['get', 'g/r/k', '--rev=1.5']],
    // --consistency.
    [['get', 'g/s/a', '--consistency=s']],
    [['get', 'g/s/a', '--consistency=l', '-w', 'json']],
    [['get', 'g/s/a', '--consistency=x']],
    [['get', 'g/s/a', '--consistency=L']],
    // Argument errors, in etcdctl's order.
    [['get']],
    [['get', '--prefix']],
    [['get', 'g/s/', 'x', '--prefix']],
    [['get', 'g/s/', 'x', '--from-key']],
    [['get', 'g/s/', '--prefix', '--from-key']],
    [['get', 'g/s/', '--prefix', '--from-key', '--keys-only', '--count-only']],
    [['get', '--consistency=x']],
    [['get', 'a', 'b', '--prefix', '--consistency=x']],
    [['get', 'a', '--order=bad', '--prefix', 'x']],
    [['get', 'a', '--consistency=x', '--order=bad']],
    // Awkward bytes in every format.
    [['get', 'g/u/', '--prefix']],
    [['get', 'g/u/', '--prefix', '-w', 'json']],
    [['get', 'g/u/', '--prefix', '-w', 'fields']],
    [['get', 'g/u/', '--prefix', '-w', 'protobuf']],
    [['get', 'g/u/', '--prefix', '--hex']],
    [['get', 'g/u/', '--prefix', '--keys-only', '-w', 'json']],
    [['get', 'g/u/é✓', '--print-value-only']],
    [['get', 'g/u/empty']],
    [['get', 'g/u/empty', '-w', 'json']],
    [['get', 'g/u/empty', '-w', 'fields']],
    [['get', 'g/u/empty', '--hex']],
    [['get', 'g/b/bin']],
    [['get', 'g/b/bin', '--hex']],
    [['get', 'g/b/bin', '-w', 'json']],
    [['get', 'g/b/bin', '-w', 'fields']],
    [['get', 'g/b/bin', '-w', 'protobuf']],
    // Keys ending in 0xff.
    [['get', 'g/x', '--prefix', '--hex']],
    [['get', 'g/x', '--prefix', '-w', 'fields']],
    [['get', 'g/x', '--prefix', '-w', 'json']],
    [['get', 'g/x', '--from-key', '--keys-only', '--hex']],
    [['get', 'g/x/', '--prefix']],
    [['get', '', '--prefix', '--keys-only', '--hex']],
    // A leased key (same lease on both sides; masked anyway since its id changes from run to run).
    [['get', 'g/l/k', '-w', 'json'], [maskLeaseIds]],
    [['get', 'g/l/k', '-w', 'fields'], [maskLeaseIds]],
  ];

  it.each(cases)('etcdctl %j', async (args, masks) => {
    expectSame(await runBoth([ep, ...fill(args)]), { masks: masks ?? [] });
  });
});

