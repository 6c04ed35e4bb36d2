// What the interactive additions take from the environment: the editor, where the shell keeps its
// history, and whether to colour. Read here so that no other module reads the environment.
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

/** chalk's colour level: 0 means plain text. */
export type ColourLevel = 0 | 1 | 2 | 3;

/**
 * The level for a stream: only when it is a terminal, NO_COLOR and FORCE_COLOR honoured
 * (https://no-color.org, FORCE_COLOR as chalk/supports-color read it), decided from the injected
 * stream and environment rather than by chalk's own detection (which reads process.env).
 */
export function colourLevel(stream: { readonly isTTY: boolean }, env: Env): ColourLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 1;
}
