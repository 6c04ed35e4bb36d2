// Command-line input the fuzz suite found handled differently from etcdctl 3.5.16: an upper-case
// endpoint scheme (clientv3 lowercases it), a port above 65535 (the warning words Go's dialer's
// error, not Node's), and durations too long for a Node timer (Go's int64 nanoseconds reach 292
// years; Node fired such timers after 1 ms with a TimeoutOverflowWarning). Each side runs the same
// command line against the same member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskRevisions, runBoth, runBothWithReset } from '../support/diff.js';
import { realCtlOk } from '../support/kv-diff.js';
import type { CliResult } from '../support/run.js';

let cluster: Cluster;
let hostPort: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'inputedges' });
  hostPort = cluster.endpoints[0]!.replace(/^https?:\/\//, '');
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

const reset = async () => {
  await realCtlOk(cluster.endpointsFlag, ['del', 'edge/', '--prefix']);
};

describe('endpoint URLs', () => {
  it.each(['HTTP', 'Http', 'hTtP'])('%s:// is http://', async (scheme) => {
    const ep = `--endpoints=${scheme}://${hostPort}`;
    expectSame(await runBothWithReset([ep, 'put', 'edge/k', 'v'], {}, reset));
    expectSame(await runBoth([ep, 'get', 'edge/k', '-w', 'json']), { masks: [maskRevisions] });
    expectSame(await runBoth([ep, 'endpoint', 'health']), { masks: [{ name: 'took', rules: [{ pattern: /took = \S+/g, replacement: 'took = <T>' }] }] });
  });

  it("a port above 65535: etcdctl's warning names Go's dialer error, and so does ours", async () => {
    /** The "error" field of the client warning line. */
    const reason = (r: CliResult) => /"error":"((?:[^"\\]|\\.)*)"/.exec(r.stderr.toString())?.[1];
    for (const port of ['99999', '00070000', '65536']) {
      const both = await runBoth([`--endpoints=127.0.0.1:${port}`, '--command-timeout=2s', 'get', 'edge/k']);
      expectSame(both);
      expect(reason(both.ours)).toBe(reason(both.real));
      expect(reason(both.ours)).toContain(`dial tcp: address ${port}: invalid port`);
      expect(both.ours.stderr.toString()).not.toMatch(/RangeError|ERR_SOCKET_BAD_PORT/);
    }
  });
});

describe('durations beyond a Node timer (2^31 ms and more)', () => {
  it.each([
    ['--command-timeout=597h'],
    ['--command-timeout=2562047h47m16.854775807s'],
    ['--dial-timeout=2562047h'],
    ['--keepalive-time=597h'],
    ['--keepalive-timeout=2562047h'],
  ])('%s', async (flag) => {
    const ep = cluster.endpointsFlag;
    const both = await runBothWithReset([ep, flag, 'put', 'edge/k', 'v'], {}, reset);
    expectSame(both);
    expect(both.ours.stderr.toString()).toBe('');
    expectSame(await runBoth([ep, flag, 'get', 'edge/k', '--print-value-only']));
    expectSame(await runBoth([ep, flag, 'lease', 'grant', '9000000000']), { masks: [{ name: 'id', rules: [{ pattern: /lease [0-9a-f]+/g, replacement: 'lease <ID>' }] }] });
  });
});
