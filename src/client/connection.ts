// One lazy connection to a set of etcd endpoints: TLS and keepalive settings, the auth token,
// deadlines, and failover between endpoints the way clientv3 does it (reads are retried on
// another endpoint when one is unavailable; writes only when they were never sent).
import * as grpc from '@grpc/grpc-js';
import { isIP, isIPv4 } from 'node:net';
import nodeTls from 'node:tls';
import { CtlError, ExitCode, RpcError } from '../common/errors.js';
import type { ClientConfig } from './config.js';
import { DEADLINE_EXCEEDED_TEXT, fromGrpcError } from './grpc-errors.js';
import { encodeMessage, methodDefinition, keepRawBytes } from './proto.js';
import { connectionFailureReason } from './connection-errors.js';
import { zapLine } from '../go/zap.js';
import { TlsFileError, loadCaBundle, loadKeyPair } from './tls-files.js';
import { timerDeadline, timerDelay } from '../go/duration.js';
import { allowIpServerName } from '../io/runtime.js';

/** Go's math.MaxInt32: clientv3's default receive limit, so large ranges never hit grpc-js's 4 MiB. */
const MAX_RECEIVE_BYTES = 2147483647;
/** clientv3's default send limit (2 MiB). */
const MAX_SEND_BYTES = 2 * 1024 * 1024;
/** gRPC-Go raises keepalive pings below 10 s to 10 s; do the same so servers do not see ping floods. */
const MIN_KEEPALIVE_MS = 10_000;
const RETRY_BACKOFF_MS = 25;
const FLOW_CONTROL_WINDOW = 8 * 1024 * 1024;
const MAX_ATTEMPTS = 100;

export interface ParsedEndpoint {
  /** As given by the user. */
  original: string;
  /** grpc-js target. */
  target: string;
  /** true for https/unixs, false for http/unix, undefined when no scheme was given. */
  secure: boolean | undefined;
}

export function parseEndpoint(endpoint: string): ParsedEndpoint {
  if (endpoint.startsWith('unix:') && !endpoint.startsWith('unix://')) {
    return { original: endpoint, target: endpoint, secure: false };
  }
  // clientv3 checks the unix prefixes as written, and reads other URLs with Go's url.Parse, which
  // lowercases the scheme: `HTTP://127.0.0.1:2379` is an http endpoint.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(endpoint);
  if (!scheme) return { original: endpoint, target: endpoint, secure: undefined };
  const [, written, rest] = scheme as unknown as [string, string, string];
  const name = /^unixs?$/i.test(written) ? written : written.toLowerCase();
  const hostPort = rest.replace(/\/.*$/, '');
  switch (name) {
    case 'http':
      return { original: endpoint, target: hostPort, secure: false };
    case 'https':
      return { original: endpoint, target: hostPort, secure: true };
    case 'unix':
      return { original: endpoint, target: `unix:${rest}`, secure: false };
    case 'unixs':
      return { original: endpoint, target: `unix:${rest}`, secure: true };
    default:
      return { original: endpoint, target: endpoint, secure: undefined };
  }
}

/**
 * The grpc-js target for an endpoint. An IPv4 literal (`127.0.0.1:2379`) is given to grpc-js's IP
 * resolver rather than its default DNS resolver: the same address and the same authority (the
 * host:port text), but start-up does not load Node's DNS module for an address needing no lookup.
 */
function grpcTarget(target: string): string {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(target);
  return m && isIPv4(m[1]!) ? `ipv4:${target}` : target;
}

