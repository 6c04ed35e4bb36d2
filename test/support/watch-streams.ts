// Which member serves a watch: read from each member's metrics, so fault tests can kill exactly
// the member a watcher is streaming from; and watch replays run on both tools up to a marker.
import http from 'node:http';
import { startCli, type BackgroundOptions } from './background.js';
import type { Cluster, Member } from './cluster.js';
import type { CliResult, Which } from './run.js';

export function httpGet(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 3000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A gauge from the member's /metrics (0 when absent). */
async function gauge(m: Member, name: string): Promise<number> {
  const metrics = await httpGet(m.clientPort, '/metrics');
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? '0');
}

/** Number of gRPC watch streams the member serves (its etcd_debugging_mvcc_watch_stream_total). */
export function watchStreams(m: Member): Promise<number> {
  return gauge(m, 'etcd_debugging_mvcc_watch_stream_total');
}

/** Number of watches the member serves (its etcd_debugging_mvcc_watcher_total): a new watch counts once it is created. */
export function watchers(m: Member): Promise<number> {
  return gauge(m, 'etcd_debugging_mvcc_watcher_total');
}

/** The running (unpaused) member that serves the only watch stream; bounded to `tries` × 100 ms. */
export async function streamingMember(cluster: Cluster, tries = 150): Promise<Member> {
  for (let i = 0; i < tries; i++) {
    const running = cluster.members.filter((m) => m.running && !m.paused);
    const counts = await Promise.all(running.map((m) => watchStreams(m).catch(() => 0)));
    const found = running.filter((_, j) => counts[j] === 1);
    if (found.length === 1 && counts.reduce((a, b) => a + b, 0) === 1) return found[0]!;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no single member serves the watch stream');
}

/**
 * Runs `watch` on one side until its output ends with `marker` (the history's last event), lets
 * it settle, then stops it with SIGINT. Only the last 64 KiB are searched: replays are megabytes.
 */
export async function watchUntilMarker(which: Which, ep: string, args: string[], marker: string, opts: BackgroundOptions = {}): Promise<CliResult> {
  const proc = startCli(which, [ep, ...args], opts);
  await proc.waitFor((out) => out.stdout.subarray(-65536).includes(marker), 120_000, `${marker} from ${which}`);
  await proc.settle(600);
  return proc.stop('SIGINT');
}

/** Both tools' replays up to `marker`, one after the other, for expectSame. */
export async function bothUntilMarker(ep: string, args: string[], marker: string) {
  const real = await watchUntilMarker('real', ep, args, marker);
  const ours = await watchUntilMarker('ours', ep, args, marker);
  return { args: [ep, ...args], opts: {}, real, ours };
}
