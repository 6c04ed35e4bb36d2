// Reads the stdout of `check perf` / `check datascale`: pb's progress frames ("\r 3 / 60    5.00%
// 00m57s", drawn every 200 ms without a terminal) interleaved with ordinary lines. Timings make
// two runs differ, so tests compare shapes: every frame is checked for pb's exact layout, each run
// of frames collapses to <BAR> and the numbers in the remaining text become #.

export interface Frame {
  current: number;
  total: number;
  /** The time box without its leading space ("00m57s", "1m0s"), or '' when absent. */
  time: string;
}

export interface ProgressShape {
  frames: Frame[];
  /** The text with frame runs as <BAR> and digit runs (with decimals) as #. */
  shape: string;
  /** The text without the frames. */
  plain: string;
}

const FRAME = /\r (\d+) \/ (\d+) ( *\d+\.\d\d)%(?: ((?:\d+d)?(?:\d+h)?\d\dm\d\ds|(?:\d+h)?(?:\d+m)?\d+s))?/y;

/** pb's frame text for the values a frame claims (no bar: there is no terminal in tests). */
function expectedFrame(f: Frame, percentText: string): string {
  return ` ${f.current} / ${f.total} ${' ' + percentText.trim().padStart(6)}%${f.time ? ' ' + f.time : ''}`;
}

export function progressShape(stdout: string): ProgressShape {
  const frames: Frame[] = [];
  let shape = '';
  let plain = '';
  let text = '';
  let inBar = false;
  let i = 0;
  while (i < stdout.length) {
    FRAME.lastIndex = i;
    const m = FRAME.exec(stdout);
    if (m) {
      const frame: Frame = { current: Number(m[1]), total: Number(m[2]), time: m[4] ?? '' };
      const percent = ((frame.current / frame.total) * 100).toFixed(2);
      if (m[0].slice(1) !== expectedFrame(frame, m[3]!) || m[3]!.trim() !== percent) {
        throw new Error(`malformed progress frame ${JSON.stringify(m[0])} at offset ${i}`);
      }
      frames.push(frame);
      if (!inBar) {
        shape += text.replace(/\d+(?:\.\d+)?/g, '#') + '<BAR>';
        text = '';
        inBar = true;
      }
      i += m[0].length;
      continue;
    }
    if (stdout[i] === '\r') throw new Error(`unexpected carriage return at offset ${i}: ${JSON.stringify(stdout.slice(i, i + 40))}`);
    inBar = false;
    text += stdout[i];
    plain += stdout[i];
    i++;
  }
  shape += text.replace(/\d+(?:\.\d+)?/g, '#');
  return { frames, shape, plain };
}