/** Transport credentials as clientv3 picks them: the first endpoint's scheme decides. */
function channelCredentials(cfg: ClientConfig, first: ParsedEndpoint): grpc.ChannelCredentials {
  const { tls } = cfg;
  if ((tls.certFile === '') !== (tls.keyFile === '')) {
    throw new CtlError(ExitCode.BadArgs, `KeyFile and CertFile must both be present[key: ${tls.keyFile}, cert: ${tls.certFile}]`);
  }
  const hasTlsFiles = tls.certFile !== '' || tls.caFile !== '';
  // transport.TLSInfo.ClientConfig's order: the key pair first, then the CA bundle; errors exit 128.
  let pair: { cert: Buffer; key: Buffer } | null = null;
  let ca: Buffer | null = null;
  try {
    if (tls.certFile !== '') pair = loadKeyPair(tls.certFile, tls.keyFile);
    if (tls.caFile !== '') ca = loadCaBundle(tls.caFile);
  } catch (err) {
    if (err instanceof TlsFileError) throw new CtlError(ExitCode.BadArgs, err.message);
    throw err;
  }
  const cert = pair?.cert ?? null;
  const key = pair?.key ?? null;
  const tlsWanted = hasTlsFiles || !tls.insecureTransport;
  const secure = first.secure ?? tlsWanted;
  if (!secure) return grpc.credentials.createInsecure();
  // Node warns (DEP0123) on stderr when the TLS server name is an IP address, as grpc-js sets it for
  // `127.0.0.1:2379`; etcdctl prints nothing there. Node 26 and bun refuse it: none is given for
  // an IP (runtime.ts).
  process.noDeprecation = true;
  allowIpServerName(nodeTls, isIP);
  const verify: grpc.VerifyOptions = tls.insecureSkipVerify
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {};
  return grpc.credentials.createSsl(ca, key, cert, verify);
}

interface Endpoint {
  parsed: ParsedEndpoint;
  client: grpc.Client;
}

export interface CallOptions {
  /** Absolute deadline (ms since epoch); undefined waits for as long as it takes, like etcdctl. */
  deadline?: number;
  /** Safe to send again after it may have reached a server (reads). */
  idempotent: boolean;
  /** Cancels the call (Go's context cancel): it fails with `context canceled`. */
  signal?: AbortSignal;
  /**
   * Turns the response's wire bytes into the call's result instead of the decoded message (bulk
   * paths that print straight from the bytes, e.g. KvService.rangeRaw).
   */
  deserialize?: (bytes: Buffer) => unknown;
}

function isNeverSent(err: grpc.ServiceError): boolean {
  // grpc-js fails a call this way when it had no ready connection to put it on.
  return err.code === grpc.status.UNAVAILABLE && /^No connection established/.test(err.details ?? '');
}

/**
 * Server messages meaning "authenticate again and retry" when credentials are configured
 * (clientv3's shouldRefreshToken). Stream owners check a watch's cancel reason with it too.
 */
export function isTokenError(text: string): boolean {
  // A watch's cancel reason is the whole gRPC status text: `rpc error: code = Unauthenticated desc = …`.
  const message = text.replace(/^rpc error: code = \w+ desc = /, '');
  return (
    message === 'etcdserver: invalid auth token' ||
    message === 'etcdserver: revision of auth store is old' ||
    message === 'etcdserver: user name is empty'
  );
}

function needsNewToken(err: RpcError): boolean {
  return isTokenError(err.message);
}

/**
 * A stream opened with a token older than this first fetches a new one: the server checks a
 * stream's token when the stream (or a watch on it) is created, so it must not be about to
 * expire (simple tokens live --auth-token-ttl seconds after their last use, 1 s at least).
 */
