// The one progress display. Two shapes of output share it:
// - etcdctl's own bar for `check perf` and `check datascale` (Go package gopkg.in/cheggaaa/pb.v1
//   1.0.28 with the format "Bom !"): redrawn with a leading "\r" every 200 ms on stdout, whatever
//   stdout is. Only the terminal width (of /dev/tty; 0 without a controlling terminal) decides
//   whether the bar itself and the padding appear, so on a pipe the frames look like
//   "\r 3 / 60    5.00% 00m57s". Tests compare these frames with etcdctl's byte for byte.
// - etcdctl-ts's additions on a terminal stderr (defrag --cluster, make-mirror's initial copy,
//   snapshot save's bytes): a line drawn over itself and erased before other output, so the lines
//   etcdctl prints stay intact; nothing at all when stderr is not a terminal.
// Hand-written rather than cli-progress: that library positions the cursor with escape sequences
// and writes nothing (or whole lines on a schedule) without a terminal, so it cannot draw pb's
// "\r" frames on a pipe, which must match etcdctl's.
import { formatGoDuration } from '../go/duration.js';
import { goFixed } from '../go/encode.js';
import type { Io } from '../io/types.js';

const REFRESH_MS = 200;
const NS_PER_MS = 1_000_000;
const NS_PER_SECOND = 1_000_000_000;

// "Bom !": start, current, current's head, empty, end.
const BAR_START = 'B';
const BAR_CURRENT = 'o';
const BAR_CURRENT_HEAD = 'm';
const BAR_EMPTY = ' ';
const BAR_END = '!';

export interface BarClock {
  /** Milliseconds, monotonic, fractional. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: BarClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** pb's time-left form: `[Nd][Nh]MMmSSs`. */
export function formatTimeLeft(ns: number): string {
  let d = ns;
  let out = '';
  const hour = 3600 * NS_PER_SECOND;
  if (d > 24 * hour) {
    const days = Math.trunc(d / (24 * hour));
    out += `${days}d`;
    d -= days * 24 * hour;
  }
  if (d > hour) {
    const hours = Math.trunc(d / hour);
    out += `${hours}h`;
    d -= hours * hour;
  }
  const minutes = Math.trunc(d / (60 * NS_PER_SECOND));
  d -= minutes * 60 * NS_PER_SECOND;
  const seconds = Math.trunc(d / NS_PER_SECOND);
  return `${out}${String(minutes).padStart(2, '0')}m${String(seconds).padStart(2, '0')}s`;
}

export class ProgressBar {
  private current = 0;
  private previous = 0;
  private startTime = 0;
  private startValue = 0;
  /** When the count last changed, as seen by a refresh; undefined before the first change. */
  private changeTime: number | undefined;
  private finishing = false;
  private finished = false;
  private timer: unknown;
  private readonly showTimeLeft: boolean;
  private readonly showPercent: boolean;

  constructor(
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly width: number,
    private readonly clock: BarClock = realClock,
  ) {
    this.showTimeLeft = total !== 0;
    this.showPercent = total !== 0;
  }

  /** Draws the bar now and then every 200 ms until finish() or stop(). */
  start(): this {
    this.startTime = this.clock.now();
    this.startValue = this.current;
    this.update();
    this.schedule();
    return this;
  }

  add(n = 1): void {
    this.current += n;
  }

  /** Draws the final state (with the elapsed time) and a newline; later calls do nothing. */
  finish(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.cancelTimer();
    this.write('\r' + this.render());
    this.write('\n');
    this.finished = true;
  }

  /** Stops redrawing without finishing (etcdctl exits with the bar in whatever state it is). */
  stop(): void {
    this.finished = true;
    this.cancelTimer();
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      if (this.finishing || this.finished) return;
      this.update();
      this.schedule();
    }, REFRESH_MS);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private update(): void {
    if (this.previous !== this.current) {
      this.changeTime = this.clock.now();
      this.previous = this.current;
    }
    if (!this.finished) this.write('\r' + this.render());
  }

