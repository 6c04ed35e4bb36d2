// A TLS cluster with client certificate authentication, certificates made by the test itself
// (test/support/pki.ts): the real etcdctl 3.5.16 and ours side by side for put/get/watch over TLS,
// the TLS flags and their ETCDCTL_* variables, the certificate CN as the etcd user, and the
// failures (wrong CA, missing, expired or foreign client certificate). Failures end like
// etcdctl's — `Error: context deadline exceeded`, exit 1 — and our client warning line on stderr
// names the TLS reason (zap lines are masked in the comparison; the reason is checked on ours).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdClient } from '../../src/client/services.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth, runBothWithReset } from '../support/diff.js';
import { adminClient, ignoringErrors } from '../support/etcd-admin.js';
import { testServerIs34 } from '../support/etcd-bin.js';
import { runFor } from '../support/long-run.js';
import { makePki, type Pki } from '../support/pki.js';
import type { RunOptions } from '../support/run.js';

let pki: Pki;
let cluster: Cluster;
let admin: EtcdClient;
/** --endpoints plus the CA and root's client certificate. */
let asRoot: string[];

beforeAll(async () => {
  pki = await makePki({ clients: ['root', 'alice'] });
  cluster = await startCluster({
    size: 1,
    clientTls: { certFile: pki.server.cert, keyFile: pki.server.key, trustedCaFile: pki.ca, clientCertAuth: true },
  });
  const root = pki.client('root');
  asRoot = [cluster.endpointsFlag, `--cacert=${pki.ca}`, `--cert=${root.cert}`, `--key=${root.key}`];
  admin = await adminClient(cluster.clientUrls[0]!, { tls: { caFile: pki.ca, certFile: root.cert, keyFile: root.key } });
}, 60_000);
afterAll(async () => {
  admin?.close();
  await cluster?.stop();
  await pki?.cleanup();
});

async function same(args: string[], opts: RunOptions = {}, setup?: () => Promise<unknown>): Promise<ReturnType<typeof runBoth>> {
  const both = setup ? await runBothWithReset(args, opts, async () => void (await setup())) : await runBoth(args, opts);
  expectSame(both);
  return both;
}

describe('TLS with client certificates', () => {
  it('put and get with --cacert/--cert/--key', async () => {
    await same([...asRoot, 'put', 'tls/k', 'v1']);
    await same([...asRoot, 'get', 'tls/k']);
    await same([...asRoot, 'get', 'tls/k', '-w', 'fields']);
  });

  it('https:// endpoints, ETCDCTL_* variables, --insecure-skip-tls-verify', async () => {
    const root = pki.client('root');
    await same([`--endpoints=${cluster.clientUrls[0]}`, `--cacert=${pki.ca}`, `--cert=${root.cert}`, `--key=${root.key}`, 'get', 'tls/k']);
    await same([cluster.endpointsFlag, 'get', 'tls/k'], {
      env: { ETCDCTL_CACERT: pki.ca, ETCDCTL_CERT: root.cert, ETCDCTL_KEY: root.key },
    });
    await same([cluster.endpointsFlag, '--insecure-skip-tls-verify', `--cert=${root.cert}`, `--key=${root.key}`, 'get', 'tls/k']);
    await same([cluster.endpointsFlag, '--insecure-skip-tls-verify', '--insecure-transport=false', `--cert=${root.cert}`, `--key=${root.key}`, 'get', 'tls/k']);
  });

  it('watch over TLS', async () => {
    await admin.kv.put({ key: Buffer.from('tls/w'), value: Buffer.from('x') });
    const put = await admin.kv.put({ key: Buffer.from('tls/w'), value: Buffer.from('y') });
    const rev = BigInt(put.header!.revision) - 1n;
    // A watch from a past revision replays both puts at once; it never ends by itself.
    const args = [...asRoot, 'watch', 'tls/w', `--rev=${rev}`];
    const expected = 'PUT\ntls/w\nx\nPUT\ntls/w\ny\n';
    const real = await runFor('real', args, 8000, { until: expected });
    const ours = await runFor('ours', args, 8000, { until: expected });
    expect(real.stdout).toBe(expected);
    expect(ours.stdout).toBe(real.stdout);
  });

  it('the certificate CN is the user when auth is on', async () => {
    const alice = pki.client('alice');
    const asAlice = [cluster.endpointsFlag, `--cacert=${pki.ca}`, `--cert=${alice.cert}`, `--key=${alice.key}`];
    await ignoringErrors(() => admin.auth.userAdd('root', '', true));
    await ignoringErrors(() => admin.auth.roleAdd('root'));
    await ignoringErrors(() => admin.auth.userGrantRole('root', 'root'));
    await ignoringErrors(() => admin.auth.userAdd('alice', '', true));
    await ignoringErrors(() => admin.auth.roleAdd('tls-reader'));
    await admin.auth.roleGrantPermission('tls-reader', { permType: 0, key: Buffer.from('tls/'), rangeEnd: Buffer.from('tls0') });
    await admin.auth.userGrantRole('alice', 'tls-reader');
    await admin.auth.authEnable();
    try {
      await same([...asAlice, 'get', 'tls/k']);
      await same([...asAlice, 'put', 'tls/k', 'v2']);
      await same([...asAlice, 'user', 'list']);
      await same([...asRoot, 'user', 'get', 'alice']);
      await same([...asRoot, 'auth', 'status']);
    } finally {
      await admin.auth.authDisable();
    }
  });
});

