// Differential tests of Go's %q with code points assigned after Unicode 15.0, the version of Go
// 1.24's tables: etcdctl 3.5.16 escapes them (\u2ffc, \U0001fadc) where a JavaScript runtime's own,
// newer Unicode would call them printable. Keys and values written with put, read back with
// `get -w fields`, and a role's permission keys shown by `role get`, on both tools.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { realCtlOk } from '../support/kv-diff.js';

let cluster: Cluster;
let ep: string;

// One or more code points from each Unicode version after 15.0, plus printable neighbours from 15.0.
const NEW_CODE_POINTS: [version: string, cps: number[]][] = [
  ['15.1', [0x2ffc, 0x31ef, 0x2ebf0]],
  ['16.0', [0x1fadc, 0x10d50, 0xa7cb]],
  ['17.0', [0x323b0, 0x10940]],
];
const key = (version: string) => `q/${version}/${NEW_CODE_POINTS.find(([v]) => v === version)![1].map((cp) => String.fromCodePoint(cp)).join('')}`;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'quotediff' });
  ep = cluster.endpointsFlag;
  for (const [version, cps] of NEW_CODE_POINTS) {
    await realCtlOk(ep, ['put', key(version), `v${String.fromCodePoint(...cps)}\u{1fae8}`]);
  }
  await realCtlOk(ep, ['role', 'add', 'quoter']);
  await realCtlOk(ep, ['role', 'grant-permission', 'quoter', 'read', key('16.0'), `${key('17.0')}\u{2ffd}`]);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('%q follows Unicode 15.0', () => {
  it.each(NEW_CODE_POINTS.map(([v]) => v))('get -w fields of a key holding Unicode %s code points', async (version) => {
    expectSame(await runBoth([ep, 'get', key(version), '-w', 'fields']));
  });

  it('get --prefix -w fields', async () => {
    expectSame(await runBoth([ep, 'get', 'q/', '--prefix', '-w', 'fields']));
  });

  it('role get', async () => {
    expectSame(await runBoth([ep, 'role', 'get', 'quoter']));
  });
});