  /** The bar's text for the current state (without the leading "\r"). */
  render(): string {
    const { total, current } = this;
    const now = this.clock.now();
    let percentBox = '';
    if (this.showPercent) {
      const percent = total > 0 ? current / (total / 100) : current / 100;
      percentBox = ` ${goFixed(percent, 2).padStart(6)}%`;
    }
    const countersBox = total > 0 ? ` ${current} / ${total} ` : ` ${current} / ? `;

    let timeLeftBox = '';
    const fromStartNs = Math.round((now - this.startTime) * NS_PER_MS);
    if (this.finishing) {
      timeLeftBox = ` ${formatGoDuration(Math.trunc(fromStartNs / NS_PER_SECOND) * NS_PER_SECOND)}`;
    } else {
      const done = current - this.startValue;
      if (this.showTimeLeft && done > 0 && this.changeTime !== undefined) {
        const fromChangeNs = Math.round((this.changeTime - this.startTime) * NS_PER_MS);
        const perEntry = Math.trunc(fromChangeNs / done);
        let left = 0;
        if (total > 0) {
          left = (total - current) * perEntry - Math.round((now - this.changeTime) * NS_PER_MS);
          left = Math.trunc(left / NS_PER_SECOND) * NS_PER_SECOND;
        }
        if (left > 0) timeLeftBox = ` ${formatTimeLeft(left)}`;
      }
    }

    let barBox = '';
    const fixed = [...(countersBox + BAR_START + BAR_END + percentBox + timeLeftBox)].length;
    const size = this.width - fixed;
    if (size > 0) {
      if (total > 0) {
        let curSize = Math.ceil((current / total) * size);
        const emptySize = Math.max(0, size - curSize);
        curSize = Math.min(curSize, size);
        barBox = BAR_START;
        if (emptySize <= 0) barBox += BAR_CURRENT.repeat(curSize);
        else if (curSize > 0) barBox += BAR_CURRENT.repeat(Math.max(0, curSize - 1)) + BAR_CURRENT_HEAD;
        barBox += BAR_EMPTY.repeat(emptySize) + BAR_END;
      } else {
        const pos = size - (current % size);
        barBox = BAR_START + BAR_EMPTY.repeat(Math.max(0, pos - 1)) + BAR_CURRENT + BAR_EMPTY.repeat(Math.max(0, size - pos - 1)) + BAR_END;
      }
    }
    const out = countersBox + barBox + percentBox + timeLeftBox;
    const length = [...out].length;
    return length < this.width ? out + ' '.repeat(this.width - length) : out;
  }
}

// ---------------------------------------------------------------------------------------------
// A status line on a terminal stderr.

const ERASE_LINE = '\r\x1b[2K';

/** A line on a terminal stderr that is drawn over itself and erased on request. */
class StatusLine {
  private visible = false;
  constructor(private readonly io: Io) {}

  /** Writes `text`, which starts by returning to the line's start ("\r"). */
  draw(text: string): void {
    this.visible = true;
    this.io.stderr.write(text);
  }

  /** Erases the line if something is drawn; a later draw brings it back. */
  clear(): void {
    if (this.visible) this.io.stderr.write(ERASE_LINE);
    this.visible = false;
  }
}

export interface TtyProgress {
  add(n?: number): void;
  /** Call before writing other output: the bar is erased and comes back at its next redraw. */
  clear(): void;
  /** Stops and erases the bar. */
  done(): void;
}

const NONE: TtyProgress = { add: () => undefined, clear: () => undefined, done: () => undefined };

/** A pb bar counting to `total` on a terminal stderr (defrag, make-mirror), or a no-op when stderr is no terminal. */
export function ttyProgress(io: Io, total: number): TtyProgress {
  if (!io.stderr.isTTY || total <= 0) return NONE;
  const width = Math.max(20, Math.min(io.terminalWidth?.() || 80, 100) - 1);
  const line = new StatusLine(io);
  const bar = new ProgressBar(total, (text) => line.draw(text), width).start();
  return {
    add: (n = 1) => bar.add(n),
    clear: () => line.clear(),
    done: () => {
      bar.stop();
      line.clear();
    },
  };
}

export interface ByteProgress {
  /** Bytes received so far, and the total once known; redrawn at most every 200 ms. */
  update(received: number, total: number | undefined): void;
  clear(): void;
}

/**
 * Bytes received of a download on a terminal stderr (snapshot save): `describe` gives the text
 * for the bytes, the total (when known) and the elapsed milliseconds. Undefined when stderr is
 * no terminal.
 */
export function byteProgress(io: Io, describe: (received: number, total: number | undefined, elapsedMs: number) => string): ByteProgress | undefined {
  if (!io.stderr.isTTY) return undefined;
  const line = new StatusLine(io);
  const started = Date.now();
  let lastDraw = 0;
  let known: number | undefined;
  return {
    update: (received, total) => {
      if (total !== undefined) known = total;
      const now = Date.now();
      if (now - lastDraw < REFRESH_MS) return;
      lastDraw = now;
      line.draw(`${ERASE_LINE}${describe(received, known, now - started)}`);
    },
    clear: () => line.clear(),
  };
}
