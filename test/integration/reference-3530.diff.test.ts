// etcdctl 3.5.30 (Debian sid) as a second reference, for the README's differences from 3.5.16 that
// follow later 3.5 fixes: etcdctl-ts must behave as 3.5.30 does there. Same cluster, same command
// lines, byte for byte (tables are left out: sid's build draws them with box characters).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskRevisions, maskTimings, type Both } from '../support/diff.js';
import { etcdctl3530Path } from '../support/etcd-bin.js';
import { realCtlOk } from '../support/kv-diff.js';
import { runCli, type RunOptions } from '../support/run.js';

let cluster: Cluster;
let ep: string;

/** etcdctl 3.5.30 on the "real" side, etcdctl-ts on the other. */
async function versus3530(args: string[], opts: RunOptions = {}): Promise<Both> {
  const real = await runCli('ours', args, { ...opts, ours: [etcdctl3530Path()] });
  const ours = await runCli('ours', args, opts);
  return { args, opts, real, ours };
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'ref3530' });
  ep = cluster.endpointsFlag;
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('etcdctl 3.5.30 confirms', () => {
  it('txn: single-quoted words are taken whole (3.5.28)', async () => {
    const stdin = "\nput 'k one' 'value with spaces'\nget 'k one'\n\n\n";
    expectSame(await versus3530([ep, 'txn'], { stdin }));
    // Each run writes the key again: revisions and its version move on.
    const version = { name: 'version', rules: [{ pattern: /"version":\d+/g, replacement: '"version":<N>' }] };
    expectSame(await versus3530([ep, 'txn', '-w', 'json'], { stdin }), { masks: [maskRevisions, version] });
  });

  it('--cluster looks the member list up with the --user credentials (3.5.29)', async () => {
    await realCtlOk(ep, ['user', 'add', 'root:rootpw']);
    await realCtlOk(ep, ['user', 'grant-role', 'root', 'root']);
    await realCtlOk(ep, ['auth', 'enable']);
    for (const sub of [['endpoint', 'health'], ['endpoint', 'hashkv'], ['endpoint', 'health', '-w', 'json']]) {
      expectSame(await versus3530([ep, '--user=root:rootpw', ...sub, '--cluster']), { masks: [maskTimings] });
    }
  });
});