const STREAM_TOKEN_MAX_AGE_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Connection {
  private readonly endpoints: Endpoint[];
  private nextIndex = 0;
  private token: string | undefined;
  /** When the token was last fetched (or found unnecessary); 0 before the first time. */
  private tokenFetchedAt = 0;
  private refreshing: Promise<void> | undefined;
  private closed = false;

  /**
   * `logging.warn` receives client warning lines for stderr: when a call times out because no
   * endpoint could be connected to, the reason (refused, TLS handshake failure…), as etcdctl's
   * client logs it. Without it nothing is logged.
   */
  constructor(
    readonly config: ClientConfig,
    private readonly logging: { warn?: (line: string) => void } = {},
  ) {
    if (config.endpoints.length === 0) throw new CtlError(ExitCode.BadConnection, 'etcdclient: no available endpoints');
    const parsed = config.endpoints.map(parseEndpoint);
    const credentials = channelCredentials(config, parsed[0]!);
    const options: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
      'grpc.max_send_message_length': MAX_SEND_BYTES,
      'grpc.keepalive_time_ms': timerDelay(Math.max(config.keepaliveTimeMs, MIN_KEEPALIVE_MS)),
      'grpc.keepalive_timeout_ms': timerDelay(config.keepaliveTimeoutMs),
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
      'grpc.enable_retries': 0,
      // HTTP/2 flow-control window (stream and connection) of 8 MiB instead of 64 KiB: large
      // responses (ranges, snapshots) then arrive without waiting for a window update every
      // 64 KiB, as gRPC-Go's dynamic window lets etcdctl receive them. Only throughput changes.
      'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW,
    };
    if (config.tls.serverName) options['grpc.ssl_target_name_override'] = config.tls.serverName;
    // An empty endpoint (`--endpoints=a,,b`) is an address clientv3 can never dial: it is skipped,
    // and with nothing else the command waits for its deadline as against dead endpoints.
    this.endpoints = parsed
      .filter((p) => p.target.trim() !== '')
      .map((p) => ({ parsed: p, client: new grpc.Client(grpcTarget(p.target), credentials, options) }));
  }

  /**
   * Authenticates when credentials are configured, bounded by --dial-timeout as clientv3.New does
   * (only a positive one: with 0 or less clientv3 sets no deadline at all).
   */
  async authenticate(): Promise<void> {
    const auth = this.config.auth;
    if (!auth) return;
    try {
      const resp = (await this.unaryOnce('etcdserverpb.Auth', 'Authenticate', { name: auth.username, password: auth.password }, {
        deadline: this.config.dialTimeoutMs > 0 ? Date.now() + this.config.dialTimeoutMs : undefined,
        idempotent: true,
      })) as { token: string };
      this.token = resp.token;
      this.tokenFetchedAt = Date.now();
    } catch (err) {
      if (err instanceof RpcError && err.message === 'etcdserver: authentication is not enabled') {
        this.token = undefined;
        this.tokenFetchedAt = Date.now();
        return;
      }
      throw err;
    }
  }

  /**
   * Fetches a new token now (no-op without credentials); concurrent callers share one request.
   * Long-running commands call it when the server rejects their stream for its token (a watch
   * cancelled with a reason that isTokenError() accepts), then open the stream again.
   */
  refreshToken(): Promise<void> {
    if (!this.config.auth) return Promise.resolve();
    this.refreshing ??= this.authenticate().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Like clientv3's stream interceptor: a stream starts with a recently fetched token. While no
   * endpoint can be reached (a member restarting under a watch), this waits for one, as the
   * stream itself would, instead of failing.
   */
  private async freshTokenForStream(deadline: number | undefined): Promise<void> {
    if (!this.config.auth || Date.now() - this.tokenFetchedAt <= STREAM_TOKEN_MAX_AGE_MS) return;
    for (;;) {
      try {
        await this.refreshToken();
        return;
      } catch (err) {
        const unreachable = err instanceof RpcError && (err.code === 'DeadlineExceeded' || err.code === 'Unavailable');
        if (!unreachable || this.closed || (deadline !== undefined && Date.now() >= deadline)) throw err;
        await this.readyEndpoint(deadline);
      }
    }
  }

  /** Sends `other`'s auth token from now on (clientv3 shares one token between its connections). */
  useTokenOf(other: Connection): void {
    this.token = other.token;
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token) md.set('token', this.token);
    return md;
  }

  /**
   * Waits until some endpoint has a ready connection, preferring them in round-robin order. `kind`
   * says which of clientv3's interceptors would log the failure: the unary one warns per endpoint,
   * the stream one logs one error line.
   */
  private async readyEndpoint(deadline: number | undefined, kind: 'unary' | 'stream' = 'unary'): Promise<Endpoint> {
    if (this.endpoints.length === 0) return this.neverReady(deadline);
    const start = this.nextIndex;
    const order = this.endpoints.map((_, i) => this.endpoints[(start + i) % this.endpoints.length]!);
    for (const ep of order) {
      if (ep.client.getChannel().getConnectivityState(true) === grpc.connectivityState.READY) {
        this.nextIndex = (this.endpoints.indexOf(ep) + 1) % this.endpoints.length;
        return ep;
      }
    }
    return new Promise<Endpoint>((resolve, reject) => {
      let settled = false;
      let pending = order.length;
      // grpc-js holds no reference on the event loop while it dials: without a deadline timer,
      // Node would exit in the middle of the wait. This timer keeps the process alive until then.
      const keepAlive = deadline === undefined ? setInterval(() => {}, 60_000) : undefined;
      for (const ep of order) {
        // grpc-js times this wait with a plain setTimeout: a deadline beyond a timer's reach is cut.
        ep.client.waitForReady(deadline === undefined ? Infinity : timerDeadline(deadline), (err) => {
          if (settled) return;
          if (!err) {
            clearInterval(keepAlive);
            settled = true;
            this.nextIndex = (this.endpoints.indexOf(ep) + 1) % this.endpoints.length;
            resolve(ep);
            return;
          }
          pending--;
          if (pending === 0) {
            clearInterval(keepAlive);
            settled = true;
            const failure = new RpcError(this.closed ? 'context canceled' : DEADLINE_EXCEEDED_TEXT, this.closed ? 'Canceled' : 'DeadlineExceeded');
            if (this.closed || !this.logging.warn) reject(failure);
            else void this.warnWhyNotConnected(order, kind).finally(() => reject(failure));
          }
        });
      }
    });
  }

  /**
   * Logs why each endpoint is not connected. grpc-js keeps the last connection error to itself
   * but reports it to a call made without wait-for-ready, so each channel gets one such probe
   * (a harmless Status call, should the channel have connected meanwhile), bounded in time.
   * A stream that could not be created gets clientv3's stream interceptor line instead: level
   * error, logger "client", one line carrying the balancer's latest error (the first endpoint's).
   */
  private async warnWhyNotConnected(endpoints: Endpoint[], kind: 'unary' | 'stream'): Promise<void> {
    const def = methodDefinition('etcdserverpb.Maintenance', 'Status');
    const reasons = await Promise.all(
      endpoints.map(
        (ep) =>
          new Promise<string | undefined>((resolve) => {
            ep.client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, {}, new grpc.Metadata(), { deadline: Date.now() + 1500 }, (err) =>
              resolve(err?.code === grpc.status.UNAVAILABLE ? connectionFailureReason(err.details ?? '', ep.parsed.target) : undefined),
            );
          }),
      ),
    );
    const error = (reason: string) => `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${reason}`;
    if (kind === 'stream') {
      const reason = reasons.find((r) => r !== undefined);
      if (reason !== undefined) {
        this.logging.warn?.(zapLine('error', 'v3/retry_interceptor.go:130', 'streamer failed to create ClientStream', { error: error(reason) }, 'client'));
      }
      return;
    }
    endpoints.forEach((ep, i) => {
      const reason = reasons[i];
      if (reason === undefined) return;
      this.logging.warn?.(
        zapLine('warn', 'v3/retry_interceptor.go:63', 'retrying of unary invoker failed', {
          target: `etcd-endpoints://0x0/${ep.parsed.target}`,
          error: error(reason),
        }),
      );
    });
  }

  /** No dialable endpoint: fail at the deadline, or wait for ever (etcdctl hangs the same way). */
  private neverReady(deadline: number | undefined): Promise<Endpoint> {
    return new Promise<Endpoint>((_, reject) => {
      if (deadline === undefined) {
        setInterval(() => {}, 1 << 30);
        return;
      }
      setTimeout(() => reject(new RpcError(DEADLINE_EXCEEDED_TEXT, 'DeadlineExceeded')), timerDelay(deadline - Date.now()));
    });
  }

  private unaryOnce<Res>(service: string, method: string, request: object, opts: CallOptions): Promise<Res> {
    return this.unaryAttempts<Res>(service, method, request, opts, false);
  }

  /** A unary RPC with etcdctl's deadline, failover and token-refresh behaviour. */
  async unary<Res>(service: string, method: string, request: object, opts: CallOptions): Promise<Res> {
    try {
      return await this.unaryAttempts<Res>(service, method, request, opts, true);
    } catch (err) {
      if (err instanceof RpcError && this.config.auth && needsNewToken(err)) {
        await this.refreshToken();
        return this.unaryAttempts<Res>(service, method, request, opts, true);
      }
      throw err;
    }
  }

  private async unaryAttempts<Res>(service: string, method: string, request: object, opts: CallOptions, failover: boolean): Promise<Res> {
    const def = methodDefinition(service, method);
    for (let attempt = 1; ; attempt++) {
      if (opts.deadline !== undefined && Date.now() >= opts.deadline) throw new RpcError(DEADLINE_EXCEEDED_TEXT, 'DeadlineExceeded');
      if (opts.signal?.aborted) throw new RpcError('context canceled', 'Canceled');
      const ep = await this.readyEndpoint(opts.deadline);
      let onAbort: (() => void) | undefined;
      try {
        return await new Promise<Res>((resolve, reject) => {
          const call = ep.client.makeUnaryRequest(
            def.path,
            def.requestSerialize,
            opts.deserialize ?? keepRawBytes(def.responseDeserialize),
            request,
            this.metadata(),
            { deadline: opts.deadline ?? Infinity },
            (err, value) => (err ? reject(err) : resolve(value as Res)),
          );
          onAbort = () => call.cancel();
          opts.signal?.addEventListener('abort', onAbort, { once: true });
          if (opts.signal?.aborted) call.cancel();
        });
      } catch (raw) {
        if (opts.signal?.aborted) throw new RpcError('context canceled', 'Canceled');
        const err = raw as grpc.ServiceError;
        const retriable = failover && attempt < MAX_ATTEMPTS && (isNeverSent(err) || (opts.idempotent && err.code === grpc.status.UNAVAILABLE));
        // The size in a send-limit error is the request as Go encodes it (no zero fields).
        if (!retriable) throw fromGrpcError(err, () => encodeMessage(def.requestType, request).length);
        await sleep(RETRY_BACKOFF_MS);
      } finally {
        if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
      }
    }
  }

  /** Opens a server-streaming RPC on a ready endpoint, with a fresh token. */
  async serverStream(
    service: string,
    method: string,
    request: object,
    deadline?: number,
    /** Turns each message's wire bytes into what the stream yields (default: the decoded message). */
    deserialize?: (bytes: Buffer) => object,
  ): Promise<grpc.ClientReadableStream<object>> {
    const def = methodDefinition(service, method);
    await this.freshTokenForStream(deadline);
    const ep = await this.readyEndpoint(deadline, 'stream');
    return ep.client.makeServerStreamRequest(def.path, def.requestSerialize, deserialize ?? keepRawBytes(def.responseDeserialize), request, this.metadata(), {
      deadline: deadline ?? Infinity,
    });
  }

  /**
   * Opens a bidirectional stream on a ready endpoint, with a fresh token. The server checks that
   * token only when something is created on the stream (each watch), so a stream that lives long
   * may see its token expire: see refreshToken().
   */
  async bidiStream(
    service: string,
    method: string,
    deadline?: number,
    extraMetadata?: Record<string, string>,
    /** Turns each message's wire bytes into what the stream yields (default: the decoded message). */
    deserialize?: (bytes: Buffer) => object,
  ): Promise<grpc.ClientDuplexStream<object, object>> {
    const def = methodDefinition(service, method);
    await this.freshTokenForStream(deadline);
    const ep = await this.readyEndpoint(deadline, 'stream');
    const md = this.metadata();
    for (const [k, v] of Object.entries(extraMetadata ?? {})) md.set(k, v);
    return ep.client.makeBidiStreamRequest(def.path, def.requestSerialize, deserialize ?? keepRawBytes(def.responseDeserialize), md, { deadline: deadline ?? Infinity });
  }

  /** Deadline for commands that use --command-timeout. */
  commandDeadline(): number {
    return Date.now() + this.config.commandTimeoutMs;
  }

  close(): void {
    this.closed = true;
    for (const ep of this.endpoints) ep.client.close();
  }
}
