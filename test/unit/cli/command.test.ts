// CtlCommand.fromSpec: a command's flags and subcommands are built on first look, so parsing one
// command line builds only the commands on its path.
import { describe, expect, it } from 'vitest';
import { type CommandSpec, CtlCommand } from '../../../src/cli/command.js';
import { parseCommandLine } from '../../../src/cli/parse.js';

/** A spec that counts how often its flags and subcommands are read. */
function counted(spec: CommandSpec, reads: Map<string, number>): CommandSpec {
  const { flags, subcommands } = spec;
  const note = () => reads.set(spec.name, (reads.get(spec.name) ?? 0) + 1);
  return {
    ...spec,
    get flags() {
      note();
      return flags;
    },
    get subcommands() {
      note();
      return subcommands?.map((child) => counted(child, reads));
    },
  };
}

describe('CtlCommand.fromSpec', () => {
  const run = async () => {};
  const flag = (name: string) => ({ name, kind: 'bool' as const, defaultText: 'false', help: name });
  const tree: CommandSpec = {
    name: 'root',
    use: 'root',
    short: 'root',
    flags: [{ ...flag('global'), persistent: true }],
    subcommands: [
      { name: 'get', use: 'get', short: 'get', flags: [flag('prefix')], run },
      {
        name: 'member',
        use: 'member',
        short: 'member',
        subcommands: [{ name: 'list', use: 'list', short: 'list', flags: [flag('x')], run }],
      },
    ],
  };

  it('builds flags and subcommands only when first looked at', () => {
    const reads = new Map<string, number>();
    const root = CtlCommand.fromSpec(counted(tree, reads));
    const parsed = parseCommandLine(root, ['get', 'k', '--prefix', '--global']);
    expect(parsed.command.name()).toBe('get');
    expect(parsed.flags.get('prefix')?.value).toBe(true);
    // member was made (a child of the root) but not its subcommands: list's spec was never read.
    expect(reads.has('member')).toBe(true);
    expect(reads.has('list')).toBe(false);
    const member = root.children[1]!;
    expect(member.children.map((c) => c.name())).toEqual(['list']);
    expect(reads.has('list')).toBe(true);
    // Built once: looking again builds nothing more.
    const after = new Map(reads);
    expect(member.children[0]!.ownFlags.map((f) => f.name)).toEqual(['x']);
    void member.children;
    expect(reads.get('member')).toBe(after.get('member'));
  });
});
