// Differential tests of del and compaction: each command line is run by the real etcdctl 3.5.16
// and by etcdctl-ts against the same 1-member cluster after the same reset; what each printed
// (stdout, stderr, exit code) plus the keys it left (read back by the real etcdctl) must match byte
// for byte. Revisions are masked where the other side's writes moved them on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskRevisions, runBoth, runBothWithReset, type Mask } from '../support/diff.js';
import { expectSameProtobuf, fillArgs, realCtl, realCtlOk, runBothThen } from '../support/kv-diff.js';
import { runCli, type RunOptions } from '../support/run.js';

let cluster: Cluster;
let ep: string;
const vars: Record<string, string> = {};
const fill = (args: readonly string[]) => fillArgs(args, vars);
const real = (args: string[], opts: RunOptions = {}) => realCtl(ep, args, opts);
const realOk = (args: string[], opts: RunOptions = {}) => realCtlOk(ep, args, opts);

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'deldiff' });
  ep = cluster.endpointsFlag;
  // Revision history for get --rev after compaction.
  const r1 = await realOk(['put', 'g/r/k', 'old', '-w', 'json']);
  vars.R1 = String(/"revision":(\d+)/.exec(r1.stdout.toString())?.[1]);
  await realOk(['put', 'g/r/k', 'new']);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('del', () => {
  const setup = async () => {
    await realOk(['del', 'g/d/', '--prefix']);
    for (const k of ['a', 'b', 'c']) await realOk(['put', `g/d/${k}`, `value-${k}`]);
  };
  const left = () => real(['get', 'g/d/', '--prefix', '--keys-only']);

  const cases: [args: string[]][] = [
    [['del', 'g/d/a']],
    [['del', 'g/d/a', '-w', 'json']],
    [['del', 'g/d/a', '-w', 'fields']],
    [['del', 'g/d/a', '--prev-kv']],
    [['del', 'g/d/a', 'g/d/c']],
    [['del', 'g/d/a', 'g/d/c', '--range']],
    [['del', 'g/d/a', 'g/d/c', '-w', 'json', '--prev-kv']],
    [['del', 'g/d/', '--prefix']],
    [['del', 'g/d/', '--prefix', '--prev-kv']],
    [['del', 'g/d/', '--prefix', '--prev-kv', '-w', 'json']],
    [['del', 'g/d/', '--prefix', '--prev-kv', '-w', 'fields']],
    [['del', 'g/d/', '--prefix', '--prev-kv', '--hex']],
    [['del', 'g/d/', '--prefix', '-w', 'table']],
    [['del', 'g/d/', '--prefix', '-w', 'xml']],
    [['del', 'g/d/none']],
    [['del', 'g/d/none', '-w', 'json']],
    [['del', 'g/d/none', '-w', 'fields']],
    [['del', 'g/d/none', '--prev-kv', '-w', 'fields']],
    [['del']],
    [['del', 'a', 'b', 'c']],
    [['del', 'g/d/a', 'g/d/b', '--prefix']],
    [['del', 'g/d/a', 'g/d/b', '--from-key']],
    [['del', 'g/d/', '--prefix', '--from-key']],
    [['del', 'g/d/a', '--bogus']],
  ];

  it.each(cases)('etcdctl %j', async (args) => {
    const both = await runBothThen([ep, ...args], {}, setup, left);
    expectSame(both, { masks: [maskRevisions] });
  });

  it.each([[['del', 'g/d/', '--prefix', '-w', 'protobuf']], [['del', 'g/d/', '--prefix', '--prev-kv', '-w', 'protobuf']]])(
    'etcdctl %j (protobuf bytes, revisions zeroed)',
    async (args) => {
      const both = await runBothWithReset([ep, ...args], {}, setup);
      expectSameProtobuf(both, 'etcdserverpb.DeleteRangeResponse');
    },
  );

  it('etcdctl del --from-key (keys at the end of the keyspace)', async () => {
    const setupTail = async () => {
      for (const k of ['a', 'b', 'c']) await realOk(['put', `zz/${k}`, k]);
    };
    const tail = () => real(['get', 'zz/', '--prefix', '--keys-only']);
    for (const args of [
      ['del', 'zz/b', '--from-key'],
      ['del', 'zz/b', '--from-key', '--prev-kv', '-w', 'fields'],
    ]) {
      expectSame(await runBothThen([ep, ...args], {}, setupTail, tail), { masks: [maskRevisions] });
    }
  });
});

describe('compaction (last: it compacts the history the tests above read)', () => {
  /** The current revision, after a write so that every compaction has a fresh target. */
  async function freshRevision(): Promise<string> {
    const r = await realOk(['put', 'g/c/k', String(Math.random()), '-w', 'json']);
    return String(/"revision":(\d+)/.exec(r.stdout.toString())?.[1]);
  }

  /** Each side compacts its own fresh revision; the printed revision is checked, then masked. */
  it.each([[[]], [['--physical']], [['-w', 'json']], [['-w', 'fields']], [['-w', 'table']], [['-w', 'protobuf']], [['--hex']]])(
    'etcdctl compaction <rev> %j',
    async (extra) => {
      const revReal = await freshRevision();
      const realRun = await runCli('real', [ep, 'compaction', revReal, ...extra]);
      const revOurs = await freshRevision();
      const oursRun = await runCli('ours', [ep, 'compaction', revOurs, ...extra]);
      expect(oursRun.stdout.toString()).toBe(`compacted revision ${revOurs}\n`);
      const rev: Mask = { name: 'compacted revision', rules: [{ pattern: /compacted revision \d+/g, replacement: 'compacted revision <REV>' }] };
      expectSame({ args: ['compaction', '<rev>', ...extra], opts: {}, real: realRun, ours: oursRun }, { masks: [rev] });
    },
  );

  it.each([
    [['compaction', '1']],
    [['compaction', '2', '--physical']],
    [['compaction', '99999999']],
    [['compaction', '--', '-5']],
    [['compaction', 'abc']],
    [['compaction', '12abc']],
    [['compaction', '0x10']],
    [['compaction', '99999999999999999999']],
    [['compaction']],
    [['compaction', '1', '2']],
    [['compaction', '-w', 'xml']],
    [['compaction', '1', '-w', 'xml']],
    [['get', 'g/r/k', '--rev=<R1>']],
    [['get', 'g/r/k', '--rev=<R1>', '-w', 'json']],
  ])('etcdctl %j', async (args) => {
    expectSame(await runBoth([ep, ...fill(args)]));
  });
});
