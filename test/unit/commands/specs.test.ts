// The command specs (commands/specs/): the tree is data, and a command's code is evaluated only
// when that command runs. Every command module is wrapped so the test sees when it is evaluated.
import { describe, expect, it, vi } from 'vitest';
import type { CommandSpec } from '../../../src/cli/command.js';
import { parseCommandLine } from '../../../src/cli/parse.js';
import { usageText } from '../../../src/cli/help.js';
import { COMMAND_SPECS } from '../../../src/commands/specs/index.js';
import { etcdctlProgram } from '../../../src/commands/program.js';

const evaluated = vi.hoisted(() => new Set<string>());
vi.mock('../../../src/commands/alarm.js', async (original) => (evaluated.add('alarm'), original()));
vi.mock('../../../src/commands/auth.js', async (original) => (evaluated.add('auth'), original()));
vi.mock('../../../src/commands/batch.js', async (original) => (evaluated.add('batch'), original()));
vi.mock('../../../src/commands/check.js', async (original) => (evaluated.add('check'), original()));
vi.mock('../../../src/commands/compaction.js', async (original) => (evaluated.add('compaction'), original()));
vi.mock('../../../src/commands/completion.js', async (original) => (evaluated.add('completion'), original()));
vi.mock('../../../src/commands/defrag.js', async (original) => (evaluated.add('defrag'), original()));
vi.mock('../../../src/commands/diff.js', async (original) => (evaluated.add('diff'), original()));
vi.mock('../../../src/commands/dump.js', async (original) => (evaluated.add('dump'), original()));
vi.mock('../../../src/commands/edit.js', async (original) => (evaluated.add('edit'), original()));
vi.mock('../../../src/commands/elect.js', async (original) => (evaluated.add('elect'), original()));
vi.mock('../../../src/commands/endpoint.js', async (original) => (evaluated.add('endpoint'), original()));
vi.mock('../../../src/commands/k8s.js', async (original) => (evaluated.add('k8s'), original()));
vi.mock('../../../src/commands/keyspace-file.js', async (original) => (evaluated.add('keyspace-file'), original()));
vi.mock('../../../src/commands/keyspace-read.js', async (original) => (evaluated.add('keyspace-read'), original()));
vi.mock('../../../src/commands/kv.js', async (original) => (evaluated.add('kv'), original()));
vi.mock('../../../src/commands/lease.js', async (original) => (evaluated.add('lease'), original()));
vi.mock('../../../src/commands/load.js', async (original) => (evaluated.add('load'), original()));
vi.mock('../../../src/commands/lock.js', async (original) => (evaluated.add('lock'), original()));
vi.mock('../../../src/commands/ls.js', async (original) => (evaluated.add('ls'), original()));
vi.mock('../../../src/commands/make-mirror.js', async (original) => (evaluated.add('make-mirror'), original()));
vi.mock('../../../src/commands/member.js', async (original) => (evaluated.add('member'), original()));
vi.mock('../../../src/commands/move-leader.js', async (original) => (evaluated.add('move-leader'), original()));
vi.mock('../../../src/commands/role.js', async (original) => (evaluated.add('role'), original()));
vi.mock('../../../src/commands/shell.js', async (original) => (evaluated.add('shell'), original()));
vi.mock('../../../src/commands/snapshot-offline.js', async (original) => (evaluated.add('snapshot-offline'), original()));
vi.mock('../../../src/commands/snapshot.js', async (original) => (evaluated.add('snapshot'), original()));
vi.mock('../../../src/commands/txn.js', async (original) => (evaluated.add('txn'), original()));
vi.mock('../../../src/commands/user.js', async (original) => (evaluated.add('user'), original()));
vi.mock('../../../src/commands/version.js', async (original) => (evaluated.add('version'), original()));
vi.mock('../../../src/commands/watch.js', async (original) => (evaluated.add('watch'), original()));

function* leaves(specs: readonly CommandSpec[], path: string[] = []): Generator<[string, CommandSpec]> {
  for (const spec of specs) {
    const here = [...path, spec.name];
    if (spec.subcommands) yield* leaves(spec.subcommands, here);
    else yield [here.join(' '), spec];
  }
}

describe('commands/specs', () => {
  it('builds, parses, completes and prints help for every command without evaluating any command module', () => {
    const root = etcdctlProgram();
    expect(parseCommandLine(root, ['get', 'k', '--prefix']).command.name()).toBe('get');
    const walk = (cmd: ReturnType<typeof etcdctlProgram>): void => {
      usageText(cmd);
      cmd.children.forEach(walk);
    };
    walk(root);
    expect([...evaluated]).toEqual([]);
  });

  it('registers the top-level commands in etcdctl’s order, then etcdctl-ts’s, completion and help', () => {
    expect(etcdctlProgram().children.map((c) => c.name())).toEqual([
      'get', 'put', 'del', 'txn', 'compaction', 'alarm', 'defrag', 'endpoint', 'move-leader', 'watch', 'version', 'lease',
      'member', 'snapshot', 'make-mirror', 'lock', 'elect', 'auth', 'user', 'role', 'check',
      'ls', 'batch', 'k8s', 'dump', 'load', 'diff', 'edit', 'shell', 'completion', 'help',
    ]);
  });

  it('running get evaluates only its own module (commands/kv.ts)', async () => {
    const get = parseCommandLine(etcdctlProgram(), ['get', 'k']).command;
    await COMMAND_SPECS.find((s) => s.name === get.name())!.load!();
    expect([...evaluated]).toEqual(['kv']);
  });

  it('gives every runnable command a load() that yields its run function, and groups none', async () => {
    for (const [path, spec] of leaves(COMMAND_SPECS)) {
      expect(spec.load, path).toBeTypeOf('function');
      expect(await spec.load!(), path).toBeTypeOf('function');
    }
    const groups = COMMAND_SPECS.filter((s) => s.subcommands);
    expect(groups.filter((s) => s.load || s.run).map((s) => s.name)).toEqual([]);
  });

  it('allows the readable formats (-w yaml, json-decoded) only for commands whose every result kind has a decoded builder', () => {
    const accepting = [...leaves(COMMAND_SPECS)].filter(([, spec]) => spec.extraFormats?.length).map(([path]) => path);
    expect(accepting.sort()).toEqual(
      [
        'get', 'put', 'del', 'txn', 'watch', 'ls', 'snapshot get', 'snapshot ls',
        'member list', 'member add', 'member remove', 'member update', 'member promote',
        'endpoint status', 'endpoint hashkv', 'alarm list', 'alarm disarm',
        'lease grant', 'lease revoke', 'lease timetolive', 'lease list',
        'user get', 'user list', 'role get', 'role list', 'auth status',
      ].sort(),
    );
  });
});
