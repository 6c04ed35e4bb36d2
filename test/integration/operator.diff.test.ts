// Operator-facing behaviour that must stay etcdctl's: the root help (every command registered),
// `help <unknown>`, the completion command's help and errors, the static part of `__complete`,
// -w checks, and a closed pipe.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { commandFor, childEnv } from '../support/run.js';
import { etcdctlProgram } from '../../src/commands/program.js';
import type { CtlCommand } from '../../src/cli/command.js';
import { fillKeys } from '../support/fill.js';

let cluster: Cluster;
let ep: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  // About 1 MB of output: far more than a pipe holds, so the reader always closes it early.
  await fillKeys(cluster.endpoints[0]!, '/pipe/', 5000, () => 'x'.repeat(200));
});
afterAll(async () => {
  await cluster?.stop();
});

describe('help', () => {
  it.each([[['--help']], [['-h']], [['help']], [['help', 'xyz']], [['help', 'xyz', 'abc']], [['help', 'm']], [['help', 'member', 'zzz']], [['help', 'get']], [['help', 'completion', 'bash']]])(
    '%j',
    async (args) => {
      expectSame(await runBoth(args));
    },
  );

  it('every command and subcommand has the same --help text', async () => {
    const paths: string[][] = [];
    const walk = (cmd: CtlCommand) => {
      for (const c of cmd.children) {
        if (c.hiddenCommand) continue;
        paths.push(c.pathFromRoot());
        walk(c);
      }
    };
    walk(etcdctlProgram());
    expect(paths.length).toBeGreaterThan(50);
    const differing: string[] = [];
    for (const path of paths) {
      const both = await runBoth([...path, '--help']);
      if (!both.real.stdout.equals(both.ours.stdout) || both.real.code !== both.ours.code) differing.push(path.join(' '));
    }
    expect(differing).toEqual([]);
  });
});

describe('completion command', () => {
  it.each([
    [['completion']],
    [['completion', 'bogus']],
    [['completion', 'bash', 'extra']],
    [['completion', 'zsh', 'a', 'b']],
    [['completion', '--no-descriptions']],
    [['comp', 'fi', '--help']],
  ])('%j', async (args) => {
    expectSame(await runBoth(args));
  });

  it('prints etcdctl-ts scripts; powershell is refused clearly', async () => {
    const both = await runBoth(['completion', 'powershell']);
    expect(both.ours.code).toBe(4);
    expect(both.ours.stderr.toString()).toBe('Error: powershell completion is not supported by etcdctl-ts (use bash, zsh or fish)\n');
    for (const shell of ['bash', 'zsh', 'fish']) {
      const ours = (await runBoth(['completion', shell])).ours;
      expect(ours.code).toBe(0);
      expect(ours.stdout.toString()).toContain('etcdctl-ts __complete');
    }
  });
});

describe('__complete (static part) answers as etcdctl', () => {
  // etcdctl-ts's own commands and flags (extras) are offered on top: they are taken out of our
  // answer before comparing.
  const extras = new Set<string>();
  const collect = (cmd: CtlCommand) => {
    if (cmd.extraCommand) extras.add(cmd.name());
    for (const f of cmd.ownFlags) if (f.extra) extras.add(`--${f.name}`);
    cmd.children.forEach(collect);
  };
  collect(etcdctlProgram());
  const withoutExtras = (out: Buffer) =>
    out
      .toString()
      .split('\n')
      .filter((line) => !extras.has(line.split('\t')[0]!))
      .join('\n');

  it.each([
    [['']],
    [['-']],
    [['get', '-']],
    [['get', '--h']],
    [['get', '--prefix', '--p']],
    [['mem', '']],
    [['member', 'l']],
    [['help', '']],
    [['help', 'mem']],
    [['completion', '']],
    [['lease', '-']],
    [['get', '--w']],
    [['snapshot', 'save', '']],
    [['check', 'perf', '-']],
    [['user', 'get', '--']],
  ])('%j', async (words) => {
    const both = await runBoth(['__complete', ...words]);
    expect(both.ours.code).toBe(0);
    expect(withoutExtras(both.ours.stdout)).toBe(withoutExtras(both.real.stdout));
  });
});

describe('output format checks', () => {
  it.each([
    [['endpoint', 'health', '-w', 'yaml']],
    [['get', 'k', '-w', 'bogus']],
    [['put', 'k', 'v', '-w', 'Yaml']],
    [['lease', 'keep-alive', '1', '-w', 'json-decoded']],
  ])('%j keeps etcdctl\'s error', async (args) => {
    expectSame(await runBoth([ep, ...args]));
  });
});

describe('a closed pipe', () => {
  /** Runs the command, reads a little of stdout, closes it, and returns how the process ended. */
  function closeEarly(which: 'real' | 'ours', args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    const [cmd, ...prefix] = commandFor(which);
    return new Promise((resolve, reject) => {
      const child = spawn(cmd!, [...prefix, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr });
      });
    });
  }

  it.each([[['get', '--prefix', '/pipe/']], [['get', '--prefix', '/pipe/', '-w', 'json']], [['get', '--prefix', '/pipe/', '--page-size', '0']]])(
    '%j ends quietly by SIGPIPE, like etcdctl',
    async (args) => {
      const realArgs = args.filter((a, i) => a !== '--page-size' && args[i - 1] !== '--page-size');
      const real = await closeEarly('real', [ep, ...realArgs]);
      const ours = await closeEarly('ours', [ep, ...args]);
      expect(real).toEqual({ code: null, signal: 'SIGPIPE', stderr: '' });
      expect(ours).toEqual(real);
    },
  );
});
