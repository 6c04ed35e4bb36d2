// What the interactive additions (edit, shell) take from the environment: the editor and where the
// shell keeps its history. Read here so that no other module reads the environment.
import os from 'node:os';
import path from 'node:path';
import type { Env } from './resolve.js';

/**
 * The editor command line, as a shell would run it ($VISUAL, then $EDITOR, as git and crontab
 * choose); `vi` only when a person is at the terminal, undefined when there is none to run.
 */
export function editorCommand(env: Env, onTerminal: boolean): string | undefined {
  for (const name of ['VISUAL', 'EDITOR'] as const) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return onTerminal ? 'vi' : undefined;
}

/** The shell's history file: $XDG_STATE_HOME/etcdctl-ts/history, else ~/.local/state/etcdctl-ts/history. */
export function historyFile(env: Env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'etcdctl-ts', 'history');
}

