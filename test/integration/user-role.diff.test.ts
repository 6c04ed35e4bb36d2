// Differential tests of the user and role commands (auth disabled): the real etcdctl 3.5.16 and
// ours side by side. State is arranged in-process (test/support/etcd-admin.ts) before each side,
// so a command that changes state meets the same cluster both times.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EtcdClient } from '../../src/client/services.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth, runBothWithReset } from '../support/diff.js';
import { adminClient, ignoringErrors } from '../support/etcd-admin.js';
import type { RunOptions } from '../support/run.js';

const FORMATS = ['simple', 'json', 'fields', 'protobuf', 'table'];
const READ = 0;
const WRITE = 1;
const READWRITE = 2;

let cluster: Cluster;
let ep: string;
let admin: EtcdClient;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  admin = await adminClient(cluster.endpoints[0]!);
});
afterAll(async () => {
  admin?.close();
  await cluster?.stop();
});

/** Both tools, each after `setup`; compares stdout, stderr and exit code. */
async function same(args: string[], setup?: () => Promise<unknown>, opts: RunOptions = {}): Promise<void> {
  const both = setup ? await runBothWithReset([ep, ...args], opts, async () => void (await setup())) : await runBoth([ep, ...args], opts);
  expectSame(both);
}

type Grant = [type: number, key: string, end?: string];

async function recreateRole(name: string, ...grants: Grant[]): Promise<void> {
  await ignoringErrors(() => admin.auth.roleDelete(name));
  await admin.auth.roleAdd(name);
  for (const [permType, key, end] of grants) {
    await admin.auth.roleGrantPermission(name, { permType: permType as 0, key: Buffer.from(key, 'latin1'), rangeEnd: Buffer.from(end ?? '', 'latin1') });
  }
}

async function recreateUser(name: string, ...roles: string[]): Promise<void> {
  await ignoringErrors(() => admin.auth.userDelete(name));
  await admin.auth.userAdd(name, 'pw', false);
  for (const role of roles) await admin.auth.userGrantRole(name, role);
}

const deleteUser = (name: string) => () => ignoringErrors(() => admin.auth.userDelete(name));

describe('argument errors (exit 128, before connecting)', () => {
  it.each([
    [['user', 'add', ':secret']],
    [['user', 'get', 'a', 'b']],
    [['user', 'revoke-role', 'a', 'b', 'c']],
    [['role', 'list', 'x']],
    [['role', 'grant-permission', 'r', 'read']],
    [['role', 'grant-permission', 'r', 'bogus', 'k', '-w', 'yaml']],
    [['role', 'grant-permission', 'r', 'read', '', '--prefix', '--from-key']],
    [['role', 'grant-permission', 'r', 'read', 'k', 'e', '--from-key']],
    [['role', 'revoke-permission', 'r', 'k', 'e', '--prefix']],
    [['auth', 'status', 'x']],
  ])('%j', async (args) => {
    await same(args);
  });
});