describe('TLS failures', () => {
  const quick = ['--command-timeout=1s', '--dial-timeout=1s'];
  // etcd 3.4.23 is built with Go 1.19, whose TLS server sends the alert "bad certificate" for every
  // rejected client certificate; Go 1.21+ (etcd 3.5.16 on) names the reason.
  const clientCertReason = (reason: string) => (testServerIs34() ? 'tls: bad certificate' : reason);

  /** Both fail alike; ours also says why on stderr. */
  async function failsBecause(args: string[], reason: string): Promise<void> {
    const both = await same([...quick, ...args]);
    expect(both.real.code).toBe(1);
    expect(both.ours.stderr.toString()).toContain(reason);
    expect(both.ours.stderr.toString()).not.toMatch(/\n\s+at /); // no stack trace
  }

  it('a server certificate from an unknown CA', async () => {
    const root = pki.client('root');
    await failsBecause([cluster.endpointsFlag, `--cacert=${pki.otherCa}`, `--cert=${root.cert}`, `--key=${root.key}`, 'get', 'k'], 'certificate signed by unknown authority');
    await failsBecause([cluster.endpointsFlag, '--insecure-transport=false', 'get', 'k'], 'certificate signed by unknown authority');
  });

  it('no client certificate', async () => {
    await failsBecause([cluster.endpointsFlag, `--cacert=${pki.ca}`, 'get', 'k'], clientCertReason('tls: certificate required'));
  });

  it('an expired client certificate', async () => {
    await failsBecause([cluster.endpointsFlag, `--cacert=${pki.ca}`, `--cert=${pki.expired.cert}`, `--key=${pki.expired.key}`, 'get', 'k'], clientCertReason('tls: expired certificate'));
  });

  it('a client certificate from another CA', async () => {
    await failsBecause(
      [cluster.endpointsFlag, `--cacert=${pki.ca}`, `--cert=${pki.stranger.cert}`, `--key=${pki.stranger.key}`, 'get', 'k'],
      clientCertReason('tls: unknown certificate authority'),
    );
  });

  it('plaintext to a TLS server; credentials that cannot be sent end with exit 2', async () => {
    await failsBecause([cluster.endpointsFlag, 'get', 'k'], 'error reading server preface');
    const both = await same([...quick, cluster.endpointsFlag, '--user=root:x', `--cacert=${pki.ca}`, 'get', 'k']);
    expect(both.real.code).toBe(2);
  });

  it('bad TLS files are argument errors (exit 128)', async () => {
    const root = pki.client('root');
    await same([cluster.endpointsFlag, `--cert=${root.cert}`, 'get', 'k']);
    await same([cluster.endpointsFlag, `--cacert=${pki.dir}/missing.crt`, 'get', 'k']);
    await same([cluster.endpointsFlag, `--cert=${root.key}`, `--key=${root.key}`, 'get', 'k']);
  });
});
