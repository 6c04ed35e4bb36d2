// `txn -i` on a real terminal (tmux): the guided prompt checks each line as it is typed, explains
// a bad one and lets it be fixed, shows the transaction and commits only when confirmed.
// (On a pipe, `txn -i` is etcdctl's plain prompts: see txn.diff.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { realCtl, realCtlOk } from '../support/kv-diff.js';
import { childEnv, commandFor } from '../support/run.js';
import { Terminal, requireTmux } from '../support/tmux.js';

let cluster: Cluster;
let ep: string;
let term: Terminal | undefined;

beforeAll(async () => {
  requireTmux();
  cluster = await startCluster({ size: 1, name: 'txnpty' });
  ep = cluster.endpointsFlag;
  await realCtlOk(ep, ['put', 'pty/a', '1']);
}, 90_000);

afterEach(() => {
  term?.close();
  term = undefined;
});

afterAll(async () => {
  await cluster?.stop();
});

function startTxn(): Terminal {
  const env = childEnv() as Record<string, string>;
  term = Terminal.start([...commandFor('ours'), ep, 'txn', '-i'], env);
  return term;
}

/** Types a line and presses Enter. */
function enter(t: Terminal, line = ''): void {
  if (line !== '') t.type(line);
  t.press('Enter');
}

describe('txn -i on a terminal', () => {
  it('commits a valid transaction after showing it', async () => {
    const t = startTxn();
    await t.waitFor(/compare 1/);
    enter(t, 'value("pty/a") = "1"');
    await t.waitFor(/compare 2/);
    enter(t);
    await t.waitFor(/success request 1/);
    enter(t, 'put pty/b ok --prev-kv');
    await t.waitFor(/success request 2/);
    enter(t);
    await t.waitFor(/failure request 1/);
    enter(t, 'del pty/a');
    await t.waitFor(/failure request 2/);
    enter(t);
    const summary = await t.waitFor(/Commit this transaction\?/);
    expect(summary).toContain('Transaction to commit:\n  if all of these hold:\n    value("pty/a") = "1"\n  then:\n    put key "pty/b" = "ok" (return previous value)\n  else:\n    delete key "pty/a"\n');
    enter(t, 'y');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toMatch(/SUCCESS\n\nOK\n\[exit 0\]$/);
    expect((await realCtl(ep, ['get', 'pty/b', '--print-value-only'])).stdout.toString()).toBe('ok\n');
  });

  it('rejects an invalid compare with a clear message, lets it be fixed, and commits nothing when declined', async () => {
    const t = startTxn();
    await t.waitFor(/compare 1/);
    enter(t, 'value(pty/a) = "1"');
    const rejected = await t.waitFor(/malformed comparison/);
    expect(rejected).toContain('malformed comparison: value(pty/a) = "1"; got value("")  ""');
    expect(rejected).toContain('a compare reads <target>("<key>") <op> "<value>"');
    expect(rejected).not.toMatch(/compare 2/);
    // An operator etcdctl would crash on is explained too.
    t.press('C-u');
    enter(t, 'value("pty/a") == "1"');
    await t.waitFor(/unknown operator "=="/);
    t.press('C-u');
    enter(t, 'value("pty/a") = "1"');
    await t.waitFor(/compare 2/);
    enter(t);
    await t.waitFor(/success request 1/);
    enter(t, 'put pty/c');
    await t.waitFor(/put command needs 1 argument and input from stdin or 2 arguments/);
    t.press('C-u');
    enter(t, 'put pty/c x');
    await t.waitFor(/success request 2/);
    enter(t);
    await t.waitFor(/failure request 1/);
    enter(t);
    await t.waitFor(/Commit this transaction\?/);
    enter(t, 'n');
    expect(await t.exitCode()).toBe(1);
    expect(t.screen()).toMatch(/Error: txn not committed\n\[exit 1\]$/);
    expect((await realCtl(ep, ['get', 'pty/c'])).stdout.toString()).toBe('');
  });
});
