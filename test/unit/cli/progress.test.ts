// cli/progress.ts: pb v1's bar as etcdctl's check commands draw it, against frames captured from
// etcdctl 3.5.16 (test/fixtures/check/*.real.stdout, taken on a pipe, i.e. without a terminal), and
// the status lines on a terminal stderr.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BarClock, ProgressBar, byteProgress, formatTimeLeft, ttyProgress } from '../../../src/cli/progress.js';
import type { Io } from '../../../src/io/types.js';
import { progressShape } from '../../support/progress-shape.js';

/** A manual clock: timers run when advance() passes their time. */
class FakeClock implements BarClock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

function makeBar(total: number, width = 0) {
  const clock = new FakeClock();
  let out = '';
  const bar = new ProgressBar(total, (s) => (out += s), width, clock);
  return { clock, bar, output: () => out };
}

describe('ProgressBar without a terminal', () => {
  it('draws perf frames every 200 ms with the time left once the count moved', () => {
    const { clock, bar, output } = makeBar(60);
    bar.start();
    clock.advance(999);
    bar.add(1);
    clock.advance(1);
    const frames = output().split('\r').slice(1);
    // The same texts as the captured perf run (its first six frames).
    expect(frames).toEqual([' 0 / 60    0.00%', ' 0 / 60    0.00%', ' 0 / 60    0.00%', ' 0 / 60    0.00%', ' 0 / 60    0.00%', ' 1 / 60    1.67% 00m59s']);
  });

  it('finishes with the elapsed time and a newline, and never draws again', () => {
    const { clock, bar, output } = makeBar(10000);
    bar.start();
    clock.advance(2300);
    bar.add(10000);
    bar.finish();
    expect(output().endsWith('\r 10000 / 10000  100.00% 2s\n')).toBe(true);
    const before = output();
    clock.advance(5000);
    bar.finish();
    expect(output()).toBe(before);
  });

  it('drops the time box when less than a second is left', () => {
    const { clock, bar, output } = makeBar(100);
    bar.start();
    clock.advance(1000);
    bar.add(99);
    clock.advance(200);
    expect(output().split('\r').pop()).toBe(' 99 / 100   99.00%');
  });

  it('stop() leaves the last frame as it is', () => {
    const { clock, bar, output } = makeBar(60);
    bar.start();
    clock.advance(400);
    bar.stop();
    const before = output();
    clock.advance(2000);
    expect(output()).toBe(before);
    expect(before.endsWith('\n')).toBe(false);
  });

  it('reproduces the shape of the captured runs', () => {
    for (const name of ['perf-s', 'datascale-s', 'perf-s-sigint-auto-compact']) {
      const { frames } = progressShape(fs.readFileSync(`test/fixtures/check/${name}.real.stdout`, 'latin1'));
      expect(frames.length).toBeGreaterThan(5);
    }
  });
});

describe('ProgressBar on a terminal', () => {
  it('fills the width with the "Bom !" bar', () => {
    const { clock, bar, output } = makeBar(60, 80);
    bar.start();
    bar.add(30);
    clock.advance(200);
    const frame = output().split('\r').pop()!;
    expect(frame).toBe(` 30 / 60 B${'o'.repeat(30)}m${' '.repeat(30)}!  50.00%`);
    expect(frame).toHaveLength(80);
  });

  it('pads a frame too short for a bar to the width', () => {
    const { bar, output } = makeBar(60, 12);
    bar.start();
    expect(output()).toBe('\r 0 / 60    0.00%');
    const wide = makeBar(60, 20);
    wide.bar.start();
    expect(wide.output()).toBe('\r 0 / 60 B  !   0.00%');
  });
});

describe('formatTimeLeft', () => {
  it.each([
    [59e9, '00m59s'],
    [61.9e9, '01m01s'],
    [3600e9, '60m00s'],
    [3601e9, '1h00m01s'],
    // pb compares with >, so exactly one hour after the days shows as minutes.
    [90000e9, '1d60m00s'],
    [90001e9, '1d1h00m01s'],
  ])('%d ns → %s', (ns, text) => {
    expect(formatTimeLeft(ns)).toBe(text);
  });
});

/** An Io whose stderr is gathered, a terminal or not. */
function stderrIo(isTTY: boolean): { io: Io; err: () => string } {
  let err = '';
  const io = { stderr: { isTTY, write: (s: string | Uint8Array) => void (err += s.toString()) }, terminalWidth: () => 40 } as unknown as Io;
  return { io, err: () => err };
}

describe('status lines on a terminal stderr', () => {
  it('draw nothing when stderr is no terminal', () => {
    const { io, err } = stderrIo(false);
    const bar = ttyProgress(io, 3);
    bar.add();
    bar.clear();
    bar.done();
    expect(byteProgress(io, () => 'x')).toBeUndefined();
    expect(err()).toBe('');
  });

  it('the count bar draws pb frames, erases itself before other output and when done', () => {
    const { io, err } = stderrIo(true);
    const bar = ttyProgress(io, 2);
    expect(err()).toBe(`\r 0 / 2 B${' '.repeat(22)}!   0.00%`);
    bar.clear();
    bar.clear();
    expect(err().endsWith('!   0.00%\r\x1b[2K')).toBe(true);
    bar.done();
    // Erased once: nothing was drawn again since.
    expect(err().split('\x1b[2K')).toHaveLength(2);
  });

  it('the byte counter draws at most every 200 ms, keeps the last total and erases itself', () => {
    const { io, err } = stderrIo(true);
    const seen: [number, number | undefined][] = [];
    const progress = byteProgress(io, (received, total) => {
      seen.push([received, total]);
      return `${received}/${total}`;
    })!;
    progress.update(10, 100);
    progress.update(20, undefined);
    expect(seen).toEqual([[10, 100]]);
    expect(err()).toBe('\r\x1b[2K10/100');
    progress.clear();
    expect(err()).toBe('\r\x1b[2K10/100\r\x1b[2K');
    progress.clear();
    expect(err()).toBe('\r\x1b[2K10/100\r\x1b[2K');
  });
});
