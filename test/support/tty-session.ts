// A shell in a real pseudo terminal (tmux on a private server socket): type command lines, read
// the screen with or without colour escapes, and record everything the programs wrote (raw
// bytes, \r and escapes included) through tmux's pipe-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTmux } from './tmux.js';
import { waitUntil } from './wait.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class TtySession {
  private readonly socket = `etcdctl-ts-tty-${randomBytes(4).toString('hex')}`;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-tty-'));
  private readonly log = path.join(this.dir, 'pane.log');
  private marker = 0;

  /** Starts `shell` (argv) in an 150×40 terminal with `env` exported. */
  constructor(shell: string[], env: Record<string, string>) {
    requireTmux();
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${quote(v)}; `)
      .join('');
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '150', '-y', '40', 'sh', '-c', `${exports}exec ${shell.map(quote).join(' ')}`]);
    this.tmux('pipe-pane', '-t', 'main', '-o', `cat >> ${quote(this.log)}`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** The screen; with `escapes`, colours as SGR escape sequences. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-300', '-t', 'main');
  }

  /** Everything written to the terminal so far, raw. */
  written(): string {
    return fs.existsSync(this.log) ? fs.readFileSync(this.log, 'latin1') : '';
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000, escapes = false): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen(escapes);
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}; screen:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Runs a command line in the shell and waits for it to finish; returns its exit status. The
   * line is followed by an `echo` of a unique marker with `$?`.
   */
  async run(line: string, timeoutMs = 30_000): Promise<number> {
    const id = `${this.socket}-${++this.marker}`;
    this.type(`${line}; echo "[done ${id} $?]"`);
    this.press('Enter');
    const text = await this.waitFor(new RegExp(`\\[done ${id} (\\d+)\\]`), timeoutMs);
    return Number(new RegExp(`\\[done ${id} (\\d+)\\]`).exec(text)![1]);
  }

  /** Clears the screen and the scrollback (runs `clear` in the shell, then drops the history). */
  async clear(): Promise<void> {
    await this.run('clear');
    this.press('C-l');
    // C-l pushes the old screen into the scrollback: drop that once the prompt stands alone.
    const visible = () => this.tmux('capture-pane', '-p', '-t', 'main');
    await waitUntil('the cleared screen (the prompt alone)', 20_000, () => visible().trim().split('\n').length === 1, visible);
    this.tmux('clear-history', '-t', 'main');
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A directory holding an `etcdctl-ts` command (the built CLI) to put first on PATH. */
export function cliBinDir(repoRoot: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-bin-'));
  const file = path.join(dir, 'etcdctl-ts');
  fs.writeFileSync(file, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(path.join(repoRoot, 'bin', 'etcdctl-ts.js'))} "$@"\n`);
  fs.chmodSync(file, 0o755);
  return dir;
}
