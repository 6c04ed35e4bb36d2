// Drives a program in a real pseudo terminal through tmux (on a private server socket, so only
// sessions this helper created are touched): type text, press keys, read the screen.
//
//   const term = await Terminal.start(['node', 'bin/etcdctl-ts.js', 'txn', '-i']);
//   await term.waitFor(/compare 1/);
//   term.type('mod("k") > "0"'); term.press('Enter');
//   const code = await term.exitCode();
//   term.close();
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Fails (never skips) when tmux is missing: scripts/install-test-tools.sh installs it. */
export function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('tmux is not installed: the terminal tests need it (run `bash scripts/install-test-tools.sh`, or `apt-get install -y tmux`)');
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class Terminal {
  private constructor(
    private readonly socket: string,
    private readonly session: string,
  ) {}

  /** Starts `argv` in a detached 160×50 tmux session; after it exits the pane shows `[exit N]`. */
  static start(argv: string[], env: Record<string, string> = {}): Terminal {
    requireTmux();
    const socket = `etcdctl-ts-test-${randomBytes(4).toString('hex')}`;
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${quote(v)}; `)
      .join('');
    const script = `${exports}${argv.map(quote).join(' ')}; echo "[exit $?]"; sleep 120`;
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '160', '-y', '50', 'sh', '-c', script]);
    return new Terminal(socket, 'main');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Presses keys by tmux name: Enter, C-u, Escape… */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** The visible screen plus scrollback, trailing blanks trimmed. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', this.session).replace(/\s+$/, '');
  }

  /** Polls the screen until it matches (bounded); throws with the screen when it never does. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}; screen:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for the program to end and returns its exit code. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const text = await this.waitFor(/\[exit \d+\]/, timeoutMs);
    return Number(/\[exit (\d+)\]/.exec(text)![1]);
  }

  /** Ends the tmux server of this terminal (and the program, if still running). */
  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
