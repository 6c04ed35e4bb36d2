// Differential tests of alarm list/disarm, and of how a NOSPACE alarm shows in endpoint health and
// status, on a real 1-member cluster with a tiny backend quota.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { maskStatusSizesAndIndexes } from '../support/cluster-masks.js';
import { expectSame, maskTableLayout, maskTimings, runBoth, runBothWithReset, type Both } from '../support/diff.js';
import { runCli } from '../support/run.js';

const FORMATS = ['simple', 'json', 'fields', 'table', 'protobuf'] as const;
const QUOTA = 2 * 1024 * 1024;

/**
 * `alarm disarm -w fields`: etcdctl 3.5 dereferences the header its disarm response lacks and
 * panics (exit 2, Go stack trace); ours prints the panic's first line only, so stdout and the exit
 * status are compared there.
 */
function expectSameDisarm(both: Both, format: string): void {
  if (format !== 'fields') return expectSame(both);
  expect(both.real.code).toBe(2);
  expectSame(both, { stdoutOnly: true });
  expect(both.ours.stderr.toString()).toBe('panic: runtime error: invalid memory address or nil pointer dereference\n');
}

describe('alarms on a 1-member cluster with a small quota', () => {
  let cluster: Cluster;
  let ep: string;

  beforeAll(async () => {
    cluster = await startCluster({ size: 1, name: 'alarm', quotaBackendBytes: QUOTA });
    ep = cluster.endpointsFlag;
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Writes 256 KiB values until the quota is exceeded, which raises NOSPACE (bounded). */
  async function raiseNospace(): Promise<void> {
    const value = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 40; i++) {
      const put = await runCli('real', [ep, 'put', `alarm/fill/${i % 8}`], { stdin: value });
      if (put.code !== 0) {
        expect(put.stderr.toString()).toContain('etcdserver: mvcc: database space exceeded');
        return;
      }
    }
    throw new Error('the quota was never exceeded');
  }

  it('no alarms: list and disarm in every format', async () => {
    for (const w of FORMATS) {
      expectSame(await runBoth([ep, 'alarm', 'list', '-w', w]));
      expectSameDisarm(await runBoth([ep, 'alarm', 'disarm', '-w', w]), w);
    }
  });

  it('argument errors and usage texts', async () => {
    for (const sub of ['list', 'disarm']) {
      expectSame(await runBoth([ep, 'alarm', sub, 'extra']));
      expectSame(await runBoth(['alarm', sub, '--help']));
    }
    expectSame(await runBoth(['alarm']));
    expectSame(await runBoth(['alarm', 'nope']));
  });

  it('NOSPACE: alarm list in every format', async () => {
    await raiseNospace();
    for (const w of FORMATS) {
      const both = await runBoth([ep, 'alarm', 'list', '-w', w]);
      if (w === 'simple') expect(both.real.stdout.toString()).toMatch(/^memberID:\d+ alarm:NOSPACE \n$/);
      expectSame(both);
    }
  });

  it('NOSPACE: endpoint health is unhealthy, endpoint status lists the alarm', async () => {
    for (const w of FORMATS) {
      const health = await runBoth([ep, 'endpoint', 'health', '-w', w]);
      expect(health.real.code).toBe(w === 'protobuf' ? 4 : 1);
      expectSame(health, { masks: w === 'table' ? [maskTimings, maskTableLayout] : [maskTimings] });
      const masks = w === 'table' ? [maskTableLayout, maskStatusSizesAndIndexes] : [maskStatusSizesAndIndexes];
      expectSame(await runBoth([ep, 'endpoint', 'status', '-w', w]), { masks });
    }
    const health = await runBoth([ep, 'endpoint', 'health']);
    expect(health.ours.stderr.toString()).toContain('is unhealthy: failed to commit proposal: Active Alarm(s): NOSPACE \n');
  });

  it('NOSPACE: alarm disarm in every format (the alarm raised again before each side)', async () => {
    for (const w of FORMATS) {
      expectSameDisarm(await runBothWithReset([ep, 'alarm', 'disarm', '-w', w], {}, raiseNospace), w);
    }
    // Disarmed: nothing left to list.
    expectSame(await runBoth([ep, 'alarm', 'list']));
    expect((await runCli('ours', [ep, 'alarm', 'list'])).stdout.toString()).toBe('');
  });
});
