// Starts real etcd members on 127.0.0.1 for integration tests; never a mock. The release is the one
// test/support/etcd-bin.ts selects ($ETCDCTL_TS_TEST_SERVER: 3.5.16 by default, 3.5.30 or 3.4.23).
//
// Each test file starts its own cluster in beforeAll and stops it in afterAll:
//
//   let cluster: Cluster;
//   beforeAll(async () => { cluster = await startCluster({ size: 1 }); });
//   afterAll(async () => { await cluster?.stop(); });
//
// Ports are free loopback ports chosen by the OS (bind to port 0), allocated up front for the whole
// cluster and never handed out twice within this process. Data dirs and logs live in a fresh
// mkdtemp dir (os.tmpdir()/etcdctl-ts-XXXXXX) that stop() removes. Members are stopped by PID, and
// only members this module started. If the test process exits, is terminated (SIGINT/SIGTERM/
// SIGHUP; vitest stops its workers with SIGTERM) or loses its IPC channel to the vitest main process
// while members are still running, they are SIGKILLed and their dirs removed. A SIGKILL of the test process itself cannot be caught: in that
// case members survive, though a killed vitest worker's members are usually also hit by the Ctrl-C
// of the process group.
//
// Set ETCDCTL_TS_KEEP_TMP=1 to keep the temp dirs (data and logs) after stop(), for debugging.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { etcdPath, testServerIs34 } from './etcd-bin.js';

export interface ClusterOptions {
  size: 1 | 3;
  /** Member name prefix: members are named `${name}0`, `${name}1`, … (default "infra"). */
  name?: string;
  /** Extra etcd flags given to every member, e.g. ['--quota-backend-bytes=1048576', '--auth-token=simple']. */
  extraArgs?: string[];
  /** Convenience for `--quota-backend-bytes=N` (a small quota lets tests trigger NOSPACE). */
  quotaBackendBytes?: number;
  /** Extra environment for the etcd processes (on top of a clean PATH/HOME/TMPDIR/LANG). */
  env?: Record<string, string>;
  /** How long to wait for every member to report healthy (default 30 s). */
  startTimeoutMs?: number;
  /**
   * Serve clients over TLS: client URLs become https://127.0.0.1:P with this server certificate
   * (it needs an IP SAN 127.0.0.1), `trustedCaFile` + `clientCertAuth` require client
   * certificates. Readiness is then polled on a plain-http --listen-metrics-urls port, and
   * Member.status() / Cluster.leader() are not available. Peers stay plaintext.
   */
  clientTls?: { certFile: string; keyFile: string; trustedCaFile?: string; clientCertAuth?: boolean };
}

export interface MemberStatus {
  memberId: string;
  leader: string;
  raftTerm: string;
  raftIndex: string;
  version: string;
}

export interface Member {
  readonly name: string;
  /** PID of the current (or, once exited, the last) etcd process of this member. */
  readonly pid: number;
  readonly clientPort: number;
  readonly peerPort: number;
  /** "127.0.0.1:P", no scheme: the form etcdctl's --endpoints usually gets. */
  readonly endpoint: string;
  /** "http://127.0.0.1:P" ("https://…" with clientTls) */
  readonly clientUrl: string;
  /** "http://127.0.0.1:Q" */
  readonly peerUrl: string;
  readonly dataDir: string;
  /** etcd's own log (level error) for this member; restarts append to it. */
  readonly logFile: string;
  /** True while the etcd process has not exited (also while paused). */
  readonly running: boolean;
  readonly paused: boolean;
  /** Sends `signal` (default SIGKILL) and waits (bounded, default 10 s) for the process to exit. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  /**
   * SIGTERM, wait up to `graceMs` (default 10 s), then SIGKILL. No-op if not running. Note that a
   * leader whose peers are down or stopping spends ~7 s trying to transfer leadership first.
   */
  stop(graceMs?: number): Promise<void>;
  /** SIGSTOP: the member stops answering but keeps its sockets open. */
  pause(): void;
  /** SIGCONT */
  resume(): void;
  /**
   * Starts the member again with the same data dir, ports and flags and
   * --initial-cluster-state=existing (stopping it first if it is running). Waits until it is
   * healthy unless `waitHealthy: false` (needed when the cluster has lost quorum).
   */
  restart(opts?: { waitHealthy?: boolean; timeoutMs?: number }): Promise<void>;
  /** Polls GET /health?exclude=NOSPACE until {"health":"true"}; bounded; throws with the log tail. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Maintenance status through etcd's JSON gateway (uint64 ids as decimal strings). */
  status(timeoutMs?: number): Promise<MemberStatus>;
  /** Last lines of the member's log file. */
  logTail(lines?: number): string;
}

