// The whole auth flow, differentially (real etcdctl 3.5.16 vs ours): create root, enable auth,
// allowed and denied access with every way of passing credentials, disable auth. Before each
// side of a state-changing command the cluster is put back in the same state in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdClient } from '../../src/client/services.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth, runBothWithReset } from '../support/diff.js';
import { adminClient, ignoringErrors } from '../support/etcd-admin.js';
import { runCli, type RunOptions } from '../support/run.js';

const ROOT = '--user=root:rootpw';
const ALICE = '--user=alice:alicepw';

let cluster: Cluster;
let ep: string;
/** Logs in as root whenever auth is on. */
let admin: EtcdClient;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  admin = await adminClient(cluster.endpoints[0]!, { user: 'root', password: 'rootpw' });
});
afterAll(async () => {
  admin?.close();
  await cluster?.stop();
});

async function same(args: string[], setup?: () => Promise<unknown>, opts: RunOptions = {}): Promise<void> {
  const both = setup ? await runBothWithReset([ep, ...args], opts, async () => void (await setup())) : await runBoth([ep, ...args], opts);
  expectSame(both);
}

/** Auth off, no role root; user root exists unless `withRoot` is false. */
async function authOff(withRoot = true): Promise<void> {
  await ignoringErrors(() => admin.auth.authDisable());
  await ignoringErrors(() => admin.auth.roleDelete('root'));
  await ignoringErrors(() => (withRoot ? admin.auth.userAdd('root', 'rootpw', false) : admin.auth.userDelete('root')));
}

async function authOn(): Promise<void> {
  await ignoringErrors(() => admin.auth.userAdd('root', 'rootpw', false));
  await ignoringErrors(() => admin.auth.roleAdd('root'));
  await ignoringErrors(() => admin.auth.userGrantRole('root', 'root'));
  await ignoringErrors(() => admin.auth.authEnable());
}

describe('auth enable', () => {
  it('auth status while disabled, in every format', async () => {
    await authOff();
    for (const f of ['simple', 'json', 'fields', 'protobuf', 'table']) await same(['auth', 'status', '-w', f]);
  });

  it('fails without user root', async () => {
    await same(['auth', 'enable'], () => authOff(false));
  });

  it('creates role root when missing, then enables (fixed text in any format)', async () => {
    await same(['auth', 'enable'], () => authOff());
    await same(['auth', 'enable', '-w', 'json'], () => authOff());
    const roles = await runCli('real', [ep, ROOT, 'role', 'list']);
    expect(roles.stdout.toString()).toBe('root\n');
    await same(['auth', 'enable']); // already enabled
  });
});

describe('access with auth enabled', () => {
  beforeAll(async () => {
    await authOn();
    await ignoringErrors(() => admin.auth.userDelete('alice'));
    await ignoringErrors(() => admin.auth.roleDelete('reader'));
    await admin.auth.roleAdd('reader');
    await admin.auth.roleGrantPermission('reader', { permType: 0, key: Buffer.from('a'), rangeEnd: Buffer.from('z') });
    await admin.auth.roleGrantPermission('reader', { permType: 1, key: Buffer.from('b'), rangeEnd: Buffer.alloc(0) });
    await admin.auth.userAdd('alice', 'alicepw', false);
    await admin.auth.userGrantRole('alice', 'reader');
    await admin.kv.put({ key: Buffer.from('b'), value: Buffer.from('bee') });
  });

  it.each<[string, string[], RunOptions?]>([
    ['no credentials', ['get', 'b']],
    ['user:password, allowed read', [ALICE, 'get', 'b', '-w', 'json']],
    ['denied read', [ALICE, 'get', 'zz']],
    ['denied write', [ALICE, 'put', 'c', '1']],
    ['denied range over the whole keyspace', [ALICE, 'get', '', '--prefix']],
    ['wrong password (exit 2)', ['--user=alice:wrong', 'get', 'b']],
    ['unknown user', ['--user=nobody:x', 'get', 'b']],
    ['--user and --password', ['--user=alice', '--password=alicepw', 'get', 'b']],
    ['--password keeps the colon in --user', [ALICE, '--password=alicepw', 'get', 'b']],
    ['password prompt answered from stdin', ['--user=alice', 'get', 'b'], { stdin: 'alicepw\nrest' }],
    ['password prompt at end of input', ['--user=alice', 'get', 'b']],
    ['empty password is no credentials', ['--user=alice:', 'get', 'b']],
    ['ETCDCTL_USER', ['get', 'b'], { env: { ETCDCTL_USER: 'alice:alicepw' } }],
    ['ETCDCTL_USER and ETCDCTL_PASSWORD', ['get', 'b'], { env: { ETCDCTL_USER: 'alice', ETCDCTL_PASSWORD: 'alicepw' } }],
    ['non-root cannot list users', [ALICE, 'user', 'list']],
    ['non-root cannot read auth status', [ALICE, 'auth', 'status']],
    ['non-root cannot disable auth', [ALICE, 'auth', 'disable']],
    ['root reads a user in detail', [ROOT, 'user', 'get', 'alice', '--detail']],
    ['root reads auth status', [ROOT, 'auth', 'status', '-w', 'json']],
  ])('%s', async (_name, args, opts) => {
    await same(args, undefined, opts);
  });

  it('root changes a password; the old one stops working', async () => {
    await same([ROOT, 'user', 'passwd', 'alice', '--interactive=false'], () => admin.auth.userChangePassword('alice', 'alicepw'), {
      stdin: 'newpw\n',
    });
    await same(['--user=alice:alicepw', 'get', 'b']);
    await same(['--user=alice:newpw', 'get', 'b']);
    await admin.auth.userChangePassword('alice', 'alicepw');
  });
});

describe('auth disable', () => {
  it('needs root credentials, and is fine when already off', async () => {
    await same(['auth', 'disable'], authOn);
    await same([ROOT, 'auth', 'disable'], authOn);
    await same([ROOT, 'auth', 'disable', '-w', 'fields'], authOn);
    await same([ROOT, 'auth', 'disable']); // already off: credentials are dropped quietly
    await same(['auth', 'status']);
  });
});
