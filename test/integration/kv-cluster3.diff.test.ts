// Differential tests of get/put/del/compaction against a 3-member cluster, with all three
// endpoints given, and with a dead endpoint listed first (the balancer must skip it). Which member
// answers is the balancer's choice, so the header's member id is masked; everything else must match
// byte for byte.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskRevisions, runBoth } from '../support/diff.js';
import { closedPort, maskMemberId, realCtl, realCtlOk, runBothThen } from '../support/kv-diff.js';

let cluster: Cluster;
let all: string;
let deadFirst: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 3, name: 'kv3' });
  all = cluster.endpointsFlag;
  deadFirst = `--endpoints=127.0.0.1:${await closedPort()},${cluster.endpoints.join(',')}`;
  await realCtlOk(all, ['put', 'c3/a', '1']);
  await realCtlOk(all, ['put', 'c3/b', '2']);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

const EPS = { all: () => all, deadFirst: () => deadFirst };

describe('reads', () => {
  it.each<[keyof typeof EPS, string[]]>([
    ['all', ['get', 'c3/a']],
    ['all', ['get', 'c3/', '--prefix', '-w', 'json']],
    ['all', ['get', 'c3/', '--prefix', '-w', 'fields']],
    ['all', ['get', 'c3/', '--prefix', '--hex', '--limit=1']],
    ['deadFirst', ['get', 'c3/a']],
    ['deadFirst', ['get', 'c3/', '--prefix', '-w', 'json']],
    ['deadFirst', ['get', 'c3/', '--prefix', '--count-only', '-w', 'fields']],
    ['deadFirst', ['get', 'c3/none']],
  ])('etcdctl --endpoints=<%s> %j', async (eps, args) => {
    expectSame(await runBoth([EPS[eps](), ...args]), { masks: [maskMemberId] });
  });
});

describe('writes', () => {
  const setup = async () => {
    await realCtlOk(all, ['del', 'c3/w/', '--prefix']);
    await realCtlOk(all, ['put', 'c3/w/k', 'old']);
  };
  const stored = () => realCtl(all, ['get', 'c3/w/', '--prefix']);

  it.each<[keyof typeof EPS, string[]]>([
    ['all', ['put', 'c3/w/k', 'v', '--prev-kv']],
    ['all', ['put', 'c3/w/k', 'v', '-w', 'json']],
    ['all', ['del', 'c3/w/k', '--prev-kv', '-w', 'fields']],
    ['deadFirst', ['put', 'c3/w/k', 'v', '--prev-kv']],
    ['deadFirst', ['put', 'c3/w/k', 'v', '--prev-kv', '-w', 'fields']],
    ['deadFirst', ['del', 'c3/w/', '--prefix']],
    ['deadFirst', ['del', 'c3/w/k', '--prev-kv', '-w', 'json']],
    ['deadFirst', ['compaction', '99999999']],
  ])('etcdctl --endpoints=<%s> %j', async (eps, args) => {
    const both = await runBothThen([EPS[eps](), ...args], {}, setup, stored);
    expectSame(both, { masks: [maskMemberId, maskRevisions] });
  });
});
