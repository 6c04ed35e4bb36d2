// The interactive shell in a real pseudo terminal (tmux): commands and their output, TAB
// completion of commands and live keys, Ctrl-C stopping a watch (not the shell), the prune
// confirmation of load, confirmations read from the next typed line, history without passwords,
// colour only on terminals, Ctrl-D leaving; and on a pipe, batch's behaviour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { REPO_ROOT } from '../support/etcd-bin.js';
import { testClient } from '../support/fill.js';
import { TtySession, cliBinDir } from '../support/tty-session.js';
import { runCli } from '../support/run.js';
import { waitUntil } from '../support/wait.js';
import { watchers } from '../support/watch-streams.js';

let cluster: Cluster;
let bin: string;
let state: string;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'shell' });
  ep = `--endpoints=${cluster.endpoints[0]}`;
  bin = cliBinDir(REPO_ROOT);
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-shell-state-'));
  const client = testClient(cluster.endpoints[0]!);
  for (const [k, v] of [['/app/config/db', 'postgres'], ['/app/name', 'demo'], ['/zeta', 'z']]) await client.kv.put({ key: Buffer.from(k!), value: Buffer.from(v!) });
  client.close();
});
afterAll(async () => {
  await cluster?.stop();
  for (const d of [bin, state]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

function terminal(env: Record<string, string> = {}): TtySession {
  return new TtySession(['bash', '--norc', '--noprofile', '-i'], {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: process.env.HOME ?? '/root',
    TERM: 'xterm-256color',
    PS1: '$ ',
    XDG_STATE_HOME: state,
    ...env,
  });
}

const PROMPT = (endpoint: string) => new RegExp(`${endpoint.replace(/\./g, '\\.')}> $`, 'm');

describe('shell on a terminal', () => {
  it('runs lines, completes with TAB, stops a watch with Ctrl-C, leaves with Ctrl-D', async () => {
    const tty = terminal();
    const prompt = PROMPT(cluster.endpoints[0]!);
    try {
      await tty.waitFor(/\$ $/m);
      tty.type(`etcdctl-ts ${ep} shell`);
      tty.press('Enter');
      await tty.waitFor(prompt);
      tty.type('get /app/name');
      tty.press('Enter');
      await tty.waitFor(/^demo$/m);

      // Command names and live keys.
      tty.type('wat');
      tty.press('Tab');
      await tty.waitFor(/> watch $/m);
      tty.type('/app/c');
      tty.press('Tab');
      await tty.waitFor(/> watch \/app\/config\/$/m);
      tty.press('Tab');
      await tty.waitFor(/> watch \/app\/config\/db $/m);
      tty.press('Enter');
      await waitUntil('the watch', 20_000, async () => (await watchers(cluster.members[0]!)) >= 1, () => tty.screen());
      // The watch prints what another client writes, then Ctrl-C ends it and the shell goes on.
      const client = testClient(cluster.endpoints[0]!);
      for (let i = 0; i < 50 && !/^mysql$/m.test(tty.screen()); i++) {
        await client.kv.put({ key: Buffer.from('/app/config/db'), value: Buffer.from('mysql') });
        await new Promise((r) => setTimeout(r, 200));
      }
      client.close();
      await tty.waitFor(/^PUT\n\/app\/config\/db\nmysql$/m);
      tty.press('C-c');
      await tty.waitFor(/\^C\n.*> $/m);
      tty.type('get /zeta --print-value-only');
      tty.press('Enter');
      await tty.waitFor(/^z\n.*> $/m);

      // A password line runs but is never written to the history.
      tty.type('user add carol:s3cret');
      tty.press('Enter');
      await tty.waitFor(/User carol created/);
      // A password typed at a prompt is neither echoed nor kept.
      tty.type('user add dave');
      tty.press('Enter');
      await tty.waitFor(/Password of dave: $/m);
      tty.type('pw-dave-1');
      tty.press('Enter');
      await tty.waitFor(/again for confirmation: $/m);
      tty.type('pw-dave-1');
      tty.press('Enter');
      await tty.waitFor(/User dave created/);
      expect(tty.screen()).not.toContain('pw-dave-1');
      tty.type('help');
      tty.press('Enter');
      await tty.waitFor(/Ctrl-D, exit/);
      tty.press('C-d');
      await tty.waitFor(/\$ $/m);
      expect(await tty.run('echo status $?')).toBe(0);
    } finally {
      tty.close();
    }
    const history = fs.readFileSync(path.join(state, 'etcdctl-ts', 'history'), 'utf8');
    expect(history).toBe('get /app/name\nwatch /app/config/db \nget /zeta --print-value-only\nuser add dave\nhelp\n');
  });

  it('asks before load --prune deletes, reading the answer from the next line; colours the prompt and diff unless NO_COLOR', async () => {
    const file = path.join(state, 'app.jsonl');
    fs.writeFileSync(file, '{"format":"etcdctl-ts/keyspace","version":1,"prefix":"/app/","revision":"1","count":1}\n{"key":"/app/name","value":"demo"}\n');
    const tty = terminal();
    try {
      await tty.waitFor(/\$ $/m);
      tty.type(`etcdctl-ts ${ep} shell`);
      tty.press('Enter');
      await tty.waitFor(PROMPT(cluster.endpoints[0]!));
      expect(tty.screen(true)).toContain('\x1b[');
      tty.type(`load ${file} --prune`);
      tty.press('Enter');
      await tty.waitFor(/Delete 1 key under "\/app\/" that .*app\.jsonl lacks\? \[y\/N\] $/m);
      tty.type('n');
      tty.press('Enter');
      await tty.waitFor(/Error: load cancelled, nothing was written/);
      // diff colours its lines on a terminal.
      tty.type(`diff ${file}`);
      tty.press('Enter');
      await tty.waitFor(/^-\{"key":"\/app\/config\/db","value":"[a-z]+"\}$/m);
      expect(tty.screen(true)).toMatch(/\x1b\[31m-\{"key":"\/app\/config\/db"/);
      tty.press('C-d');
      await tty.waitFor(/\$ $/m);
      await tty.clear();
      tty.type(`NO_COLOR=1 etcdctl-ts ${ep} shell`);
      tty.press('Enter');
      await tty.waitFor(PROMPT(cluster.endpoints[0]!));
      expect(tty.screen(true)).not.toContain('\x1b[');
      tty.type('exit');
      tty.press('Enter');
      await tty.waitFor(/\$ $/m);
    } finally {
      tty.close();
    }
    // Declined: the key the file lacks is still there.
    expect((await runCli('ours', [ep, 'get', '/app/config/db', '--print-value-only'])).stdout.toString()).toMatch(/^(postgres|mysql)\n$/);
  });
});

describe('the prompt', () => {
  it('names the profile when one is chosen', async () => {
    const config = path.join(state, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ profiles: { lab: { endpoints: [cluster.endpoints[0]] } } }));
    const tty = terminal({ ETCDCTL_TS_CONFIG: config });
    try {
      await tty.waitFor(/\$ $/m);
      tty.type('etcdctl-ts --profile lab shell');
      tty.press('Enter');
      await tty.waitFor(/^lab> $/m);
      tty.type('get /zeta --print-value-only');
      tty.press('Enter');
      await tty.waitFor(/^z\nlab> $/m);
      tty.type('exit');
      tty.press('Enter');
      await tty.waitFor(/\$ $/m);
    } finally {
      tty.close();
    }
  });
});

describe('edit in the shell', () => {
  it('after a concurrent change, offers to edit the new value; the editor gets the terminal', async () => {
    const client = testClient(cluster.endpoints[0]!);
    await client.kv.put({ key: Buffer.from('/e/k'), value: Buffer.from('original') });
    client.close();
    const marker = path.join(state, 'edited-once');
    const editor = path.join(state, 'editor.sh');
    // First run: someone else changes the key meanwhile. Second run: the edit goes through.
    fs.writeFileSync(
      editor,
      `#!/bin/sh\nif [ ! -e ${marker} ]; then touch ${marker}; etcdctl-ts ${ep} put /e/k theirs >/dev/null; echo mine > "$1"; else test "$(cat "$1")" = theirs && echo second > "$1"; fi\n`,
      { mode: 0o755 },
    );
    const tty = terminal({ EDITOR: editor });
    try {
      await tty.waitFor(/\$ $/m);
      tty.type(`etcdctl-ts ${ep} shell`);
      tty.press('Enter');
      await tty.waitFor(PROMPT(cluster.endpoints[0]!));
      tty.type('edit /e/k');
      tty.press('Enter');
      await tty.waitFor(/was changed by someone else while you were editing it .*; your edit is kept in .*\n\? Edit the new value\? \[y\/N\] $/m);
      tty.type('y');
      tty.press('Enter');
      await tty.waitFor(/^OK\n.*> $/m);
      tty.type('get /e/k --print-value-only');
      tty.press('Enter');
      await tty.waitFor(/^second\n.*> $/m);
      tty.press('C-d');
      await tty.waitFor(/\$ $/m);
    } finally {
      tty.close();
    }
  });
});

describe('shell on a pipe', () => {
  it('behaves as batch', async () => {
    const input = 'put /pipe/a 1\nget /pipe/a\n# comment\n\nget /pipe --prefix -w json\nbogus\nget /pipe/a\n';
    const shell = await runCli('ours', [ep, 'shell'], { stdin: input });
    const batch = await runCli('ours', [ep, 'batch'], { stdin: input });
    expect(shell.code).toBe(batch.code);
    expect(shell.code).toBe(1);
    // The second run's put makes a new revision and version.
    const mask = (b: Buffer) => b.toString().replace(/"(revision|mod_revision|version)":\d+/g, '"$1":N');
    expect(mask(shell.stdout)).toBe(mask(batch.stdout));
    expect(shell.stderr.toString()).toBe(batch.stderr.toString());
  });
});
