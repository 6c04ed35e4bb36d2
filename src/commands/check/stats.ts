// check's results: pkg/report's Stats, as far as check uses them, and perf's verdict.
import { goFixed } from '../../go/encode.js';

// ---------------------------------------------------------------------------------------------
// Results: pkg/report's Stats, as far as check uses them.

export interface Stats {
  /** Requests per second: successful requests over the whole run. */
  rps: number;
  /** Seconds of the slowest successful request (0 when none succeeded). */
  slowest: number;
  /** Population standard deviation of the successful requests' seconds (NaN when none). */
  stddev: number;
  /** Failed requests by error text, in order of first appearance. */
  errors: Map<string, number>;
}

export class Recorder {
  readonly latencies: number[] = [];
  readonly errors = new Map<string, number>();
  ok(seconds: number): void {
    this.latencies.push(seconds);
  }
  fail(message: string): void {
    this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
  }
}

export function computeStats(rec: Recorder, totalSeconds: number): Stats {
  const n = rec.latencies.length;
  let sum = 0;
  let slowest = 0;
  for (const l of rec.latencies) {
    sum += l;
    if (l > slowest) slowest = l;
  }
  const average = sum / n;
  let squares = 0;
  for (const l of rec.latencies) squares += (l - average) * (l - average);
  return { rps: n / totalSeconds, slowest, stddev: Math.sqrt(squares / n), errors: rec.errors };
}

export function errorLines(errors: Map<string, number>): string {
  let out = 'FAIL: too many errors\n';
  for (const [message, count] of errors) out += `FAIL: ERROR(${message}) -> ${count}\n`;
  return out;
}

/** check perf's verdict lines and whether the cluster passed. */
export function perfVerdict(stats: Stats, limit: number): { text: string; ok: boolean } {
  let ok = true;
  let text = '';
  if (stats.errors.size !== 0) {
    text += errorLines(stats.errors);
    ok = false;
  }
  const writes = Math.trunc(stats.rps) + 1;
  if (stats.rps / limit <= 0.9) {
    text += `FAIL: Throughput too low: ${writes} writes/s\n`;
    ok = false;
  } else {
    text += `PASS: Throughput is ${writes} writes/s\n`;
  }
  if (stats.slowest > 0.5) {
    text += `Slowest request took too long: ${goFixed(stats.slowest, 6)}s\n`;
    ok = false;
  } else {
    text += `PASS: Slowest request took ${goFixed(stats.slowest, 6)}s\n`;
  }
  if (stats.stddev > 0.1) {
    text += `Stddev too high: ${goFixed(stats.stddev, 6)}s\n`;
    ok = false;
  } else {
    text += `PASS: Stddev is ${goFixed(stats.stddev, 6)}s\n`;
  }
  text += ok ? 'PASS\n' : 'FAIL\n';
  return { text, ok };
}