describe('user and role management', () => {
  it('role add and delete', async () => {
    for (const f of FORMATS) await same(['role', 'add', 'r-add', '-w', f], () => ignoringErrors(() => admin.auth.roleDelete('r-add')));
    await same(['role', 'delete', 'r-add'], () => ignoringErrors(() => admin.auth.roleAdd('r-add')));
    await same(['role', 'add', 'r-add'], () => ignoringErrors(() => admin.auth.roleAdd('r-add'))); // exists
    await same(['role', 'delete', 'r-missing']);
  });

  it('user add without a prompt', async () => {
    const reset = deleteUser('u-add');
    await same(['user', 'add', 'u-add', '--new-user-password=s3cret', '-w', 'json'], reset);
    await same(['user', 'add', 'u-add:with:colons'], reset);
    await same(['user', 'add', 'u-add:pw', '--no-password'], deleteUser('u-add:pw'));
    await same(['user', 'add', 'u-add', '--interactive=false'], reset, { stdin: '  pass word\nrest\n' });
    await same(['user', 'add', 'u-add', '--interactive=false'], reset, { stdin: '\nnext\n' });
    await same(['user', 'add', 'u-add', '--new-user-password=x'], () => recreateUser('u-add')); // exists
  });

  it('user add and passwd prompt twice; stdin is no terminal', async () => {
    const reset = deleteUser('u-prompt');
    await same(['user', 'add', 'u-prompt'], reset); // end of input: empty password
    await same(['user', 'add', 'u-prompt'], reset, { stdin: ' pw1 \r\npw1\n' });
    await same(['user', 'add', 'u-prompt'], reset, { stdin: 'pw1\npw2\n' });
    await same(['user', 'passwd', 'u-prompt', '-w', 'fields'], () => recreateUser('u-prompt'), { stdin: 'new\nnew\n' });
    await same(['user', 'passwd', 'u-prompt', '--interactive=false'], () => recreateUser('u-prompt'), { stdin: 'new\n' });
    await same(['user', 'passwd', 'u-missing', '--interactive=false'], undefined, { stdin: 'new\n' });
  });

  it('grant-permission: types, ranges, prefixes, open ends', async () => {
    const reset = () => recreateRole('r-grant');
    for (const form of [
      ['ReadWrite', 'a', 'z', 'extra-arg'],
      ['read', 'p/', '--prefix'],
      ['write', 'from', '--from-key'],
      ['read', '', 'ignored-end'],
      ['read', '', '--prefix'],
      ['read', '\u00ff/', '--prefix'],
    ]) {
      await same(['role', 'grant-permission', 'r-grant', ...form], reset);
    }
    await same(['role', 'grant-permission', 'r-grant', 'read', 'k', '-w', 'protobuf'], reset);
    await same(['role', 'grant-permission', 'r-missing', 'read', 'k']);
  });

  it('revoke-permission: the line names the key as typed and the computed end', async () => {
    const cases: [Grant, string[]][] = [
      [[READ, 'k1'], ['k1']],
      [[READ, 'a', 'z'], ['a', 'z']],
      [[READ, 'p/', 'p0'], ['p/', '--prefix']],
      [[READ, 'from', '\0'], ['from', '--from-key']],
      [[READ, '\0', '\0'], ['', '--prefix']],
    ];
    for (const [grant, revoke] of cases) await same(['role', 'revoke-permission', 'r-revoke', ...revoke], () => recreateRole('r-revoke', grant));
    await same(['role', 'revoke-permission', 'r-revoke', 'k1', '-w', 'json'], () => recreateRole('r-revoke', [READ, 'k1']));
    await same(['role', 'revoke-permission', 'r-revoke', 'not-granted'], () => recreateRole('r-revoke'));
  });

  it('role get, role list, user get (--detail), user list in every format', async () => {
    await recreateRole(
      'r-show',
      [READWRITE, 'a', 'z'],
      [READ, 'p/', 'p0'],
      [WRITE, 'from', '\0'],
      [READ, '\0'],
      [READ, '\0', '\0'],
      [WRITE, 'k\u00c3\u00a9y"<&>\u00ff'],
    );
    await recreateRole('r-empty');
    await recreateUser('u-show', 'r-show', 'r-empty');
    await recreateUser('u-none');
    for (const f of FORMATS) {
      await same(['role', 'get', 'r-show', '-w', f]);
      await same(['user', 'get', 'u-show', '--detail', '-w', f]);
    }
    for (const f of ['simple', 'json', 'fields']) {
      await same(['role', 'list', '-w', f]);
      await same(['user', 'list', '-w', f]);
      await same(['user', 'get', 'u-show', '-w', f]);
    }
    await same(['role', 'get', 'r-empty']);
    await same(['user', 'get', 'u-none', '--detail']);
    await same(['user', 'get', 'u-missing', '--detail']);
    await same(['role', 'get', 'r-missing']);
  });

  it('grant-role, revoke-role and user delete', async () => {
    await recreateRole('r-link');
    await same(['user', 'grant-role', 'u-link', 'r-link', '-w', 'fields'], () => recreateUser('u-link'));
    await same(['user', 'revoke-role', 'u-link', 'r-link'], () => recreateUser('u-link', 'r-link'));
    await same(['user', 'delete', 'u-link', '-w', 'json'], () => recreateUser('u-link'));
    await same(['user', 'grant-role', 'u-link', 'r-missing'], () => recreateUser('u-link'));
    await same(['user', 'revoke-role', 'u-link', 'r-link'], () => recreateUser('u-link')); // not granted
  });
});
