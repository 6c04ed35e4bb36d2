// Writes the shell completion scripts under completions/ from the built program (dist/), exactly
// what `etcdctl-ts completion <shell>` prints. Run by `npm run build`; the files are committed,
// and test/unit/cli/completion-files.test.ts checks that they are current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPT_FILES, SHELLS, completionScript } from '../dist/cli/completion/scripts.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'completions');
fs.mkdirSync(dir, { recursive: true });
for (const shell of SHELLS) {
  const file = path.join(dir, SCRIPT_FILES[shell]);
  const text = completionScript(shell);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== text) fs.writeFileSync(file, text);
}