export interface Cluster {
  readonly members: Member[];
  /** "127.0.0.1:P" per member, no scheme. */
  readonly endpoints: string[];
  /** "http://127.0.0.1:P" per member ("https://…" with clientTls). */
  readonly clientUrls: string[];
  /** The temp dir holding data dirs and logs. */
  readonly dir: string;
  readonly token: string;
  /** `--endpoints=<all endpoints, comma separated>` for etcdctl command lines. */
  readonly endpointsFlag: string;
  /** Waits until every running member is healthy. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** The member that is currently leader according to the running, unpaused members, if any. */
  leader(): Promise<Member | undefined>;
  /**
   * Stops every member this cluster started (SIGTERM to followers, then to the leader; SIGKILL
   * after a bounded wait), then removes the temp dir. Idempotent.
   */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const POLL_STEP_MS = 100;
const MAX_START_ATTEMPTS = 3;
const LEADER_STOP_GRACE_MS = 2_000;

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: everything this module started, so it can be cleaned up on exit.

const liveChildren = new Map<number, ChildProcess>();
const liveDirs = new Set<string>();
let handlersInstalled = false;

function killAllSync(): void {
  for (const pid of liveChildren.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
  if (process.env['ETCDCTL_TS_KEEP_TMP']) return;
  for (const dir of liveDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // best effort
    }
  }
  liveDirs.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllSync();
      process.off(sig, onSignal);
      // Keep the default behaviour (die by the signal) unless someone else handles it.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
  // In a vitest fork worker the IPC channel closes when the vitest main process goes away (e.g. it
  // got SIGINT alone): the orphaned worker may go on running its test for a long time, so stop the
  // members now.
  if (typeof process.send === 'function') process.once('disconnect', killAllSync);
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const usedPorts = new Set<number>();

/** `n` distinct free loopback ports, never returned before by this process. */
async function allocatePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    // All servers stay open until the end, so the OS cannot hand out the same port twice here.
    for (let attempt = 0; ports.length < n; attempt++) {
      if (attempt >= n + 100) throw new Error(`could not allocate ${n} free ports on 127.0.0.1`);
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve);
      });
      const port = (srv.address() as AddressInfo).port;
      if (usedPorts.has(port)) continue;
      usedPorts.add(port);
      ports.push(port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
  return ports;
}

function cleanEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}

interface HttpAnswer {
  status: number;
  body: string;
}

