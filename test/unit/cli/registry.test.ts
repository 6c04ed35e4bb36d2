// The lazy registry (cli/registry.ts) and the eager program (cli/program.ts) name the same
// top-level commands in the same order, and each entry loads the very commands it names.
import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli/program.js';
import { REGISTRY } from '../../../src/cli/registry.js';
import { usageText } from '../../../src/cli/help.js';

describe('cli/registry', () => {
  it('lists createProgram()’s top-level commands, in order (help is the program’s own)', () => {
    const names = createProgram().children.map((c) => c.name());
    expect([...REGISTRY.flatMap((e) => e.names), 'help']).toEqual(names);
  });

  it('loads commands equal to the program’s', async () => {
    const root = createProgram();
    for (const entry of REGISTRY) {
      const built = await entry.load();
      expect(built.map((c) => c.name())).toEqual(entry.names);
      for (const cmd of built) {
        const eager = root.children.find((c) => c.name() === cmd.name())!;
        const expected = usageText(eager);
        // In the eager command's place, as the bundle puts it (usage texts show the root's flags).
        (root.commands as unknown as unknown[])[root.commands.indexOf(eager)] = cmd;
        cmd.parent = root;
        expect(usageText(cmd)).toBe(expected);
      }
    }
  });
});
