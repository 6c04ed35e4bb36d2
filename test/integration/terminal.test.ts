// Terminal manners in a real pseudo terminal (tmux): colour only on a terminal (never on a pipe,
// with NO_COLOR, or in json), the range-delete confirmation, progress bars on stderr for
// defrag --cluster and make-mirror, and Ctrl-C ending like etcdctl.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { REPO_ROOT, etcdctlRealPath } from '../support/etcd-bin.js';
import { fillKeys, testClient } from '../support/fill.js';
import { TtySession, cliBinDir } from '../support/tty-session.js';
import { runCli } from '../support/run.js';
import { waitUntil } from '../support/wait.js';
import { watchers } from '../support/watch-streams.js';

const ESC = '\x1b[';
let cluster: Cluster;
let bin: string;
let tty: TtySession;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  bin = cliBinDir(REPO_ROOT);
  tty = new TtySession(['bash', '--norc', '--noprofile', '-i'], {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/root',
    TERM: 'xterm-256color',
    PS1: '$ ',
  });
  await tty.waitFor(/\$ $/m);
});
afterAll(async () => {
  tty?.close();
  await cluster?.stop();
  if (bin) fs.rmSync(bin, { recursive: true, force: true });
});

/** The screen lines (with escapes) that contain `text`. */
const linesWith = (screen: string, text: string) => screen.split('\n').filter((l) => l.replace(/\x1b\[[0-9;]*m/g, '').includes(text));

describe('colour', () => {
  it('colours the Error: prefix on a terminal only, never with NO_COLOR or on a pipe', async () => {
    await tty.clear();
    const bad = `etcdctl-ts get k --endpoints=127.0.0.1:1 --dial-timeout=200ms --command-timeout=300ms`;
    expect(await tty.run(`${bad}`)).toBe(1);
    expect(await tty.run(`NO_COLOR=1 ${bad}`)).toBe(1);
    expect(await tty.run(`${bad} 2>&1 | cat`)).toBe(0);
    const errors = linesWith(tty.screen(true), 'context deadline exceeded');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain(ESC);
    expect(errors[0]!.replace(/\x1b\[[0-9;]*m/g, '')).toBe('Error: context deadline exceeded');
    expect(errors[1]).not.toContain(ESC);
    expect(errors[2]).not.toContain(ESC);
  });

  it('colours ls on a terminal, never json or simple get', async () => {
    const client = testClient(cluster.endpoints[0]!);
    await client.kv.put({ key: Buffer.from('/colour/dir/a'), value: Buffer.from('1') });
    client.close();
    await tty.clear();
    expect(await tty.run(`etcdctl-ts ${ep} ls /colour`)).toBe(0);
    expect(await tty.run(`etcdctl-ts ${ep} ls /colour | cat`)).toBe(0);
    expect(await tty.run(`etcdctl-ts ${ep} get /colour/dir/a -w json`)).toBe(0);
    const screen = tty.screen(true);
    const dirs = linesWith(screen, 'dir/ (');
    expect(dirs).toHaveLength(2);
    expect(dirs[0]).toContain(ESC);
    expect(dirs[1]).not.toContain(ESC);
    expect(linesWith(screen, '"header"')[0]).not.toContain(ESC);
  });
});

describe('range delete confirmation', () => {
  beforeAll(async () => {
    await fillKeys(cluster.endpoints[0]!, '/confirm/', 3);
  });

  it('asks on a terminal; "n" deletes nothing', async () => {
    await tty.clear();
    tty.type(`etcdctl-ts ${ep} del --prefix /confirm/; echo "[rc $?]"`);
    tty.press('Enter');
    await tty.waitFor(/\? Delete 3 keys with prefix "\/confirm\/"\? \[y\/N\] $/m);
    tty.type('n');
    tty.press('Enter');
    await tty.waitFor(/\[rc 1\]/);
    expect(tty.screen()).toContain('Error: delete cancelled, nothing was deleted');
    expect((await runCli('ours', [ep, 'get', '--prefix', '/confirm/', '--count-only', '-w', 'fields'])).stdout.toString()).toContain('"Count" : 3');
  });

  it('Ctrl-C at the question ends like an interrupted etcdctl (status 130), nothing deleted', async () => {
    await tty.clear();
    tty.type(`etcdctl-ts ${ep} del --prefix /confirm/`);
    tty.press('Enter');
    await tty.waitFor(/\[y\/N\] $/m);
    tty.press('C-c');
    tty.type('echo "[rc $?]"');
    tty.press('Enter');
    await tty.waitFor(/\[rc 130\]/);
    expect((await runCli('ours', [ep, 'get', '--prefix', '/confirm/', '--count-only', '-w', 'fields'])).stdout.toString()).toContain('"Count" : 3');
  });

  it('is skipped for single keys, on pipes and with --yes', async () => {
    await tty.clear();
    expect(await tty.run(`etcdctl-ts ${ep} del /confirm/0000000`)).toBe(0);
    expect(await tty.run(`echo | etcdctl-ts ${ep} del --prefix /confirm/`)).toBe(0);
    await fillKeys(cluster.endpoints[0]!, '/yes/', 2);
    expect(await tty.run(`etcdctl-ts ${ep} del --prefix /yes/ --yes`)).toBe(0);
    const screen = tty.screen();
    expect(screen).not.toContain('[y/N]');
    // del prints the number deleted: 1, then 2 (stdin not a terminal), then 2 (--yes).
    expect(screen.split('\n').filter((l) => /^\d+$/.test(l))).toEqual(['1', '2', '2']);
  });

  it('"y" deletes', async () => {
    await fillKeys(cluster.endpoints[0]!, '/confirm2/', 2);
    await tty.clear();
    tty.type(`etcdctl-ts ${ep} del /confirm2/ /confirm3; echo "[rc $?]"`);
    tty.press('Enter');
    await tty.waitFor(/Delete 2 keys in \["\/confirm2\/", "\/confirm3"\)\? \[y\/N\] $/m);
    tty.type('y');
    tty.press('Enter');
    const screen = await tty.waitFor(/\[rc 0\]/);
    expect(screen).toMatch(/\[y\/N\] y\n2\n/);
  });
});

describe('progress bars on stderr', () => {
  it('defrag --cluster draws a bar on a terminal, nothing on a pipe', async () => {
    await tty.clear();
    const before = tty.written().length;
    expect(await tty.run(`etcdctl-ts ${ep} defrag --cluster`)).toBe(0);
    const raw = tty.written().slice(before);
    expect(raw).toMatch(/\r 0 \/ 1 B {2,}!/);
    expect(raw).toContain('\r\x1b[2K');
    expect(tty.screen()).toMatch(/^Finished defragmenting etcd member\[http:\/\/127\.0\.0\.1:\d+\]$/m);
    const piped = await runCli('ours', [ep, 'defrag', '--cluster']);
    expect(piped.stderr.toString()).toBe('');
  });

  it('make-mirror shows its initial copy', async () => {
    const dest = await startCluster({ size: 1, name: 'dest' });
    try {
      await fillKeys(cluster.endpoints[0]!, '/mirror/', 400);
      await tty.clear();
      const before = tty.written().length;
      tty.type(`etcdctl-ts ${ep} make-mirror --prefix /mirror/ ${dest.endpoints[0]}`);
      tty.press('Enter');
      // The bar erases itself when the initial copy is done.
      await waitUntil('the initial copy to end', 30_000, () => tty.written().slice(before).includes('\r\x1b[2K'), () => tty.screen(), 200);
      expect(tty.written().slice(before)).toMatch(/\r \d+ \/ 400 B[om ]*!/);
      tty.press('C-c');
      // (bash skips the rest of a list after a SIGINT: ask for the status separately)
      tty.type('echo "[rc $?]"');
      tty.press('Enter');
      await tty.waitFor(/\[rc 130\]/);
    } finally {
      await dest.stop();
    }
  });
});

describe('Ctrl-C', () => {
  it('ends watch with the same status as etcdctl', async () => {
    const codes: number[] = [];
    for (const cmd of [etcdctlRealPath(), 'etcdctl-ts']) {
      await tty.clear();
      await waitUntil('no watch left from before', 20_000, async () => (await watchers(cluster.members[0]!)) === 0);
      tty.type(`${cmd} ${ep} watch /ctrl-c`);
      tty.press('Enter');
      await waitUntil(`${cmd}'s watch`, 20_000, async () => (await watchers(cluster.members[0]!)) === 1, () => tty.screen());
      tty.press('C-c');
      tty.type('echo "[rc $?]"');
      tty.press('Enter');
      const screen = await tty.waitFor(/\[rc \d+\]/);
      codes.push(Number(/\[rc (\d+)\]/.exec(screen)![1]));
      expect(screen).not.toMatch(/at .*\.js:\d+/);
    }
    expect(codes[1]).toBe(codes[0]);
  });
});