function httpRequest(
  port: number,
  method: 'GET' | 'POST',
  urlPath: string,
  body: string | undefined,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`HTTP ${method} ${urlPath} on port ${port} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

// A NOSPACE alarm (tests with a small --quota-backend-bytes) makes plain /health report false
// ("ALARM NOSPACE") although the member serves reads; for readiness it does not count.
async function isHealthy(port: number, timeoutMs: number): Promise<boolean> {
  try {
    const { body } = await httpRequest(port, 'GET', '/health?exclude=NOSPACE', undefined, timeoutMs);
    return (JSON.parse(body) as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

function readTail(file: string, lines: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      const all = buf.toString('utf8').split('\n');
      if (all[all.length - 1] === '') all.pop();
      return all.slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return `(cannot read ${file}: ${(err as Error).message})`;
  }
}

// ---------------------------------------------------------------------------------------------

interface MemberSpec {
  name: string;
  clientPort: number;
  /** Where /health is served over plain http: the client port, or the metrics port with TLS. */
  healthPort: number;
  clientScheme: 'http' | 'https';
  peerPort: number;
  dataDir: string;
  logFile: string;
  /** etcd flags without --initial-cluster-state. */
  baseArgs: string[];
  env: NodeJS.ProcessEnv;
}

class EtcdMember implements Member {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private lastPid = -1;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exited: Promise<void> = Promise.resolve();
  private isPaused = false;

  constructor(private readonly spec: MemberSpec) {
    this.name = spec.name;
    this.clientPort = spec.clientPort;
    this.peerPort = spec.peerPort;
    this.dataDir = spec.dataDir;
    this.logFile = spec.logFile;
  }

  get pid(): number {
    return this.lastPid;
  }
  get endpoint(): string {
    return `127.0.0.1:${this.clientPort}`;
  }
  get clientUrl(): string {
    return `${this.spec.clientScheme}://127.0.0.1:${this.clientPort}`;
  }
  get peerUrl(): string {
    return `http://127.0.0.1:${this.peerPort}`;
  }
  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }
  get paused(): boolean {
    return this.running && this.isPaused;
  }

  /** Spawns the etcd process; resolves once it has a PID (not once it is healthy). */
  async spawn(state: 'new' | 'existing'): Promise<void> {
    if (this.running) throw new Error(`etcd member ${this.name} is already running (pid ${this.lastPid})`);
    const args = [...this.spec.baseArgs, `--initial-cluster-state=${state}`];
    const fd = fs.openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      fs.writeSync(fd, `--- etcdctl-ts test harness: starting ${this.name} (state ${state}) at ${new Date().toISOString()}\n`);
      child = spawn(etcdPath(), args, { stdio: ['ignore', fd, fd], env: this.spec.env });
    } finally {
      fs.closeSync(fd);
    }
    if (child.pid === undefined) {
      const err = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start etcd (${etcdPath()}): ${err.message}`);
    }
    const pid = child.pid;
    this.child = child;
    this.lastPid = pid;
    this.exitInfo = undefined;
    this.isPaused = false;
    liveChildren.set(pid, child);
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        liveChildren.delete(pid);
        this.exitInfo = { code, signal };
        resolve();
      });
    });
  }

  async waitHealthy(timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const maxPolls = Math.ceil(timeoutMs / POLL_STEP_MS) + 5;
    for (let i = 0; i < maxPolls; i++) {
      if (this.exitInfo !== undefined) {
        const { code, signal } = this.exitInfo;
        throw new Error(
          `etcd member ${this.name} (pid ${this.lastPid}) exited (code ${code}, signal ${signal}) before becoming healthy.\n` +
            `Log tail (${this.logFile}):\n${this.logTail(30)}`,
        );
      }
      if (this.child === undefined) throw new Error(`etcd member ${this.name} was never started`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      if (await isHealthy(this.spec.healthPort, Math.min(1000, remaining))) return;
      await sleep(Math.min(POLL_STEP_MS, Math.max(0, deadline - Date.now())));
    }
    throw new Error(
      `etcd member ${this.name} (pid ${this.lastPid}, ${this.clientUrl}) not healthy after ${timeoutMs} ms.\n` +
        `Log tail (${this.logFile}):\n${this.logTail(30)}`,
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    const pid = this.lastPid;
    process.kill(pid, signal);
    // A stopped process only acts on SIGKILL; let it see other signals.
    if (this.isPaused && signal !== 'SIGKILL') process.kill(pid, 'SIGCONT');
    this.isPaused = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) throw new Error(`etcd member ${this.name} (pid ${pid}) did not exit within ${timeoutMs} ms of ${signal}`);
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    try {
      await this.kill('SIGTERM', graceMs);
    } catch {
      await this.kill('SIGKILL', 5_000);
    }
  }

  pause(): void {
    if (!this.running) throw new Error(`etcd member ${this.name} is not running`);
    process.kill(this.lastPid, 'SIGSTOP');
    this.isPaused = true;
  }

  resume(): void {
    if (!this.running) throw new Error(`etcd member ${this.name} is not running`);
    process.kill(this.lastPid, 'SIGCONT');
    this.isPaused = false;
  }

  async restart(opts: { waitHealthy?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.stop();
    await this.spawn('existing');
    if (opts.waitHealthy ?? true) await this.waitHealthy(opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  }

  async status(timeoutMs = 2_000): Promise<MemberStatus> {
    const { status, body } = await httpRequest(this.clientPort, 'POST', '/v3/maintenance/status', '{}', timeoutMs);
    if (status !== 200) throw new Error(`status of ${this.name}: HTTP ${status}: ${body}`);
    const j = JSON.parse(body) as {
      header?: { member_id?: string };
      leader?: string;
      raftTerm?: string;
      raftIndex?: string;
      version?: string;
    };
    return {
      memberId: j.header?.member_id ?? '',
      leader: j.leader ?? '0',
      raftTerm: j.raftTerm ?? '0',
      raftIndex: j.raftIndex ?? '0',
      version: j.version ?? '',
    };
  }

  logTail(lines = 20): string {
    return readTail(this.logFile, lines);
  }
}

class EtcdCluster implements Cluster {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly members: EtcdMember[],
    readonly dir: string,
    readonly token: string,
  ) {}

  get endpoints(): string[] {
    return this.members.map((m) => m.endpoint);
  }
  get clientUrls(): string[] {
    return this.members.map((m) => m.clientUrl);
  }
  get endpointsFlag(): string {
    return `--endpoints=${this.endpoints.join(',')}`;
  }

  async waitHealthy(timeoutMs = DEFAULT_START_TIMEOUT_MS): Promise<void> {
    await Promise.all(this.members.filter((m) => m.running).map((m) => m.waitHealthy(timeoutMs)));
  }

  async leader(): Promise<Member | undefined> {
    const candidates = this.members.filter((m) => m.running && !m.paused);
    const statuses = await Promise.all(candidates.map((m) => m.status().catch(() => undefined)));
    const leaderId = statuses.find((s) => s !== undefined && s.leader !== '0')?.leader;
    if (leaderId === undefined) return undefined;
    const idx = statuses.findIndex((s) => s?.memberId === leaderId);
    return idx >= 0 ? candidates[idx] : undefined;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // On SIGTERM an etcd leader first tries to hand leadership to a peer and waits up to its
      // request timeout (~7 s) when that peer is going away too. So: followers first (fast), then
      // the leader, which often still believes a stopped peer is active; its data is about to be
      // deleted, so it gets only a short grace period before SIGKILL. ~1 s instead of ~7 s.
      const running = this.members.filter((m) => m.running);
      const leader = running.length > 1 ? await this.leader().catch(() => undefined) : undefined;
      await Promise.all(running.filter((m) => m !== leader).map((m) => m.stop()));
      await Promise.all(this.members.map((m) => m.stop(LEADER_STOP_GRACE_MS)));
      if (!process.env['ETCDCTL_TS_KEEP_TMP']) {
        await fsp.rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
      }
      liveDirs.delete(this.dir);
    })();
    return this.stopping;
  }
}

let clusterCounter = 0;

// etcd 3.4 logs through capnslog unless told --logger=zap, and capnslog ignores --log-level (3.5
// made zap the only logger). The flags the tests pass through extraArgs (--auth-token,
// --max-txn-ops, --quota-backend-bytes) are spelt the same in 3.4 and 3.5.
function serverLogArgs(): string[] {
  const common = ['--log-level=error', '--log-outputs=stderr'];
  return testServerIs34() ? ['--logger=zap', ...common] : common;
}

async function launch(opts: ClusterOptions): Promise<EtcdCluster> {
  const size = opts.size;
  const prefix = opts.name ?? 'infra';
  const tls = opts.clientTls;
  const ports = await allocatePorts(size * (tls ? 3 : 2));
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'etcdctl-ts-'));
  liveDirs.add(dir);
  const token = `etcdctl-ts-${process.pid}-${++clusterCounter}-${randomBytes(4).toString('hex')}`;
  const names = Array.from({ length: size }, (_, i) => `${prefix}${i}`);
  const clientPorts = names.map((_, i) => ports[2 * i] as number);
  const peerPorts = names.map((_, i) => ports[2 * i + 1] as number);
  const initialCluster = names.map((n, i) => `${n}=http://127.0.0.1:${peerPorts[i]}`).join(',');
  const extra = [...(opts.extraArgs ?? [])];
  if (opts.quotaBackendBytes !== undefined) extra.push(`--quota-backend-bytes=${opts.quotaBackendBytes}`);
  const env = cleanEnv(opts.env);

  const metricsPorts = names.map((_, i) => ports[2 * size + i] as number);
  const tlsArgs = (i: number): string[] =>
    tls
      ? [
          `--cert-file=${tls.certFile}`,
          `--key-file=${tls.keyFile}`,
          ...(tls.trustedCaFile ? [`--trusted-ca-file=${tls.trustedCaFile}`] : []),
          ...(tls.clientCertAuth ? ['--client-cert-auth'] : []),
          `--listen-metrics-urls=http://127.0.0.1:${metricsPorts[i]}`,
        ]
      : [];

  const members = names.map((name, i) => {
    const clientUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${clientPorts[i]}`;
    const peerUrl = `http://127.0.0.1:${peerPorts[i]}`;
    const dataDir = path.join(dir, `${name}.etcd`);
    return new EtcdMember({
      name,
      clientPort: clientPorts[i] as number,
      healthPort: tls ? (metricsPorts[i] as number) : (clientPorts[i] as number),
      clientScheme: tls ? 'https' : 'http',
      peerPort: peerPorts[i] as number,
      dataDir,
      logFile: path.join(dir, `${name}.log`),
      env,
      baseArgs: [
        `--name=${name}`,
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-token=${token}`,
        ...serverLogArgs(),
        ...tlsArgs(i),
        ...extra,
      ],
    });
  });
  const cluster = new EtcdCluster(members, dir, token);
  try {
    for (const m of members) await m.spawn('new');
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Starts a 1- or 3-member etcd cluster on free loopback ports and waits until every member is healthy. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  installExitHandlers();
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const failures: string[] = [];
  for (let attempt = 1; attempt <= MAX_START_ATTEMPTS; attempt++) {
    const cluster = await launch(opts);
    try {
      await cluster.waitHealthy(timeoutMs);
      return cluster;
    } catch (err) {
      await cluster.stop();
      const msg = (err as Error).message;
      // A port taken between allocation and etcd's bind (another worker, an outgoing connection):
      // retry with fresh ports. Anything else is a real failure.
      if (!/address already in use/i.test(msg)) throw err;
      failures.push(msg);
    }
  }
  throw new Error(`could not start etcd cluster after ${MAX_START_ATTEMPTS} attempts:\n${failures.join('\n---\n')}`);
}
