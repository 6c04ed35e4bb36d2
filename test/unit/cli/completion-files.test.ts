// The committed completion scripts (completions/) are what `etcdctl-ts completion <shell>` prints
// (scripts/gen-completions.mjs writes them at build time), and each parses in its shell.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPT_FILES, SHELLS, completionScript } from '../../../src/cli/completion/scripts.js';

const dir = path.resolve(import.meta.dirname, '../../../completions');
const SYNTAX_CHECK: Record<string, string[]> = { bash: ['bash', '-n'], zsh: ['zsh', '-n'], fish: ['fish', '--no-execute'] };

describe.each(SHELLS)('%s', (shell) => {
  const file = path.join(dir, SCRIPT_FILES[shell]);

  it('the committed file is current (run `npm run build` to regenerate)', () => {
    expect(fs.readFileSync(file, 'utf8')).toBe(completionScript(shell));
  });

  it('parses', () => {
    const [cmd, ...args] = SYNTAX_CHECK[shell]!;
    const result = spawnSync(cmd!, [...args, file], { encoding: 'utf8' });
    expect(result.error, `${cmd} is installed by scripts/install-test-tools.sh`).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
