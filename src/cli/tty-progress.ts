// A progress bar for long work on stderr, shown only when stderr is a terminal (never on a pipe or
// a file, so scripts and etcdctl-compatible output are unaffected). It reuses etcdctl's bar
// drawing (progress-bar.ts) and erases itself when done or before other output is written to the
// same terminal, so the lines etcdctl prints stay intact.
import type { Io } from '../io/types.js';
import { ProgressBar } from './progress-bar.js';

const ERASE_LINE = '\r\x1b[2K';

export interface TtyProgress {
  add(n?: number): void;
  /** Call before writing other output: the bar is erased and comes back at its next redraw. */
  clear(): void;
  /** Stops and erases the bar. */
  done(): void;
}

const NONE: TtyProgress = { add: () => undefined, clear: () => undefined, done: () => undefined };

/** A bar counting to `total` on stderr, or a no-op when stderr is not a terminal. */
export function ttyProgress(io: Io, total: number): TtyProgress {
  if (!io.stderr.isTTY || total <= 0) return NONE;
  const width = Math.max(20, Math.min(io.terminalWidth?.() || 80, 100) - 1);
  let visible = true;
  const bar = new ProgressBar(total, (text) => {
    visible = true;
    io.stderr.write(text);
  }, width).start();
  return {
    add: (n = 1) => bar.add(n),
    clear: () => {
      if (visible) io.stderr.write(ERASE_LINE);
      visible = false;
    },
    done: () => {
      bar.stop();
      if (visible) io.stderr.write(ERASE_LINE);
      visible = false;
    },
  };
}
