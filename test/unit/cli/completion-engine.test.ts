// The completion engine over the real command tree, with a recording fake for live values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { etcdctlProgram } from '../../../src/commands/program.js';
import { Directive, complete, protocolText, type LiveKind, type LiveSource } from '../../../src/cli/completion/engine.js';
import type { CtlCommand } from '../../../src/cli/command.js';

const calls: { kind: LiveKind; toComplete: string; command: string; rest: string[] }[] = [];
const live: LiveSource = async (kind, toComplete, context) => {
  calls.push({ kind, toComplete, command: context.command.pathFromRoot().join(' '), rest: context.rest });
  return [{ value: `${toComplete}LIVE-${kind}` }];
};

async function values(line: string[], env: Record<string, string> = {}) {
  const result = await complete(etcdctlProgram(), line, env, live);
  return { values: result.candidates.map((c) => c.value), directive: result.directive, candidates: result.candidates };
}

function walk(cmd: CtlCommand, out: CtlCommand[] = []): CtlCommand[] {
  for (const child of cmd.children) {
    out.push(child);
    walk(child, out);
  }
  return out;
}

describe('subcommands', () => {
  it('lists the root commands, etcdctl-ts extras included, sorted', async () => {
    const { values: v, directive } = await values(['']);
    expect(directive).toBe(Directive.NoFileComp);
    expect(v).toContain('get');
    expect(v).toContain('completion');
    expect(v).toContain('help');
    expect(v).toContain('ls');
    expect([...v].sort()).toEqual(v);
  });

  it('completes prefixes and nested groups (prefix matching of the path)', async () => {
    expect((await values(['mem'])).values).toEqual(['member']);
    expect((await values(['mem', ''])).values).toEqual(['add', 'list', 'promote', 'remove', 'update']);
    expect((await values(['member', 'l'])).values).toEqual(['list']);
    expect((await values(['completion', ''])).values).toEqual(['bash', 'fish', 'powershell', 'zsh']);
  });

  it('covers every command of the tree', async () => {
    for (const cmd of walk(etcdctlProgram())) {
      if (cmd.hiddenCommand && !cmd.extraCommand) continue;
      const parentPath = cmd.parentCommand!.pathFromRoot();
      const { values: v } = await values([...parentPath, cmd.name()]);
      expect(v, cmd.commandPath()).toContain(cmd.name());
    }
  });

  it('help completes command paths', async () => {
    expect((await values(['help', 'mem'])).values).toEqual(['member']);
    expect((await values(['help', 'member', 'pro'])).values).toEqual(['promote']);
  });
});

describe('flags', () => {
  it('offers inherited flags first, then local ones, each sorted, with shorthands after their long form', async () => {
    const { values: v, directive } = await values(['get', '-']);
    expect(directive).toBe(Directive.NoFileComp);
    expect(v.indexOf('--cacert')).toBe(0);
    expect(v.indexOf('-d')).toBe(v.indexOf('--discovery-srv') + 1);
    expect(v.indexOf('--consistency')).toBeGreaterThan(v.indexOf('-w'));
    expect(v.indexOf('-h')).toBe(v.indexOf('--help') + 1);
    // etcdctl-ts's own flags are offered; etcdctl's hidden ones are not.
    expect(v).toContain('--page-size');
    expect(v).toContain('--profile');
    expect(v).not.toContain('--min-create-rev');
  });

  it('covers every visible flag of every command', async () => {
    for (const cmd of walk(etcdctlProgram())) {
      if (cmd.children.length > 0) continue;
      const { values: v } = await values([...cmd.pathFromRoot(), '--']);
      for (const f of cmd.allFlags()) if (!f.hidden || f.extra) expect(v, `${cmd.commandPath()} --${f.name}`).toContain(`--${f.name}`);
    }
  });

  it('drops flags already given, except repeatable ones', async () => {
    const { values: v } = await values(['get', '--prefix', '--endpoints', 'a', '--']);
    expect(v).not.toContain('--prefix');
    expect(v).toContain('--endpoints');
  });

  it('completes flag values: formats per command, fixed values, --flag=value', async () => {
    expect((await values(['get', '-w', ''])).values).toEqual(['fields', 'json', 'protobuf', 'simple', 'table', 'yaml', 'json-decoded']);
    expect((await values(['version', '-w', ''])).values).toEqual(['fields', 'json', 'protobuf', 'simple', 'table']);
    expect((await values(['get', '--write-out=j'])).values).toEqual(['json', 'json-decoded']);
    expect((await values(['get', '--consistency', ''])).values).toEqual(['l', 's']);
    expect((await values(['get', '--sort-by', 'M'])).values).toEqual(['MODIFY']);
    expect((await values(['check', 'perf', '--load', ''])).values).toEqual(['s', 'm', 'l', 'xl']);
    expect((await values(['snapshot', 'restore', 'x.db', '--data-dir', ''])).directive).toBe(Directive.FilterDirs);
    expect((await values(['--cacert', ''])).directive).toBe(Directive.Default);
  });

  it('completes profile names from the config file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-prof-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ profiles: { prod: {}, dev: {}, 'prod-eu': {} } }));
    try {
      expect((await values(['get', '--profile', 'pr'], { ETCDCTL_TS_CONFIG: file })).values).toEqual(['prod', 'prod-eu']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live values', () => {
  it('asks for keys, leases, members, users and roles where the arguments are such', async () => {
    calls.length = 0;
    expect((await values(['get', '/app/'])).values).toEqual(['/app/LIVE-key']);
    await values(['--endpoints', 'h:1', 'del', '--prefix', 'a']);
    await values(['lease', 'revoke', '']);
    await values(['put', 'k', 'v', '--lease', '']);
    await values(['member', 'remove', '']);
    await values(['user', 'grant-role', 'alice', '']);
    await values(['role', 'grant-permission', 'r', 'read', '/k']);
    expect(calls.map((c) => [c.command, c.kind, c.toComplete])).toEqual([
      ['get', 'key', '/app/'],
      ['del', 'key', 'a'],
      ['lease revoke', 'lease', ''],
      ['put', 'lease', ''],
      ['member remove', 'member', ''],
      ['user grant-role', 'role', ''],
      ['role grant-permission', 'key', '/k'],
    ]);
    // The words after the command path go along, so the client uses the line's global flags.
    expect(calls[1]!.rest).toEqual(['--endpoints', 'h:1', '--prefix']);
  });

  it('knows arguments that are not live values', async () => {
    calls.length = 0;
    expect((await values(['put', 'k', ''])).directive).toBe(Directive.NoFileComp);
    expect((await values(['role', 'grant-permission', 'r', ''])).values).toEqual(['read', 'write', 'readwrite']);
    expect((await values(['snapshot', 'save', ''])).directive).toBe(Directive.Default);
    expect(calls).toEqual([]);
  });

  it('an unknown command gives nothing, never an error', async () => {
    expect(await values(['zzz', ''])).toMatchObject({ values: [], directive: Directive.Default });
  });
});

describe('protocol', () => {
  it("writes cobra's lines and directive", () => {
    const c = { candidates: [{ value: 'a', description: 'first\nsecond' }, { value: 'b' }], directive: Directive.NoSpace | Directive.NoFileComp };
    expect(protocolText(c, true)).toEqual({
      stdout: 'a\tfirst\nb\n:6\n',
      stderr: 'Completion ended with directive: ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp\n',
    });
    expect(protocolText(c, false).stdout).toBe('a\nb\n:6\n');
  });
});
